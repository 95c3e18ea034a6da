// Vietnamese formatting as the site prints it (Intl 'vi-VN', Node 24's full ICU).
import { describe, expect, it } from 'vitest';
import {
  asOfLine,
  formatDate,
  formatInteger,
  formatPeriodRange,
  formatPointChange,
  formatRate,
  formatsFor,
  formatTarget,
  periodLabel,
  periodPhrase,
  vietnameseCollator,
} from '../../site/src/lib/format.ts';

describe('Vietnamese formatting', () => {
  it('groups thousands with dots and writes rates with two decimals and a comma', () => {
    expect(formatInteger(113048)).toBe('113.048');
    expect(formatInteger(0)).toBe('0');
    expect(formatRate(0.86871)).toBe('86,87%');
    expect(formatRate(1)).toBe('100,00%');
    expect(formatRate(null)).toBe('—');
    expect(formatTarget(0.95)).toBe('95%');
    expect(formatTarget(0.925)).toBe('92,50%');
    expect(formatPointChange(0.9376, 0.9332)).toBe('+0,44 điểm %');
    expect(formatPointChange(0.5, 0.6)).toBe('-10,00 điểm %');
  });

  it('writes dates dd/MM/yyyy in Vietnam time whatever the input form', () => {
    expect(formatDate('2023-11-30')).toBe('30/11/2023');
    expect(formatDate('2023-11-30 23:59:59')).toBe('30/11/2023');
    // 17:30 UTC on the 29th is already the 30th in Hà Nội.
    expect(formatDate('2023-11-29T17:30:00Z')).toBe('30/11/2023');
    expect(asOfLine('2025-01-01T00:00:00+07:00')).toBe('Số liệu tính đến 01/01/2025 00:00');
    expect(formatPeriodRange('2024-10-01', '2025-01-01')).toBe('01/10/2024 – 31/12/2024');
  });

  it('names periods in Vietnamese', () => {
    expect(periodLabel('2021-03')).toBe('Tháng 3/2021');
    expect(periodLabel('2021-Q1')).toBe('Quý I/2021');
    expect(periodLabel('2024-Q4')).toBe('Quý IV/2024');
    expect(periodLabel('2021-H1')).toBe('6 tháng đầu năm 2021');
    expect(periodLabel('2021-H2')).toBe('6 tháng cuối năm 2021');
    expect(periodLabel('2021')).toBe('Năm 2021');
    expect(periodPhrase('2024-Q4')).toBe('quý IV/2024');
  });

  it('sorts names the Vietnamese way', () => {
    expect(
      ['Điện Biên', 'Đà Nẵng', 'Yên Thế', 'An Giang', 'Bắc Giang'].sort(vietnameseCollator.compare),
    ).toEqual(['An Giang', 'Bắc Giang', 'Đà Nẵng', 'Điện Biên', 'Yên Thế']);
  });
});

describe('English formatting (the /en/ pages)', () => {
  const en = formatsFor('en');

  it('groups thousands with commas and writes rates with a decimal point', () => {
    expect(en.formatInteger(113048)).toBe('113,048');
    expect(en.formatRate(0.86871)).toBe('86.87%');
    expect(en.formatRate(null)).toBe('—');
    expect(en.formatTarget(0.95)).toBe('95%');
    expect(en.formatTarget(0.925)).toBe('92.50%');
    expect(en.formatPointChange(0.9376, 0.9332)).toBe('+0.44 pp');
    expect(en.formatInterval(0.912, 0.951)).toBe('91.2–95.1');
    expect(en.formatPoints(13.07)).toBe('13.07');
    expect(en.formatPoints(14)).toBe('14');
  });

  it('writes dates day, month name, year in Vietnam time', () => {
    expect(en.formatDate('2023-11-29T17:30:00Z')).toBe('30 Nov 2023');
    expect(en.asOfLine('2025-01-01T00:00:00+07:00')).toBe('Figures as of 1 Jan 2025 00:00');
    expect(en.formatPeriodRange('2024-10-01', '2025-01-01')).toBe('1 Oct 2024 – 31 Dec 2024');
  });

  it('names periods in English', () => {
    expect(en.periodLabel('2021-03')).toBe('March 2021');
    expect(en.periodShortLabel('2021-03')).toBe('Mar 2021');
    expect(en.periodLabel('2024-Q4')).toBe('Q4 2024');
    expect(en.periodLabel('2021-H1')).toBe('First half of 2021');
    expect(en.periodLabel('2021')).toBe('Year 2021');
    expect(en.periodPhrase('2024-Q4')).toBe('Q4 2024');
    expect(en.periodPhrase('2021-H2')).toBe('second half of 2021');
  });

  it('leaves the Vietnamese named exports as they were', () => {
    expect(formatsFor('vi').formatRate(0.86871)).toBe(formatRate(0.86871));
  });
});

import { DOMParser } from 'linkedom';
import { describe, expect, test } from 'vitest';
import { buildAtomFeed, targetCrossings } from '../../site/src/lib/atom-feed.ts';

const month = (unit: string, period: string, meets: boolean, rate: number) => ({
  unit_code: unit,
  unit_name: `UBND xã ${unit}`,
  period_type: 'month',
  period,
  is_complete: true,
  resolved_total: 10,
  on_time_rate: rate,
  meets_on_time_rate: meets,
});

describe('Atom feed', () => {
  const input = {
    siteUrl: 'https://congkhai.example.vn',
    pagePath: '/',
    feedPath: '/feed.xml',
    title: 'Công khai TTHC — Tỉnh Bắc Ninh',
    publisher: { province: 'Tỉnh Bắc Ninh', office: 'Văn phòng UBND tỉnh', contact: 'a@b.vn' },
    asOf: '2026-11-30 00:00:00',
    publications: ['2026-11-30 00:00:00', '2026-11-29 00:00:00'],
    revisions: [{ as_of: '2026-11-30 00:00:00', column: 'resolved_total' }],
    monthRows: [month('A', '2026-09', false, 0.9), month('A', '2026-10', true, 0.97)],
  };

  test('is well-formed Atom with one entry per publication', () => {
    const xml = buildAtomFeed(input);
    expect(xml.startsWith('<?xml')).toBe(true);
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    expect(doc.querySelector('parsererror')).toBeNull();
    expect(doc.querySelectorAll('entry')).toHaveLength(2);
    expect(xml).toContain('xmlns="http://www.w3.org/2005/Atom"');
    expect(xml).toContain('Số liệu đến 30/11/2026');
    expect(xml).toContain('1 số liệu của các kỳ đã kết thúc được điều chỉnh');
  });

  test('names the units that crossed a target in the latest complete month', () => {
    expect(targetCrossings(input.monthRows)).toEqual([
      'UBND xã A đạt chỉ tiêu tỷ lệ đúng hạn tháng 2026-10 (97,00%).',
    ]);
  });
});

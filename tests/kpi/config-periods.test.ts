// The config file (zod), the as-of parser and the period calendar.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig, parseConfig, targetFor } from '../../functions/core/config.ts';
import { AsOfError, dayAfter, defaultAsOf, parseAsOf } from '../../functions/core/kpi/as-of.ts';
import { periodsUpTo } from '../../functions/core/kpi/periods.ts';

describe('config', () => {
  test('defaults: Plan 280/KH-UBND targets, rank from 20 resolved, certification = "Chứng thực"', () => {
    const config = parseConfig({});
    expect(config.min_resolved_for_rank).toBe(20);
    expect(targetFor(config, 'province', 'online_share')).toBe(0.3);
    expect(targetFor(config, 'district', 'online_share')).toBe(0.1);
    expect(targetFor(config, 'commune', 'online_share')).toBeNull();
    expect(targetFor(config, 'district', 'on_time_rate')).toBe(0.95);
    expect(config.e_cert.field_name).toBe('Chứng thực');
  });

  test('a decomposed (NFD) field name is normalized to NFC like the lake', () => {
    expect(parseConfig({ e_cert: { field_name: 'Chứng thực'.normalize('NFD') } }).e_cert.field_name).toBe(
      'Chứng thực',
    );
  });

  test.each([
    [{ targets: { district: { online_share: 30 } } }, 'targets.district.online_share'],
    [{ targets: { ward: {} } }, 'ward'],
    [{ min_resolved_for_rank: -1 }, 'min_resolved_for_rank'],
    [{ target: {} }, 'target'],
  ])('refuses %j naming %s', (value, path) => {
    expect(() => parseConfig(value, 'x.json')).toThrow(ConfigError);
    expect(() => parseConfig(value, 'x.json')).toThrow(path);
  });

  test('loadConfig: the file given, else defaults; a broken file is named', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'congkhai-config-'));
    try {
      const file = join(dir, 'c.json');
      await writeFile(file, JSON.stringify({ min_resolved_for_rank: 5 }));
      expect((await loadConfig(file)).min_resolved_for_rank).toBe(5);
      await writeFile(file, '{ not json');
      await expect(loadConfig(file)).rejects.toThrow(`${file}: not valid JSON`);
      await expect(loadConfig(join(dir, 'missing.json'))).rejects.toThrow('cannot read');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('as-of', () => {
  test('date or date-time, Vietnam local; impossible dates refused', () => {
    expect(parseAsOf('2021-04-01')).toBe('2021-04-01 00:00:00');
    expect(parseAsOf('2021-04-10 12:30:00')).toBe('2021-04-10 12:30:00');
    expect(parseAsOf('2021-04-10T12:30')).toBe('2021-04-10 12:30:00');
    for (const bad of ['2021-02-29', '2021-04-10 24:00:00', '10/04/2021', ''])
      expect(() => parseAsOf(bad)).toThrow(AsOfError);
  });

  test('default: the day after the latest snapshot, at 00:00', () => {
    expect(defaultAsOf(['2020-12-31', '2021-03-31'])).toBe('2021-04-01 00:00:00');
    expect(dayAfter('2020-12-31')).toBe('2021-01-01 00:00:00');
    expect(dayAfter('2024-02-28')).toBe('2024-02-29 00:00:00');
  });
});

describe('periods', () => {
  test('months, quarters, halves and years from the first received month to the as-of', () => {
    const periods = periodsUpTo('2020-11-20 08:00:00', '2021-04-10 12:00:00');
    const labels = (type: string) => periods.filter((p) => p.period_type === type).map((p) => p.period);
    expect(labels('month')).toEqual(['2020-11', '2020-12', '2021-01', '2021-02', '2021-03', '2021-04']);
    expect(labels('quarter')).toEqual(['2020-Q4', '2021-Q1', '2021-Q2']);
    expect(labels('half')).toEqual(['2020-H2', '2021-H1']);
    expect(labels('year')).toEqual(['2020', '2021']);
    expect(periods.find((p) => p.period === '2021-Q1')).toEqual({
      period_type: 'quarter',
      period: '2021-Q1',
      period_start: '2021-01-01 00:00:00',
      period_end: '2021-04-01 00:00:00',
      is_complete: true,
    });
    expect(periods.filter((p) => !p.is_complete).map((p) => p.period)).toEqual([
      '2021-04',
      '2021-Q2',
      '2021-H1',
      '2021',
    ]);
  });

  test('an as-of at a month start: that month has not begun', () => {
    const periods = periodsUpTo('2021-01-01 00:00:00', '2021-04-01 00:00:00');
    expect(periods.filter((p) => p.period_type === 'month').map((p) => p.period)).toEqual([
      '2021-01',
      '2021-02',
      '2021-03',
    ]);
    expect(periods.find((p) => p.period === '2021-Q1')!.is_complete).toBe(true);
  });
});

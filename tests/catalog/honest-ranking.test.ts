// Honest ranking through the real `congkhai kpi`: each ranked rate's 95% Wilson interval
// equals the textbook formula, the band is read against the province's 99.8% funnel limits,
// and a unit with 2 of 2 on time sits `within`, behind units whose records vouch for more.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Row } from '../../functions/core/engine.ts';
import { type LakeRecord, writeLakeSnapshot } from '../support/write-lake.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** Wilson score interval, as in the textbooks (Wilson 1927; Agresti & Coull 1998). */
function wilson(x: number, n: number, z = 1.959964): [number, number] {
  const p = x / n;
  const centre = p + (z * z) / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  const scale = 1 + (z * z) / n;
  return [(centre - half) / scale, (centre + half) / scale];
}

function band(x: number, n: number, p0: number, z = 3.090232): string {
  const limit = z * Math.sqrt((p0 * (1 - p0)) / n);
  if (x / n > p0 + limit) return 'above';
  if (x / n < p0 - limit) return 'below';
  return 'within';
}

// Units with (on time, late) resolved dossiers in January 2025: a spread of sizes and rates.
const UNITS: Array<[string, number, number]> = [
  ['S01', 2, 0],
  ['S02', 450, 10],
  ['S03', 300, 60],
  ['S04', 95, 5],
  ['S05', 40, 12],
  ['S06', 1200, 30],
  ['S07', 25, 0],
  ['S08', 700, 140],
];

// Units with (not yet due, overdue) open dossiers at the as-of time.
const PENDING: Array<[string, number, number]> = [
  ['S02', 12, 3],
  ['S05', 0, 7],
  ['S07', 4, 0],
];

let dir: string;
let scorecard: Row[];
let units: Row[];
let province: Row;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'congkhai-rank-'));
  const records: LakeRecord[] = [];
  for (const [code, onTime, late] of UNITS) {
    for (let i = 0; i < onTime + late; i++) {
      records.push({
        dossier_id: `${code}-${i}`,
        unit_code: code,
        unit_name: `Sở ${code}`,
        unit_level: 'province',
        channel: i % 3 === 0 ? 'online' : 'direct',
        received_at: '2025-01-06 08:00:00',
        due_at: '2025-01-10 17:00:00',
        resolved_at: i < onTime ? '2025-01-09 10:00:00' : '2025-01-14 10:00:00',
        status: 'resolved',
      });
    }
  }
  // Open dossiers for the scorecard's 2.1: some not yet due at the as-of time, some overdue.
  for (const [code, notDue, overdue] of PENDING) {
    for (let i = 0; i < notDue + overdue; i++) {
      records.push({
        dossier_id: `${code}-open-${i}`,
        unit_code: code,
        unit_name: `Sở ${code}`,
        unit_level: 'province',
        channel: 'online',
        received_at: '2025-01-20 08:00:00',
        due_at: i < notDue ? '2025-02-10 17:00:00' : '2025-01-24 17:00:00',
        status: 'processing',
      });
    }
  }
  await writeLakeSnapshot(join(dir, 'lake'), '2025-01-31', records);
  const out = join(dir, 'out');
  const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) =>
    execFile(
      process.execPath,
      ['functions/cli/main.ts', 'kpi', '--lake', join(dir, 'lake'), '--out', out, '--as-of', '2025-02-01'],
      { cwd: ROOT },
      (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
    ),
  );
  expect(code, stderr).toBe(0);
  const month = (r: Row) => r['period_type'] === 'month' && r['period'] === '2025-01';
  units = (JSON.parse(await readFile(join(out, 'data', 'v1', 'unit_kpis.json'), 'utf8')) as Row[]).filter(
    month,
  );
  scorecard = (
    JSON.parse(await readFile(join(out, 'data', 'v1', 'scorecard_766.json'), 'utf8')) as Row[]
  ).filter(month);
  province = (
    JSON.parse(await readFile(join(out, 'data', 'v1', 'province_kpis.json'), 'utf8')) as Row[]
  ).find(month)!;
}, 120_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('honest ranking', () => {
  test('on_time_rate Wilson bounds equal the textbook formula to 4 decimals', () => {
    expect(units).toHaveLength(UNITS.length);
    for (const [code, onTime, late] of UNITS) {
      const row = units.find((r) => r['unit_code'] === code)!;
      const [low, high] = wilson(onTime, onTime + late);
      expect(Number(row['on_time_rate_ci_low']), code).toBeCloseTo(low, 4);
      expect(Number(row['on_time_rate_ci_high']), code).toBeCloseTo(high, 4);
      expect(Number(row['on_time_rate_ci_low'])).toBeLessThanOrEqual(Number(row['on_time_rate']));
      expect(Number(row['on_time_rate_ci_high'])).toBeGreaterThanOrEqual(Number(row['on_time_rate']));
    }
  });

  test('bands follow the 99.8% funnel around the pooled province rate', () => {
    const onTime = UNITS.reduce((s, [, t]) => s + t, 0);
    const resolved = UNITS.reduce((s, [, t, l]) => s + t + l, 0);
    expect(Number(province['on_time_rate'])).toBeCloseTo(onTime / resolved, 12);
    const bands = new Set<string>();
    for (const [code, t, l] of UNITS) {
      const row = units.find((r) => r['unit_code'] === code)!;
      const expected = band(t, t + l, onTime / resolved);
      expect(row['on_time_rate_band'], code).toBe(expected);
      bands.add(expected);
    }
    // The case is built so that all three bands occur.
    expect([...bands].sort()).toEqual(['above', 'below', 'within']);
  });

  test('a unit with 2 of 2 on time is within, not first; ranks put bands first', () => {
    const tiny = units.find((r) => r['unit_code'] === 'S01')!;
    expect(tiny['on_time_rate']).toBe(1);
    expect(tiny['on_time_rate_band']).toBe('within');
    expect(tiny['rank_on_time_rate']).not.toBe(1);
    const ranked = units.filter((r) => r['rank_on_time_rate'] !== null);
    const order = { above: 1, within: 2, below: 3 } as Record<string, number>;
    const byRank = [...ranked].sort(
      (a, b) => Number(a['rank_on_time_rate']) - Number(b['rank_on_time_rate']),
    );
    for (let i = 1; i < byRank.length; i++) {
      expect(order[String(byRank[i - 1]!['on_time_rate_band'])]).toBeLessThanOrEqual(
        order[String(byRank[i]!['on_time_rate_band'])]!,
      );
    }
    expect(byRank[0]!['on_time_rate_band']).toBe('above');
  });

  test('scorecard_766 indicator 2.1 per unit = (on time + open not due) / (resolved + open), to 4 decimals', () => {
    for (const [code, onTime, late] of UNITS) {
      const [, notDue = 0, overdue = 0] = PENDING.find(([c]) => c === code) ?? [];
      const expected = (onTime + notDue) / (onTime + late + notDue + overdue);
      const row = scorecard.find((r) => r['unit_code'] === code && r['indicator'] === '2.1')!;
      expect(Number(row['value']), code).toBeCloseTo(expected, 4);
      expect(row['numerator']).toBe(onTime + notDue);
      expect(row['denominator']).toBe(onTime + late + notDue + overdue);
      // Full points (14) only at 100%, else in proportion to the threshold of 1.
      expect(Number(row['points'])).toBeCloseTo(Math.round(expected * 14 * 100) / 100, 2);
      expect(row['max_points']).toBe(14);
    }
    // Nothing invented: no certification dossier, no fee in these records.
    const payment = scorecard.find((r) => r['unit_code'] === 'S02' && r['indicator'] === '3.6')!;
    expect(payment['value']).toBeNull();
    expect(payment['points']).toBeNull();
    // The province row is the pooled figure, under an empty unit code.
    const provinceRow = scorecard.find((r) => r['unit_code'] === '' && r['indicator'] === '2.1')!;
    const onTime = UNITS.reduce((s, [, t]) => s + t, 0) + PENDING.reduce((s, [, n]) => s + n, 0);
    const all = UNITS.reduce((s, [, t, l]) => s + t + l, 0) + PENDING.reduce((s, [, n, o]) => s + n + o, 0);
    expect(Number(provinceRow['value'])).toBeCloseTo(onTime / all, 10);
  });

  test('procedure mix: with one procedure everywhere, every unit is expected to match the province', () => {
    const expected = Number(province['on_time_rate']);
    for (const row of units) {
      expect(Number(row['expected_on_time_rate']), String(row['unit_code'])).toBeCloseTo(expected, 10);
      expect(Number(row['on_time_rate_vs_expected'])).toBeCloseTo(Number(row['on_time_rate']) - expected, 10);
    }
  });
});

// Must-show of issue 9 (KPIs): the merged-province sample of tests/fixtures (two former
// provinces' extracts of 30 June 2025, the merged system's of 1 October 2025, units.csv and
// unit_successors.csv), through the real CLI: every figure its README expects.
// `congkhai ingest … --units units.csv` keeps the registry (and unit_successors.csv beside
// it) in the lake; `congkhai kpi` then needs no flag.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Row } from '../../functions/core/engine.ts';
import { congkhai } from '../support/congkhai-cli.ts';
import { FIXTURES } from '../support/fixtures.ts';

const SAMPLE = join(FIXTURES, 'merged-province-sample');

let dir: string;
const tables: Record<string, Row[]> = {};
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'congkhai-merged-'));
  const lake = join(dir, 'lake');
  const extracts = ['extract-a-2025-06-30.csv', 'extract-b-2025-06-30.csv', 'extract-2025-10-01.csv'];
  const ingest = await congkhai([
    'ingest',
    ...extracts.map((f) => join(SAMPLE, f)),
    '--units',
    join(SAMPLE, 'units.csv'),
    '--lake',
    lake,
  ]);
  expect(ingest.code, ingest.stderr).toBe(0);
  // The Must-show path: ingest keeps units.csv and unit_successors.csv (found beside it) in the
  // lake, so kpi needs no flag.
  expect(existsSync(join(lake, 'registry', 'unit_successors.parquet'))).toBe(true);
  expect(existsSync(join(lake, 'quarantine'))).toBe(false);
  const kpi = await congkhai(['kpi', '--lake', lake, '--out', join(dir, 'out')]);
  expect(kpi.code, kpi.stderr).toBe(0);
  for (const table of ['unit_kpis', 'province_kpis', 'successor_kpis', 'units', 'unit_successors']) {
    tables[table] = JSON.parse(await readFile(join(dir, 'out', 'data', 'v1', `${table}.json`), 'utf8'));
  }
}, 120_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const FIGURES = [
  'received_total',
  'received_online',
  'carried_over',
  'received_offline',
  'resolved_on_time',
  'resolved_late',
  'pending_not_due',
  'pending_overdue',
] as const;
const figures = (row: Row | undefined) => (row ? FIGURES.map((c) => row[c]) : undefined);
const quarterRow = (table: string, period: string, unit?: string) =>
  tables[table]!.find(
    (r) =>
      r['period_type'] === 'quarter' &&
      r['period'] === period &&
      (unit === undefined || r['unit_code'] === unit),
  );

describe('merged province (README of tests/fixtures/merged-province-sample)', () => {
  // [quarter, unit, received, online, carried, offline, on time, late, not due, overdue]
  test.each([
    ['2025-Q2', 'A-STP', 2, 1, 0, 1, 1, 0, 1, 0],
    ['2025-Q2', 'A-X1', 1, 0, 0, 1, 0, 0, 0, 1],
    ['2025-Q2', 'B-STP', 1, 0, 0, 1, 0, 1, 0, 0],
    ['2025-Q3', '99-STP', 1, 0, 1, 0, 1, 0, 0, 0],
    ['2025-Q3', '12345', 2, 1, 1, 0, 1, 1, 0, 0],
  ])('unit_kpis %s %s', (quarter, unit, ...expected) => {
    expect(figures(quarterRow('unit_kpis', quarter, unit))).toEqual(expected);
  });

  test('no unit has a row in a quarter in which it did not exist', () => {
    const units = (quarter: string) =>
      tables['unit_kpis']!.filter((r) => r['period_type'] === 'quarter' && r['period'] === quarter)
        .map((r) => r['unit_code'])
        .sort();
    expect(units('2025-Q2')).toEqual(['A-STP', 'A-X1', 'B-STP']);
    expect(units('2025-Q3')).toEqual(['12345', '99-STP']);
  });

  test('province_kpis: the province within today’s boundaries', () => {
    const q2 = quarterRow('province_kpis', '2025-Q2')!;
    expect([q2['received_total'], q2['resolved_total'], q2['resolved_on_time'], q2['resolved_late']]).toEqual(
      [4, 2, 1, 1],
    );
    expect([q2['pending_total'], q2['pending_not_due'], q2['pending_overdue']]).toEqual([2, 1, 1]);
    const q3 = quarterRow('province_kpis', '2025-Q3')!;
    expect([q3['received_total'], q3['carried_over'], q3['resolved_total']]).toEqual([3, 2, 3]);
    expect([q3['resolved_on_time'], q3['resolved_late'], q3['pending_total']]).toEqual([2, 1, 0]);
  });

  test('successor_kpis 2025-Q2: exact sums of the predecessors', () => {
    const stp = quarterRow('successor_kpis', '2025-Q2', '99-STP')!;
    expect([stp['lineage'], stp['predecessors']]).toEqual(['exact', 'A-STP×1; B-STP×1']);
    expect(figures(stp)).toEqual([3, 1, 0, 2, 1, 1, 1, 0]);
    const commune = quarterRow('successor_kpis', '2025-Q2', '12345')!;
    expect([commune['lineage'], commune['predecessors']]).toEqual(['exact', 'A-H1×1; A-X1×1']);
    expect(figures(commune)).toEqual([1, 0, 0, 1, 0, 0, 0, 1]);
    // Only periods before the successor existed.
    expect(tables['successor_kpis']!.every((r) => String(r['period_end']) <= '2025-07-01')).toBe(true);
  });

  test('units and unit_successors publish the registry', () => {
    expect(tables['units']!.find((u) => u['unit_code'] === 'A-X1')).toEqual({
      unit_code: 'A-X1',
      unit_name: 'UBND xã Một',
      unit_level: 'commune',
      parent_code: 'A-H1',
      valid_from: null,
      valid_to: '2025-06-30',
    });
    expect(tables['unit_successors']).toHaveLength(4);
    expect(tables['unit_successors']![0]).toEqual({
      predecessor_code: 'A-H1',
      successor_code: '12345',
      weight: 1,
      effective_date: '2025-07-01',
    });
  });
});

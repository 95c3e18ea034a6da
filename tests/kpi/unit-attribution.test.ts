// docs/design.md "Units across the 1 July 2025 reform", KPI side, on a hand-made lake: the unit a
// dossier counts under in each period when it moves units, the fallback when none of its
// units existed, chained and split successors in successor_kpis, a cycle refused.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseConfig } from '../../functions/core/config.ts';
import type { Row } from '../../functions/core/engine.ts';
import { refreshCurrentState } from '../../functions/core/kpi/current-state.ts';
import { openDuckDbEngine } from '../../functions/core/kpi/duckdb-engine.ts';
import { reconcile } from '../../functions/core/kpi/reconcile.ts';
import { type KpiResult, runKpis } from '../../functions/core/kpi/run-kpis.ts';
import { UnitRegistryError, unitLineage } from '../../functions/core/kpi/unit-registry.ts';
import { LocalStorage } from '../../functions/core/storage.ts';
import { writeLakeSnapshot } from '../support/write-lake.ts';
import { writeRegistry } from '../support/write-registry.ts';

const unit = (unit_code: string, valid_from: string | null, valid_to: string | null) => ({
  unit_code,
  unit_name: `Đơn vị ${unit_code}`,
  unit_level: 'province',
  parent_code: null,
  valid_from,
  valid_to,
});
const succession = (predecessor_code: string, successor_code: string, weight = 1) => ({
  predecessor_code,
  successor_code,
  weight,
  effective_date: null,
});
const dossier = (dossier_id: string, unit_code: string, received_at: string, extra = {}) => ({
  dossier_id,
  unit_code,
  unit_level: 'province' as const,
  channel: 'direct' as const,
  received_at,
  status: 'processing' as const,
  ...extra,
});
const resolved = (resolved_at: string, due_at: string) => ({
  status: 'resolved' as const,
  resolved_at,
  due_at,
});

let dir: string;
let result: KpiResult;
let windowResult: KpiResult;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'congkhai-attribution-'));
  const lakeDir = join(dir, 'lake');
  // OLD → NEW on 1 July 2025. M moves from OLD to NEW while open; G was received when neither
  // of its units existed (OLD2 only from 2025). Chain X → A → S, and B split between S and T.
  await writeLakeSnapshot(lakeDir, '2025-06-30', [
    dossier('M', 'OLD', '2025-06-10 09:00:00', { due_at: '2025-07-20 17:00:00' }),
    dossier('K', 'OLD', '2025-05-02 09:00:00', resolved('2025-05-10 09:00:00', '2025-05-20 17:00:00')),
    dossier('G', 'OLD2', '2024-11-10 09:00:00', { due_at: '2025-12-31 17:00:00' }),
    dossier('X1', 'X', '2023-12-04 09:00:00', resolved('2023-12-05 09:00:00', '2023-12-20 17:00:00')),
    dossier('X2', 'X', '2023-12-06 09:00:00', resolved('2023-12-28 09:00:00', '2023-12-20 17:00:00')),
    dossier('A1', 'A', '2024-03-04 09:00:00', resolved('2024-03-05 09:00:00', '2024-03-20 17:00:00')),
    dossier('B1', 'B', '2025-05-04 09:00:00', resolved('2025-05-05 09:00:00', '2025-05-20 17:00:00')),
    dossier('B2', 'B', '2025-05-06 09:00:00', resolved('2025-05-07 09:00:00', '2025-05-20 17:00:00')),
    dossier('B3', 'B', '2025-05-08 09:00:00', resolved('2025-05-30 09:00:00', '2025-05-20 17:00:00')),
  ]);
  await writeLakeSnapshot(lakeDir, '2025-09-30', [
    dossier('M', 'NEW', '2025-06-10 09:00:00', resolved('2025-08-05 09:00:00', '2025-07-20 17:00:00')),
    dossier('G', 'NEW', '2024-11-10 09:00:00', { due_at: '2025-12-31 17:00:00' }),
  ]);
  await writeRegistry(
    lakeDir,
    [
      unit('OLD', null, '2025-06-30'),
      unit('OLD2', '2025-01-01', '2025-06-30'),
      unit('NEW', '2025-07-01', null),
      unit('X', null, '2023-12-31'),
      unit('A', '2024-01-01', '2025-06-30'),
      unit('B', null, '2025-06-30'),
      unit('S', '2025-07-01', null),
      unit('T', '2025-07-01', null),
    ],
    [
      succession('OLD', 'NEW'),
      succession('X', 'A'),
      succession('A', 'S'),
      succession('B', 'S', 0.5),
      succession('B', 'T', 0.5),
    ],
  );
  const lake = new LocalStorage(lakeDir);
  await refreshCurrentState(lake);
  const engine = await openDuckDbEngine(lakeDir);
  try {
    result = await runKpis(engine, lake, { config: parseConfig({}) });
    windowResult = await runKpis(engine, lake, { config: parseConfig({}), inlineDossiers: true });
  } finally {
    await engine.close();
  }
}, 60_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const row = (table: string, periodType: string, period: string, unitCode: string): Row | undefined =>
  result.tables[table]!.find(
    (r) => r['period_type'] === periodType && r['period'] === period && r['unit_code'] === unitCode,
  );
const pick = (r: Row | undefined, ...columns: string[]) => (r ? columns.map((c) => r[c]) : undefined);

describe('a dossier that moves units', () => {
  test('is pending under its old unit at the end of June and carried over under the new one in July', () => {
    expect(pick(row('unit_kpis', 'month', '2025-06', 'OLD'), 'received_offline', 'pending_total')).toEqual([
      1, 1,
    ]);
    // M and G (below) are both carried over into July under NEW; M is closed in August.
    expect(pick(row('unit_kpis', 'month', '2025-07', 'NEW'), 'carried_over', 'pending_total')).toEqual([
      2, 2,
    ]);
    expect(pick(row('unit_kpis', 'month', '2025-08', 'NEW'), 'resolved_late', 'pending_total')).toEqual([
      1, 1,
    ]);
    expect(
      pick(
        row('unit_kpis', 'quarter', '2025-Q2', 'OLD'),
        'received_total',
        'resolved_total',
        'pending_total',
      ),
    ).toEqual([2, 1, 1]);
    expect(pick(row('unit_kpis', 'quarter', '2025-Q3', 'NEW'), 'carried_over', 'resolved_late')).toEqual([
      2, 1,
    ]);
  });

  test('counts under its latest unit in a period in which both existed (the year)', () => {
    expect(pick(row('unit_kpis', 'year', '2025', 'NEW'), 'received_offline', 'resolved_late')).toEqual([
      1, 1,
    ]);
    expect(pick(row('unit_kpis', 'year', '2025', 'OLD'), 'received_total', 'resolved_on_time')).toEqual([
      1, 1,
    ]);
  });

  test('leaves no row to a unit in a period in which it did not exist', () => {
    expect(row('unit_kpis', 'quarter', '2025-Q3', 'OLD')).toBeUndefined();
    expect(row('unit_kpis', 'month', '2025-06', 'NEW')).toBeUndefined();
    expect(row('unit_kpis', 'quarter', '2025-Q2', 'NEW')).toBeUndefined();
  });

  test('counts under its latest unit when none of its units existed, else under the one that did', () => {
    // G: received November 2024 under OLD2 (exists from 2025), now under NEW (from July 2025).
    expect(pick(row('unit_kpis', 'month', '2024-11', 'NEW'), 'received_offline', 'pending_total')).toEqual([
      1, 1,
    ]);
    expect(row('unit_kpis', 'month', '2024-11', 'OLD2')).toBeUndefined();
    expect(pick(row('unit_kpis', 'quarter', '2025-Q1', 'OLD2'), 'carried_over', 'pending_total')).toEqual([
      1, 1,
    ]);
    expect(pick(row('unit_kpis', 'quarter', '2025-Q3', 'NEW'), 'received_total', 'pending_total')).toEqual([
      2, 1,
    ]);
  });

  test('the province counts each dossier once in every period, and everything reconciles', () => {
    const province = result.tables['province_kpis']!.find((r) => r['period'] === '2025-Q3')!;
    expect(pick(province, 'carried_over', 'pending_total')).toEqual([2, 1]);
    expect(() => reconcile(result)).not.toThrow();
  });

  test('the current-state table and the snapshot window give the same tables', () => {
    expect(windowResult.tables).toEqual(result.tables);
  });
});

describe('successor_kpis', () => {
  test('chains predecessors of predecessors', () => {
    // S existed from July 2025; X → A → S with weights 1, so December 2023 is X's.
    const december = row('successor_kpis', 'month', '2023-12', 'S')!;
    expect(pick(december, 'received_total', 'resolved_on_time', 'resolved_late', 'on_time_rate')).toEqual([
      2, 1, 1, 0.5,
    ]);
    expect(pick(row('successor_kpis', 'month', '2024-03', 'S'), 'resolved_total')).toEqual([1]);
    expect(december['predecessors']).toBe('A×1; B×0.5; X×1');
  });

  test('a split predecessor is approximate: counts rounded after summing, rates from the weighted sums', () => {
    // B's 3 dossiers of May 2025 (2 on time, 1 late), half to S and half to T.
    for (const code of ['S', 'T']) {
      const may = row('successor_kpis', 'month', '2025-05', code)!;
      expect(may['lineage']).toBe('approximate');
      expect(pick(may, 'received_total', 'resolved_total', 'resolved_on_time', 'resolved_late')).toEqual([
        2, 2, 1, 1,
      ]);
      expect(may['on_time_rate']).toBeCloseTo(2 / 3, 12);
    }
    expect(row('successor_kpis', 'month', '2025-05', 'T')!['predecessors']).toBe('B×0.5');
  });

  test('only for units existing at the as-of time, only for periods before they existed', () => {
    const rows = result.tables['successor_kpis']!;
    expect(new Set(rows.map((r) => r['unit_code']))).toEqual(new Set(['NEW', 'S', 'T']));
    expect(rows.every((r) => String(r['period_end']) <= '2025-07-01')).toBe(true);
    expect(pick(row('successor_kpis', 'quarter', '2025-Q2', 'NEW'), 'lineage', 'received_total')).toEqual([
      'exact',
      2,
    ]);
  });

  test('a cycle of successors is refused, naming the units', () => {
    expect(() => unitLineage([succession('P', 'Q'), succession('Q', 'R'), succession('R', 'P')])).toThrow(
      UnitRegistryError,
    );
    expect(() => unitLineage([succession('P', 'Q'), succession('Q', 'P')])).toThrow(/P ← Q ← P|Q ← P ← Q/);
  });
});

// The SQL of queries/ against a spec-literal TypeScript reference (tests/support/reference-kpis.ts)
// on random dossiers whose dates crowd the rules' edges: month starts ± 1 s, midnight,
// 23:59:59, due the same day, no due date, closed status without a closing time, three
// snapshots, an as-of in the middle of a day. Every count of every unit and province row, for
// every period, must be equal.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseConfig } from '../../functions/core/config.ts';
import type { Status } from '../../functions/core/dossier-contract.ts';
import type { Engine, Row } from '../../functions/core/engine.ts';
import { refreshCurrentState } from '../../functions/core/kpi/current-state.ts';
import { openDuckDbEngine } from '../../functions/core/kpi/duckdb-engine.ts';
import { periodsUpTo } from '../../functions/core/kpi/periods.ts';
import { reconcile } from '../../functions/core/kpi/reconcile.ts';
import { runKpis } from '../../functions/core/kpi/run-kpis.ts';
import { LocalStorage } from '../../functions/core/storage.ts';
import { addDays, addSeconds } from '../support/expand-published-table.ts';
import {
  existedDuring,
  type ReferenceCounts,
  referenceKpis,
  type SnapshotRecord,
} from '../support/reference-kpis.ts';
import { type LakeRecord, writeLakeSnapshot } from '../support/write-lake.ts';
import { writeRegistry } from '../support/write-registry.ts';

/** mulberry32: a small seeded PRNG so the data are the same on every run. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UNITS = [
  { unit_code: 'S01', unit_level: 'province', parent_code: null },
  { unit_code: 'S02', unit_level: 'province', parent_code: null },
  { unit_code: 'H01', unit_level: 'district', parent_code: null },
  { unit_code: 'H02', unit_level: 'district', parent_code: null },
  { unit_code: 'X01', unit_level: 'commune', parent_code: 'H01' },
  { unit_code: 'X02', unit_level: 'commune', parent_code: 'H01' },
] as const;
const MONTH_STARTS = [
  '2020-11-01',
  '2020-12-01',
  '2021-01-01',
  '2021-02-01',
  '2021-03-01',
  '2021-04-01',
  '2021-05-01',
  '2021-06-01',
];
const SNAPSHOTS = ['2021-02-28', '2021-04-30', '2021-06-15'];

function generate(count: number, random: () => number) {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  // A time near an edge: a month start ± 1 s, the first/last second of a day, or office hours.
  const edgy = (from: string, maxDays: number) => {
    const day = addDays(from, Math.floor(random() * maxDays)).slice(0, 10);
    return pick([
      `${day} 00:00:00`,
      `${day} 23:59:59`,
      `${day} 08:30:00`,
      `${day} 16:45:10`,
      addSeconds(`${pick(MONTH_STARTS)} 00:00:00`, -1),
      `${pick(MONTH_STARTS)} 00:00:00`,
    ]);
  };
  const finals: SnapshotRecord[] = [];
  for (let i = 0; i < count; i++) {
    const unit = pick(UNITS);
    const received = edgy('2020-11-01', 226);
    const status = pick<Status>([
      'resolved',
      'resolved',
      'resolved',
      'processing',
      'supplement_requested',
      'withdrawn',
      'stopped',
      'submitted',
      'rejected_at_intake',
    ]);
    const dueDays = Math.floor(random() * 45);
    const due =
      random() < 0.15 ? null : random() < 0.2 ? `${pick(MONTH_STARTS)} 00:00:00` : addDays(received, dueDays);
    const closes = status === 'resolved' || status === 'withdrawn' || status === 'stopped';
    let resolved: string | null = null;
    if (closes && random() > 0.03) {
      resolved =
        random() < 0.3 && due
          ? pick([`${due.slice(0, 10)} 23:59:59`, `${addDays(due, 1).slice(0, 10)} 00:00:00`])
          : edgy(received.slice(0, 10), 50);
      if (resolved < received) resolved = received;
    }
    finals.push({
      dossier_id: `D${i}`,
      unit_code: unit.unit_code,
      channel: pick(['online', 'direct', 'postal'] as const),
      received_at: received,
      due_at: due !== null && due < received ? received : due,
      resolved_at: resolved,
      status,
      field_name: random() < 0.3 ? 'Chứng thực' : 'Hộ tịch',
      result_electronic: random() < 0.5,
      digitized: random() < 0.4,
      snapshot_date: '',
    });
  }
  // Each snapshot shows what was known at the end of its date; some dossiers skip snapshots.
  const snapshots: SnapshotRecord[] = [];
  for (const snapshot of SNAPSHOTS) {
    const cut = addDays(snapshot, 1);
    for (const d of finals) {
      if (d.received_at >= cut || (snapshot !== SNAPSHOTS.at(-1) && random() < 0.2)) continue;
      const closedLater = d.resolved_at !== null && d.resolved_at >= cut;
      snapshots.push({
        ...d,
        snapshot_date: snapshot,
        ...(closedLater ? { status: 'processing' as const, resolved_at: null } : {}),
      });
    }
  }
  return snapshots;
}

const COUNTS: Array<keyof ReferenceCounts> = [
  'received_online',
  'carried_over',
  'received_offline',
  'resolved_total',
  'resolved_on_time',
  'resolved_early',
  'resolved_late',
  'returned_total',
  'pending_total',
  'pending_not_due',
  'pending_overdue',
  'e_cert_total',
  'e_cert_electronic',
  'digitized_total',
];
const counts = (row: Row | ReferenceCounts) => Object.fromEntries(COUNTS.map((c) => [c, (row as Row)[c]]));
const isZero = (c: ReferenceCounts) => COUNTS.every((k) => c[k] === 0);

let dir: string;
let engine: Engine;
let records: SnapshotRecord[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'congkhai-ref-'));
  records = generate(4000, prng(20210401));
  for (const snapshot of SNAPSHOTS) {
    const rows: LakeRecord[] = records
      .filter((r) => r.snapshot_date === snapshot)
      .map(({ snapshot_date: _, ...r }) => {
        const unit = UNITS.find((u) => u.unit_code === r.unit_code)!;
        return {
          ...r,
          unit_level: unit.unit_level,
          parent_code: unit.parent_code,
          unit_name: `Đơn vị ${r.unit_code}`,
        };
      });
    await writeLakeSnapshot(join(dir, 'lake'), snapshot, rows);
  }
  engine = await openDuckDbEngine(join(dir, 'lake'));
});

afterAll(async () => {
  await engine?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.each([
  ['mid-day, with a snapshot of the same date', '2021-06-15 10:30:00'],
  ['a month start, later snapshot ignored', '2021-05-01 00:00:00'],
  ['default (day after the latest snapshot)', undefined],
])('SQL = spec-literal reference, as-of %s', (_, asOf) => {
  test('every count of every unit and province row, every period', async () => {
    const result = await runKpis(engine, new LocalStorage(join(dir, 'lake')), {
      config: parseConfig({}),
      ...(asOf ? { asOf } : {}),
    });
    expect(() => reconcile(result)).not.toThrow();
    // The Athena path (latest-snapshot window inline in every query) gives the same tables.
    const inline = await runKpis(engine, new LocalStorage(join(dir, 'lake')), {
      config: parseConfig({}),
      inlineDossiers: true,
      ...(asOf ? { asOf } : {}),
    });
    expect(inline.tables).toEqual(result.tables);
    const effectiveAsOf = result.asOf;
    const firstReceived = records
      .filter(
        (r) =>
          r.snapshot_date <= effectiveAsOf.slice(0, 10) &&
          r.status !== 'submitted' &&
          r.status !== 'rejected_at_intake',
      )
      .map((r) => r.received_at)
      .sort()[0]!;
    const periods = periodsUpTo(firstReceived, effectiveAsOf);
    const reference = referenceKpis(records, effectiveAsOf, periods);

    const province = result.tables['province_kpis']!;
    expect(province.map((r) => `${r['period_type']}|${r['period']}`).sort()).toEqual(
      [...reference.provinceRows.keys()].sort(),
    );
    for (const row of province) {
      expect(counts(row), `${row['period_type']} ${row['period']}`).toEqual(
        counts(reference.provinceRows.get(`${row['period_type']}|${row['period']}`)!),
      );
    }
    const units = new Map(
      result.tables['unit_kpis']!.map((r) => [`${r['period_type']}|${r['period']}|${r['unit_code']}`, r]),
    );
    let compared = 0;
    for (const [key, expected] of reference.unitRows) {
      const row = units.get(key);
      if (isZero(expected) && !row) continue; // a unit with nothing in the period may be left out
      expect(row, key).toBeDefined();
      expect(counts(row!), key).toEqual(counts(expected));
      compared++;
    }
    expect(compared).toBeGreaterThan(80);
    expect(units.size).toBeLessThanOrEqual(reference.unitRows.size);
  });
});

// The same comparison across a reform on 1 April 2021: S01 and S02 merge into S10, X01 and
// X02 into X10 (the old units end on 31 March). The snapshots after it name the new units
// for most dossiers, old or new; some keep an old code (then none of their units may have
// existed in a period, and the latest one counts). Unit attribution per period, the
// registry's units without figures outside their lives, and exact successors.
const REFORM_REGISTRY = [
  { unit_code: 'S01', valid_from: null, valid_to: '2021-03-31' },
  { unit_code: 'S02', valid_from: null, valid_to: '2021-03-31' },
  { unit_code: 'X01', valid_from: '2020-12-15', valid_to: '2021-03-31' },
  { unit_code: 'X02', valid_from: null, valid_to: '2021-03-31' },
  { unit_code: 'S10', valid_from: '2021-04-01', valid_to: null },
  { unit_code: 'X10', valid_from: '2021-04-01', valid_to: null },
  { unit_code: 'H01', valid_from: null, valid_to: null },
  { unit_code: 'H02', valid_from: null, valid_to: null },
];
const MERGED_INTO: Record<string, string> = { S01: 'S10', S02: 'S10', X01: 'X10', X02: 'X10' };

describe('SQL = spec-literal reference across a reform (units registry in the lake)', () => {
  let reformRecords: SnapshotRecord[];
  let lakeDir: string;
  beforeAll(async () => {
    const random = prng(20250701);
    lakeDir = join(dir, 'lake-reform');
    reformRecords = generate(3000, random).map((r) =>
      r.snapshot_date >= '2021-04-30' && MERGED_INTO[r.unit_code] && random() < 0.8
        ? { ...r, unit_code: MERGED_INTO[r.unit_code]! }
        : r,
    );
    const level = (code: string) =>
      code.startsWith('S') ? 'province' : code.startsWith('H') ? 'district' : 'commune';
    for (const snapshot of SNAPSHOTS) {
      await writeLakeSnapshot(
        lakeDir,
        snapshot,
        reformRecords
          .filter((r) => r.snapshot_date === snapshot)
          .map(({ snapshot_date: _, ...r }) => ({
            ...r,
            unit_level: level(r.unit_code),
            unit_name: `Đơn vị ${r.unit_code}`,
          })),
      );
    }
    await writeRegistry(
      lakeDir,
      REFORM_REGISTRY.map((u) => ({
        ...u,
        unit_name: `Đơn vị ${u.unit_code}`,
        unit_level: level(u.unit_code),
        parent_code: null,
      })),
      Object.entries(MERGED_INTO).map(([predecessor_code, successor_code]) => ({
        predecessor_code,
        successor_code,
        weight: 1,
        effective_date: '2021-04-01',
      })),
    );
  });

  test.each([
    ['default (day after the latest snapshot)', undefined],
    ['before the latest snapshot (snapshot window)', '2021-05-01 00:00:00'],
  ])('every count of every unit row, every period; successors, as-of %s', async (_, asOf) => {
    const lake = new LocalStorage(lakeDir);
    const reformEngine = await openDuckDbEngine(lakeDir);
    try {
      await refreshCurrentState(lake);
      const result = await runKpis(reformEngine, lake, {
        config: parseConfig({}),
        ...(asOf ? { asOf } : {}),
      });
      expect(() => reconcile(result)).not.toThrow();
      const inline = await runKpis(reformEngine, lake, {
        config: parseConfig({}),
        inlineDossiers: true,
        ...(asOf ? { asOf } : {}),
      });
      expect(inline.tables).toEqual(result.tables);
      const firstReceived = reformRecords
        .filter(
          (r) =>
            r.snapshot_date <= result.asOf.slice(0, 10) &&
            r.status !== 'submitted' &&
            r.status !== 'rejected_at_intake',
        )
        .map((r) => r.received_at)
        .sort()[0]!;
      const periods = periodsUpTo(firstReceived, result.asOf);
      const reference = referenceKpis(reformRecords, result.asOf, periods, REFORM_REGISTRY);
      const units = new Map(
        result.tables['unit_kpis']!.map((r) => [`${r['period_type']}|${r['period']}|${r['unit_code']}`, r]),
      );
      let moved = 0;
      for (const [key, expected] of reference.unitRows) {
        const row = units.get(key);
        if (isZero(expected) && !row) continue;
        expect(row, key).toBeDefined();
        expect(counts(row!), key).toEqual(counts(expected));
        if (
          /S10|X10/.test(key) ||
          (/S0|X0/.test(key) && key.startsWith('month|2021-0') && key > 'month|2021-04')
        )
          moved++;
      }
      expect(moved).toBeGreaterThan(5);
      // A unit without figures has no row in a period in which it did not exist.
      for (const row of result.tables['unit_kpis']!) {
        const period = periods.find(
          (p) => p.period_type === row['period_type'] && p.period === row['period'],
        )!;
        if (!existedDuring(REFORM_REGISTRY, String(row['unit_code']), period)) {
          expect(row['received_total'], `${row['period']} ${row['unit_code']}`).toBeGreaterThan(0);
        }
      }
      // successor_kpis: S10 and X10 for every period before 1 April with figures of their
      // predecessors, equal to the reference's sums (exact lineage).
      const successors = result.tables['successor_kpis']!;
      expect(successors.length).toBeGreaterThan(5);
      for (const row of successors) {
        expect(row['lineage']).toBe('exact');
        expect(String(row['period_end']) <= '2021-04-01').toBe(true);
        const predecessors = Object.keys(MERGED_INTO).filter((p) => MERGED_INTO[p] === row['unit_code']);
        expect(row['predecessors']).toBe(predecessors.map((p) => `${p}×1`).join('; '));
        for (const c of COUNTS) {
          const sum = predecessors.reduce(
            (s, p) => s + (reference.unitRows.get(`${row['period_type']}|${row['period']}|${p}`)?.[c] ?? 0),
            0,
          );
          expect(row[c], `${row['period']} ${row['unit_code']} ${c}`).toBe(sum);
        }
      }
    } finally {
      await reformEngine.close();
    }
  });
});

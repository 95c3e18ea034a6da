// A small province computed by hand: withdrawn and stopped dossiers (returned, apart from
// resolved), two snapshots (the latest wins; dossiers resolved in the later one), dossiers
// without a due date, a submitted one, one received after the as-of time, an as-of in the
// middle of a day (April is incomplete), a unit with nothing in February (listed with zeros).
// Every expected number below was worked out on paper from the records' comments.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseConfig } from '../../functions/core/config.ts';
import type { Row } from '../../functions/core/engine.ts';
import { openDuckDbEngine } from '../../functions/core/kpi/duckdb-engine.ts';
import { type KpiResult, runKpis } from '../../functions/core/kpi/run-kpis.ts';
import { LocalStorage } from '../../functions/core/storage.ts';
import { type LakeRecord, writeLakeSnapshot } from '../support/write-lake.ts';

const A = { unit_code: 'A', unit_name: 'Sở A', unit_level: 'province' } as const;
const B = { unit_code: 'B', unit_name: 'UBND huyện B', unit_level: 'district' } as const;
const C = { unit_code: 'C', unit_name: 'UBND xã C', unit_level: 'commune', parent_code: 'B' } as const;

// State at the end of 31/03/2021.
const MARCH: LakeRecord[] = [
  // a1: carried into March, open and overdue at 01/04 (resolved late in the April snapshot)
  {
    ...A,
    dossier_id: 'a1',
    channel: 'direct',
    received_at: '2021-02-20 10:00:00',
    due_at: '2021-03-05 17:00:00',
    status: 'processing',
  },
  // a2: online, resolved on its due date at 23:59:59 (on time, not early); certification, electronic, paid online, digitized
  {
    ...A,
    dossier_id: 'a2',
    channel: 'online',
    received_at: '2021-03-01 00:00:00',
    due_at: '2021-03-10 08:00:00',
    resolved_at: '2021-03-10 23:59:59',
    status: 'resolved',
    field_name: 'Chứng thực',
    result_electronic: true,
    fee_required: true,
    paid_online: true,
    digitized: true,
  },
  // a3: postal, no due date (on time, not early); certification, paper result; fee paid at the desk
  {
    ...A,
    dossier_id: 'a3',
    channel: 'postal',
    received_at: '2021-03-15 09:00:00',
    resolved_at: '2021-03-16 10:00:00',
    status: 'resolved',
    field_name: 'Chứng thực',
    result_electronic: false,
    fee_required: true,
    paid_online: false,
  },
  // a4: withdrawn by the applicant in March: returned
  {
    ...A,
    dossier_id: 'a4',
    channel: 'direct',
    received_at: '2021-03-20 08:00:00',
    due_at: '2021-03-25 00:00:00',
    resolved_at: '2021-03-22 15:00:00',
    status: 'withdrawn',
  },
  // a5: online, open at 01/04 and not yet due (due 10/04); stopped in April
  {
    ...A,
    dossier_id: 'a5',
    channel: 'online',
    received_at: '2021-03-25 08:00:00',
    due_at: '2021-04-10 08:00:00',
    status: 'processing',
  },
  // a7: submitted, never received: in no count
  { ...A, dossier_id: 'a7', channel: 'online', received_at: '2021-03-30 08:00:00', status: 'submitted' },
  // a8: received in March's last second, due 01/04: not overdue at 01/04; resolved at 01/04 00:00 (April, on time)
  {
    ...A,
    dossier_id: 'a8',
    channel: 'direct',
    received_at: '2021-03-31 23:59:59',
    due_at: '2021-04-01 00:00:00',
    status: 'processing',
  },
  // a9: online, resolved a day before its due date: early
  {
    ...A,
    dossier_id: 'a9',
    channel: 'online',
    received_at: '2021-03-10 08:00:00',
    due_at: '2021-03-12 17:00:00',
    resolved_at: '2021-03-11 09:00:00',
    status: 'resolved',
  },
  // a10: closed in February's last second: not carried into March
  {
    ...A,
    dossier_id: 'a10',
    channel: 'direct',
    received_at: '2021-02-10 08:00:00',
    due_at: '2021-02-28 00:00:00',
    resolved_at: '2021-02-28 23:59:59',
    status: 'resolved',
  },
  // b1: January only
  {
    ...B,
    dossier_id: 'b1',
    channel: 'direct',
    received_at: '2021-01-05 08:00:00',
    due_at: '2021-01-08 08:00:00',
    resolved_at: '2021-01-06 08:00:00',
    status: 'resolved',
  },
  // b2: received 31/03, due 01/04, still open at the as-of time: 9 days overdue on 10/04
  {
    ...B,
    dossier_id: 'b2',
    channel: 'direct',
    received_at: '2021-03-31 10:00:00',
    due_at: '2021-04-01 17:00:00',
    status: 'processing',
  },
  // c1: no due date, open: never overdue
  {
    ...C,
    dossier_id: 'c1',
    channel: 'postal',
    received_at: '2021-03-05 08:00:00',
    status: 'supplement_requested',
  },
];

// The extract of 10/04/2021: only what changed or is new.
const APRIL: LakeRecord[] = [
  { ...MARCH[0]!, resolved_at: '2021-04-02 10:00:00', status: 'resolved' }, // a1 resolved late
  { ...MARCH[4]!, resolved_at: '2021-04-05 09:00:00', status: 'stopped' }, // a5 stopped: returned
  { ...MARCH[6]!, resolved_at: '2021-04-01 00:00:00', status: 'resolved' }, // a8 on its due date
  // a6: online, due 09/04, open at the as-of time (10/04 12:00): overdue, 1 day
  {
    ...A,
    dossier_id: 'a6',
    channel: 'online',
    received_at: '2021-04-08 08:00:00',
    due_at: '2021-04-09 17:00:00',
    status: 'processing',
  },
  // a11: received after the as-of time (same day, 13:00): in no count
  {
    ...A,
    dossier_id: 'a11',
    channel: 'online',
    received_at: '2021-04-10 13:00:00',
    due_at: '2021-04-12 00:00:00',
    status: 'processing',
  },
  // a12: due on the as-of date itself: not overdue yet
  {
    ...A,
    dossier_id: 'a12',
    channel: 'direct',
    received_at: '2021-04-09 08:00:00',
    due_at: '2021-04-10 08:00:00',
    status: 'processing',
  },
];

let dir: string;
let result: KpiResult;
const row = (table: string, period: string, unit?: string): Row => {
  const found = result.tables[table]!.find(
    (r) => r['period'] === period && (unit === undefined || r['unit_code'] === unit),
  );
  if (!found) throw new Error(`${table} ${period} ${unit}: no row`);
  return found;
};
const pick = (r: Row, columns: string[]) => Object.fromEntries(columns.map((c) => [c, r[c]]));
const FLOW = [
  'received_total',
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
  'overdue_total',
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'congkhai-class-'));
  const lakeDir = join(dir, 'lake');
  await writeLakeSnapshot(lakeDir, '2021-03-31', MARCH);
  await writeLakeSnapshot(lakeDir, '2021-04-10', APRIL);
  const engine = await openDuckDbEngine(lakeDir);
  try {
    result = await runKpis(engine, new LocalStorage(lakeDir), {
      asOf: '2021-04-10 12:00:00',
      config: parseConfig({ min_resolved_for_rank: 2 }),
    });
  } finally {
    await engine.close();
  }
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('hand-computed province', () => {
  test('periods: every month, quarter, half and year from January to the as-of', () => {
    const periods = result.tables['province_kpis']!.map(
      (r) => `${r['period']}${r['is_complete'] ? '' : '*'}`,
    );
    expect(periods).toEqual([
      '2021-01',
      '2021-02',
      '2021-03',
      '2021-04*',
      '2021-Q1',
      '2021-Q2*',
      '2021-H1*',
      '2021*',
    ]);
  });

  test('unit A, March: returned apart, no due date on time, early, carried over, pending at 01/04', () => {
    expect(pick(row('unit_kpis', '2021-03', 'A'), FLOW)).toEqual({
      received_total: 7,
      received_online: 3,
      carried_over: 1,
      received_offline: 3,
      resolved_total: 3,
      resolved_on_time: 3,
      resolved_early: 1,
      resolved_late: 0,
      returned_total: 1,
      pending_total: 3,
      pending_not_due: 2,
      pending_overdue: 1,
      overdue_total: 1,
    });
    expect(
      pick(row('unit_kpis', '2021-03', 'A'), [
        'on_time_rate',
        'early_rate',
        'online_share',
        'returned_share',
        'e_cert_total',
        'e_cert_electronic',
        'e_cert_ratio',
        'fee_required_total',
        'paid_online_total',
        'online_payment_share',
        'new_total',
        'digitized_total',
      ]),
    ).toEqual({
      on_time_rate: 1,
      early_rate: 1 / 3,
      online_share: 0.5,
      returned_share: 0.25,
      e_cert_total: 2,
      e_cert_electronic: 1,
      e_cert_ratio: 0.5,
      fee_required_total: 2,
      paid_online_total: 1,
      online_payment_share: 0.5,
      new_total: 6,
      digitized_total: 1,
    });
  });

  test('unit A, April (incomplete, classified at 10/04 12:00): the later snapshot wins', () => {
    expect(pick(row('unit_kpis', '2021-04', 'A'), FLOW)).toEqual({
      received_total: 5,
      received_online: 1,
      carried_over: 3,
      received_offline: 1,
      resolved_total: 2,
      resolved_on_time: 1,
      resolved_early: 0,
      resolved_late: 1,
      returned_total: 1,
      pending_total: 2,
      pending_not_due: 1,
      pending_overdue: 1,
      overdue_total: 2,
    });
    expect(pick(row('unit_kpis', '2021-Q2', 'A'), FLOW)).toEqual(
      pick(row('unit_kpis', '2021-04', 'A'), FLOW),
    );
  });

  test('Q1 of unit A: one period over three months', () => {
    expect(pick(row('unit_kpis', '2021-Q1', 'A'), FLOW)).toEqual({
      // a1, a10 (Feb) + a2, a3, a4, a5, a8, a9 (Mar): online a2 a5 a9, offline a1 a10 a3 a4 a8
      received_total: 8,
      received_online: 3,
      carried_over: 0,
      received_offline: 5,
      resolved_total: 4,
      resolved_on_time: 4,
      resolved_early: 1,
      resolved_late: 0,
      returned_total: 1,
      pending_total: 3,
      pending_not_due: 2,
      pending_overdue: 1,
      overdue_total: 1,
    });
  });

  test('a unit with nothing in February is listed with zeros, not ranked, no rates', () => {
    const b = row('unit_kpis', '2021-02', 'B');
    expect(pick(b, FLOW)).toEqual(Object.fromEntries(FLOW.map((c) => [c, 0])));
    expect(pick(b, ['on_time_rate', 'ranked', 'rank_on_time_rate', 'meets_on_time_rate'])).toEqual({
      on_time_rate: null,
      ranked: false,
      rank_on_time_rate: null,
      meets_on_time_rate: null,
    });
    // C received nothing before March: no row before it
    expect(result.tables['unit_kpis']!.some((r) => r['unit_code'] === 'C' && r['period'] === '2021-02')).toBe(
      false,
    );
  });

  test('commune peers within their district; targets per level; ranks only with enough resolved', () => {
    const c = row('unit_kpis', '2021-03', 'C');
    expect(
      pick(c, ['peer_group', 'parent_code', 'pending_not_due', 'ranked', 'target_online_share']),
    ).toEqual({
      peer_group: 'commune:B',
      parent_code: 'B',
      pending_not_due: 1,
      ranked: false,
      target_online_share: null,
    });
    const a = row('unit_kpis', '2021-03', 'A');
    expect(
      pick(a, [
        'ranked',
        'peer_group',
        'rank_on_time_rate',
        'rank_online_share',
        'rank_e_cert_ratio',
        'rank_returned_share',
        'target_online_share',
        'meets_online_share',
        'target_on_time_rate',
        'meets_on_time_rate',
        'meets_e_cert_ratio',
      ]),
    ).toEqual({
      ranked: true,
      peer_group: 'province',
      rank_on_time_rate: 1,
      rank_online_share: 1,
      rank_e_cert_ratio: 1,
      rank_returned_share: 1,
      target_online_share: 0.3,
      meets_online_share: true,
      target_on_time_rate: 0.95,
      meets_on_time_rate: true,
      meets_e_cert_ratio: true,
    });
    expect(row('unit_kpis', '2021-03', 'B')['target_online_share']).toBe(0.1);
  });

  test('province March = A + B + C, rates pooled', () => {
    expect(pick(row('province_kpis', '2021-03'), FLOW)).toEqual({
      received_total: 9,
      received_online: 3,
      carried_over: 1,
      received_offline: 5,
      resolved_total: 3,
      resolved_on_time: 3,
      resolved_early: 1,
      resolved_late: 0,
      returned_total: 1,
      pending_total: 5,
      pending_not_due: 4,
      pending_overdue: 1,
      overdue_total: 1,
    });
    expect(row('province_kpis', '2021-03')['online_share']).toBe(3 / 8);
  });

  test('field_kpis: certification of unit A in March', () => {
    const field = result.tables['field_kpis']!.find(
      (r) => r['period'] === '2021-03' && r['unit_code'] === 'A' && r['field_code'] === 'Chứng thực',
    )!;
    expect(
      pick(field, ['field_name', 'received_total', 'resolved_total', 'e_cert_total', 'e_cert_electronic']),
    ).toEqual({
      field_name: 'Chứng thực',
      received_total: 2,
      resolved_total: 2,
      e_cert_total: 2,
      e_cert_electronic: 1,
    });
  });

  test('overdue dossiers at the as-of time, days by calendar date', () => {
    expect(
      result.tables['overdue_dossiers']!.map((r) =>
        pick(r, ['dossier_id', 'unit_name', 'due_at', 'days_overdue']),
      ),
    ).toEqual([
      { dossier_id: 'b2', unit_name: 'UBND huyện B', due_at: '2021-04-01 17:00:00', days_overdue: 9 },
      { dossier_id: 'a6', unit_name: 'Sở A', due_at: '2021-04-09 17:00:00', days_overdue: 1 },
    ]);
  });
});

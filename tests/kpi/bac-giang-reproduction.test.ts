// Reproduces Bắc Giang's published Q1/2021 table (fixtures/bac-giang-2021-q1.csv) from dossier
// records: each row is expanded into dossiers on the rules' boundaries, written as two v1 CSV
// extracts (the state at the end of 31/03/2021, then April's changes), run through the real
// ingest and the real `congkhai kpi` command, and the published unit_kpis.csv is compared
// with the table cell by cell.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ingestExtract } from '../../functions/core/ingest/ingest-extract.ts';
import { LocalStorage } from '../../functions/core/storage.ts';
import {
  expandUnit,
  type PublishedUnitCounts,
  readPublishedTable,
  stateAtEndOf,
  writeV1Csv,
} from '../support/expand-published-table.ts';
import { FIXTURES } from '../support/fixtures.ts';

const FIXTURE = join(FIXTURES, 'bac-giang-2021-q1.csv');
const COMPARED = [
  'received_total',
  'received_online',
  'carried_over',
  'received_offline',
  'resolved_total',
  'resolved_on_time',
  'resolved_late',
  'pending_total',
  'pending_not_due',
  'pending_overdue',
  'overdue_total',
] as const;
const codeOf = (row: number) => `BG-${String(row).padStart(2, '0')}`;

let dir: string;
let table: Array<PublishedUnitCounts & Record<string, unknown>>;
let published: Record<string, string>[];
let province: Record<string, string>[];
let kpiStderr: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'congkhai-bg-'));
  table = readPublishedTable(await readFile(FIXTURE, 'utf8'), codeOf);
  const records = table.flatMap((unit) => expandUnit(unit, { start: '2021-01-01', end: '2021-04-01' }));
  const march = join(dir, 'extract-2021-03-31.csv');
  const april = join(dir, 'extract-2021-04-30.csv');
  await writeV1Csv(stateAtEndOf(records, '2021-03-31'), march);
  // April's extract holds only what changed: new dossiers and those closed in April.
  await writeV1Csv(
    stateAtEndOf(records, '2021-04-30').filter(
      (r) => r.received_at >= '2021-04-01' || (r.resolved_at ?? '') >= '2021-04-01',
    ),
    april,
  );
  const lake = new LocalStorage(join(dir, 'lake'));
  for (const path of [march, april]) {
    const summary = await ingestExtract({ path, lake });
    expect(summary.rowsQuarantined, JSON.stringify(summary.quarantinedByReason)).toBe(0);
  }
  const run = await promisify(execFile)(
    process.execPath,
    ['functions/cli/main.ts', 'kpi', '--lake', join(dir, 'lake'), '--out', join(dir, 'out')],
    { cwd: join(import.meta.dirname, '..', '..') },
  );
  kpiStderr = run.stderr;
  const csv = (name: string) => readFile(join(dir, 'out', 'data', 'v1', name), 'utf8');
  published = parse(await csv('unit_kpis.csv'), { columns: true, bom: true });
  province = parse(await csv('province_kpis.csv'), { columns: true, bom: true });
}, 300_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Bắc Giang Q1/2021 reproduced from dossier records', () => {
  test('as-of defaults to the day after the latest snapshot', () => {
    expect(kpiStderr).toContain('as of 2021-05-01 00:00:00');
  });

  test('34 unit rows × 11 columns equal the published table', () => {
    const q1 = published.filter((r) => r['period_type'] === 'quarter' && r['period'] === '2021-Q1');
    expect(q1).toHaveLength(34);
    for (const row of table) {
      const ours = q1.find((r) => r['unit_code'] === row.unit_code);
      expect(ours, `${row.unit_code} ${row.unit_name}`).toBeDefined();
      expect(ours!['unit_name']).toBe(row.unit_name);
      expect(ours!['unit_level']).toBe(row.unit_level);
      for (const column of COMPARED) {
        expect(Number(ours![column]), `${row['unit_name']} ${column}`).toBe(row[column]);
      }
      // Nothing was withdrawn or stopped, so the province's "received = resolved + pending" holds.
      expect(Number(ours!['returned_total'])).toBe(0);
    }
  });

  test('rates are the published ones (two decimals) and null without a denominator', () => {
    const q1 = (name: string) =>
      published.find(
        (r) => r['period'] === '2021-Q1' && r['unit_name'] === name && r['period_type'] === 'quarter',
      )!;
    expect(Number(q1('Công an Tỉnh')['on_time_rate']).toFixed(4)).toBe('0.9657'); // 1802 / 1866
    expect(Number(q1('Sở Tài nguyên và Môi trường')['on_time_rate']).toFixed(4)).toBe('0.7596'); // 21262 / 27990
    expect(q1('Bảo hiểm xã hội')['on_time_rate']).toBe(''); // nothing resolved
    expect(q1('Thanh tra tỉnh')['received_total']).toBe('0');
  });

  test('the province row equals the total line', () => {
    const q1 = province.find((r) => r['period_type'] === 'quarter' && r['period'] === '2021-Q1')!;
    expect(Number(q1['received_total'])).toBe(113_048);
    expect(Number(q1['resolved_total'])).toBe(100_085);
    expect(Number(q1['resolved_on_time'])).toBe(90_869);
    expect(Number(q1['overdue_total'])).toBe(12_544);
    for (const column of COMPARED) {
      expect(Number(q1[column]), column).toBe(table.reduce((sum, row) => sum + Number(row[column]), 0));
    }
    expect(Number(q1['on_time_rate']).toFixed(4)).toBe((90_869 / 100_085).toFixed(4)); // pooled: 90,79%
  });

  test('ranks: agencies among agencies, districts among districts; below 20 resolved not ranked', () => {
    const q1 = published.filter((r) => r['period_type'] === 'quarter' && r['period'] === '2021-Q1');
    const districts = q1.filter((r) => r['unit_level'] === 'district');
    expect(districts.map((r) => Number(r['rank_on_time_rate'])).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
    // Tân Yên 6726 / 6766 = 99.41% is first, Yên Dũng 6178 / 6219 = 99.34% second.
    const rankOf = (name: string) => districts.find((r) => r['unit_name'] === name)!['rank_on_time_rate'];
    expect(rankOf('UBND huyện Tân Yên')).toBe('1');
    expect(rankOf('UBND huyện Yên Dũng')).toBe('2');
    const foreign = q1.find((r) => r['unit_name'] === 'Sở Ngoại Vụ')!; // 3 resolved
    expect(foreign['ranked']).toBe('false');
    expect(foreign['rank_on_time_rate']).toBe('');
    // Sở Tài chính (632 / 632) and Sở Công thương (2,162 / 2,162) are both 100% on time: they
    // share the top band; within it the larger record vouches for more (honest ranking,
    // queries/unit_kpis.sql), so Sở Công thương is first and Sở Tài chính follows it.
    const agencies = q1.filter((r) => r['unit_level'] === 'province' && r['ranked'] === 'true');
    const agency = (name: string) => agencies.find((r) => r['unit_name'] === name)!;
    expect(agency('Sở Công thương')['on_time_rate']).toBe('1');
    expect(agency('Sở Tài chính')['on_time_rate']).toBe('1');
    expect(agencies.filter((r) => r['rank_on_time_rate'] === '1').map((r) => r['unit_name'])).toEqual([
      'Sở Công thương',
    ]);
    expect(Number(agency('Sở Tài chính')['rank_on_time_rate'])).toBeGreaterThan(1);
    expect(agency('Sở Công thương')['on_time_rate_band']).toBe(agency('Sở Tài chính')['on_time_rate_band']);
    expect(
      agencies.find((r) => r['unit_name'] === 'Sở Tài nguyên và Môi trường')!['meets_on_time_rate'],
    ).toBe('false');
  });
});

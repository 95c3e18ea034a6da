// The `congkhai kpi` and `congkhai run` commands as a user runs them: exit codes 0 / 1 / 2,
// messages that name the problem, and the DVCQG sample end to end (ingest → kpi → data/v1).
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Row } from '../../functions/core/engine.ts';
import { overdueReference, REFERENCE_KEY_LAKE_KEY } from '../../functions/core/publish/overdue-reference.ts';
import { congkhai } from '../support/congkhai-cli.ts';
import { FIXTURES } from '../support/fixtures.ts';
import { writeLakeSnapshot } from '../support/write-lake.ts';

const ROOT = join(import.meta.dirname, '..', '..');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'congkhai-cli-'));
  await writeLakeSnapshot(join(dir, 'lake'), '2021-01-31', [
    {
      dossier_id: 'k1',
      unit_code: 'U1',
      unit_name: 'Sở A',
      unit_level: 'province',
      channel: 'online',
      received_at: '2021-01-04 08:00:00',
      due_at: '2021-01-08 17:00:00',
      resolved_at: '2021-01-07 10:00:00',
      status: 'resolved',
    },
    {
      dossier_id: 'k2',
      unit_code: 'U2',
      unit_name: 'Huyện B',
      unit_level: 'district',
      channel: 'direct',
      received_at: '2021-01-05 08:00:00',
      due_at: '2021-01-06 17:00:00',
      status: 'processing',
    },
  ]);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('congkhai kpi', () => {
  test('publishes data/v1 and exits 0', async () => {
    const out = join(dir, 'out-ok');
    const { code, stderr } = await congkhai([
      'kpi',
      '--lake',
      join(dir, 'lake'),
      '--out',
      out,
      '--as-of',
      '2021-02-01',
    ]);
    expect(code, stderr).toBe(0);
    const overdue = JSON.parse(
      await readFile(join(out, 'data', 'v1', 'overdue_dossiers.json'), 'utf8'),
    ) as Row[];
    // Published under its keyed reference, never its dossier code (publish/overdue-reference.ts).
    const key = (await readFile(join(dir, 'lake', REFERENCE_KEY_LAKE_KEY), 'utf8')).trim();
    expect(overdue.map((r) => [r['reference'], r['days_overdue']])).toEqual([
      [overdueReference(key, 'k2'), 26],
    ]);
  });

  test('exit 2 for a missing lake, an impossible as-of, a bad config', async () => {
    const missing = await congkhai(['kpi', '--lake', join(dir, 'nowhere'), '--out', join(dir, 'o2')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('lake folder not found');
    const badDate = await congkhai([
      'kpi',
      '--lake',
      join(dir, 'lake'),
      '--out',
      join(dir, 'o2'),
      '--as-of',
      '2021-02-30',
    ]);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain("as-of '2021-02-30' is not a real date-time");
    const config = join(dir, 'bad-config.json');
    await writeFile(config, JSON.stringify({ targets: { district: { online_share: 30 } } }));
    const badConfig = await congkhai([
      'kpi',
      '--lake',
      join(dir, 'lake'),
      '--out',
      join(dir, 'o2'),
      '--config',
      config,
    ]);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toContain('targets.district.online_share');
    expect(await readdir(join(dir, 'o2')).catch(() => [])).toEqual([]);
  });

  test('exit 1 when a query breaks an identity: the rows are named, nothing is published', async () => {
    // A query folder whose shared figures forget the carried-over dossiers in received_total.
    const queries = join(dir, 'broken-queries');
    await cp(join(ROOT, 'queries'), queries, { recursive: true });
    const figuresSql = join(queries, 'shared', 'period_figures.sql');
    const text = await readFile(figuresSql, 'utf8');
    const broken = text.replace(
      'c.received_online + c.carried_over + c.received_offline AS received_total',
      'c.received_online + c.received_offline AS received_total',
    );
    expect(broken).not.toBe(text);
    await writeFile(figuresSql, broken);
    await writeLakeSnapshot(join(dir, 'lake'), '2021-02-28', [
      {
        dossier_id: 'k2',
        unit_code: 'U2',
        unit_name: 'Huyện B',
        unit_level: 'district',
        channel: 'direct',
        received_at: '2021-01-05 08:00:00',
        due_at: '2021-01-06 17:00:00',
        status: 'processing',
      },
    ]);
    const out = join(dir, 'out-broken');
    const { code, stderr } = await congkhai(['kpi', '--lake', join(dir, 'lake'), '--out', out], {
      CONGKHAI_QUERIES_DIR: queries,
    });
    expect(code).toBe(1);
    expect(stderr).toContain(
      'unit_kpis month 2021-02 unit_code=U2: received_total = received_online + carried_over + received_offline',
    );
    expect(await readdir(out).catch(() => [])).toEqual([]);
  });
});

describe('congkhai run', () => {
  test('the DVCQG sample: ingest, then the figures of its README', async () => {
    const inputs = join(dir, 'dvcqg');
    await cp(join(FIXTURES, 'dvcqg-sample.json'), join(inputs, 'dvcqg-sample.json'));
    await cp(join(FIXTURES, 'dvcqg-sample-units.csv'), join(inputs, 'units.csv'));
    const out = join(dir, 'out-run');
    const { code, stderr } = await congkhai([
      'run',
      inputs,
      '--lake',
      join(dir, 'run-lake'),
      '--out',
      out,
      '--snapshot',
      '2021-01-31',
      '--as-of',
      '2021-02-01',
    ]);
    expect(code, stderr).toBe(0);
    const units = JSON.parse(await readFile(join(out, 'data', 'v1', 'unit_kpis.json'), 'utf8')) as Row[];
    const jan = (code: string) => units.find((r) => r['period'] === '2021-01' && r['unit_code'] === code)!;
    // Sở Tư pháp: record 1 online, on time (its due date), electronic certification; record 2
    // direct and late; record 5 only submitted.
    expect(jan('BG-STP')).toMatchObject({
      received_total: 2,
      received_online: 1,
      received_offline: 1,
      resolved_total: 2,
      resolved_on_time: 1,
      resolved_early: 0,
      resolved_late: 1,
      e_cert_total: 1,
      e_cert_electronic: 1,
      pending_total: 0,
    });
    // Lạng Giang: record 3 postal, open past its due date; record 4 withdrawn (returned).
    expect(jan('BG-LG')).toMatchObject({
      received_total: 2,
      received_offline: 2,
      resolved_total: 0,
      returned_total: 1,
      pending_total: 1,
      pending_overdue: 1,
    });
    const report = JSON.parse(await readFile(join(out, 'data', 'v1', 'ingest_report.json'), 'utf8')) as Row[];
    expect(report).toMatchObject([
      { file: 'dvcqg-sample.json', rows_read: 5, rows_accepted: 5, snapshot_date: '2021-01-31' },
    ]);
  });

  test('exit 2 for an input that does not exist', async () => {
    const { code, stderr } = await congkhai([
      'run',
      join(dir, 'no-such.csv'),
      '--lake',
      join(dir, 'l3'),
      '--out',
      join(dir, 'o3'),
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('no-such.csv');
  });
});

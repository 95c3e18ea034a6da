// Every query in queries/, with the runner's bound relations in front (the exact text an
// engine receives), parses as Trino SQL (Athena's dialect) and runs on DuckDB. The same check
// rejects DuckDB-only constructs, so it would catch one slipping into a query.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrinoSQL } from 'dt-sql-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseConfig } from '../../functions/core/config.ts';
import type { Engine } from '../../functions/core/engine.ts';
import { type Bindings, bindQuery } from '../../functions/core/kpi/bind-relations.ts';
import { openDuckDbEngine } from '../../functions/core/kpi/duckdb-engine.ts';
import { periodsUpTo } from '../../functions/core/kpi/periods.ts';
import { QUERY_TABLES, readQuery } from '../../functions/core/kpi/queries.ts';
import { writeLakeSnapshot } from '../support/write-lake.ts';

const trino = new TrinoSQL();
const trinoErrors = (sql: string) => trino.validate(sql).map((e) => e.message);

const ATHENA_SOURCE = '"congkhai"."dossiers"'; // the Glue table the Athena engine names
const bindings = (dossierSource: string): Bindings => ({
  asOf: '2021-04-10 12:00:00',
  periods: periodsUpTo('2021-01-05 08:00:00', '2021-04-10 12:00:00'),
  config: parseConfig({ targets: { province: { on_time_rate: 0.95 } }, e_cert: { field_code: 'G09' } }),
  dossierSource,
});

let dir: string;
let engine: Engine;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'congkhai-sql-'));
  await writeLakeSnapshot(join(dir, 'lake'), '2021-04-10', [
    {
      dossier_id: 'x1',
      unit_code: 'U',
      unit_level: 'province',
      channel: 'online',
      received_at: '2021-01-05 08:00:00',
      due_at: '2021-01-06 00:00:00',
      status: 'processing',
    },
  ]);
  engine = await openDuckDbEngine(join(dir, 'lake'));
});
afterAll(async () => {
  await engine?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.each(QUERY_TABLES)('queries/%s.sql', (table) => {
  test('parses as Trino SQL with the bound relations', async () => {
    const sql = bindQuery(await readQuery(table), bindings(ATHENA_SOURCE));
    expect(sql).toContain('snapshot_rank'); // the bound dossiers relation is really there
    expect(trinoErrors(sql)).toEqual([]);
  });

  test('runs on DuckDB', async () => {
    const rows = await engine.query(bindQuery(await readQuery(table), bindings(engine.dossierSource)));
    expect(rows.length).toBeGreaterThan(0);
  });
});

describe('the Trino check rejects DuckDB-only SQL', () => {
  test.each([
    [
      'QUALIFY',
      (sql: string) =>
        sql.replace(') AS latest\n  WHERE snapshot_rank = 1', ') AS latest\n  QUALIFY snapshot_rank = 1'),
    ],
    ['::', (sql: string) => sql.replace('CAST(r.received_total AS BIGINT)', 'r.received_total::BIGINT')],
    ['GROUP BY ALL', (sql: string) => sql.replace('GROUP BY unit_code\n', 'GROUP BY ALL\n')],
  ])('%s', async (_, mutate) => {
    const valid = bindQuery(await readQuery('unit_kpis'), bindings(ATHENA_SOURCE));
    const mutated = mutate(valid);
    expect(mutated).not.toBe(valid);
    expect(trinoErrors(mutated).length).toBeGreaterThan(0);
  });
});

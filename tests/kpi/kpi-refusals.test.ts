// `congkhai kpi` on hostile paths and as-of times (issue 10): the lake folder is never read as
// a glob (`lake*` does not read its siblings), an as-of outside [2000, tomorrow] or before the
// first dossier is refused with exit 2 and the published data are left as they were.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../functions/core/config.ts';
import { CURRENT_STATE_MANIFEST_KEY } from '../../functions/core/kpi/current-state.ts';
import { openDuckDbEngine } from '../../functions/core/kpi/duckdb-engine.ts';
import { queriesDir } from '../../functions/core/kpi/queries.ts';
import { runKpis } from '../../functions/core/kpi/run-kpis.ts';
import { LocalStorage } from '../../functions/core/storage.ts';
import { congkhai } from '../support/congkhai-cli.ts';
import { type LakeRecord, writeLakeSnapshot } from '../support/write-lake.ts';

const record = (dossier_id: string, unit_code: string): LakeRecord => ({
  dossier_id,
  unit_code,
  unit_level: 'province',
  channel: 'online',
  received_at: '2021-01-04 08:00:00',
  status: 'processing',
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'congkhai-kpi-refusals-'));
  await writeLakeSnapshot(join(dir, 'lake*'), '2021-01-31', [record('a1', 'MINE')]);
  await writeLakeSnapshot(join(dir, 'lakeB'), '2021-01-31', [record('b1', 'SIBLING')]);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const publishedUnits = async (out: string) =>
  (
    JSON.parse(await readFile(join(out, 'data', 'v1', 'units.json'), 'utf8')) as Array<{ unit_code: string }>
  ).map((u) => u.unit_code);

describe('congkhai kpi', () => {
  test('reads only the lake it was given, whatever its name holds', async () => {
    const out = join(dir, 'out');
    const run = await congkhai(['kpi', '--lake', join(dir, 'lake*'), '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(await publishedUnits(out)).toEqual(['MINE']);
    // The current-state table was built by the command itself.
    expect(await new LocalStorage(join(dir, 'lake*')).exists(CURRENT_STATE_MANIFEST_KEY)).toBe(true);
  });

  test.each([
    ['far in the future', '2099-12-31', /after tomorrow/],
    ['before 2000', '1999-12-31', /before 2000-01-01/],
    ['before the first dossier', '2020-06-01', /before the first dossier/],
  ])('refuses an as-of %s (exit 2), leaving the published data as they were', async (_, asOf, message) => {
    const out = join(dir, 'out');
    const before = await readFile(join(out, 'data', 'v1', 'datapackage.json'), 'utf8');
    const run = await congkhai(['kpi', '--lake', join(dir, 'lake*'), '--out', out, '--as-of', asOf]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(await readFile(join(out, 'data', 'v1', 'datapackage.json'), 'utf8')).toBe(before);
  });
});

describe('the KPI runner', () => {
  test('refuses a query whose columns differ from the contract, naming them, and leaves the engine usable', async () => {
    // DuckDB computes the next query while the runner converts the one before (the overdue
    // list first): a check failing meanwhile must still leave the engine usable and clean.
    const queries = join(dir, 'queries');
    await cp(queriesDir(), queries, { recursive: true });
    const overdue = join(queries, 'overdue_dossiers.sql');
    const text = await readFile(overdue, 'utf8');
    await writeFile(overdue, text.replace('  o.dossier_id,\n', '  o.dossier_id,\n  o.unit_code AS extra,\n'));
    const lake = join(dir, 'lakeO');
    await writeLakeSnapshot(lake, '2021-01-31', [{ ...record('o1', 'MINE'), due_at: '2021-01-10 17:00:00' }]);
    const engine = await openDuckDbEngine(lake);
    try {
      await expect(
        runKpis(engine, new LocalStorage(lake), { config: await loadConfig(undefined), queriesDir: queries }),
      ).rejects.toThrow(
        /^overdue_dossiers: query columns \[dossier_id, extra, .*\] differ from the contract/,
      );
      expect(await engine.query('SELECT 41 + 1 AS answer')).toEqual([{ answer: 42 }]);
      expect(
        await engine.query(
          "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name LIKE 'congkhai_kpi_%'",
        ),
      ).toEqual([{ n: 0 }]);
      const result = await runKpis(engine, new LocalStorage(lake), { config: await loadConfig(undefined) });
      expect(result.tables['unit_kpis']?.length).toBeGreaterThan(0);
      expect(result.tables['overdue_dossiers']?.map((row) => row['dossier_id'])).toEqual(['o1']);
    } finally {
      await engine.close();
    }
  });
});

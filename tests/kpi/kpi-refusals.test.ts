// `congkhai kpi` on hostile paths and as-of times (issue 10): the lake folder is never read as
// a glob (`lake*` does not read its siblings), an as-of outside [2000, tomorrow] or before the
// first dossier is refused with exit 2 and the published data are left as they were.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CURRENT_STATE_MANIFEST_KEY } from '../../functions/core/kpi/current-state.ts';
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

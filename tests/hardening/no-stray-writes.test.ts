// No file written outside the folders a command was given: every `congkhai` command runs as a
// user runs it (a new Node process) with the working directory, HOME and TMPDIR each a fresh
// empty folder, its lake and output folders elsewhere. Afterwards the working directory, HOME
// and TMPDIR are still empty, the project's cache folders (Astro, Vite) were not written, and
// the `.work` folders the commands used inside their given folders are gone.
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDuckDb } from '../../functions/core/duckdb.ts';
import { WORK_FOLDER } from '../../functions/core/work-folder.ts';
import { type CliResult, REPO, runCli } from '../ingest/helpers.ts';
import { makeSamplePublishedData } from '../site/make-sample-published-data.ts';

/** Where Astro, Vite and DuckDB write by default, inside the project. */
const PROJECT_CACHES = [
  '.astro',
  '.tmp',
  'site/.astro',
  'site/.tmp',
  'site/dist',
  'site/node_modules',
  'node_modules/.astro',
  'node_modules/.astro-site',
  'node_modules/.vite',
];

let root: string;
let cwd: string;
let home: string;
let temp: string;
let startedMs: number;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ck-stray-'));
  [cwd, home, temp] = [join(root, 'cwd'), join(root, 'home'), join(root, 'tmp')];
  for (const dir of [cwd, home, temp]) await mkdir(dir);
  startedMs = Date.now() - 1000;
});

/** The CLI in a new process: cwd, HOME and the temp folder are this test's empty folders. */
function congkhai(args: string[]): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, TMPDIR: temp, TMP: temp, TEMP: temp };
  // Tools that honour XDG folders then fall back to HOME, where they would be seen.
  for (const name of Object.keys(env)) if (name.startsWith('XDG_')) delete env[name];
  delete env['ASTRO_TELEMETRY_DISABLED']; // the command must turn telemetry off itself
  return runCli(args, undefined, { cwd, env });
}

async function everything(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true })).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Files under the project's cache folders changed since the test began. */
async function projectWrites(): Promise<string[]> {
  const changed: string[] = [];
  for (const folder of PROJECT_CACHES) {
    for (const name of await everything(join(REPO, folder))) {
      const path = join(REPO, folder, name);
      const info = await stat(path).catch(() => undefined);
      if (info && info.mtimeMs >= startedMs) changed.push(join(folder, name));
    }
  }
  return changed;
}

async function expectNoStrayWrites(after: string): Promise<void> {
  const found = {
    cwd: await everything(cwd),
    HOME: await everything(home),
    TMPDIR: await everything(temp),
    project: await projectWrites(),
  };
  expect(found, `files written outside the given folders after ${after}`).toEqual({
    cwd: [],
    HOME: [],
    TMPDIR: [],
    project: [],
  });
}

async function expectWorkFolderGone(...dirs: string[]): Promise<void> {
  for (const dir of dirs) expect(await readdir(dir), dir).not.toContain(WORK_FOLDER);
}

describe('no file outside the folders a command was given', () => {
  const extracts = () => join(root, 'extracts');
  const lake = () => join(root, 'lake');
  const out = () => join(root, 'public');

  test('demo-data, profile check, ingest, kpi, overdue-export, run', async () => {
    const steps: [string, string[]][] = [
      ['demo-data', ['demo-data', '--out', extracts(), '--dossiers', '2000', '--seed', '3']],
      ['ingest', ['ingest', extracts(), '--lake', lake(), '--units', join(extracts(), 'units.csv')]],
      ['kpi', ['kpi', '--lake', lake(), '--out', out()]],
      ['overdue-export', ['overdue-export', '--lake', lake(), '--out', join(root, 'private', 'overdue.csv')]],
      [
        'run',
        ['run', extracts(), '--lake', join(root, 'lake2'), '--out', join(root, 'public2'), '--no-site'],
      ],
    ];
    for (const [name, args] of steps) {
      const result = await congkhai(args);
      expect(result.code, `${name}: ${result.stderr}`).toBe(0);
      await expectNoStrayWrites(name);
    }
    await expectWorkFolderGone(lake(), join(root, 'lake2'), out());

    // profile check reads an extract and writes nothing it keeps (its work folder goes too).
    const profile = join(root, 'vendor.json');
    await writeFile(profile, JSON.stringify({ channel: { 'Qua mạng': 'online' } }));
    const extract = (await readdir(extracts())).find((name) => name.endsWith('.csv') && name !== 'units.csv');
    const checked = await congkhai(['profile', 'check', profile, join(extracts(), extract!)]);
    expect([0, 2], checked.stderr).toContain(checked.code);
    expect(checked.stdout).toContain('→');
    await expectNoStrayWrites('profile check');
    await expectWorkFolderGone(extracts());
  }, 900_000);

  test('site build (Astro, Vite, Pagefind)', async () => {
    const site = join(root, 'site');
    await makeSamplePublishedData(site);
    const result = await congkhai(['site', 'build', '--out', site]);
    expect(result.code, result.stderr).toBe(0);
    expect(await readdir(site)).toContain('index.html');
    await expectNoStrayWrites('site build');
    await expectWorkFolderGone(site);
  }, 900_000);

  test('DuckDB without a spill folder never spills into the working directory', async () => {
    const connection = await openDuckDb();
    try {
      const rows = (await connection.runAndReadAll(`SELECT current_setting('temp_directory')`)).getRows();
      expect(rows).toEqual([['']]);
    } finally {
      connection.closeSync();
    }
  });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// kill -9 during `congkhai kpi` (publish) and `congkhai site build`: at the moment the output
// folder first changes, at later changes, and at random moments. After every kill, every
// published version (data/v1, every kept version, every dated copy) matches its own
// datapackage.json (bytes and sha256), the live data and site are still served, and no
// staging folder is. Then a clean run completes and removes what the killed runs left.
import { type FSWatcher, watch } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeDemoData } from '../../functions/core/demo/generate.ts';
import { type StaticServer, startStaticServer } from '../../functions/core/site/static-server.ts';
import { processAlive } from '../../functions/core/temp-folders.ts';
import { type CliResult, REPO, runCli, tempDir } from '../ingest/helpers.ts';
import { hiddenEntries, publishedProblems } from '../support/published-versions.ts';

let dir: string;
let lake: string;
let out: string;
let server: StaticServer;
let kpiSeconds = 0;
const killedPids: number[] = [];
/** Hidden entries (staging folders of killed runs) found and checked as not served. */
let hiddenChecked = 0;

const kpiArgs = () => ['kpi', '--lake', lake, '--out', out];
const siteArgs = () => ['site', 'build', '--out', out];

/**
 * Runs the CLI and kill -9s it when `when` says so: after `delayMs`, or at the n-th change
 * seen under `watchDir`. Resolves with the result and whether the kill landed.
 */
function runAndKill(
  args: string[],
  when: { delayMs: number } | { watchDir: string; recursive: boolean; nthChange: number },
): Promise<{ result: CliResult; killed: boolean }> {
  let pid: number | undefined;
  let killed = false;
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  const kill = () => {
    if (pid === undefined || killed) return;
    try {
      process.kill(pid, 'SIGKILL');
      killed = true;
      killedPids.push(pid);
    } catch {
      // Already finished.
    }
  };
  if ('watchDir' in when) {
    let changes = 0;
    watcher = watch(when.watchDir, { recursive: when.recursive }, () => {
      changes += 1;
      if (changes === when.nthChange) kill();
    });
  }
  const running = runCli(args, (spawned) => {
    pid = spawned;
    if ('delayMs' in when) timer = setTimeout(kill, when.delayMs);
  });
  return running.then((result) => {
    watcher?.close();
    clearTimeout(timer);
    return { result, killed: killed && result.code !== 0 };
  });
}

/** The status of a GET, the body read to the end (an unread body breaks a closing connection). */
const status = async (path: string) => {
  const response = await fetch(new URL(path, server.url));
  await response.arrayBuffer();
  return response.status;
};

/** What must hold after any kill. */
async function expectConsistent(label: string): Promise<void> {
  const { versions, problems } = await publishedProblems(out);
  expect(problems, label).toEqual([]);
  expect(versions, label).toBeGreaterThanOrEqual(2); // data/v1 and its dated copy at least
  expect(await status('/data/v1/datapackage.json'), label).toBe(200);
  for (const hidden of await hiddenEntries(out)) {
    if (hidden !== '.site-manifest.json') hiddenChecked += 1;
    expect(await status(`/${hidden}`), `${label}: ${hidden}`).toBe(404);
    expect(await status(`/${hidden}/index.html`), `${label}: ${hidden}/index.html`).toBe(404);
  }
}

beforeAll(async () => {
  dir = await tempDir('ck-kill-');
  lake = join(dir, 'lake');
  out = join(dir, 'public');
  const extracts = join(dir, 'extracts');
  await writeDemoData({ out: extracts, dossiers: 4000, seed: 7 });
  const ingest = await runCli(['ingest', extracts, '--lake', lake]);
  expect(ingest.code, ingest.stderr).toBe(0);
  const first = await runCli(kpiArgs()); // also builds the lake's current-state table
  expect(first.code, first.stderr).toBe(0);
  const started = performance.now(); // the time of a run like the killed ones
  const second = await runCli(kpiArgs());
  kpiSeconds = (performance.now() - started) / 1000;
  expect(second.code, second.stderr).toBe(0);
  server = await startStaticServer(out, 0);
}, 300_000);

afterAll(async () => {
  await server?.close();
  const { rm } = await import('node:fs/promises');
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('kill -9 during kpi (publish)', () => {
  test('at the first change of the published folder, and at each of the next changes', async () => {
    let landed = 0;
    for (const nthChange of [1, 2, 3, 5, 8]) {
      const { result, killed } = await runAndKill(kpiArgs(), {
        watchDir: join(out, 'data'),
        recursive: true,
        nthChange,
      });
      if (killed) landed += 1;
      else expect(result.code, result.stderr).toBe(0);
      await expectConsistent(`kill at change ${nthChange}`);
    }
    expect(landed).toBeGreaterThanOrEqual(3);
  }, 300_000);

  test('at random moments (10 kills)', async () => {
    let landed = 0;
    for (let i = 0; i < 10; i++) {
      const delayMs = Math.round(kpiSeconds * 1000 * (0.1 + 0.8 * Math.random()));
      const { result, killed } = await runAndKill(kpiArgs(), { delayMs });
      if (killed) landed += 1;
      else expect(result.code, result.stderr).toBe(0);
      await expectConsistent(`kill after ${delayMs} ms`);
    }
    expect(landed).toBeGreaterThanOrEqual(3);
  }, 600_000);

  test('then a clean run completes and removes what the killed runs left', async () => {
    expect(hiddenChecked).toBeGreaterThan(0); // the kills did leave staging folders behind
    const clean = await runCli(kpiArgs());
    expect(clean.code, clean.stderr).toBe(0);
    await expectConsistent('clean run');
    expect(await hiddenEntries(join(out, 'data'))).toEqual([]);
  }, 120_000);
});

describe('kill -9 during site build', () => {
  test('at the moment the build first writes into the output folder, and at random moments', async () => {
    const started = performance.now();
    const first = await runCli(siteArgs());
    const siteSeconds = (performance.now() - started) / 1000;
    expect(first.code, first.stderr).toBe(0);
    const kills = [
      { watchDir: out, recursive: false, nthChange: 1 },
      { delayMs: Math.round(siteSeconds * 1000 * 0.5) },
      { delayMs: Math.round(siteSeconds * 1000 * (0.7 + 0.3 * Math.random())) },
    ];
    for (const when of kills) {
      const { result, killed } = await runAndKill(siteArgs(), when);
      if (!killed) expect(result.code, result.stderr).toBe(0);
      const label = `site build killed (${JSON.stringify(when)})`;
      await expectConsistent(label);
      // The previous site is still whole: the home page and every asset it names.
      expect(await status('/'), label).toBe(200);
      const home = await readFile(join(out, 'index.html'), 'utf8');
      for (const asset of home.match(/\/_astro\/[^"')\s]+/g) ?? [])
        expect(await status(asset), `${label}: ${asset}`).toBe(200);
    }
    const clean = await runCli(siteArgs());
    expect(clean.code, clean.stderr).toBe(0);
    await expectConsistent('clean site build');
    expect(await hiddenEntries(out)).toEqual(['.site-manifest.json']);
    // No Astro work folder of a killed build is left in the working directory.
    const leftInCwd = (await readdir(REPO)).filter((name) =>
      killedPids.some((pid) => name.startsWith(`.astro-build-${pid}-`)),
    );
    expect(leftInCwd).toEqual([]);
    for (const pid of killedPids) expect(processAlive(pid)).toBe(false);
  }, 900_000);
});

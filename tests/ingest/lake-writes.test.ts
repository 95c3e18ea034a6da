// Lake writes: idempotent re-ingest (byte-identical lake), exit codes of the CLI, and a
// process killed mid-ingest leaving no partial partition.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestExtract } from '../../functions/core/ingest/ingest-extract.ts';
import { LocalStorage } from '../../functions/core/storage.ts';
import { CLI, filesUnder, lakeDossiers, query, REPO, runCli, tempDir, v1Csv, validRow } from './helpers.ts';

async function snapshotOf(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of await filesUnder(dir))
    out[file.slice(dir.length)] = (await readFile(file)).toString('base64');
  return out;
}

const rows = Array.from({ length: 3000 }, (_, i) => validRow(i));
rows[10] = validRow(10, { channel: 'fax' });
rows[20] = validRow(20, { dossier_id: rows[5]!.dossier_id });

describe('re-ingest', () => {
  it('the same file again is skipped and leaves the lake byte-identical', async () => {
    const dir = await tempDir();
    const file = join(dir, 'extract-2024-05-01.csv');
    await writeFile(file, v1Csv(rows));
    const lake = join(dir, 'lake');
    const first = await ingestExtract({ path: file, lake: new LocalStorage(lake) });
    expect(first).toMatchObject({ skipped: false, rowsRead: 3000, rowsAccepted: 2998, rowsQuarantined: 2 });
    expect(first.quarantinedByReason).toEqual({ unknown_channel: 1, duplicate_dossier_id: 1 });
    const before = await snapshotOf(lake);
    expect(Object.keys(before).map((k) => k.replace(/[0-9a-f]{24}/, 'ID'))).toEqual([
      '/dossiers/snapshot_date=2024-05-01/part-ID.parquet',
      '/ingest_log/snapshot_date=2024-05-01/ID.json',
      '/quarantine/snapshot_date=2024-05-01/part-ID.parquet',
    ]);
    const second = await ingestExtract({ path: file, lake: new LocalStorage(lake) });
    expect(second).toMatchObject({ skipped: true, rowsAccepted: 2998, rowsQuarantined: 2 });
    expect(await snapshotOf(lake)).toEqual(before);
  });

  it("names each extract by its own bytes' SHA-256, whether or not its date already has extracts", async () => {
    // The first extract of a date is digested while it is staged, a later one before.
    const dir = await tempDir();
    const lake = new LocalStorage(join(dir, 'lake'));
    const files = [
      [join(dir, 'a', 'extract-2024-05-01.csv'), v1Csv(rows.slice(0, 1000))],
      [join(dir, 'b', 'extract-2024-05-01.csv'), v1Csv(rows.slice(1000, 1500))],
    ] as const;
    const digests: string[] = [];
    for (const [file, text] of files) {
      await mkdir(join(file, '..'), { recursive: true });
      await writeFile(file, text);
      const summary = await ingestExtract({ path: file, lake });
      expect(summary.skipped).toBe(false);
      const digest = createHash('sha256').update(text).digest('hex');
      expect(summary.sha256).toBe(digest);
      digests.push(digest);
    }
    const logs = await lake.list('ingest_log/snapshot_date=2024-05-01/');
    expect(logs).toHaveLength(2);
    const logged = await Promise.all(
      logs.map(async (key) => JSON.parse(Buffer.from((await lake.getBytes(key))!).toString('utf8')).sha256),
    );
    expect(logged.sort()).toEqual([...digests].sort());
    expect(await lake.list('dossiers/snapshot_date=2024-05-01/')).toHaveLength(2);
    // Each again: skipped, found by its digest.
    for (const [file] of files) expect((await ingestExtract({ path: file, lake })).skipped).toBe(true);
  });

  it('a fresh lake from the same file gets byte-identical Parquet parts', async () => {
    const dir = await tempDir();
    const file = join(dir, 'extract-2024-05-01.csv');
    await writeFile(file, v1Csv(rows));
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    await ingestExtract({ path: file, lake: new LocalStorage(a) });
    await ingestExtract({ path: file, lake: new LocalStorage(b) });
    const parts = (s: Record<string, string>) =>
      Object.fromEntries(Object.entries(s).filter(([k]) => k.endsWith('.parquet')));
    const partsA = parts(await snapshotOf(a));
    expect(Object.keys(partsA)).toHaveLength(2);
    expect(parts(await snapshotOf(b))).toEqual(partsA);
  });

  it('a crash after the parts but before the log is completed by a re-run, identically', async () => {
    const dir = await tempDir();
    const file = join(dir, 'extract-2024-05-01.csv');
    await writeFile(file, v1Csv(rows));
    const lake = join(dir, 'lake');
    await ingestExtract({ path: file, lake: new LocalStorage(lake) });
    const complete = await snapshotOf(lake);
    const logDir = join(lake, 'ingest_log', 'snapshot_date=2024-05-01');
    await rm(logDir, { recursive: true });
    const rerun = await ingestExtract({ path: file, lake: new LocalStorage(lake) });
    expect(rerun.skipped).toBe(false);
    const after = await snapshotOf(lake);
    const withoutLog = (s: Record<string, string>) =>
      Object.fromEntries(Object.entries(s).filter(([k]) => !k.includes('ingest_log')));
    expect(withoutLog(after)).toEqual(withoutLog(complete));
    expect(Object.keys(after)).toEqual(Object.keys(complete));
  });
});

describe('CLI exit codes', () => {
  it('an empty file exits 2, names it, and writes nothing', async () => {
    const dir = await tempDir();
    const file = join(dir, 'empty.csv');
    await writeFile(file, '');
    const lake = join(dir, 'lake');
    const result = await runCli(['ingest', file, '--lake', lake]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('empty.csv');
    expect(result.stderr).toMatch(/empty/);
    expect(await filesUnder(lake)).toEqual([]);
  });

  it('a folder with one good and one unreadable extract: exit 2, the good one ingested', async () => {
    const dir = await tempDir();
    const inbox = join(dir, 'inbox');
    await mkdir(inbox);
    await writeFile(join(inbox, 'good.csv'), v1Csv(rows.slice(30, 80)));
    await writeFile(join(inbox, 'broken.csv'), 'ChuHoSo,Email\nAn,an@example.vn\n');
    await writeFile(join(inbox, 'notes.md'), 'not an extract');
    const lake = join(dir, 'lake');
    const result = await runCli(['ingest', inbox, '--lake', lake, '--snapshot', '2024-05-02']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken\.csv.*required column/);
    expect(result.stdout).toMatch(/good\.csv.*read 50, accepted 50, quarantined 0/);
    expect(await lakeDossiers(lake)).toHaveLength(50);
    expect((await filesUnder(lake)).some((f) => f.includes('broken'))).toBe(false);
  });

  it('all inputs readable (with quarantined rows) exits 0 and prints the summary by reason', async () => {
    const dir = await tempDir();
    const file = join(dir, 'x.csv');
    await writeFile(file, v1Csv(rows.slice(0, 30)));
    const result = await runCli(['ingest', file, '--lake', join(dir, 'lake'), '--snapshot', '2024-05-03']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'read 30, accepted 28, quarantined 2 (duplicate_dossier_id: 1, unknown_channel: 1)',
    );
  });
});

describe('a process killed mid-ingest', () => {
  const bigRows = Array.from({ length: 150_000 }, (_, i) => validRow(i));

  /** Spawn the CLI with its own TMPDIR, kill -9 it once `ready` says so; false if it finished first. */
  async function killWhen(
    file: string,
    lake: string,
    tmp: string,
    ready: (work: string) => Promise<boolean>,
  ) {
    const child = spawn(process.execPath, [CLI, 'ingest', file, '--lake', lake], {
      cwd: REPO,
      env: { ...process.env, TMPDIR: tmp },
      stdio: 'ignore',
    });
    let exited = false;
    const exit = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => {
        exited = true;
        resolve(signal);
      }),
    );
    let killed = false;
    while (!exited && !killed) {
      // The run works inside the lake (<lake>/.work), never in the OS temp folder.
      const workRoot = join(lake, '.work');
      const work = (await readdir(workRoot).catch(() => [] as string[])).find((n) =>
        n.startsWith('congkhai-ingest-'),
      );
      if (work && (await ready(join(workRoot, work)).catch(() => false))) {
        child.kill('SIGKILL');
        killed = true;
      } else await new Promise((r) => setTimeout(r, 5));
    }
    const signal = await exit;
    if (killed) expect(signal).toBe('SIGKILL');
    return killed;
  }

  async function expectNoPartialPartition(lake: string) {
    const files = await filesUnder(lake);
    // A killed run's work folder (<lake>/.work/…) is hidden and removed by the next run.
    const visible = files.filter((f) => !f.split('/').pop()!.startsWith('.') && !f.includes('/.work/'));
    const logs = visible.filter((f) => f.endsWith('.json'));
    for (const part of visible.filter((f) => f.endsWith('.parquet'))) {
      const id = part.match(/part-([0-9a-f]+)\.parquet$/)![1]!;
      expect(logs.some((l) => l.endsWith(`${id}.json`))).toBe(true);
    }
    expect(visible.every((f) => f.endsWith('.parquet') || f.endsWith('.json'))).toBe(true);
  }

  it('leaves no part without its log, and a re-run completes the lake', async () => {
    const dir = await tempDir();
    const file = join(dir, 'big-2024-05-04.csv');
    await writeFile(file, v1Csv(bigRows));
    const lake = join(dir, 'lake');
    const tmp = join(dir, 'tmp');
    await mkdir(tmp);
    // While DuckDB reads and validates the extract (into a table it holds, spilled to the work
    // folder when large): the work folder exists and the part is not written yet.
    const parsing = async (work: string) => !(await readdir(work)).includes('dossiers.parquet');
    expect(await killWhen(file, lake, tmp, parsing)).toBe(true);
    await expectNoPartialPartition(lake);
    expect((await filesUnder(lake)).filter((f) => f.endsWith('.parquet') && !f.includes('/.work/'))).toEqual(
      [],
    );
    // While DuckDB writes the Parquet part (a short window: retry if the run got past it).
    const writingParquet = async (work: string) => (await readdir(work)).includes('dossiers.parquet');
    let killedInDuckDb = false;
    for (let attempt = 0; attempt < 8 && !killedInDuckDb; attempt++) {
      killedInDuckDb = await killWhen(file, lake, tmp, writingParquet);
      await expectNoPartialPartition(lake);
      if (!killedInDuckDb) await rm(lake, { recursive: true, force: true });
    }
    expect(killedInDuckDb).toBe(true);
    const result = await runCli(['ingest', file, '--lake', lake]);
    expect(result.code).toBe(0);
    await expectNoPartialPartition(lake);
    // Nothing in the OS temp folder the killed runs were given, and their work folders are gone.
    expect(await readdir(tmp)).toEqual([]);
    expect(await readdir(lake)).not.toContain('.work');
    const [count] = await query(
      `SELECT count(*)::INT AS n FROM read_parquet('${lake}/dossiers/*/*.parquet')`,
    );
    expect(count!.n).toBe(150_000);
  });
});

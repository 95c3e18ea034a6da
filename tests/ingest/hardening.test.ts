// Hostile inputs at the CLI (issue 10): a gzip bomb expanding to one line without breaks is
// refused with exit 2, file and reason named, in bounded memory; a folder input holds the
// same files for `ingest DIR` and `run DIR` (symbolic links followed, every extract suffix
// and its .gz), and every entry it skips is named.
import { spawn } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { extractsInFolder } from '../../functions/core/ingest/folder-inputs.ts';
import { CLI, filesUnder, lakeDossiers, REPO, runCli, tempDir, v1Csv, validRow } from './helpers.ts';

/** Runs the CLI under GNU time: exit code, output and peak resident memory (MB). */
function runMeasured(args: string[]): Promise<{ code: number | null; stderr: string; peakMb: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'PEAK_RSS_KB=%M', process.execPath, CLI, ...args], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const kb = Number(/PEAK_RSS_KB=(\d+)/.exec(stderr)?.[1] ?? Number.NaN);
      resolve({ code, stderr, peakMb: kb / 1024 });
    });
  });
}

describe('a gzip bomb', () => {
  it('expanding to 2 GB without a line break is refused: exit 2, named, memory bounded, nothing written', async () => {
    const dir = await tempDir('ck-bomb-');
    // 32 gzip members of 64 MB of 'a' each: a valid gzip of about 2 MB that expands to 2 GB.
    const member = gzipSync(Buffer.alloc(64 << 20, 'a'), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 32 }, () => member));
    expect(bomb.length).toBeLessThan(8 << 20);
    const file = join(dir, 'extract-2024-01-31.csv.gz');
    await writeFile(file, bomb);
    const lake = join(dir, 'lake');
    const result = await runMeasured(['ingest', file, '--lake', lake]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('extract-2024-01-31.csv.gz');
    expect(result.stderr).toMatch(/refused, nothing written: a line is longer than/);
    expect(result.peakMb).toBeLessThan(1200);
    expect(await filesUnder(lake)).toEqual([]);
  }, 120_000);
});

describe('a folder input', () => {
  it('holds its extracts of every suffix, links followed; skipped entries are named; ingest reads them all', async () => {
    const dir = await tempDir('ck-folder-');
    const elsewhere = join(dir, 'elsewhere');
    const inputs = join(dir, 'inputs');
    await mkdir(elsewhere);
    await mkdir(inputs);
    await mkdir(join(inputs, 'old'));
    const csv = (i: number) => v1Csv([validRow(i)]);
    await writeFile(join(elsewhere, 'real.csv'), csv(1));
    await symlink(join(elsewhere, 'real.csv'), join(inputs, 'a-linked.csv'));
    await writeFile(join(inputs, 'b.tsv'), csv(2).replaceAll(',', '\t'));
    await writeFile(join(inputs, 'c.txt.gz'), gzipSync(csv(3)));
    await writeFile(join(inputs, 'README.md'), '# not an extract\n');
    await writeFile(join(inputs, 'units.csv'), 'unit_code,unit_name,unit_level\nU1,Đơn vị 1,province\n');
    await symlink(join(elsewhere, 'missing.csv'), join(inputs, 'dangling.csv'));
    const { files, skipped } = await extractsInFolder(inputs);
    expect(files.map((f) => f.slice(inputs.length + 1))).toEqual(['a-linked.csv', 'b.tsv', 'c.txt.gz']);
    expect(skipped.map((s) => [s.path.slice(inputs.length + 1), s.reason])).toEqual([
      ['README.md', expect.stringMatching(/not an extract name/)],
      ['dangling.csv', 'a broken link'],
      ['old', expect.stringMatching(/a folder/)],
      ['units.csv', 'the units registry'],
    ]);
    const lake = join(dir, 'lake');
    const result = await runCli(['ingest', inputs, '--lake', lake, '--snapshot', '2024-01-31']);
    expect(result.stdout).toContain('README.md: skipped: not an extract name');
    expect(result.stdout).toContain('old: skipped: a folder');
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('3 extract(s)');
    expect((await lakeDossiers(lake)).map((r) => r.dossier_id).sort()).toEqual(
      [validRow(1), validRow(2), validRow(3)].map((r) => r.dossier_id).sort(),
    );
  });
});

// End to end: no dossier code (MaHoSo, which portals accept as the public lookup key of a
// dossier) of the lake appears in any published file — data/v1, every kept version, every
// dated copy, Parquet rows decoded — nor on any page of the built site. The public overdue
// list carries keyed references instead; the internal export maps them back.
import { createHmac, randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoData } from '../../functions/core/demo/generate.ts';
import { overdueReference, REFERENCE_KEY_LAKE_KEY } from '../../functions/core/publish/overdue-reference.ts';
import { type CliResult, filesUnder, lakeDossiers, query, runCli, tempDir } from '../ingest/helpers.ts';

const REFERENCE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/;
const TOKEN = /[0-9A-Za-z][0-9A-Za-z._-]*[0-9A-Za-z]/g;

let dir: string;
let run: CliResult;
let exported: CliResult;
const codes = new Set<string>();

const csvRows = async (file: string) =>
  parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
const publishedOverdue = () => csvRows(join(dir, 'public', 'data', 'v1', 'overdue_dossiers.csv'));

beforeAll(async () => {
  dir = await tempDir('ck-codes-');
  const extracts = join(dir, 'extracts');
  await writeDemoData({ out: extracts, dossiers: 3000, seed: 23 });
  run = await runCli(['run', extracts, '--lake', join(dir, 'lake'), '--out', join(dir, 'public')]);
  for (const row of await lakeDossiers(join(dir, 'lake'))) codes.add(String(row['dossier_id']));
  exported = await runCli([
    'overdue-export',
    '--lake',
    join(dir, 'lake'),
    '--out',
    join(dir, 'office', 'overdue.csv'),
  ]);
}, 300_000);

afterAll(async () => {
  const { rm } = await import('node:fs/promises');
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Dossier codes found in a text: each code-like token looked up, plus a direct search for a sample. */
function codesIn(text: string, sample: readonly string[]): string[] {
  const found = new Set<string>();
  for (const token of text.match(TOKEN) ?? []) if (codes.has(token)) found.add(token);
  for (const code of sample) if (text.includes(code)) found.add(code);
  return [...found];
}

describe('no dossier code in public', () => {
  it('the pipeline ran and the overdue list is not empty', async () => {
    expect(run.code, run.stderr).toBe(0);
    expect(codes.size).toBeGreaterThan(2000);
    expect((await publishedOverdue()).length).toBeGreaterThan(0);
  });

  it('the public overdue list carries a reference that can be read aloud, not the dossier code', async () => {
    const rows = await publishedOverdue();
    expect(Object.keys(rows[0]!)[0]).toBe('reference');
    expect(Object.keys(rows[0]!)).not.toContain('dossier_id');
    for (const row of rows) expect(row['reference']).toMatch(REFERENCE);
    expect(new Set(rows.map((r) => r['reference'])).size).toBe(rows.length);
    const pkg = JSON.parse(await readFile(join(dir, 'public', 'data', 'v1', 'datapackage.json'), 'utf8'));
    const fields = pkg.resources.find((r: { name: string }) => r.name === 'overdue_dossiers').schema.fields;
    expect(fields.map((f: { name: string }) => f.name)).toContain('reference');
  });

  it('no dossier code of the lake in any published file (all versions, archive, Parquet rows) or page', async () => {
    const sample = [...codes].slice(0, 200);
    const leaks: string[] = [];
    const files = await filesUnder(join(dir, 'public'));
    expect(files.some((f) => f.includes('v1-archive-versions'))).toBe(true);
    expect(files.some((f) => f.endsWith('.html'))).toBe(true);
    for (const file of files) {
      if (/\.(woff2?|png|ico|wasm)$/.test(file)) continue;
      let text = await readFile(file, 'latin1');
      if (file.endsWith('.parquet'))
        text = JSON.stringify(await query(`SELECT * FROM read_parquet('${file.replaceAll("'", "''")}')`));
      for (const code of codesIn(text, sample)) leaks.push(`${code} in ${file}`);
    }
    for (const code of codesIn(run.stdout + run.stderr, sample)) leaks.push(`${code} in the output`);
    expect(leaks).toEqual([]);
  });

  it('the reference key stays in the lake and is never published', async () => {
    const key = (await readFile(join(dir, 'lake', ...REFERENCE_KEY_LAKE_KEY.split('/')), 'utf8')).trim();
    expect(key.length).toBeGreaterThanOrEqual(32);
    for (const file of await filesUnder(join(dir, 'public')))
      expect((await readFile(file, 'latin1')).includes(key), file).toBe(false);
  });
});

describe('the internal export', () => {
  it('maps every published reference to its dossier code, in a file only its owner reads', async () => {
    expect(exported.code, exported.stderr).toBe(0);
    const file = join(dir, 'office', 'overdue.csv');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const rows = await csvRows(file);
    const published = await publishedOverdue();
    expect(rows.map((r) => r['reference']).sort()).toEqual(published.map((r) => r['reference']).sort());
    const key = (await readFile(join(dir, 'lake', ...REFERENCE_KEY_LAKE_KEY.split('/')), 'utf8')).trim();
    for (const row of rows) {
      expect(codes.has(row['dossier_id']!)).toBe(true);
      expect(overdueReference(key, row['dossier_id']!)).toBe(row['reference']);
    }
  });

  it('refuses to write into the published data (exit 2, reason named)', async () => {
    const inside = await runCli([
      'overdue-export',
      '--lake',
      join(dir, 'lake'),
      '--out',
      join(dir, 'public', 'data', 'v1', 'overdue-internal.csv'),
    ]);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/inside the published data/);
    expect(await stat(join(dir, 'public', 'data', 'v1', 'overdue-internal.csv')).catch(() => undefined)).toBe(
      undefined,
    );
  });

  it('references are stable from one night to the next (same key, same references)', async () => {
    const before = (await publishedOverdue()).map((r) => r['reference']).sort();
    const again = await runCli(['kpi', '--lake', join(dir, 'lake'), '--out', join(dir, 'public')]);
    expect(again.code, again.stderr).toBe(0);
    expect((await publishedOverdue()).map((r) => r['reference']).sort()).toEqual(before);
  }, 120_000);
});

describe('the reference', () => {
  it('is a keyed hash: same key and code give the same reference, another key another one', () => {
    const code = '000.00.01.H22-210315-00012';
    const a = overdueReference('a key of at least sixteen characters', code);
    expect(a).toMatch(REFERENCE);
    expect(overdueReference('a key of at least sixteen characters', code)).toBe(a);
    expect(overdueReference('another key, also long enough', code)).not.toBe(a);
    expect(overdueReference('a key of at least sixteen characters', '000.00.01.H22-210315-00013')).not.toBe(
      a,
    );
  });

  it('is the first 50 bits of HMAC-SHA256(key, domain + code) in Crockford base32, as the method says', () => {
    // A slow reference written from the definition: hex digits → bits → 5-bit digits.
    const slow = (key: string, code: string) => {
      const hex = createHmac('sha256', key).update(`congkhai overdue reference v1\n${code}`).digest('hex');
      const bits = [...hex.slice(0, 13)]
        .map((h) => Number.parseInt(h, 16).toString(2).padStart(4, '0'))
        .join('')
        .slice(0, 50);
      const digits = Array.from({ length: 10 }, (_, i) =>
        '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.charAt(Number.parseInt(bits.slice(i * 5, i * 5 + 5), 2)),
      ).join('');
      return `${digits.slice(0, 4)}-${digits.slice(4, 8)}-${digits.slice(8)}`;
    };
    expect(overdueReference('a key of at least sixteen characters', '000.00.01.H22-210315-00012')).toBe(
      slow('a key of at least sixteen characters', '000.00.01.H22-210315-00012'),
    );
    for (let i = 0; i < 2000; i++) {
      const key = randomBytes(8 + (i % 70)).toString('hex');
      const code = `${randomBytes(1 + (i % 40)).toString('base64')}-Đ${i}`;
      expect(overdueReference(key, code)).toBe(slow(key, code));
    }
  });
});

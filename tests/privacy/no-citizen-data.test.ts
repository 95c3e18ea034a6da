// End to end: the citizen columns of the extracts (ChuHoSo, SoDienThoai, Email) never pass
// ingest — not to the lake, the quarantine, the ingest log, the published data, the site, nor
// the command's own output. The demo extracts carry those columns like a real export does.
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTRACT_FILES, writeDemoData } from '../../functions/core/demo/generate.ts';
import { type CliResult, filesUnder, findPlantedValues, runCli, tempDir } from '../ingest/helpers.ts';

let dir: string;
let run: CliResult;
const names = new Set<string>();
const phones = new Set<string>();
const emails = new Set<string>();

beforeAll(async () => {
  dir = await tempDir('ck-privacy-');
  const extracts = join(dir, 'extracts');
  await writeDemoData({ out: extracts, dossiers: 3000, seed: 11 });
  for (const name of EXTRACT_FILES) {
    // CSV extracts, and former Bắc Ninh's DongBoHoSoMC JSON ({"data": [...]}).
    const rows = (
      name.endsWith('.json')
        ? JSON.parse(await readFile(join(extracts, name), 'utf8')).data
        : parse(await readFile(join(extracts, name)), { columns: true, bom: true })
    ) as Record<string, string>[];
    for (const row of rows) {
      if (row['ChuHoSo']) names.add(row['ChuHoSo']);
      if (row['SoDienThoai']) phones.add(row['SoDienThoai']);
      if (row['Email']) emails.add(row['Email']);
    }
  }
  // A broken record carrying citizen data, so that the quarantine is not empty.
  const last = join(extracts, EXTRACT_FILES.at(-1)!);
  await appendFile(
    last,
    '000.00.10.H27-261129-99999,1.010727,Cấp giấy phép môi trường,Phạm Thị Riêng Tư,0399999999,rieng.tu@example.vn,' +
      'G10-TN02,Môi trường,BN25-S10,Sở Nông nghiệp và Môi trường,province,,fax,,2026-11-29 09:00:00,,,processing,,,,,2026-11-29 10:00:00\n',
  );
  names.add('Phạm Thị Riêng Tư');
  phones.add('0399999999');
  emails.add('rieng.tu@example.vn');
  run = await runCli(['run', extracts, '--lake', join(dir, 'lake'), '--out', join(dir, 'public')]);
}, 300_000);

afterAll(async () => {
  const { rm } = await import('node:fs/promises');
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('no citizen data past ingest', () => {
  it('the pipeline ran, quarantined the broken record and built the site', async () => {
    expect(run.code, run.stderr).toBe(0);
    expect(names.size).toBeGreaterThan(1000);
    expect(phones.size).toBeGreaterThan(1000);
    const quarantine = await filesUnder(join(dir, 'lake', 'quarantine'));
    expect(quarantine.length).toBe(1);
    expect(await filesUnder(join(dir, 'public', 'data'))).not.toEqual([]);
    expect((await filesUnder(join(dir, 'public'))).some((f) => f.endsWith('index.html'))).toBe(true);
  });

  it('no phone number or e-mail address anywhere under the lake and the public folder, nor in the output', async () => {
    const files = [...(await filesUnder(join(dir, 'lake'))), ...(await filesUnder(join(dir, 'public')))];
    const leaks: string[] = [];
    const texts = [
      ['stdout', run.stdout],
      ['stderr', run.stderr],
    ];
    for (const file of files) {
      if (/\.(woff2?|png|parquet)$/.test(file)) continue; // Parquet: decoded below
      texts.push([file, await readFile(file, 'latin1')]);
    }
    for (const [where, text] of texts) {
      for (const match of text!.matchAll(/\d{10}/g))
        if (phones.has(match[0])) leaks.push(`${match[0]} in ${where}`);
      for (const match of text!.matchAll(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g))
        if (emails.has(match[0])) leaks.push(`${match[0]} in ${where}`);
    }
    expect(leaks).toEqual([]);
  });

  it('no citizen value in any Parquet row or file of the lake and the published data', async () => {
    const sample = [...names]
      .slice(0, 150)
      .concat(['Phạm Thị Riêng Tư', '0399999999', 'rieng.tu@example.vn']);
    expect(await findPlantedValues(join(dir, 'lake'), sample)).toEqual([]);
    expect(await findPlantedValues(join(dir, 'public', 'data'), sample)).toEqual([]);
  });

  it('no citizen name on any page of the site nor in the output', async () => {
    const pages = (await filesUnder(join(dir, 'public'))).filter((f) => /\.(html|json|csv|svg|js)$/.test(f));
    const sample = [...names].slice(0, 300).concat(['Phạm Thị Riêng Tư']);
    const leaks: string[] = [];
    for (const page of pages) {
      const text = await readFile(page, 'utf8');
      for (const name of sample) if (text.includes(name)) leaks.push(`${name} in ${page}`);
    }
    for (const name of sample) if ((run.stdout + run.stderr).includes(name)) leaks.push(`${name} in output`);
    expect(leaks).toEqual([]);
  });
});

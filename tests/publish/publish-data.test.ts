// The publisher on real KPI results: files and formats, datapackage hashes, the dated archive,
// the atomic switch of data/v1, re-aggregation from the published numbers, and refusal to
// publish anything when reconciliation fails.
import { createHash } from 'node:crypto';
import { lstat, mkdtemp, readdir, readFile, readlink, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseConfig } from '../../functions/core/config.ts';
import { openDuckDb, sqlString } from '../../functions/core/duckdb.ts';
import type { Row } from '../../functions/core/engine.ts';
import { openDuckDbEngine } from '../../functions/core/kpi/duckdb-engine.ts';
import { COUNT_COLUMNS, ReconciliationError } from '../../functions/core/kpi/reconcile.ts';
import { type KpiResult, runKpis } from '../../functions/core/kpi/run-kpis.ts';
import { publishData } from '../../functions/core/publish/publish-data.ts';
import { PublishPool } from '../../functions/core/publish/publish-pool.ts';
import { PUBLISHED_TABLES } from '../../functions/core/published-tables.ts';
import { LocalStorage, type Storage } from '../../functions/core/storage.ts';
import { type LakeRecord, writeLakeSnapshot } from '../support/write-lake.ts';

const FORMATS = ['csv', 'json', 'parquet', 'xlsx'] as const;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Three units over two months, one with a name a spreadsheet would run as a formula. */
function lakeRecords(): LakeRecord[] {
  const records: LakeRecord[] = [];
  const units = [
    { unit_code: 'S1', unit_name: 'Sở Tư pháp', unit_level: 'province' },
    { unit_code: 'S2', unit_name: '=HYPERLINK("http://x","Sở Y tế")', unit_level: 'province' },
    { unit_code: 'H1', unit_name: 'UBND huyện Lục Nam', unit_level: 'district' },
  ] as const;
  units.forEach((unit, u) => {
    for (let i = 0; i < 60; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0');
      const month = i % 2 ? '02' : '03';
      records.push({
        ...unit,
        dossier_id: `${unit.unit_code}-${i}`,
        channel: i % 3 ? 'online' : 'direct',
        field_name: i % 4 ? 'Hộ tịch' : 'Chứng thực',
        received_at: `2021-${month}-${day} 08:00:00`,
        due_at: `2021-${month}-${day} 17:00:00`,
        resolved_at: i % 7 === u ? null : `2021-${month}-${day} ${i % 5 ? '16' : '18'}:00:00`,
        status: i % 7 === u ? 'processing' : i % 11 === 0 ? 'withdrawn' : 'resolved',
        result_electronic: i % 2 === 0,
      });
    }
  });
  return records;
}

let dir: string;
let result: KpiResult;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'congkhai-pub-'));
  const lakeDir = join(dir, 'lake');
  await writeLakeSnapshot(lakeDir, '2021-03-31', lakeRecords());
  const engine = await openDuckDbEngine(lakeDir);
  try {
    result = await runKpis(engine, new LocalStorage(lakeDir), { config: parseConfig({}) });
  } finally {
    await engine.close();
  }
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const outDir = (name: string) => join(dir, name);
const v1 = (out: string, ...parts: string[]) => join(out, 'data', 'v1', ...parts);

describe('published files', () => {
  let out: string;
  beforeAll(async () => {
    out = outDir('out-files');
    await publishData(result, new LocalStorage(out), { now: new Date('2021-04-01T01:00:00Z') });
  });

  test('every table in CSV (BOM), JSON and Parquet, plus datapackage.json', async () => {
    const names = (await readdir(v1(out))).filter((n) => n !== 'archive').sort();
    expect(names).toEqual(
      [
        ...PUBLISHED_TABLES.flatMap((t) => FORMATS.map((f) => `${t.name}.${f}`)),
        'datapackage.json',
        'units', // the per-unit kits (unit-kits.ts)
      ].sort(),
    );
    for (const table of PUBLISHED_TABLES) {
      const bytes = await readFile(v1(out, `${table.name}.csv`));
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.toString('utf8').slice(1);
      expect(text.split('\r\n')[0]).toBe(table.columns.map((c) => c.name).join(','));
      const json = JSON.parse(await readFile(v1(out, `${table.name}.json`), 'utf8')) as Row[];
      const csv = parse(text, { columns: true }) as Record<string, string>[];
      expect(csv).toHaveLength(json.length);
      if (json[0]) expect(Object.keys(json[0])).toEqual(table.columns.map((c) => c.name));
    }
  });

  test('Parquet holds the JSON rows with the contract types', async () => {
    const connection = await openDuckDb();
    try {
      const reader = await connection.runAndReadAll(
        `SELECT count(*) AS n, sum(received_total) AS received, typeof(any_value(period_start)) AS date_type,
           typeof(any_value(on_time_rate)) AS rate_type, typeof(any_value(ranked)) AS bool_type
         FROM read_parquet(${sqlString(v1(out, 'unit_kpis.parquet'))})`,
      );
      const [stats] = reader.getRowObjectsJS();
      const json = JSON.parse(await readFile(v1(out, 'unit_kpis.json'), 'utf8')) as Row[];
      expect(Number(stats!['n'])).toBe(json.length);
      expect(Number(stats!['received'])).toBe(json.reduce((s, r) => s + Number(r['received_total']), 0));
      expect(stats).toMatchObject({ date_type: 'DATE', rate_type: 'DOUBLE', bool_type: 'BOOLEAN' });
    } finally {
      connection.closeSync();
    }
  });

  test('datapackage.json: hashes and sizes match the files; types, titles, licence, as-of, targets', async () => {
    const pkg = JSON.parse(await readFile(v1(out, 'datapackage.json'), 'utf8'));
    expect(pkg.licenses[0].name).toBe('CC-BY-4.0');
    expect(pkg.as_of).toBe('2021-04-01T00:00:00+07:00');
    expect(pkg.min_resolved_for_rank).toBe(20);
    expect(pkg.targets.province.online_share).toBe(0.3);
    const kitZips = (await readdir(v1(out, 'units'))).filter((n) => n.endsWith('.zip'));
    expect(kitZips.length).toBeGreaterThan(0);
    expect(pkg.resources).toHaveLength(PUBLISHED_TABLES.length * FORMATS.length + kitZips.length);
    for (const resource of pkg.resources) {
      const bytes = await readFile(v1(out, resource.path));
      expect(resource.bytes, resource.path).toBe(bytes.byteLength);
      expect(resource.hash, resource.path).toBe(`sha256:${sha256(bytes)}`);
    }
    const unitCsv = pkg.resources.find((r: { name: string }) => r.name === 'unit_kpis');
    expect(unitCsv.schema.primaryKey).toEqual(['period_type', 'period', 'unit_code']);
    const onTime = unitCsv.schema.fields.find((f: { name: string }) => f.name === 'on_time_rate');
    expect(onTime).toMatchObject({
      type: 'number',
      title: expect.stringContaining('Tỷ lệ giải quyết đúng hạn'),
    });
    expect(onTime.description).toMatch(/resolved_on_time/);
  });

  test('a dated copy in archive/<as-of date>/ with the same bytes', async () => {
    const archive = v1(out, 'archive', '2021-04-01');
    const names = (await readdir(v1(out))).filter((n) => n !== 'archive');
    expect((await readdir(archive)).sort()).toEqual(names.sort());
    const kits = (await readdir(v1(out, 'units')))
      .map((n) => join('units', n))
      .filter((n) => n.endsWith('.zip'));
    for (const name of [...names.filter((n) => n !== 'units'), ...kits]) {
      expect(sha256(await readFile(join(archive, name))), name).toBe(sha256(await readFile(v1(out, name))));
    }
  });

  test('a text cell that a spreadsheet would run is neutralised in CSV (raw in JSON)', async () => {
    const csv = parse((await readFile(v1(out, 'unit_kpis.csv'), 'utf8')).slice(1), {
      columns: true,
    }) as Record<string, string>[];
    expect(csv.find((r) => r['unit_code'] === 'S2')!['unit_name']).toBe(`'=HYPERLINK("http://x","Sở Y tế")`);
    const json = JSON.parse(await readFile(v1(out, 'unit_kpis.json'), 'utf8')) as Row[];
    expect(json.find((r) => r['unit_code'] === 'S2')!['unit_name']).toBe('=HYPERLINK("http://x","Sở Y tế")');
  });

  test('re-aggregating the published unit numerators and denominators gives the province row', async () => {
    const units = parse((await readFile(v1(out, 'unit_kpis.csv'), 'utf8')).slice(1), {
      columns: true,
    }) as Record<string, string>[];
    const province = parse((await readFile(v1(out, 'province_kpis.csv'), 'utf8')).slice(1), {
      columns: true,
    }) as Record<string, string>[];
    expect(province.length).toBeGreaterThan(0);
    for (const p of province) {
      const rows = units.filter((u) => u['period_type'] === p['period_type'] && u['period'] === p['period']);
      const sum = (c: string) => rows.reduce((s, r) => s + Number(r[c]), 0);
      for (const c of COUNT_COLUMNS) expect(sum(c), `${p['period']} ${c}`).toBe(Number(p[c]));
      const pooled = (numerator: string, denominator: string, rate: string) => {
        if (sum(denominator) === 0) expect(p[rate], `${p['period']} ${rate}`).toBe('');
        else expect(sum(numerator) / sum(denominator)).toBeCloseTo(Number(p[rate]), 12);
      };
      pooled('resolved_on_time', 'resolved_total', 'on_time_rate');
      pooled('received_online', 'new_total', 'online_share');
      pooled('e_cert_electronic', 'e_cert_total', 'e_cert_ratio');
      pooled('digitized_total', 'new_total', 'digitization_share');
    }
  });
});

describe('worker threads', () => {
  test('with a pool of workers every file is the same as written in one thread', async () => {
    const options = { now: new Date('2021-04-01T01:00:00Z'), referenceKey: 'k'.repeat(32) };
    const one = outDir('out-one-thread');
    const pooled = outDir('out-workers');
    await publishData(result, new LocalStorage(one), options);
    const pool = new PublishPool(2);
    try {
      await publishData(result, new LocalStorage(pooled), { ...options, pool });
    } finally {
      await pool.close();
    }
    const files = async (root: string): Promise<string[]> =>
      (await readdir(root, { recursive: true, withFileTypes: true }))
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1))
        .sort();
    const names = await files(v1(one));
    expect(await files(v1(pooled))).toEqual(names);
    expect(names.filter((n) => n.endsWith('.xlsx'))).toHaveLength(PUBLISHED_TABLES.length);
    expect(names.filter((n) => n.endsWith('.zip')).length).toBeGreaterThan(0);
    // Every file byte for byte: the workbooks hold nothing of the moment they were written, so
    // datapackage.json (their sizes and hashes) is identical too.
    for (const name of names) {
      const [a, b] = [await readFile(v1(one, name)), await readFile(v1(pooled, name))];
      expect(sha256(b), name).toBe(sha256(a));
    }
    const resources = async (root: string) =>
      JSON.parse(await readFile(v1(root, 'datapackage.json'), 'utf8')).resources as Row[];
    expect(await resources(pooled)).toEqual(await resources(one));
    expect((await resources(one)).filter((r) => String(r['path']).endsWith('.xlsx'))).toHaveLength(
      PUBLISHED_TABLES.length,
    );
  });
});

describe('versions', () => {
  test('data/v1 switches in one step; every version a reader can see is complete', async () => {
    const out = outDir('out-versions');
    const storage = new LocalStorage(out);
    await publishData(result, storage, { now: new Date('2021-04-01T01:00:00Z') });
    const first = await realpath(v1(out));
    const oldCsv = await readFile(join(first, 'unit_kpis.csv'));

    // A reader polls data/v1 while four more versions are published.
    let publishing = true;
    let checks = 0;
    const reader = (async () => {
      while (publishing) {
        const version = await realpath(v1(out));
        const pkg = JSON.parse(await readFile(join(version, 'datapackage.json'), 'utf8'));
        for (const resource of pkg.resources) {
          expect(`sha256:${sha256(await readFile(join(version, resource.path)))}`).toBe(resource.hash);
        }
        checks++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const later = { ...result, asOf: '2021-04-02 00:00:00' };
    for (let i = 0; i < 4; i++)
      await publishData(later, storage, { now: new Date(Date.UTC(2021, 3, 2, 1, i)) });
    publishing = false;
    await reader;
    expect(checks).toBeGreaterThan(0);

    expect((await lstat(v1(out))).isSymbolicLink()).toBe(true);
    expect(await readlink(v1(out))).toMatch(/^v1-versions\//);
    const pkg = JSON.parse(await readFile(v1(out, 'datapackage.json'), 'utf8'));
    expect(pkg.as_of).toBe('2021-04-02T00:00:00+07:00');
    // Both dated copies are reachable from the current version.
    expect((await readdir(v1(out, 'archive'))).sort()).toEqual(['2021-04-01', '2021-04-02']);
    // Only the last three versions are kept; the first one is gone.
    const versionsDir = join(out, 'data', 'v1-versions');
    const kept = [];
    for (const name of await readdir(versionsDir)) {
      if ((await readdir(join(versionsDir, name))).includes('unit_kpis.csv')) kept.push(name);
    }
    expect(kept).toHaveLength(3);
    expect(await readFile(join(first, 'unit_kpis.csv')).catch(() => undefined)).toBeUndefined();
    expect(oldCsv.byteLength).toBeGreaterThan(0);
  });

  test('a storage without pointPrefix gets the files written in place, archive included', async () => {
    const local = new LocalStorage(outDir('out-plain'));
    const plain: Storage = {
      location: local.location,
      putFile: (k, p) => local.putFile(k, p),
      putBytes: (k, b) => local.putBytes(k, b),
      getBytes: (k) => local.getBytes(k),
      exists: (k) => local.exists(k),
      list: (p) => local.list(p),
      delete: (k) => local.delete(k),
    };
    const { files } = await publishData(result, plain);
    expect(files).toContain('data/v1/unit_kpis.csv');
    expect(files).toContain('data/v1/archive/2021-04-01/datapackage.json');
    expect((await lstat(v1(outDir('out-plain')))).isDirectory()).toBe(true);
    expect(await local.exists('data/v1/archive/2021-04-01/unit_kpis.parquet')).toBe(true);
  });
});

describe('reconciliation', () => {
  test('a corrupted row names its table, period, unit and broken identity; nothing is published', async () => {
    const units = result.tables['unit_kpis']!.map((r) => ({ ...r }));
    const victim = units.find((r) => r['period'] === '2021-03' && r['unit_code'] === 'H1')!;
    victim['resolved_late'] = Number(victim['resolved_late']) + 1; // a typo in a hand-made table
    const corrupted: KpiResult = { ...result, tables: { ...result.tables, unit_kpis: units } };
    const out = outDir('out-corrupted');
    const error = await publishData(corrupted, new LocalStorage(out)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReconciliationError);
    const message = (error as Error).message;
    expect(message).toContain(
      'unit_kpis month 2021-03 unit_code=H1: resolved_total = resolved_on_time + resolved_late',
    );
    expect(message).toContain('overdue_total = resolved_late + pending_overdue');
    expect(message).toContain('province_kpis month 2021-03 province: province = sum of units');
    expect(message).not.toContain('unit_code=S1');
    expect(await readdir(out).catch(() => [])).toEqual([]);
  });

  test('a province rate that is not the pooled ratio is refused', async () => {
    const province = result.tables['province_kpis']!.map((r) => ({ ...r }));
    const q1 = province.find((r) => r['period'] === '2021-Q1')!;
    q1['on_time_rate'] = 0.5; // e.g. a mean of unit rates
    const error = await publishData(
      { ...result, tables: { ...result.tables, province_kpis: province } },
      new LocalStorage(outDir('out-rate')),
    ).catch((e: unknown) => e);
    expect((error as Error).message).toContain(
      'province_kpis quarter 2021-Q1 province: on_time_rate = resolved_on_time / resolved_total',
    );
  });
});

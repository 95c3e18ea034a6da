// The demo province generator, checked on real files: determinism, counts, the v1 contract,
// the aggregate rates against the fixture-derived targets (with DuckDB over the CSVs), the
// nightly snapshots, and units.csv.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTRACT_COLUMNS, UNITS_COLUMNS } from '../../functions/core/demo/extract-csv.ts';
import {
  DEMO_SNAPSHOTS,
  type DemoDataResult,
  extractFileName,
  UNITS_FILE,
  writeDemoData,
} from '../../functions/core/demo/generate.ts';
import { DEMO_UNITS, LEVEL_SHARES } from '../../functions/core/demo/units.ts';
import { openDuckDb, sqlString } from '../../functions/core/duckdb.ts';
import { FIXTURES } from '../support/fixtures.ts';
import { DemoRowSchema } from './v1-row-schema.ts';

const REPO = join(import.meta.dirname, '..', '..');
const FIXTURE = join(FIXTURES, 'bac-giang-2021-q1.csv');
const SMALL = 5000;
const LARGE = 80_000;

type CsvRow = Record<string, string>;

async function readCsv(path: string): Promise<{ header: string[]; rows: CsvRow[]; bom: boolean }> {
  const bytes = await readFile(path);
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const records: string[][] = parse(bytes, { bom: true });
  const header = records[0]!;
  const rows = records.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]!])));
  return { header, rows, bom };
}

async function hashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) {
    out[name] = createHash('sha256')
      .update(await readFile(join(dir, name)))
      .digest('hex');
  }
  return out;
}

let root: string;
let small: { dir: string; result: DemoDataResult };
let large: { dir: string; result: DemoDataResult };
let db: DuckDBConnection;

async function generate(name: string, dossiers: number, seed: number) {
  const dir = join(root, name);
  return { dir, result: await writeDemoData({ out: dir, dossiers, seed }) };
}

async function query(sql: string): Promise<Record<string, unknown>[]> {
  return (await db.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

/** Every row of every extract of `dir`, all VARCHAR, with its snapshot date. */
function extractsOf(dir: string): string {
  const files = DEMO_SNAPSHOTS.map((d) => sqlString(join(dir, extractFileName(d))));
  return `(SELECT *, regexp_extract(filename, '(\\d{4}-\\d{2}-\\d{2})\\.csv$', 1) AS snapshot_date
    FROM read_csv([${files.join(', ')}], all_varchar = true, header = true, filename = true))`;
}

/** Each dossier's latest state across the snapshots. */
function latestOf(dir: string): string {
  return `(SELECT * FROM ${extractsOf(dir)} QUALIFY row_number() OVER (PARTITION BY dossier_id ORDER BY snapshot_date DESC) = 1)`;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'congkhai-demo-'));
  small = await generate('small-a', SMALL, 7);
  large = await generate('large', LARGE, 3);
  db = await openDuckDb({ threads: 2 });
});

afterAll(async () => {
  db?.closeSync();
  await rm(root, { recursive: true, force: true });
});

describe('determinism', () => {
  it('writes byte-identical files for the same seed, and different extracts for another seed', async () => {
    const again = await generate('small-b', SMALL, 7);
    const other = await generate('small-c', SMALL, 8);
    const a = await hashes(small.dir);
    expect(Object.keys(a)).toEqual([...DEMO_SNAPSHOTS.map(extractFileName), UNITS_FILE].sort());
    expect(await hashes(again.dir)).toEqual(a);
    const c = await hashes(other.dir);
    expect(c[UNITS_FILE]).toBe(a[UNITS_FILE]); // units do not depend on the seed
    for (const d of DEMO_SNAPSHOTS) expect(c[extractFileName(d)]).not.toBe(a[extractFileName(d)]);
  });
});

describe('extract files', () => {
  it('hold every dossier once per snapshot, with the counts the generator reports', async () => {
    const all = new Set<string>();
    for (const [i, date] of DEMO_SNAPSHOTS.entries()) {
      const { header, rows, bom } = await readCsv(join(small.dir, extractFileName(date)));
      expect(bom).toBe(true);
      expect(header).toEqual(EXTRACT_COLUMNS);
      expect(small.result.files.find((f) => f.name === extractFileName(date))?.rows).toBe(rows.length);
      const ids = rows.map((r) => r.dossier_id!);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) all.add(id);
      const end = `${date} 23:59:59`;
      for (const row of rows) {
        expect(row.received_at! <= end).toBe(true);
        expect(row.updated_at! <= end).toBe(true);
        // Incremental extracts hold only what was received or changed that day.
        if (i > 0) expect(row.updated_at!.slice(0, 10)).toBe(date);
      }
      // 2024-12-29 is a Sunday: at this size it may hold no dossier at all.
      if (date !== '2024-12-29') expect(rows.length).toBeGreaterThan(0);
    }
    expect(all.size).toBe(SMALL);
    expect(Object.values(small.result.byLevel).reduce((a, b) => a + b, 0)).toBe(SMALL);
  });

  it('meets the v1 row contract on every row, with citizen columns to drop', async () => {
    let checked = 0;
    for (const date of DEMO_SNAPSHOTS) {
      const { rows } = await readCsv(join(small.dir, extractFileName(date)));
      for (const row of rows) {
        const parsed = DemoRowSchema.safeParse(row);
        if (!parsed.success) throw new Error(`${date} ${row.dossier_id}: ${parsed.error.message}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(SMALL * 0.99);
  });

  it('covers every status, channel, level and the kinds of deadline', async () => {
    const rows = await query(`SELECT status, channel, unit_level, (due_at IS NULL) AS no_due,
        count(*)::INTEGER AS n FROM ${latestOf(large.dir)} GROUP BY ALL`);
    const seen = (key: string) => new Set(rows.map((r) => String(r[key])));
    expect([...seen('status')].sort()).toEqual(
      [
        'processing',
        'rejected_at_intake',
        'resolved',
        'stopped',
        'submitted',
        'supplement_requested',
        'withdrawn',
      ].sort(),
    );
    expect([...seen('channel')].sort()).toEqual(['direct', 'online', 'postal']);
    expect([...seen('unit_level')].sort()).toEqual(['commune', 'district', 'province']);
    expect(seen('no_due')).toEqual(new Set(['true', 'false']));
  });
});

describe('aggregates over the 24 months', () => {
  it("hit each unit's fixture-derived online share and on-time rate within a few points", async () => {
    const rows = await query(`
      SELECT unit_code,
        count(*) FILTER (status NOT IN ('submitted', 'rejected_at_intake'))::INTEGER AS received,
        count(*) FILTER (status NOT IN ('submitted', 'rejected_at_intake') AND channel = 'online')::INTEGER AS online,
        count(*) FILTER (status = 'resolved')::INTEGER AS resolved,
        count(*) FILTER (status = 'resolved' AND (due_at IS NULL
          OR CAST(CAST(resolved_at AS TIMESTAMP) AS DATE) <= CAST(CAST(due_at AS TIMESTAMP) AS DATE)))::INTEGER AS on_time
      FROM ${latestOf(large.dir)} GROUP BY unit_code`);
    const byCode = new Map(rows.map((r) => [r.unit_code as string, r as Record<string, number>]));
    let checkedOnline = 0;
    let checkedOnTime = 0;
    for (const unit of DEMO_UNITS) {
      const r = byCode.get(unit.unit_code);
      expect(r, unit.unit_code).toBeDefined();
      // "A few points": 3 points plus three standard errors of the sample.
      const tolerance = (p: number, n: number) => 0.03 + 3 * Math.sqrt((p * (1 - p)) / n);
      if (r!.received! >= 300) {
        const share = r!.online! / r!.received!;
        const p = unit.target_online_share;
        expect(Math.abs(share - p), `${unit.unit_name} online ${share} vs ${p}`).toBeLessThan(
          tolerance(p, r!.received!),
        );
        checkedOnline++;
      }
      if (r!.resolved! >= 300) {
        const rate = r!.on_time! / r!.resolved!;
        const p = unit.target_on_time_rate;
        expect(Math.abs(rate - p), `${unit.unit_name} on time ${rate} vs ${p}`).toBeLessThan(
          tolerance(p, r!.resolved!),
        );
        checkedOnTime++;
      }
    }
    expect(checkedOnline).toBeGreaterThanOrEqual(40);
    expect(checkedOnTime).toBeGreaterThanOrEqual(40);
    // The fixture's extremes survive: Sở TN&MT ~76% on time, Cục thuế ~39%, Sở Công thương ~97% online.
    const rate = (code: string) => byCode.get(code)!.on_time! / byCode.get(code)!.resolved!;
    expect(rate('BG-S12')).toBeGreaterThan(0.72);
    expect(rate('BG-S12')).toBeLessThan(0.8);
    expect(rate('BG-S24')).toBeLessThan(0.5);
  });

  it('splits volume by level as designed and keeps withdrawn and stopped dossiers rare', async () => {
    for (const [level, share] of Object.entries(LEVEL_SHARES)) {
      const n = large.result.byLevel[level as keyof typeof LEVEL_SHARES];
      expect(Math.abs(n / LARGE - share), level).toBeLessThan(0.015);
    }
    const withdrawn = (large.result.byStatus['withdrawn'] ?? 0) / LARGE;
    const stopped = (large.result.byStatus['stopped'] ?? 0) / LARGE;
    expect(withdrawn).toBeGreaterThan(0.01);
    expect(withdrawn).toBeLessThan(0.02);
    expect(stopped).toBeGreaterThan(0.003);
    expect(stopped).toBeLessThan(0.008);
  });

  it('dips at Tết, rises before the year end, and grows electronic certification results', async () => {
    const [v] = await query(`
      WITH r AS (SELECT CAST(CAST(received_at AS TIMESTAMP) AS DATE) AS day, * FROM ${latestOf(large.dir)})
      SELECT
        count(*) FILTER (day BETWEEN DATE '2024-02-08' AND DATE '2024-02-21')::DOUBLE AS tet_fortnight,
        count(*) FILTER (day BETWEEN DATE '2024-03-04' AND DATE '2024-03-17')::DOUBLE AS march_fortnight,
        count(*) FILTER (month(day) = 12 AND year(day) = 2024)::DOUBLE AS december,
        count(*) FILTER (month(day) = 8 AND year(day) = 2024)::DOUBLE AS august,
        avg(CASE WHEN result_electronic = 'true' THEN 1 ELSE 0 END)
          FILTER (field_name = 'Chứng thực' AND status = 'resolved' AND day < DATE '2023-04-01') AS ecert_first,
        avg(CASE WHEN result_electronic = 'true' THEN 1 ELSE 0 END)
          FILTER (field_name = 'Chứng thực' AND status = 'resolved' AND day >= DATE '2024-10-01') AS ecert_last
      FROM r`);
    const f = v as Record<string, number>;
    expect(f.tet_fortnight!).toBeLessThan(0.5 * f.march_fortnight!);
    expect(f.december!).toBeGreaterThan(1.15 * f.august!);
    expect(f.ecert_first!).toBeLessThan(0.12);
    expect(f.ecert_last!).toBeGreaterThan(0.3);
  });
});

describe('nightly snapshots', () => {
  it('move open dossiers on: open on 12-28, resolved in the extract of the day they closed', async () => {
    const [r] = await query(`
      WITH a AS (SELECT * FROM ${extractsOf(large.dir)} WHERE snapshot_date = '2024-12-28'),
           l AS ${latestOf(large.dir)}
      SELECT
        count(*) FILTER (l.status IN ('resolved', 'withdrawn', 'stopped')
          AND l.resolved_at >= '2024-12-29' AND a.dossier_id IS NOT NULL)::INTEGER AS moved_on,
        count(*) FILTER (l.status IN ('resolved', 'withdrawn', 'stopped') AND l.resolved_at >= '2024-12-29'
          AND a.dossier_id IS NOT NULL AND (a.resolved_at IS NOT NULL OR a.status NOT IN ('processing', 'supplement_requested')))::INTEGER AS not_open_before,
        count(*) FILTER (l.resolved_at >= '2024-12-29' AND substr(l.resolved_at, 1, 10) <> l.snapshot_date)::INTEGER AS wrong_day,
        count(*) FILTER (a.dossier_id IS NULL AND l.received_at < '2024-12-29')::INTEGER AS missing_from_full,
        count(*) FILTER (a.dossier_id IS NOT NULL AND l.received_at >= '2024-12-29')::INTEGER AS early_in_full,
        count(*) FILTER (l.snapshot_date = '2024-12-30' AND l.status = 'resolved' AND a.dossier_id IS NOT NULL)::INTEGER AS resolved_on_30th
      FROM l LEFT JOIN a USING (dossier_id)`);
    const c = r as Record<string, number>;
    expect(c.moved_on!).toBeGreaterThan(100);
    expect(c.resolved_on_30th!).toBeGreaterThan(50);
    expect(c.not_open_before).toBe(0);
    expect(c.wrong_day).toBe(0);
    expect(c.missing_from_full).toBe(0);
    expect(c.early_in_full).toBe(0);
  });

  it('yield, dossier by dossier, the true state at the end of 2024-12-31', async () => {
    const rows = await query(
      `SELECT status, count(*)::INTEGER AS n FROM ${latestOf(large.dir)} GROUP BY status`,
    );
    const merged = Object.fromEntries(rows.map((r) => [r.status as string, r.n as number]));
    expect(merged).toEqual(large.result.byStatus);
    const [total] = await query(`SELECT count(*)::INTEGER AS n FROM ${latestOf(large.dir)}`);
    expect(total!.n).toBe(LARGE);
  });
});

describe('units.csv', () => {
  it('lists every unit, communes under existing districts, and every dossier unit', async () => {
    const { header, rows, bom } = await readCsv(join(small.dir, UNITS_FILE));
    expect(bom).toBe(true);
    expect(header).toEqual([...UNITS_COLUMNS]);
    expect(rows.map((r) => r.unit_code)).toEqual(DEMO_UNITS.map((u) => u.unit_code));
    const districts = new Set(rows.filter((r) => r.unit_level === 'district').map((r) => r.unit_code));
    expect(rows.filter((r) => r.unit_level === 'province')).toHaveLength(24);
    expect(districts.size).toBe(10);
    for (const district of districts) {
      const communes = rows.filter((r) => r.parent_code === district);
      expect(communes.length).toBeGreaterThanOrEqual(5);
      expect(communes.length).toBeLessThanOrEqual(8);
      for (const c of communes) expect(c.unit_name).toMatch(/^UBND (xã|phường|thị trấn) \p{Lu}/u);
    }
    for (const r of rows) {
      if (r.unit_level === 'commune') expect(districts.has(r.parent_code!)).toBe(true);
      else expect(r.parent_code).toBe('');
    }
    expect(new Set(rows.map((r) => r.unit_name)).size).toBe(rows.length);
    expect(new Set(rows.map((r) => r.match!.split(';')[0])).size).toBe(rows.length);

    // Every dossier's unit is in the registry, and its MaHoSo prefix matches that unit.
    const byCode = new Map(rows.map((r) => [r.unit_code!, r]));
    const { rows: dossiers } = await readCsv(join(small.dir, extractFileName(DEMO_SNAPSHOTS[0])));
    for (const d of dossiers) {
      const unit = byCode.get(d.unit_code!);
      expect(unit, d.unit_code).toBeDefined();
      expect(unit!.match!.split(';')).toContain(d.dossier_id!.split('-')[0]);
      expect(d.unit_name).toBe(unit!.unit_name);
    }
  });

  it('uses the fixture’s exact agency and district names and rates', async () => {
    const { rows } = await readCsv(FIXTURE);
    const named = DEMO_UNITS.filter((u) => u.unit_level !== 'commune');
    expect(named.map((u) => u.unit_name)).toEqual(rows.map((r) => r.unit_name));
    for (const [i, r] of rows.entries()) {
      const online = Number(r.received_online);
      const fresh = online + Number(r.received_offline);
      const onTime = Number(r.resolved_on_time);
      const resolved = Number(r.resolved_total);
      if (fresh < 20 || resolved < 20) continue;
      expect(named[i]!.target_online_share).toBeCloseTo(online / fresh, 10);
      expect(named[i]!.target_on_time_rate).toBeCloseTo(onTime / resolved, 10);
    }
  });
});

describe('congkhai demo-data', () => {
  it('writes the files, reports them, and leaves no temporary file', async () => {
    const out = join(root, 'cli');
    const run = spawnSync(
      process.execPath,
      [join(REPO, 'functions/cli/main.ts'), 'demo-data', '--out', out, '--dossiers', '400', '--seed', '5'],
      { encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    for (const name of [UNITS_FILE, ...DEMO_SNAPSHOTS.map(extractFileName)])
      expect(run.stdout).toContain(`wrote ${name}`);
    expect(run.stdout).toMatch(/400 dossiers \(seed 5\)/);
    expect((await readdir(out)).sort()).toEqual([...DEMO_SNAPSHOTS.map(extractFileName), UNITS_FILE].sort());

    const bad = spawnSync(
      process.execPath,
      [join(REPO, 'functions/cli/main.ts'), 'demo-data', '--out', out, '--dossiers', 'many'],
      {
        encoding: 'utf8',
      },
    );
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/dossiers/);
  });
});

// The publisher's guards: a smaller or empty version never replaces the live data unless told,
// dated copies are whole folders that are never modified, left-overs of killed runs are
// removed (only those of processes that are gone), and nothing is written outside `out`.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseConfig } from '../../functions/core/config.ts';
import { openDuckDbEngine } from '../../functions/core/kpi/duckdb-engine.ts';
import { type KpiResult, runKpis } from '../../functions/core/kpi/run-kpis.ts';
import { publishData } from '../../functions/core/publish/publish-data.ts';
import { ShrinkError } from '../../functions/core/publish/scope.ts';
import { LocalStorage } from '../../functions/core/storage.ts';
import { runCli } from '../ingest/helpers.ts';
import { hiddenEntries, publishedProblems, versionProblems } from '../support/published-versions.ts';
import { type LakeRecord, writeLakeSnapshot } from '../support/write-lake.ts';

const UNITS = [
  { unit_code: 'S1', unit_name: 'Sở Tư pháp', unit_level: 'province' },
  { unit_code: 'S2', unit_name: 'Sở Y tế', unit_level: 'province' },
  { unit_code: 'H1', unit_name: 'UBND huyện Lục Nam', unit_level: 'district' },
] as const;

function records(units: readonly (typeof UNITS)[number][]): LakeRecord[] {
  return units.flatMap((unit) =>
    Array.from({ length: 40 }, (_, i) => {
      const day = String(1 + (i % 28)).padStart(2, '0');
      const month = ['01', '02', '03'][i % 3];
      return {
        ...unit,
        dossier_id: `${unit.unit_code}-${i}`,
        channel: i % 2 ? 'online' : 'direct',
        received_at: `2021-${month}-${day} 08:00:00`,
        due_at: `2021-${month}-${day} 17:00:00`,
        resolved_at: i % 5 === 0 ? null : `2021-${month}-${day} 16:00:00`,
        status: i % 5 === 0 ? 'processing' : 'resolved',
      } satisfies LakeRecord;
    }),
  );
}

let dir: string;
let fullLake: string;
let smallLake: string;
let full: KpiResult;
let fewerUnits: KpiResult;
let fewerPeriods: KpiResult;
let empty: KpiResult;

async function kpis(lake: string, asOf?: string): Promise<KpiResult> {
  const engine = await openDuckDbEngine(lake);
  try {
    return await runKpis(engine, new LocalStorage(lake), {
      config: parseConfig({}),
      ...(asOf ? { asOf } : {}),
    });
  } finally {
    await engine.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'congkhai-guard-'));
  fullLake = join(dir, 'lake');
  await writeLakeSnapshot(fullLake, '2021-03-31', records(UNITS));
  smallLake = join(dir, 'lake-small');
  await writeLakeSnapshot(smallLake, '2021-03-31', records(UNITS.slice(0, 2)));
  full = await kpis(fullLake);
  fewerUnits = await kpis(smallLake);
  const laterLake = join(dir, 'lake-later'); // no dossier received in January
  await writeLakeSnapshot(
    laterLake,
    '2021-03-31',
    records(UNITS).filter((r) => !r.received_at.startsWith('2021-01')),
  );
  fewerPeriods = await kpis(laterLake);
  // `kpi` refuses an as-of before the first dossier (AsOfError); the publisher must hold on its own.
  empty = { ...full, tables: Object.fromEntries(Object.keys(full.tables).map((name) => [name, []])) };
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const live = (out: string) => realpath(join(out, 'data', 'v1'));

describe('a smaller version does not replace the live data unless told', () => {
  test.each([
    ['empty', () => empty, /the new version is empty \(0 units, 3 live\)/],
    ['fewer units', () => fewerUnits, /units 3 → 2/],
    [
      'fewer periods',
      () => fewerPeriods,
      /periods 6 → 5; unit rows of complete periods: month 2021-01: 3 → 0 rows/,
    ],
  ])('%s: refused, naming what shrank; the live version stays', async (name, next, message) => {
    const out = join(dir, `out-${name.replace(' ', '-')}`);
    const storage = new LocalStorage(out);
    await publishData(full, storage, { now: new Date('2021-04-01T01:00:00Z') });
    const before = await live(out);
    const error = await publishData(next(), storage).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShrinkError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain('--allow-empty');
    expect(await live(out)).toBe(before);
    expect(await hiddenEntries(join(out, 'data'))).toEqual([]);
    // Told: it is published.
    await publishData(next(), storage, { allowSmaller: true });
    expect(await live(out)).not.toBe(before);
    expect((await publishedProblems(out)).problems).toEqual([]);
  });

  test('a version of the same scope or larger is published without a flag', async () => {
    const out = join(dir, 'out-grow');
    const storage = new LocalStorage(out);
    await publishData(fewerPeriods, storage);
    await publishData(full, storage);
    await publishData(full, storage);
    const pkg = JSON.parse(await readFile(join(out, 'data', 'v1', 'datapackage.json'), 'utf8'));
    expect(pkg.scope.units).toBe(3);
    expect(pkg.scope.complete_periods).toContain('month 2021-02');
  });

  test('a live version without a recorded scope is measured from its tables', async () => {
    const out = join(dir, 'out-legacy');
    const storage = new LocalStorage(out);
    await publishData(full, storage);
    const pkgPath = join(await live(out), 'datapackage.json');
    const pkg = JSON.parse(await readFile(pkgPath, 'utf8'));
    delete pkg.scope;
    await writeFile(pkgPath, JSON.stringify(pkg));
    await expect(publishData(fewerUnits, storage)).rejects.toThrow(/units 3 → 2/);
  });

  test('the CLI: a lake with fewer units exits 2 naming what shrank; --allow-empty publishes', async () => {
    const out = join(dir, 'out-cli');
    const first = await runCli(['kpi', '--lake', fullLake, '--out', out]);
    expect(first.code, first.stderr).toBe(0);
    const before = await live(out);
    const refused = await runCli(['kpi', '--lake', smallLake, '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/smaller than the live data .*units 3 → 2/);
    expect(refused.stderr).toContain('--allow-empty');
    expect(await live(out)).toBe(before);
    const told = await runCli(['kpi', '--lake', smallLake, '--out', out, '--allow-empty']);
    expect(told.code, told.stderr).toBe(0);
    expect(await live(out)).not.toBe(before);
  }, 120_000);
});

describe('dated copies', () => {
  test('publishing the same as-of date again makes a new dated version; the old one is never modified', async () => {
    const out = join(dir, 'out-archive');
    const storage = new LocalStorage(out);
    await publishData(full, storage, { now: new Date('2021-04-01T01:00:00Z') });
    const archive = join(out, 'data', 'v1', 'archive', '2021-04-01');
    const first = await realpath(archive);
    const firstPackage = await readFile(join(first, 'datapackage.json'), 'utf8');
    await publishData(full, storage, { now: new Date('2021-04-01T02:00:00Z') });
    const second = await realpath(archive);
    expect(second).not.toBe(first);
    // The first dated version is still whole and byte for byte what it was.
    expect(await readFile(join(first, 'datapackage.json'), 'utf8')).toBe(firstPackage);
    expect(await versionProblems(first)).toEqual([]);
    expect(JSON.parse(await readFile(join(second, 'datapackage.json'), 'utf8')).created).toBe(
      '2021-04-01T02:00:00.000Z',
    );
    const report = await publishedProblems(out);
    expect(report.versions).toBeGreaterThanOrEqual(4);
    expect(report.problems).toEqual([]);
  });
});

describe('dated copies from before archive versions', () => {
  test('a dated copy written in place joins the archive versions unmodified', async () => {
    const out = join(dir, 'out-legacy-archive');
    const legacy = join(out, 'data', 'v1-archive', '2021-04-01');
    await mkdir(legacy, { recursive: true });
    await writeFile(join(legacy, 'unit_kpis.csv'), 'an old dated copy');
    await publishData(full, new LocalStorage(out));
    const versions = await readdir(join(out, 'data', 'v1-archive-versions', '2021-04-01'));
    const moved = versions.find((v) => v.startsWith('00000000-legacy-'));
    expect(moved).toBeDefined();
    expect(
      await readFile(join(out, 'data', 'v1-archive-versions', '2021-04-01', moved!, 'unit_kpis.csv'), 'utf8'),
    ).toBe('an old dated copy');
    expect(await versionProblems(await realpath(join(out, 'data', 'v1', 'archive', '2021-04-01')))).toEqual(
      [],
    );
  });
});

describe('left-overs and temporary files', () => {
  const deadPid = () =>
    new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['-e', '']);
      child.on('exit', () => resolve(child.pid!));
    });

  test("a killed run's staging folder is removed; a live process's is kept", async () => {
    const out = join(dir, 'out-leftovers');
    const dead = join(out, 'data', `.staging-${await deadPid()}-abcdef`);
    const alive = join(out, 'data', `.staging-${process.ppid}-abcdef`);
    const unowned = join(out, 'data', '.staging-notapid');
    for (const folder of [dead, alive, unowned]) {
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, 'unit_kpis.csv'), 'half a file');
    }
    await publishData(full, new LocalStorage(out));
    const left = await readdir(join(out, 'data'));
    expect(left).not.toContain(dead.split('/').pop());
    expect(left).toContain(alive.split('/').pop());
    expect(left).toContain('.staging-notapid');
  });

  test('nothing is written outside the output folder (no temporary folder in TMPDIR)', async () => {
    const temp = join(dir, 'tmpdir');
    await mkdir(temp);
    const saved = process.env['TMPDIR'];
    process.env['TMPDIR'] = temp;
    try {
      expect(tmpdir()).toBe(temp);
      await publishData(full, new LocalStorage(join(dir, 'out-tmp')));
    } finally {
      if (saved === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = saved;
    }
    expect(await readdir(temp)).toEqual([]);
    expect(await hiddenEntries(join(dir, 'out-tmp'))).toEqual([]);
  });
});

// The publish Lambda's code path on a real S3-compatible server: runKpis → publishData to the
// site bucket → data/v1/latest.json moved to the new dated version. The query engine is the
// DuckDB adapter over a copy of the lake (Athena's own requests are tested in
// athena-engine.test.ts); everything else is what runs in the Lambda.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATEST_POINTER_KEY, type LatestPointer } from '../../functions/core/cloud/latest-pointer.ts';
import { S3Storage } from '../../functions/core/cloud/s3-storage.ts';
import { openDuckDb } from '../../functions/core/duckdb.ts';
import { ingestExtract } from '../../functions/core/ingest/ingest-extract.ts';
import { DuckDbEngine, duckDbDossierSource } from '../../functions/core/kpi/duckdb-engine.ts';
import { ShrinkError } from '../../functions/core/publish/scope.ts';
import { handlePublish } from '../../functions/publish/handler.ts';
import { FIXTURES } from '../support/fixtures.ts';
import { type S3rver, startS3rver } from './s3rver-process.ts';

/** The key the Lambda reads from Secrets Manager at cold start (reference-key-secret.test.ts). */
const TEST_REFERENCE_KEY = 'publish-handler-test-key-0123456789';

let s3: S3rver;
let work: string;
let lake: S3Storage;
let site: S3Storage;

beforeAll(async () => {
  s3 = await startS3rver();
  await s3.createBuckets('pub-lake', 'pub-site');
  work = await mkdtemp(join(tmpdir(), 'congkhai-publish-handler-'));
  lake = new S3Storage({ bucket: 'pub-lake', client: s3.client });
  site = new S3Storage({ bucket: 'pub-site', client: s3.client });
  await ingestExtract({
    path: join(FIXTURES, 'dvcqg-sample.json'),
    name: 'dvcqg-2021-04-01.json',
    unitsPath: join(FIXTURES, 'dvcqg-sample-units.csv'),
    lake,
    workDir: work,
  });
});

afterAll(async () => {
  await s3?.stop();
  await rm(work, { recursive: true, force: true });
});

/** DuckDB reads local files: mirror the lake bucket's dossiers to a folder. */
async function duckDbOverMirror(): Promise<DuckDbEngine> {
  const mirror = join(work, 'mirror');
  for (const key of await lake.list('dossiers')) await lake.downloadTo(key, join(mirror, ...key.split('/')));
  return new DuckDbEngine(await openDuckDb(), duckDbDossierSource(mirror));
}

describe('publish handler', () => {
  it('publishes a dated version, refreshes the stable names, then moves latest.json to it', async () => {
    const engine = await duckDbOverMirror();
    const pointer = await handlePublish(
      {},
      { engine, lake, site, workDir: work, referenceKey: TEST_REFERENCE_KEY },
    );
    await engine.close();

    expect(pointer.version).toBe('2021-04-02');
    expect(pointer.as_of).toBe('2021-04-02 00:00:00');
    expect(pointer.prefix).toBe('data/v1/archive/2021-04-02/');
    expect(pointer.files).toEqual(
      expect.arrayContaining(['unit_kpis.csv', 'unit_kpis.parquet', 'datapackage.json']),
    );

    const stored = JSON.parse(
      Buffer.from((await site.getBytes(LATEST_POINTER_KEY))!).toString('utf8'),
    ) as LatestPointer;
    expect(stored).toEqual(pointer);
    const keys = await site.list('data/v1');
    for (const file of pointer.files) {
      expect(keys).toContain(`${pointer.prefix}${file}`);
      expect(keys).toContain(`data/v1/${file}`);
      // The stable name holds the same bytes as the dated version it came with.
      expect(Buffer.from((await site.getBytes(`data/v1/${file}`))!)).toEqual(
        Buffer.from((await site.getBytes(`${pointer.prefix}${file}`))!),
      );
    }

    // The published year figures count every fixture dossier that was received (status 1 =
    // submitted and 3 = refused at intake are not).
    const fixture = JSON.parse(await readFile(join(FIXTURES, 'dvcqg-sample.json'), 'utf8')) as {
      data: { TrangThaiHoSo: string }[];
    };
    const received = fixture.data.filter((r) => !['1', '3'].includes(r.TrangThaiHoSo)).length;
    const units = JSON.parse(
      Buffer.from((await site.getBytes(`${pointer.prefix}unit_kpis.json`))!).toString('utf8'),
    ) as Array<Record<string, unknown>>;
    const year = units.filter((r) => r['period_type'] === 'year' && r['period'] === '2021');
    expect(year.reduce((sum, r) => sum + Number(r['received_total']), 0)).toBe(received);
    expect(received).toBeGreaterThan(0);
    const csv = Buffer.from((await site.getBytes('data/v1/unit_kpis.csv'))!).toString('utf8');
    expect(csv.startsWith('\uFEFFperiod_type,')).toBe(true);
  });

  it('re-publishing with an explicit as-of makes another version; the old one stays', async () => {
    const engine = await duckDbOverMirror();
    // An earlier as-of covers fewer periods than the live data: refused unless told.
    const refused = await handlePublish(
      { asOf: '2021-04-01' },
      { engine, lake, site, workDir: work, referenceKey: TEST_REFERENCE_KEY },
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ShrinkError);
    // An as-of with dossiers to count (one before every snapshot is refused: AsOfError).
    const pointer = await handlePublish(
      { asOf: '2021-04-01', allowEmpty: true },
      { engine, lake, site, workDir: work, referenceKey: TEST_REFERENCE_KEY },
    );
    await engine.close();
    expect(pointer.version).toBe('2021-04-01');
    const keys = await site.list('data/v1/archive');
    expect(keys.some((k) => k.startsWith('data/v1/archive/2021-04-02/'))).toBe(true);
    expect(keys.some((k) => k.startsWith('data/v1/archive/2021-04-01/'))).toBe(true);
    // The pointer never moves back: readers stay on the newer version.
    const stored = JSON.parse(Buffer.from((await site.getBytes(LATEST_POINTER_KEY))!).toString('utf8'));
    expect(stored.version).toBe('2021-04-02');
  });
});

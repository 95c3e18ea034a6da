// The ingest Lambda handler, invoked as Lambda invokes it (an S3 event), against a real
// S3-compatible server on 127.0.0.1 (s3rver, its own process). The extract goes through the
// real ingest core and lands as Parquet in the lake bucket; DuckDB reads it back.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtractRefusedError } from '../../functions/core/cloud/extract-refused-error.ts';
import { S3Storage } from '../../functions/core/cloud/s3-storage.ts';
import { LAKE_COLUMNS } from '../../functions/core/dossier-contract.ts';
import { openDuckDb, sqlString } from '../../functions/core/duckdb.ts';
import { handleIngest, handler, ingestDepsFromEnv } from '../../functions/ingest/handler.ts';
import { FIXTURES } from '../support/fixtures.ts';
import { type S3rver, startS3rver } from './s3rver-process.ts';

const LANDING = 'congkhai-landing';
const LAKE = 'congkhai-lake';
const CITIZEN_VALUES = ['Trần Thị Mẫu', '024190000123', '0912345678', 'mau.tran@example.vn'];

let s3: S3rver;
let work: string;
let lake: S3Storage;
const savedEnv = { ...process.env };

/** The event S3 sends for a PUT: the key URL-encoded, spaces as '+'. */
function s3Event(bucket: string, key: string, size = 1) {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'ap-southeast-1',
        eventName: 'ObjectCreated:Put',
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodeURIComponent(key).replaceAll('%2F', '/').replaceAll('%20', '+'), size },
        },
      },
    ],
  };
}

async function drop(key: string, body: Buffer | string) {
  await s3.client.send(new PutObjectCommand({ Bucket: LANDING, Key: key, Body: body }));
}

beforeAll(async () => {
  s3 = await startS3rver();
  await s3.createBuckets(LANDING, LAKE);
  work = await mkdtemp(join(tmpdir(), 'congkhai-ingest-handler-'));
  Object.assign(process.env, s3.env, { LAKE_BUCKET: LAKE, LANDING_PREFIX: 'landing/', WORK_DIR: work });
  delete process.env['PULL_SECRET_ID'];
  lake = new S3Storage({ bucket: LAKE, client: s3.client });
  await drop('landing/units.csv', await readFile(join(FIXTURES, 'dvcqg-sample-units.csv')));
});

afterAll(async () => {
  process.env = savedEnv;
  await s3?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('ingest handler on an S3 event', () => {
  it('lands a dropped DVCQG extract as Parquet in the lake, with the units.csv beside it', async () => {
    const key = 'landing/ho so 2021-04-01.json';
    const json = await readFile(join(FIXTURES, 'dvcqg-sample.json'));
    await drop(key, json);

    const result = await handler(s3Event(LANDING, key));

    expect(result.refused).toEqual([]);
    expect(result.ingested).toHaveLength(1);
    expect(result.ingested[0]).toMatchObject({
      file: 'ho so 2021-04-01.json',
      snapshotDate: '2021-04-01',
      format: 'dvcqg-json',
      rowsRead: 5,
      rowsAccepted: 5,
      rowsQuarantined: 0,
      skipped: false,
    });

    const keys = await lake.list('');
    const parts = keys.filter(
      (k) => k.startsWith('dossiers/snapshot_date=2021-04-01/') && k.endsWith('.parquet'),
    );
    expect(parts).toHaveLength(1);
    expect(keys.filter((k) => k.startsWith('ingest_log/snapshot_date=2021-04-01/'))).toHaveLength(1);

    // Read the Parquet that is in the bucket with DuckDB.
    const local = join(work, 'check.parquet');
    expect(await lake.downloadTo(parts[0]!, local)).toBe(true);
    const bytes = await readFile(local);
    for (const value of CITIZEN_VALUES) expect(bytes.includes(Buffer.from(value))).toBe(false);
    const db = await openDuckDb();
    const reader = await db.runAndReadAll(
      `SELECT * FROM read_parquet(${sqlString(local)}) ORDER BY dossier_id`,
    );
    const rows = reader.getRowObjectsJson();
    expect(reader.columnNames()).toEqual(LAKE_COLUMNS.map(([name]) => name));
    expect(rows).toHaveLength(5);
    // Each record's unit is the registry line whose `match` holds its MaHoSo prefix.
    const registry = (await readFile(join(FIXTURES, 'dvcqg-sample-units.csv'), 'utf8'))
      .trim()
      .split('\n')
      .slice(1);
    const unitOf = (id: string) => registry.find((line) => line.includes(id.split('-')[0]!))!.split(',')[0];
    const source = JSON.parse(json.toString('utf8')) as { data: { MaHoSo: string }[] };
    const expected = source.data.map((r) => [r.MaHoSo, unitOf(r.MaHoSo)]).sort();
    expect(rows.map((r) => [r['dossier_id'], r['unit_code']])).toEqual(expected);
    expect(rows[0]).toMatchObject({
      dossier_id: '000.00.01.H22-210105-00001',
      channel: 'online',
      status: 'resolved',
    });
    db.closeSync();
  });

  it('a retried event lands nothing twice', async () => {
    const before = await lake.list('');
    const result = await handler(s3Event(LANDING, 'landing/ho so 2021-04-01.json'));
    expect(result.ingested[0]?.skipped).toBe(true);
    expect(await lake.list('')).toEqual(before);
  });

  it('refuses a broken extract: nothing lands, the error names the file and the reason', async () => {
    const json = await readFile(join(FIXTURES, 'dvcqg-sample.json'), 'utf8');
    const key = 'landing/cut-2021-04-02.json';
    await drop(key, json.slice(0, Math.floor(json.length * 0.6))); // cut mid-record
    const before = await lake.list('');

    const error = await handler(s3Event(LANDING, key)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ExtractRefusedError);
    const refused = (error as ExtractRefusedError).refused;
    expect(refused).toEqual([{ file: `s3://${LANDING}/${key}`, reason: expect.stringMatching(/JSON/) }]);
    expect((error as Error).name).toBe('ExtractRefusedError');
    expect((error as Error).message).toContain(`s3://${LANDING}/${key}`);
    expect(await lake.list('')).toEqual(before);
    expect(before.some((k) => k.includes('2021-04-02'))).toBe(false);
  });

  it('ignores units.csv itself and folder markers', async () => {
    const before = await lake.list('');
    const result = await handler({
      Records: [
        s3Event(LANDING, 'landing/units.csv').Records[0],
        s3Event(LANDING, 'landing/sub/').Records[0],
      ],
    });
    expect(result.ingested).toEqual([]);
    expect(await lake.list('')).toEqual(before);
  });

  it('a scheduled run without a configured pull source does nothing', async () => {
    const result = await handler({ source: 'schedule' });
    expect(result).toEqual({ trigger: 'schedule', ingested: [], refused: [], nothingToPull: true });
  });
});

describe('the handler lands a CSV with an explicit unit_code too', () => {
  it('writes a quarantine part for a broken row and accepts the rest', async () => {
    const csv = [
      'dossier_id,procedure_code,unit_code,unit_name,unit_level,channel,received_at,due_at,resolved_at,status',
      'D-1,1.001766,U1,Sở A,province,online,2021-03-01 08:00:00,2021-03-05 17:00:00,2021-03-04 10:00:00,resolved',
      'D-2,1.001766,U1,Sở A,province,direct,not-a-date,,,processing',
    ].join('\n');
    const key = 'landing/csv/extract-2021-04-03.csv';
    await drop(key, csv);
    const result = await handler(s3Event(LANDING, key));
    expect(result.ingested[0]).toMatchObject({ rowsRead: 2, rowsAccepted: 1, rowsQuarantined: 1 });
    const keys = await lake.list('quarantine');
    expect(keys.some((k) => k.startsWith('quarantine/snapshot_date=2021-04-03/'))).toBe(true);
  });
});

describe('the size limit on dropped extracts', () => {
  const limited = () => ({ ...ingestDepsFromEnv({ ...process.env }), maxExtractBytes: 1000 });

  it('refuses by the size in the event, before any download (the key need not even exist)', async () => {
    const before = await lake.list('');
    const key = 'landing/huge-2021-04-04.json';
    const error = await handleIngest(s3Event(LANDING, key, 5_000_000_000), limited()).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ExtractRefusedError);
    expect((error as ExtractRefusedError).refused).toEqual([
      {
        file: `s3://${LANDING}/${key}`,
        reason: 'the object is 5000000000 bytes, larger than the 1000-byte limit (maxExtractBytes)',
      },
    ]);
    expect(await lake.list('')).toEqual(before);
  });

  it('refuses by the object’s own length when it grew after the event; nothing lands', async () => {
    const before = await lake.list('');
    const key = 'landing/grown-2021-04-05.json';
    await drop(key, await readFile(join(FIXTURES, 'dvcqg-sample.json')));
    const error = await handleIngest(s3Event(LANDING, key, 10), limited()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExtractRefusedError);
    expect((error as ExtractRefusedError).refused[0]!.reason).toMatch(
      /^the object is \d+ bytes, larger than the 1000-byte limit/,
    );
    expect(await lake.list('')).toEqual(before);
  });

  it('a key named ".." is downloaded inside the work folder', async () => {
    await drop('landing/..', 'dossier_id\n');
    const error = await handleIngest(s3Event(LANDING, 'landing/..', 11), limited()).catch((e: unknown) => e);
    // Refused as an unreadable extract, not as an escape or a crash.
    expect(error).toBeInstanceOf(ExtractRefusedError);
  });
});

describe('the scheduled pull keeps the raw extract', () => {
  it('under pulled/ in the landing bucket (outside landing/), byte for byte, then ingests it', async () => {
    const { createServer } = await import('node:http');
    const extract = await readFile(join(FIXTURES, 'dvcqg-sample.json'));
    const server = createServer((_req, res) => res.writeHead(200).end(extract));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as import('node:net').AddressInfo;
    try {
      const deps = {
        ...ingestDepsFromEnv({ ...process.env, LANDING_BUCKET: LANDING }),
        allowPrivateHosts: true,
        pullSource: async () => ({
          url: `http://127.0.0.1:${port}/export/hoso-2021-04-06.json`,
          headerName: 'Authorization',
          headerValue: 'Bearer t',
          timeoutSeconds: 10,
        }),
      };
      const result = await handleIngest({ source: 'schedule' }, deps);
      expect(result.ingested[0]).toMatchObject({ file: 'hoso-2021-04-06.json', snapshotDate: '2021-04-06' });
      const landing = new S3Storage({ bucket: LANDING, client: s3.client });
      const kept = await landing.list('pulled');
      expect(kept).toHaveLength(1);
      expect(kept[0]).toMatch(/^pulled\/\d{8}T\d{6}Z-hoso-2021-04-06\.json$/);
      expect(Buffer.from((await landing.getBytes(kept[0]!))!)).toEqual(extract);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

// The bulk-load path's exact requests, with the AWS SDK mocked (aws-sdk-client-mock) as for
// the KPI queries: one ranged GET of the file's head, then CREATE EXTERNAL TABLE, INSERT into
// dossiers, INSERT into quarantine, the count, and DROP, each sent to StartQueryExecution
// with the lake's workgroup and database and polled until it ends. A failed statement names
// the landing file and the step, and the DROP is still sent. No citizen column is ever named
// outside its ignored placeholder.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecutionState,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { HiveSQL, TrinoSQL } from 'dt-sql-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleBulkLoad } from '../../functions/bulk-load/handler.ts';
import { AthenaEngine } from '../../functions/core/cloud/athena-engine.ts';
import { BulkLoadError, bulkLoad, HEAD_BYTES } from '../../functions/core/cloud/bulk-load.ts';
import { bulkLoadStatements, rawColumnNames } from '../../functions/core/cloud/bulk-load-statements.ts';
import { readCsvHead } from '../../functions/core/extract/csv-head.ts';
import { vocabularyRows } from '../../functions/core/extract/vocabulary.ts';
import { readStagingSql } from '../../functions/core/ingest/staging-sql.ts';
import { LocalStorage } from '../../functions/core/storage.ts';

const FIXTURE = join(import.meta.dirname, '../fixtures/vendor-export-sample.csv');
const LANDING = 'landing-bucket';
const KEY = 'landing/2025/vendor-export-2025-10-03.csv';
const FILE = `s3://${LANDING}/${KEY}`;
const CITIZEN_HEADERS = ['Chủ hồ sơ', 'Số điện thoại'];
const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };

const s3Client = new S3Client({ region: 'ap-southeast-1', credentials });
const s3 = mockClient(s3Client);
const athenaClient = new AthenaClient({ region: 'ap-southeast-1', credentials });
const athena = mockClient(athenaClient);

/** An SDK body as far as the code reads it: a stream, or transformToByteArray. */
const body = (bytes: Buffer) =>
  Object.assign(Readable.from([bytes]), {
    transformToByteArray: async () => new Uint8Array(bytes),
  }) as never;
const notFound = () => new NoSuchKey({ message: 'no such key', $metadata: { httpStatusCode: 404 } });
const status = (State: QueryExecutionState, StateChangeReason?: string) => ({
  QueryExecution: { Status: { State, StateChangeReason } },
});

let csv: Buffer;
let work: string;
let lake: LocalStorage;
let sleeps: number;
const NOW = new Date('2025-10-04T03:00:00Z');

function deps() {
  return {
    s3: s3Client,
    athena: new AthenaEngine({
      database: 'congkhai',
      workGroup: 'congkhai',
      client: athenaClient,
      sleep: async () => {
        sleeps++;
      },
    }),
    lake,
    workDir: work,
    now: () => NOW,
  };
}

/** Each started query gets q-<n>; GetQueryExecution answers per query id. */
function athenaAnswers(states: Record<string, QueryExecutionState[]> = {}, reason = 'FAILED: boom') {
  let n = 0;
  athena.on(StartQueryExecutionCommand).callsFake(async () => ({ QueryExecutionId: `q-${++n}` }));
  const polled = new Map<string, number>();
  athena
    .on(GetQueryExecutionCommand)
    .callsFake(async ({ QueryExecutionId }: { QueryExecutionId: string }) => {
      const i = polled.get(QueryExecutionId) ?? 0;
      polled.set(QueryExecutionId, i + 1);
      const sequence = states[QueryExecutionId] ?? ['SUCCEEDED'];
      const state = sequence[Math.min(i, sequence.length - 1)]!;
      return status(state, state === 'FAILED' ? reason : undefined);
    });
  const cell = (v: string | undefined) => (v === undefined ? {} : { VarCharValue: v });
  const row = (...values: (string | undefined)[]) => ({ Data: values.map(cell) });
  athena.on(GetQueryResultsCommand).resolves({ ResultSet: { Rows: [] } });
  // The count (the 4th statement): 4 accepted, 2 quarantined for an unknown status.
  athena.on(GetQueryResultsCommand, { QueryExecutionId: 'q-4' }).resolves({
    ResultSet: {
      ResultSetMetadata: {
        ColumnInfo: [
          { Name: 'part', Type: 'varchar' },
          { Name: 'reason_code', Type: 'varchar' },
          { Name: 'row_count', Type: 'bigint' },
        ],
      },
      Rows: [
        row('part', 'reason_code', 'row_count'),
        row('accepted', undefined, '4'),
        row('quarantined', 'invalid_date', '2'),
      ],
    },
  });
}

const started = () => athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input);

beforeEach(async () => {
  s3.reset();
  athena.reset();
  sleeps = 0;
  csv = await readFile(FIXTURE);
  work = await mkdtemp(join(tmpdir(), 'congkhai-bulk-test-'));
  lake = new LocalStorage(join(work, 'lake'));
  s3.on(GetObjectCommand).rejects(notFound());
  s3.on(GetObjectCommand, { Bucket: LANDING, Key: KEY }).resolves({
    Body: body(csv),
    ContentRange: `bytes 0-${csv.length - 1}/${csv.length}`,
    ETag: '"etag-1"',
  });
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

/** The statements as the test derives them from the fixture, independently of bulkLoad's plumbing. */
async function expectedStatements(rawTable: string) {
  const head = readCsvHead(csv.toString('utf8'), { hasRegistry: false });
  return bulkLoadStatements(
    {
      database: 'congkhai',
      rawTable,
      sourceFile: FILE,
      head,
      snapshotDate: '2025-10-03',
      maxTimestamp: '2025-10-05 10:00:00',
      vocabulary: vocabularyRows(),
    },
    await readStagingSql(),
  );
}

describe('bulkLoad: the exact requests', () => {
  it('reads one ranged head, then sends create, two inserts, the count and drop with workgroup and database, polling each until SUCCEEDED', async () => {
    athenaAnswers({ 'q-2': ['QUEUED', 'RUNNING', 'RUNNING', 'SUCCEEDED'] });
    const [result] = await bulkLoad({ landing: FILE }, deps());

    const gets = s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input);
    expect(gets.filter((g) => g.Key === KEY)).toEqual([
      { Bucket: LANDING, Key: KEY, Range: `bytes=0-${HEAD_BYTES - 1}` },
    ]);
    expect(gets.map((g) => g.Key)).toContain('landing/2025/units.csv');

    const requests = started();
    const rawTable = /CREATE EXTERNAL TABLE `congkhai`\.`(bulk_load_[0-9a-f]{24})`/.exec(
      requests[0]!.QueryString!,
    )?.[1];
    expect(rawTable).toBeDefined();
    const expected = await expectedStatements(rawTable!);
    expect(requests).toEqual(
      [
        expected.createRawTable,
        expected.insertDossiers,
        expected.insertQuarantine,
        expected.countLoaded,
        expected.dropRawTable,
      ].map((s) => ({
        QueryString: s.sql,
        WorkGroup: 'congkhai',
        // The workgroup enforces the output location (s3://<results>/athena/) and its encryption.
        QueryExecutionContext: { Database: 'congkhai', Catalog: 'AwsDataCatalog' },
      })),
    );
    // q-2 was polled until it succeeded: 4 polls; the other four once each.
    expect(athena.commandCalls(GetQueryExecutionCommand)).toHaveLength(8);
    expect(sleeps).toBe(8);

    expect(result).toEqual({
      file: FILE,
      snapshotDate: '2025-10-03',
      rowsRead: 6,
      rowsAccepted: 4,
      rowsQuarantined: 2,
      quarantinedByReason: { invalid_date: 2 },
      skipped: false,
    });
    const logs = await lake.list('ingest_log');
    expect(logs).toEqual([
      expect.stringMatching(/^ingest_log\/snapshot_date=2025-10-03\/[0-9a-f]{24}\.json$/),
    ]);
    const log = JSON.parse(Buffer.from((await lake.getBytes(logs[0]!))!).toString('utf8'));
    expect(log).toMatchObject({
      file: FILE,
      snapshot_date: '2025-10-03',
      rows_read: 6,
      rows_accepted: 4,
      rows_quarantined: 2,
      etag: '"etag-1"',
      loaded_by: 'athena',
    });
    expect(log.sha256).toBeUndefined();
  });

  it('the statements: the external table over the folder, positions named, then inserts guarded against a second load', async () => {
    athenaAnswers();
    await bulkLoad({ landing: FILE }, deps());
    const [create, dossiers, quarantine, count, drop] = started().map((r) => r.QueryString!);
    expect(create).toContain("LOCATION 's3://landing-bucket/landing/2025/'");
    expect(create).toContain("'separatorChar' = ';'");
    expect(create).toContain("ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'");
    expect(create).toContain("TBLPROPERTIES ('skip.header.line.count' = '1')");
    expect(create).toContain('`dossier_id` string,\n  `procedure_code` string');
    expect(create).toContain('`ignored_9` string,\n  `ignored_10` string');
    expect(dossiers).toMatch(/^INSERT INTO "congkhai"\."dossiers" \(dossier_id, procedure_code, /);
    expect(dossiers).toContain(`WHERE r."$path" = '${FILE}'`);
    expect(dossiers).toContain('normalize(p.t_procedure_name, NFC)');
    // No line numbers on Athena: NULL lines, and a row key per dossier_id for the duplicate check.
    expect(dossiers).toContain(
      "row_number() OVER (\n        PARTITION BY nullif(regexp_replace(r.dossier_id, '^\\p{Zs}+|\\p{Zs}+$', ''), '') ORDER BY r.dossier_id,",
    );
    // ...keyed exactly as the validator keys dossier_id.
    expect(dossiers).toMatch(/regexp_replace\(\w+\.dossier_id, '\^\\p\{Zs\}\+\|\\p\{Zs\}\+\$', ''\)/);
    expect(dossiers).toContain('CAST(NULL AS BIGINT) AS source_line');
    expect(quarantine).toContain(`SELECT '${FILE}',\n  CAST(NULL AS BIGINT),\n  v.q_field`);
    // A dossier_id repeated in the file: found by the same file-level rule as locally
    // (queries/staging/duplicate_dossiers.sql), kept out of the lake, quarantined with its id.
    for (const insert of [dossiers, quarantine]) {
      expect(insert).toContain('validated_dossiers AS (');
      expect(insert).toContain('duplicate_dossiers AS (');
      expect(insert).toContain('HAVING count(*) > 1');
    }
    expect(dossiers).toContain(
      'NOT EXISTS (SELECT 1 FROM duplicate_dossiers AS d WHERE d.dossier_id = v.dossier_id AND d.line = v.line)',
    );
    expect(quarantine).toContain(
      `SELECT '${FILE}',\n  CAST(NULL AS BIGINT),\n  'dossier_id',\n  'duplicate_dossier_id',`,
    );
    expect(quarantine).toContain('FROM duplicate_dossiers AS d');
    expect(dossiers).toContain(
      `WHERE loaded.snapshot_date = DATE '2025-10-03' AND loaded.source_file = '${FILE}'`,
    );
    expect(quarantine).toMatch(
      /^INSERT INTO "congkhai"\."quarantine" \(source_file, line, field, reason_code, reason, value, dossier_id, snapshot_date\)/,
    );
    expect(count).toContain(`FROM "congkhai"."quarantine" WHERE snapshot_date = DATE '2025-10-03'`);
    expect(drop).toMatch(/^DROP TABLE IF EXISTS `congkhai`\.`bulk_load_[0-9a-f]{24}`$/);
  });

  it('a re-run of the same file adds nothing: its ingest log exists, no query is sent', async () => {
    athenaAnswers();
    await bulkLoad({ landing: FILE }, deps());
    const first = started().length;
    const [again] = await bulkLoad({ landing: FILE }, deps());
    expect(started()).toHaveLength(first);
    expect(again).toMatchObject({ skipped: true, rowsAccepted: 4, rowsQuarantined: 2 });
  });

  it('a FAILED insert names the landing file and the step; the DROP is still sent; no ingest log', async () => {
    athenaAnswers({ 'q-2': ['RUNNING', 'FAILED'] }, 'HIVE_BAD_DATA: Error parsing field value');
    const error = await bulkLoad({ landing: FILE }, deps()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BulkLoadError);
    expect((error as BulkLoadError).step).toBe('insert dossiers');
    expect((error as Error).message).toBe(
      `Bulk load of ${FILE} failed at step "insert dossiers": Athena query "bulk load insert dossiers: ${FILE}" FAILED (q-2): HIVE_BAD_DATA: Error parsing field value`,
    );
    const sent = started().map((r) => r.QueryString!);
    expect(sent).toHaveLength(3);
    expect(sent[2]).toMatch(/^DROP TABLE IF EXISTS /);
    expect(await lake.list('ingest_log')).toEqual([]);
  });

  it('a failed CREATE is reported as such, and the DROP (IF EXISTS) is still sent', async () => {
    athenaAnswers({ 'q-1': ['FAILED'] }, 'AccessDeniedException: glue:CreateTable');
    await expect(bulkLoad({ landing: FILE }, deps())).rejects.toThrow(
      `Bulk load of ${FILE} failed at step "create external table"`,
    );
    expect(started().map((r) => r.QueryString!.split(' ')[0])).toEqual(['CREATE', 'DROP']);
  });

  it('a failed DROP after a success fails the load (an external table is left)', async () => {
    athenaAnswers({ 'q-5': ['FAILED'] }, 'glue:DeleteTable denied');
    await expect(bulkLoad({ landing: FILE }, deps())).rejects.toThrow('failed at step "drop external table"');
    expect(await lake.list('ingest_log')).toEqual([]);
  });

  it('no citizen column is named in any SELECT: only ignored placeholders, only in the CREATE', async () => {
    athenaAnswers();
    await bulkLoad({ landing: FILE }, deps());
    const [create, ...rest] = started().map((r) => r.QueryString!);
    for (const sql of [create!, ...rest]) for (const name of CITIZEN_HEADERS) expect(sql).not.toContain(name);
    const head = readCsvHead(csv.toString('utf8'), { hasRegistry: false });
    const ignored = rawColumnNames(head).filter((n) => n.startsWith('ignored_'));
    expect(ignored).toEqual(['ignored_9', 'ignored_10']);
    expect(head.header[8]).toBe('Chủ hồ sơ');
    for (const sql of rest) expect(sql).not.toMatch(/ignored_\d/);
    // Nor any value of the file: the statements carry no row of it.
    for (const sql of [create!, ...rest]) expect(sql).not.toContain('Trần Thị Mẫu');
  });

  it('parses: the inserts and the count as Trino SQL, the CREATE and DROP as Hive DDL', async () => {
    athenaAnswers();
    await bulkLoad({ landing: FILE }, deps());
    const [create, dossiers, quarantine, count, drop] = started().map((r) => r.QueryString!);
    const trino = new TrinoSQL();
    for (const sql of [dossiers!, quarantine!, count!]) expect(trino.validate(sql)).toEqual([]);
    const hive = new HiveSQL();
    for (const sql of [create!, drop!]) expect(hive.validate(sql)).toEqual([]);
    // Neither check passes anything: a broken statement fails it.
    expect(trino.validate(dossiers!.replace('WITH\n', 'WITH WITH\n'))).not.toEqual([]);
    expect(hive.validate(create!.replace('ROW FORMAT SERDE', 'ROW FORMAT SERDES'))).not.toEqual([]);
  });
});

describe('bulkLoad: a folder and a registry', () => {
  it('loads each CSV of a folder in key order, skips units.csv, and inlines the registry beside them', async () => {
    athenaAnswers();
    const units = await readFile(join(import.meta.dirname, '../fixtures/dvcqg-sample-units.csv'));
    s3.on(ListObjectsV2Command).resolves({
      Contents: [{ Key: KEY }, { Key: 'landing/2025/units.csv' }, { Key: 'landing/2025/notes.txt' }],
    });
    s3.on(GetObjectCommand, { Bucket: LANDING, Key: 'landing/2025/units.csv' }).resolves({
      Body: body(units),
    });
    const results = await bulkLoad({ landing: `s3://${LANDING}/landing/2025/` }, deps());
    expect(results.map((r) => r.file)).toEqual([FILE]);
    const insert = started()[1]!.QueryString!;
    expect(insert).toContain('true AS has_registry');
    expect(insert).toContain(
      "('BG-STP', 'Sở Tư pháp', 'province', CAST(NULL AS VARCHAR), CAST(NULL AS DATE), DATE '2025-06-30')",
    );
    expect(insert).toContain("('000.00.01.h22', 'BG-STP')");
  });

  it('a registry too large to inline in one statement is refused with its size, not cut', async () => {
    const head = readCsvHead(csv.toString('utf8'), { hasRegistry: true });
    const units = Array.from({ length: 4000 }, (_, i) => ({
      unit_code: `U-${i}`,
      unit_name: `UBND xã Số ${i}`,
      unit_level: 'commune' as const,
      parent_code: null,
      valid_from: null,
      valid_to: null,
    }));
    const matches = units.map((u) => ({ token: u.unit_name.toLowerCase(), unit_code: u.unit_code }));
    const plan = {
      database: 'congkhai',
      rawTable: 'bulk_load_x',
      sourceFile: FILE,
      head,
      snapshotDate: '2025-10-03',
      maxTimestamp: '2025-10-05 10:00:00',
      vocabulary: vocabularyRows(),
    };
    const validator = await readStagingSql();
    expect(() => bulkLoadStatements({ ...plan, registry: { units, matches } }, validator)).toThrow(
      /the "insert dossiers" statement is \d+ bytes, more than Athena's 262144 \(the units registry inlined in it has 4000 units and 4000 match tokens\)/,
    );
    const small = bulkLoadStatements(
      { ...plan, registry: { units: units.slice(0, 500), matches: matches.slice(0, 500) } },
      validator,
    );
    expect(small.insertDossiers.sql).toContain("('U-499', 'UBND xã Số 499', 'commune'");
  });

  it('refuses an empty file, naming it, before any query', async () => {
    s3.on(GetObjectCommand, { Bucket: LANDING, Key: KEY }).rejects(
      new S3ServiceException({ name: 'InvalidRange', $fault: 'client', $metadata: { httpStatusCode: 416 } }),
    );
    athenaAnswers();
    await expect(bulkLoad({ landing: FILE }, deps())).rejects.toThrow(
      `Bulk load of ${FILE} failed at step "read the head": the file is empty`,
    );
    expect(started()).toEqual([]);
  });

  it('refuses a file whose header lacks a required column, naming it, before any query', async () => {
    const broken = Buffer.from('Mã hồ sơ;Chủ hồ sơ\nV-1;Trần Thị Mẫu\n');
    s3.on(GetObjectCommand, { Bucket: LANDING, Key: KEY }).resolves({
      Body: body(broken),
      ContentRange: `bytes 0-${broken.length - 1}/${broken.length}`,
    });
    athenaAnswers();
    await expect(bulkLoad({ landing: FILE }, deps())).rejects.toThrow(
      `Bulk load of ${FILE} failed at step "read the head": the header lacks required column(s)`,
    );
    expect(started()).toEqual([]);
  });
});

describe('the bulk-load Lambda handler', () => {
  const handlerDeps = () => ({ ...deps(), landingRoot: `s3://${LANDING}/landing/` });

  it('a dry run returns the statements and sends none', async () => {
    athenaAnswers();
    const response = await handleBulkLoad({ landing: FILE, dryRun: true }, handlerDeps());
    expect(started()).toEqual([]);
    expect(response.dryRun).toBe(true);
    if (!response.dryRun) return;
    expect(response.plans.map((p) => p.statements.map((s) => s.step))).toEqual([
      [
        'create external table',
        'insert dossiers',
        'insert quarantine',
        'count loaded rows',
        'drop external table',
      ],
    ]);
  });

  it('refuses an event that is not a bulk-load request, or a file outside landing/', async () => {
    await expect(handleBulkLoad({ landing: 'landing/x.csv' }, handlerDeps())).rejects.toThrow(
      'Invalid bulk-load event',
    );
    await expect(handleBulkLoad({ landing: FILE, extra: 1 }, handlerDeps())).rejects.toThrow(
      'Invalid bulk-load event',
    );
    await expect(
      handleBulkLoad({ landing: FILE, snapshotDate: '2025-13-01' }, handlerDeps()),
    ).rejects.toThrow('Invalid bulk-load event');
    await expect(
      handleBulkLoad({ landing: `s3://other-bucket/landing/x.csv` }, handlerDeps()),
    ).rejects.toThrow(`is not under s3://${LANDING}/landing/`);
    expect(started()).toEqual([]);
  });
});

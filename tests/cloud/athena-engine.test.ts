// AthenaEngine's exact requests, with the AWS SDK mocked (aws-sdk-client-mock): the SQL of
// queries/ goes to StartQueryExecution with the workgroup and database, the status is polled
// with capped exponential backoff, results are read page by page, failures carry their reason.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AthenaClient,
  type ColumnInfo,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecutionState,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AthenaEngine, AthenaQueryError } from '../../functions/core/cloud/athena-engine.ts';
import { athenaValue } from '../../functions/core/cloud/athena-values.ts';

const QUERIES = join(import.meta.dirname, '../../queries');
const client = new AthenaClient({
  region: 'ap-southeast-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
});
const athena = mockClient(client);

let sleeps: number[];
let clock: number;
function engine(polling = {}) {
  return new AthenaEngine({
    database: 'congkhai',
    workGroup: 'congkhai',
    client,
    polling,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    now: () => clock,
  });
}

const status = (State: QueryExecutionState, StateChangeReason?: string) => ({
  QueryExecution: { QueryExecutionId: 'q-1', Status: { State, StateChangeReason } },
});

const COLUMNS: ColumnInfo[] = [
  { Name: 'unit_code', Type: 'varchar' },
  { Name: 'received_total', Type: 'bigint' },
  { Name: 'on_time_rate', Type: 'double' },
  { Name: 'is_complete', Type: 'boolean' },
  { Name: 'period_start', Type: 'date' },
  { Name: 'due_at', Type: 'timestamp' },
  { Name: 'score', Type: 'decimal(10,4)' },
];
const datum = (v: string | undefined) => (v === undefined ? {} : { VarCharValue: v });
const row = (...values: (string | undefined)[]) => ({ Data: values.map(datum) });
const header = row(...COLUMNS.map((c) => c.Name));

beforeEach(() => {
  athena.reset();
  sleeps = [];
  clock = 0;
});

describe('AthenaEngine', () => {
  it('sends the SQL of a queries/ file with workgroup and database, polls with backoff, reads every page', async () => {
    const file = (await readdir(QUERIES)).filter((f) => f.endsWith('.sql')).sort()[0]!;
    const sql = await readFile(join(QUERIES, file), 'utf8');
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(status('QUEUED'))
      .resolvesOnce(status('RUNNING'))
      .resolvesOnce(status('RUNNING'))
      .resolves(status('SUCCEEDED'));
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: undefined })
      .resolves({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: COLUMNS },
          Rows: [
            header,
            row('BG-STP', '113048', '0.8687', 'true', '2021-01-01', '2021-03-05 17:00:00.000', '12.5000'),
          ],
        },
        NextToken: 'page-2',
      })
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: 'page-2' })
      .resolves({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: COLUMNS },
          Rows: [row('BG-LG', '0', undefined, 'false', '2021-04-01', undefined, undefined)],
        },
      });

    const rows = await engine().query(sql);

    expect(athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input)).toEqual([
      {
        QueryString: sql,
        WorkGroup: 'congkhai',
        QueryExecutionContext: { Database: 'congkhai', Catalog: 'AwsDataCatalog' },
      },
    ]);
    expect(athena.commandCalls(GetQueryExecutionCommand).map((c) => c.args[0].input)).toEqual(
      Array(4).fill({ QueryExecutionId: 'q-1' }),
    );
    expect(sleeps).toEqual([250, 500, 1000, 2000]);
    expect(athena.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input)).toEqual([
      { QueryExecutionId: 'q-1', NextToken: undefined, MaxResults: 1000 },
      { QueryExecutionId: 'q-1', NextToken: 'page-2', MaxResults: 1000 },
    ]);
    // The header row of the first page is not data; values follow the Row contract.
    expect(rows).toEqual([
      {
        unit_code: 'BG-STP',
        received_total: 113048,
        on_time_rate: 0.8687,
        is_complete: true,
        period_start: '2021-01-01',
        due_at: '2021-03-05 17:00:00',
        score: 12.5,
      },
      {
        unit_code: 'BG-LG',
        received_total: 0,
        on_time_rate: null,
        is_complete: false,
        period_start: '2021-04-01',
        due_at: null,
        score: null,
      },
    ]);
  });

  it('caps the backoff', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    const running = athena.on(GetQueryExecutionCommand);
    for (let i = 0; i < 8; i++) running.resolvesOnce(status('RUNNING'));
    running.resolves(status('SUCCEEDED'));
    athena
      .on(GetQueryResultsCommand)
      .resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: COLUMNS }, Rows: [header] } });

    expect(await engine().query('SELECT 1')).toEqual([]);
    expect(sleeps).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000, 5000]);
  });

  it('surfaces a failed query with its reason and the query name', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce(status('RUNNING'))
      .resolves(status('FAILED', "COLUMN_NOT_FOUND: line 3:8: Column 'x' cannot be resolved"));
    const sql = '-- unit_kpis: one row per unit\nSELECT x FROM dossiers';

    const error = await engine()
      .query(sql)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AthenaQueryError);
    expect((error as AthenaQueryError).message).toBe(
      `Athena query "unit_kpis: one row per unit" FAILED (q-1): COLUMN_NOT_FOUND: line 3:8: Column 'x' cannot be resolved`,
    );
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(0);
  });

  it('reports a cancelled query (e.g. the workgroup bytes-scanned cutoff)', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena
      .on(GetQueryExecutionCommand)
      .resolves(status('CANCELLED', 'Query cancelled: it exceeded the bytes scanned limit of the workgroup'));
    await expect(engine().query('SELECT 1', 'province_kpis')).rejects.toThrow(
      /"province_kpis" CANCELLED \(q-1\): Query cancelled: it exceeded the bytes scanned limit/,
    );
  });

  it('stops a query that outlives its time limit', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves(status('RUNNING'));
    athena.on(StopQueryExecutionCommand).resolves({});
    await expect(engine({ timeoutMs: 10_000 }).query('SELECT 1', 'slow')).rejects.toThrow(/"slow" TIMED OUT/);
    expect(athena.commandCalls(StopQueryExecutionCommand).map((c) => c.args[0].input)).toEqual([
      { QueryExecutionId: 'q-1' },
    ]);
    expect(sleeps).toEqual([250, 500, 1000, 2000, 4000, 5000]);
  });

  it('names the Glue table as its dossier source', () => {
    expect(engine().dossierSource).toBe('"congkhai"."dossiers"');
  });
});

describe('athenaValue', () => {
  it('converts by column type', () => {
    expect(athenaValue('integer', '42')).toBe(42);
    expect(athenaValue('real', '1.0E-4')).toBe(0.0001);
    expect(athenaValue('varchar', '')).toBe('');
    expect(athenaValue('varchar', undefined)).toBeNull();
    expect(athenaValue('timestamp(3)', '2021-03-31 23:59:59.999')).toBe('2021-03-31 23:59:59');
    expect(athenaValue('boolean', 'false')).toBe(false);
  });
});

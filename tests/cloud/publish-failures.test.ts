// How publish fails, as the exact Athena requests (aws-sdk-client-mock): the figure tables'
// queries run side by side; when one fails, every sibling still running is stopped with
// StopQueryExecution and nothing is published. A query Athena refused (a SQL error, a user
// error category) ends the Lambda with an error the state machine does not retry, and the
// Lambda itself never re-sends it.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AthenaEngine } from '../../functions/core/cloud/athena-engine.ts';
import {
  AthenaQueryError,
  isRetryable,
  QUERY_FAILED_ERROR,
  QUERY_REFUSED_ERROR,
} from '../../functions/core/cloud/athena-errors.ts';
import { LocalStorage } from '../../functions/core/storage.ts';
import { handlePublish } from '../../functions/publish/handler.ts';

const client = new AthenaClient({
  region: 'ap-southeast-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
});
const athena = mockClient(client);
const TEST_REFERENCE_KEY = 'publish-failures-test-key-0123456789';
let work: string;
let lake: LocalStorage;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'congkhai-publish-failures-'));
  // runKpis finds the snapshot dates by listing the lake; the rows come from (mocked) Athena.
  const part = join(work, 'lake', 'dossiers', 'snapshot_date=2021-04-01');
  await mkdir(part, { recursive: true });
  await writeFile(join(part, 'part-x.parquet'), '');
  lake = new LocalStorage(join(work, 'lake'));
});

afterAll(() => rm(work, { recursive: true, force: true }));

beforeEach(() => athena.reset());

const engine = () =>
  new AthenaEngine({
    database: 'congkhai',
    workGroup: 'congkhai',
    client,
    // Yield to I/O between polls (the other queries' SQL files are still being read).
    sleep: () => new Promise((resolve) => setTimeout(resolve, 1)),
  });

/** Ids q-1, q-2, ... in start order; `fails` answers FAILED for that id, the rest run or succeed. */
function athenaWith(options: {
  fails: string;
  reason: string;
  error?: { ErrorCategory: number; ErrorType: number; Retryable: boolean };
}) {
  let started = 0;
  athena.on(StartQueryExecutionCommand).callsFake(() => ({ QueryExecutionId: `q-${++started}` }));
  athena.on(GetQueryExecutionCommand).callsFake((input: { QueryExecutionId: string }) => {
    const id = input.QueryExecutionId;
    if (id === 'q-1') return { QueryExecution: { QueryExecutionId: id, Status: { State: 'SUCCEEDED' } } };
    if (id === options.fails) {
      return {
        QueryExecution: {
          QueryExecutionId: id,
          Status: {
            State: 'FAILED',
            StateChangeReason: options.reason,
            ...(options.error ? { AthenaError: { ...options.error, ErrorMessage: options.reason } } : {}),
          },
        },
      };
    }
    return { QueryExecution: { QueryExecutionId: id, Status: { State: 'RUNNING' } } };
  });
  // The first query (first reception) answers one row.
  athena.on(GetQueryResultsCommand).resolves({
    ResultSet: {
      ResultSetMetadata: { ColumnInfo: [{ Name: 'first_received', Type: 'timestamp' }] },
      Rows: [
        { Data: [{ VarCharValue: 'first_received' }] },
        { Data: [{ VarCharValue: '2021-03-01 08:00:00.000' }] },
      ],
    },
  });
  athena.on(StopQueryExecutionCommand).resolves({});
  return () => started;
}

describe('publish when a KPI query fails', () => {
  it('a SQL error stops every sibling query still running, publishes nothing and is not retried', async () => {
    const startedCount = athenaWith({
      fails: 'q-3',
      reason: "SYNTAX_ERROR: line 4:9: Column 'x' cannot be resolved",
      error: { ErrorCategory: 2, ErrorType: 1006, Retryable: false },
    });
    const site = new LocalStorage(join(work, 'site-1'));

    const error = await handlePublish(
      {},
      { engine: engine(), lake, site, workDir: work, referenceKey: TEST_REFERENCE_KEY },
    ).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AthenaQueryError);
    expect((error as Error).name).toBe(QUERY_REFUSED_ERROR);
    expect((error as AthenaQueryError).queryExecutionId).toBe('q-3');
    expect((error as Error).message).toContain("SYNTAX_ERROR: line 4:9: Column 'x' cannot be resolved");
    // First reception (q-1), then the figure tables side by side (q-2...).
    const figureQueries = startedCount() - 1;
    expect(figureQueries).toBeGreaterThanOrEqual(3);
    const siblings = Array.from({ length: figureQueries }, (_, i) => `q-${i + 2}`).filter(
      (id) => id !== 'q-3',
    );
    expect(
      athena
        .commandCalls(StopQueryExecutionCommand)
        .map((c) => c.args[0].input.QueryExecutionId)
        .sort(),
    ).toEqual(siblings.sort());
    // Each query was sent once: the Lambda does not retry, the state machine does not either.
    const sent = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input.QueryString);
    expect(new Set(sent).size).toBe(sent.length);
    expect(await site.list('')).toEqual([]);
  });

  it('a failure that may pass keeps its retryable name (the state machine retries it)', async () => {
    athenaWith({
      fails: 'q-2',
      reason: 'INTERNAL_ERROR_QUERY_ENGINE: an internal error occurred',
      error: { ErrorCategory: 1, ErrorType: 401, Retryable: true },
    });
    const site = new LocalStorage(join(work, 'site-2'));
    const error = await handlePublish(
      {},
      { engine: engine(), lake, site, workDir: work, referenceKey: TEST_REFERENCE_KEY },
    ).catch((e: unknown) => e);
    expect((error as Error).name).toBe(QUERY_FAILED_ERROR);
    expect(athena.commandCalls(StopQueryExecutionCommand).length).toBeGreaterThanOrEqual(2);
    expect(await site.list('')).toEqual([]);
  });
});

describe('which Athena failures can pass on a retry', () => {
  it.each([
    ["SYNTAX_ERROR: line 1:8: Column 'x' cannot be resolved", undefined, false],
    ['COLUMN_NOT_FOUND: line 3:8', undefined, false],
    ["line 1:1: mismatched input 'SELEC'", undefined, false],
    ['Query cancelled: it exceeded the bytes scanned limit of the workgroup', undefined, false],
    ['any reason', { ErrorCategory: 2 }, false],
    ['any reason', { ErrorCategory: 1, Retryable: false }, false],
    ['INTERNAL_ERROR_QUERY_ENGINE', { ErrorCategory: 1, Retryable: true }, true],
    ['ThrottlingException: Rate exceeded', undefined, true],
  ])('%s (%o) → retryable %s', (reason, error, expected) => {
    expect(isRetryable(reason, error)).toBe(expected);
  });
});

// The cloud query engine: the KPI SQL of queries/ runs on Amazon Athena over the Glue table
// `dossiers` (partition projection on snapshot_date). Athena is asynchronous: a query is
// started, polled until it ends, then its results are read page by page. Queries run side
// by side (runKpis starts the figure tables together): when one fails, the others still
// running are stopped (StopQueryExecution) and end with the same error, so that nothing is
// left scanning (and billing) for a run that has already failed.
import {
  AthenaClient,
  type AthenaClientConfig,
  type ColumnInfo,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import type { Engine, Row } from '../engine.ts';
import { AthenaQueryError, isRetryable } from './athena-errors.ts';
import { athenaRow } from './athena-values.ts';

export { AthenaQueryError } from './athena-errors.ts';

export interface PollingOptions {
  /** First wait after starting a query. */
  initialDelayMs: number;
  /** Each wait is the previous one times this factor... */
  factor: number;
  /** ...capped here. */
  maxDelayMs: number;
  /** Give up (and stop the query) after this long; a Lambda has at most 15 minutes. */
  timeoutMs: number;
}

export const DEFAULT_POLLING: PollingOptions = {
  initialDelayMs: 250,
  factor: 2,
  maxDelayMs: 5_000,
  timeoutMs: 12 * 60_000,
};

export interface AthenaEngineOptions {
  /** Glue database holding the `dossiers` table. */
  database: string;
  /** Athena workgroup: it enforces the result location, encryption and the bytes-scanned cutoff. */
  workGroup: string;
  catalog?: string;
  client?: AthenaClient;
  clientConfig?: AthenaClientConfig;
  polling?: Partial<PollingOptions>;
  /** Injected in tests so that backoff can be asserted without waiting. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** A short name for messages: the first `--` comment of the SQL, else its first words. */
export function queryNameOf(sql: string): string {
  const comment = /^\s*--\s*(.+)$/m.exec(sql);
  const text = comment?.[1] ?? sql;
  return text.replace(/\s+/g, ' ').trim().slice(0, 80);
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class AthenaEngine implements Engine {
  readonly name = 'athena' as const;
  readonly dossierSource: string;
  readonly database: string;
  readonly workGroup: string;
  readonly catalog: string;
  private readonly client: AthenaClient;
  private readonly ownsClient: boolean;
  private readonly polling: PollingOptions;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  /** Queries of this engine still running; `stoppedBy` is set when a sibling failed. */
  private readonly running = new Map<string, { stoppedBy?: AthenaQueryError }>();

  constructor(options: AthenaEngineOptions) {
    this.database = options.database;
    this.workGroup = options.workGroup;
    this.catalog = options.catalog ?? 'AwsDataCatalog';
    this.dossierSource = `"${options.database.replaceAll('"', '""')}"."dossiers"`;
    this.ownsClient = !options.client;
    this.client = options.client ?? new AthenaClient(options.clientConfig ?? {});
    this.polling = { ...DEFAULT_POLLING, ...options.polling };
    this.sleep = options.sleep ?? delay;
    this.now = options.now ?? Date.now;
  }

  /** Run one SQL statement. `name` (else the SQL's first comment) identifies it in errors. */
  async query(sql: string, name: string = queryNameOf(sql)): Promise<Row[]> {
    const started = await this.client.send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: this.workGroup,
        QueryExecutionContext: { Database: this.database, Catalog: this.catalog },
      }),
    );
    const id = started.QueryExecutionId;
    if (!id) throw new Error(`Athena query "${name}": StartQueryExecution returned no QueryExecutionId`);
    this.running.set(id, {});
    try {
      await this.waitUntilDone(id, name);
    } finally {
      this.running.delete(id);
    }
    return this.readResults(id);
  }

  /** A query failed: stop every other query still running, which then ends with `error`. */
  private async stopSiblings(failedId: string, error: AthenaQueryError): Promise<void> {
    const siblings: string[] = [];
    for (const [id, entry] of this.running) {
      if (id === failedId || entry.stoppedBy) continue;
      entry.stoppedBy = error; // marked before any await: a second failure stops no one twice
      siblings.push(id);
    }
    await Promise.all(
      siblings.map((id) =>
        // Best effort: the query may have ended meanwhile; the run fails with `error` anyway.
        this.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined),
      ),
    );
  }

  /** The failure that stopped this query, if a sibling failed. */
  private stoppedBy(id: string): AthenaQueryError | undefined {
    return this.running.get(id)?.stoppedBy;
  }

  /** Poll GetQueryExecution with capped exponential backoff until the query ends. */
  private async waitUntilDone(id: string, name: string): Promise<void> {
    const startedAt = this.now();
    let wait = this.polling.initialDelayMs;
    for (;;) {
      await this.sleep(wait);
      const before = this.stoppedBy(id);
      if (before) throw before;
      const { QueryExecution } = await this.client.send(
        new GetQueryExecutionCommand({ QueryExecutionId: id }),
      );
      // Stopped by a sibling's failure while asking: that failure is the run's error.
      const stopped = this.stoppedBy(id);
      if (stopped) throw stopped;
      const status = QueryExecution?.Status;
      const state = status?.State ?? 'UNKNOWN';
      if (state === 'SUCCEEDED') return;
      if (state === 'FAILED' || state === 'CANCELLED') {
        const reason = status?.StateChangeReason ?? status?.AthenaError?.ErrorMessage ?? 'no reason given';
        const error = new AthenaQueryError(name, id, state, reason, isRetryable(reason, status?.AthenaError));
        await this.stopSiblings(id, error);
        throw error;
      }
      if (this.now() - startedAt > this.polling.timeoutMs) {
        await this.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
        const error = new AthenaQueryError(
          name,
          id,
          'TIMED OUT',
          `still ${state} after ${this.polling.timeoutMs} ms`,
        );
        await this.stopSiblings(id, error);
        throw error;
      }
      wait = Math.min(wait * this.polling.factor, this.polling.maxDelayMs);
    }
  }

  /** Read every page; the first row of the first page is the header (column names). */
  private async readResults(id: string): Promise<Row[]> {
    const rows: Row[] = [];
    let columns: readonly ColumnInfo[] = [];
    let nextToken: string | undefined;
    let firstPage = true;
    do {
      const page = await this.client.send(
        new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: nextToken, MaxResults: 1000 }),
      );
      if (page.ResultSet?.ResultSetMetadata?.ColumnInfo)
        columns = page.ResultSet.ResultSetMetadata.ColumnInfo;
      const data = page.ResultSet?.Rows ?? [];
      for (const [i, row] of data.entries()) {
        if (firstPage && i === 0) continue;
        rows.push(athenaRow(columns, row.Data ?? []));
      }
      firstPage = false;
      nextToken = page.NextToken;
    } while (nextToken);
    return rows;
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.client.destroy();
  }
}

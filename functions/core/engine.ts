// Query engine adapter: the KPI SQL in queries/ is written once and runs on DuckDB (local)
// or Amazon Athena (cloud). An engine only knows how to name the raw lake table and how to
// run a finished SQL text; binding the `dossiers` view and the periods is the runner's job
// (functions/core/kpi/), identical for both engines.

/** A result row with plain JS values: integers and doubles as number, dates as
 * 'YYYY-MM-DD', timestamps as 'YYYY-MM-DD HH:MM:SS' (Vietnam local time), NULL as null. */
export type Row = Record<string, string | number | boolean | null>;

export interface Engine {
  readonly name: 'duckdb' | 'athena';
  /** A SQL relation over every lake dossier row: the LAKE_COLUMNS of
   * functions/core/dossier-contract.ts plus `snapshot_date` (DATE). */
  readonly dossierSource: string;
  query(sql: string): Promise<Row[]>;
  /**
   * Optional: run `sql` and return its rows' conversion to JS, to be called later. The KPI
   * runner converts one result on its thread while the engine computes the next (DuckDB, whose
   * own threads run the query); `query` is both steps at once.
   */
  fetch?(sql: string): Promise<() => Row[]>;
  /**
   * Optional: keep the result of `sql` for the rest of the session under `name` (DuckDB: a
   * TEMP TABLE, replaced if it exists) and return the relation's name. The KPI runner uses it
   * to compute the latest-snapshot dossiers once per run instead of once per query; an engine
   * without it (Athena) gets the same relation bound inline in every query.
   */
  materialize?(name: string, sql: string): Promise<string>;
  /**
   * Optional: a SQL relation over the given lake Parquet objects (keys relative to the lake).
   * The KPI runner reads the lake's current-state table through it; an engine without it
   * (Athena, until a Glue table names that table) ranks the snapshots in its queries instead.
   */
  readonly parquetSource?: (keys: readonly string[]) => string;
  close(): Promise<void>;
}

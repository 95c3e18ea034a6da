// The KPI runner: binds the as-of time, the periods and the config to the SQL of queries/,
// runs each on the given engine (DuckDB or Athena) and returns the published tables' rows.
// Engine- and storage-neutral: the CLI and the cloud publish Lambda both call runKpis().
import type { CongkhaiConfig } from '../config.ts';
import type { Engine, Row } from '../engine.ts';
import { PUBLISHED_TABLES } from '../published-tables.ts';
import type { Storage } from '../storage.ts';
import { defaultAsOf, lakeSnapshotDates, parseAsOf } from './as-of.ts';
import { type Bindings, bindQuery, dossiersRelation } from './bind-relations.ts';
import { readIngestReport } from './ingest-report.ts';
import { periodsUpTo } from './periods.ts';
import { QUERY_TABLES, readQuery } from './queries.ts';

export interface KpiResult {
  /** 'YYYY-MM-DD HH:MM:SS', Vietnam local time. */
  asOf: string;
  /** Keys are published table names (functions/core/published-tables.ts). */
  tables: Record<string, Row[]>;
  /** The config the figures were computed with (the publisher records targets and threshold). */
  config?: CongkhaiConfig;
}

export interface RunKpisOptions {
  /** 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS'; default: the day after the latest snapshot, 00:00. */
  asOf?: string;
  config: CongkhaiConfig;
  /** Folder of the .sql files (default: queries/). */
  queriesDir?: string;
  /** Bind the latest-snapshot window inline in every query even if the engine can materialize. */
  inlineDossiers?: boolean;
}

/** The session relation holding this run's `dossiers` on engines that can materialize. */
const MATERIALIZED_DOSSIERS = 'congkhai_kpi_dossiers';

export class EmptyLakeError extends Error {
  override name = 'EmptyLakeError';
}

/** The first reception among counted dossiers before the as-of time ('YYYY-MM-DD HH:MM:SS'). */
const FIRST_RECEIVED_SQL = `SELECT min(d.received_at) AS first_received
FROM dossiers AS d CROSS JOIN settings AS s
WHERE d.status NOT IN ('submitted', 'rejected_at_intake') AND d.received_at < s.as_of`;

export async function runKpis(engine: Engine, lake: Storage, options: RunKpisOptions): Promise<KpiResult> {
  const snapshotDates = await lakeSnapshotDates(lake);
  if (snapshotDates.length === 0) throw new EmptyLakeError(`no dossiers in the lake at ${lake.location}`);
  const asOf = options.asOf ? parseAsOf(options.asOf) : defaultAsOf(snapshotDates);

  const bindings: Bindings = {
    asOf,
    periods: [],
    config: options.config,
    dossierSource: engine.dossierSource,
  };
  if (engine.materialize && !options.inlineDossiers) {
    bindings.materializedDossiers = await engine.materialize(
      MATERIALIZED_DOSSIERS,
      dossiersRelation(bindings),
    );
  }
  const tables: Record<string, Row[]> = {};
  try {
    const [first] = await engine.query(bindQuery(FIRST_RECEIVED_SQL, bindings));
    const firstReceived = first?.['first_received'];
    bindings.periods = typeof firstReceived === 'string' ? periodsUpTo(firstReceived, asOf) : [];
    const run = async (table: (typeof QUERY_TABLES)[number]) => {
      const rows = await engine.query(bindQuery(await readQuery(table, options.queriesDir), bindings));
      checkColumns(table, rows);
      tables[table] = rows;
    };
    // Athena runs queries side by side; one DuckDB connection runs them one after another.
    if (engine.name === 'athena') await Promise.all(QUERY_TABLES.map(run));
    else for (const table of QUERY_TABLES) await run(table);
  } finally {
    if (bindings.materializedDossiers)
      await engine.query(`DROP TABLE IF EXISTS ${bindings.materializedDossiers}`);
  }
  tables['ingest_report'] = await readIngestReport(lake, asOf.slice(0, 10));
  return { asOf, tables, config: options.config };
}

/** A query must return exactly the published columns, in order: the contract is the file. */
function checkColumns(table: string, rows: Row[]): void {
  const declared = PUBLISHED_TABLES.find((t) => t.name === table)?.columns.map((c) => c.name);
  if (!declared) throw new Error(`${table}: not a published table`);
  const actual = rows[0] ? Object.keys(rows[0]) : declared;
  if (actual.join(',') !== declared.join(',')) {
    throw new Error(
      `${table}: query columns [${actual.join(', ')}] differ from the contract [${declared.join(', ')}]`,
    );
  }
}

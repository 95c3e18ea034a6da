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
import { QUERY_TABLES, readQuery, readSharedRelations } from './queries.ts';
import { scorecard766 } from './scorecard-766.ts';

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
  /**
   * Bind the latest-snapshot window and the shared relations inline in every query (the text
   * Athena runs) even if the engine can materialize.
   */
  inlineDossiers?: boolean;
}

/** Session relations hold this run's `dossiers` and shared relations on engines that can materialize. */
const MATERIALIZED_PREFIX = 'congkhai_kpi_';

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
    shared: [],
  };
  const materialize = options.inlineDossiers ? undefined : engine.materialize?.bind(engine);
  const materialized: string[] = [];
  const tables: Record<string, Row[]> = {};
  try {
    if (materialize) {
      bindings.materializedDossiers = await materialize(
        `${MATERIALIZED_PREFIX}dossiers`,
        dossiersRelation(bindings),
      );
      materialized.push(bindings.materializedDossiers);
    }
    const [first] = await engine.query(bindQuery(FIRST_RECEIVED_SQL, bindings));
    const firstReceived = first?.['first_received'];
    bindings.periods = typeof firstReceived === 'string' ? periodsUpTo(firstReceived, asOf) : [];
    // The shared relations need the periods; each is computed once here where the engine can
    // keep it (every figure table reads them), else bound inline into every query.
    for (const relation of await readSharedRelations(options.queriesDir)) {
      if (!materialize) {
        bindings.shared = [...bindings.shared, relation];
        continue;
      }
      const name = await materialize(
        `${MATERIALIZED_PREFIX}${relation.name}`,
        bindQuery(relation.sql, bindings),
      );
      materialized.push(name);
      bindings.shared = [...bindings.shared, { ...relation, materialized: name }];
    }
    const run = async (table: (typeof QUERY_TABLES)[number]) => {
      const rows = await engine.query(bindQuery(await readQuery(table, options.queriesDir), bindings));
      checkColumns(table, rows);
      tables[table] = rows;
    };
    // Athena runs queries side by side; one DuckDB connection runs them one after another.
    if (engine.name === 'athena') await Promise.all(QUERY_TABLES.map(run));
    else for (const table of QUERY_TABLES) await run(table);
  } finally {
    for (const name of materialized.reverse()) await engine.query(`DROP TABLE IF EXISTS ${name}`);
  }
  // Derived from the published figure rows alone, so anyone can recompute it.
  tables['scorecard_766'] = scorecard766(tables, options.config);
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

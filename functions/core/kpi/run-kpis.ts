// The KPI runner: binds the as-of time, the periods and the config to the SQL of queries/,
// runs each on the given engine (DuckDB or Athena) and returns the published tables' rows.
// Engine- and storage-neutral: the CLI and the cloud publish Lambda both call runKpis().
import type { CongkhaiConfig } from '../config.ts';
import type { Engine, Row } from '../engine.ts';
import { PUBLISHED_TABLES, queryColumnNames } from '../published-tables.ts';
import type { Storage } from '../storage.ts';
import { AsOfError, checkAsOfRange, defaultAsOf, lakeSnapshotDates, parseAsOf } from './as-of.ts';
import { type Bindings, bindQuery, dossiersRelation, unitHistoryRelation } from './bind-relations.ts';
import { usableCurrentState } from './current-state.ts';
import { readIngestReport } from './ingest-report.ts';
import { periodsUpTo } from './periods.ts';
import { QUERY_TABLES, type QueryTable, readQuery, readSharedRelations } from './queries.ts';
import { scorecard766 } from './scorecard-766.ts';
import { readUnitRegistry, registryTables } from './unit-registry.ts';

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
   * Athena runs) even if the engine can materialize or read the current-state table.
   */
  inlineDossiers?: boolean;
  /** The present time, for the as-of range check (default now); tests pin it. */
  now?: Date;
}

/** Session relations hold this run's `dossiers` and shared relations on engines that can materialize. */
const MATERIALIZED_PREFIX = 'congkhai_kpi_';

export class EmptyLakeError extends Error {
  override name = 'EmptyLakeError';
}

/** The order DuckDB runs the queries in: the largest result first, converted while the others run. */
const CONVERSION_ORDER: readonly QueryTable[] = [
  'overdue_dossiers',
  ...QUERY_TABLES.filter((table) => table !== 'overdue_dossiers'),
];

/** The first reception among counted dossiers before the as-of time ('YYYY-MM-DD HH:MM:SS'). */
const FIRST_RECEIVED_SQL = `SELECT min(d.received_at) AS first_received
FROM dossiers AS d CROSS JOIN settings AS s
WHERE d.status NOT IN ('submitted', 'rejected_at_intake') AND d.received_at < s.as_of`;

export async function runKpis(engine: Engine, lake: Storage, options: RunKpisOptions): Promise<KpiResult> {
  const snapshotDates = await lakeSnapshotDates(lake);
  if (snapshotDates.length === 0) throw new EmptyLakeError(`no dossiers in the lake at ${lake.location}`);
  const asOf = options.asOf ? parseAsOf(options.asOf) : defaultAsOf(snapshotDates);
  checkAsOfRange(asOf, options.now);
  const registry = await readUnitRegistry(lake);
  // The current-state table when it holds the state at this as-of (an earlier as-of ranks
  // the snapshots up to it instead).
  const currentState =
    engine.parquetSource && !options.inlineDossiers
      ? await usableCurrentState(lake, asOf.slice(0, 10))
      : undefined;

  const bindings: Bindings = {
    asOf,
    periods: [],
    config: options.config,
    dossierSource: engine.dossierSource,
    shared: [],
    ...(registry ? { registry } : {}),
    ...(currentState && engine.parquetSource
      ? {
          currentState: {
            dossiers: engine.parquetSource([currentState.dossiers_key]),
            unitHistory: engine.parquetSource([currentState.unit_history_key]),
          },
        }
      : {}),
  };
  const materialize = options.inlineDossiers ? undefined : engine.materialize?.bind(engine);
  const materialized: string[] = [];
  const tables: Record<string, Row[]> = {};
  try {
    // The current-state table is already one row per dossier in Parquet: read where needed
    // (a copy would cost more than it saves); the snapshot window is ranked once.
    if (materialize && !bindings.currentState) {
      bindings.materializedDossiers = await materialize(
        `${MATERIALIZED_PREFIX}dossiers`,
        dossiersRelation(bindings),
      );
      materialized.push(bindings.materializedDossiers);
    }
    if (materialize) {
      bindings.materializedUnitHistory = await materialize(
        `${MATERIALIZED_PREFIX}unit_history`,
        unitHistoryRelation(bindings),
      );
      materialized.push(bindings.materializedUnitHistory);
    }
    const [first] = await engine.query(bindQuery(FIRST_RECEIVED_SQL, bindings));
    const firstReceived = first?.['first_received'];
    // Publishing empty tables over the live data would be worse than refusing.
    if (typeof firstReceived !== 'string') {
      throw new AsOfError(
        `as-of ${asOf} is before the first dossier received in the lake at ${lake.location}: nothing to count`,
      );
    }
    bindings.periods = periodsUpTo(firstReceived, asOf);
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
    // Every query's text is read and bound first, so that Athena's are started together (a
    // failure stops the siblings already running, not ones still being read from disk).
    const texts = await Promise.all(
      QUERY_TABLES.map(async (table) => bindQuery(await readQuery(table, options.queriesDir), bindings)),
    );
    const results = new Map<QueryTable, Row[]>();
    const keep = (table: QueryTable, rows: Row[]) => {
      checkColumns(table, rows);
      results.set(table, rows);
    };
    const textOf = (table: QueryTable) => texts[QUERY_TABLES.indexOf(table)]!;
    if (engine.name === 'athena') {
      // Athena runs queries side by side.
      await Promise.all(QUERY_TABLES.map(async (table) => keep(table, await engine.query(textOf(table)))));
    } else if (engine.fetch) {
      // One DuckDB connection runs them one after another, on DuckDB's threads, while this
      // thread converts the result before: the largest result (the overdue list) first.
      let convertLast = () => {};
      for (const table of CONVERSION_ORDER) {
        const fetching = engine.fetch(textOf(table));
        try {
          convertLast();
        } catch (error) {
          await fetching.catch(() => undefined); // settled here: its own failure is not left unhandled
          throw error;
        }
        const rowsOf = await fetching;
        convertLast = () => keep(table, rowsOf());
      }
      convertLast();
    } else for (const table of QUERY_TABLES) keep(table, await engine.query(textOf(table)));
    for (const table of QUERY_TABLES) tables[table] = results.get(table)!;
  } finally {
    for (const name of materialized.reverse()) await engine.query(`DROP TABLE IF EXISTS ${name}`);
  }
  // Derived from the published figure rows alone, so anyone can recompute it.
  tables['scorecard_766'] = scorecard766(tables, options.config);
  tables['ingest_report'] = await readIngestReport(lake, asOf.slice(0, 10));
  Object.assign(tables, registry ? registryTables(registry) : unitsFromFigures(tables['unit_kpis'] ?? []));
  return { asOf, tables, config: options.config };
}

/**
 * Without a registry in the lake, the `units` table lists the units of the figures, as their
 * latest period names them, without validity dates; `unit_successors` is empty.
 */
function unitsFromFigures(unitRows: readonly Row[]): { units: Row[]; unit_successors: Row[] } {
  const latest = new Map<string, Row>();
  for (const row of unitRows) {
    const seen = latest.get(String(row['unit_code']));
    if (!seen || String(row['period_start']) >= String(seen['period_start']))
      latest.set(String(row['unit_code']), row);
  }
  const units = [...latest.values()]
    .map((row) => ({
      unit_code: row['unit_code'] ?? null,
      unit_name: row['unit_name'] ?? null,
      unit_level: row['unit_level'] ?? null,
      parent_code: row['parent_code'] ?? null,
      valid_from: null,
      valid_to: null,
    }))
    .sort((a, b) => String(a.unit_code).localeCompare(String(b.unit_code)));
  return { units, unit_successors: [] };
}

/** A query must return exactly the published columns, in order: the contract is the file. */
function checkColumns(table: string, rows: Row[]): void {
  const contract = PUBLISHED_TABLES.find((t) => t.name === table);
  if (!contract) throw new Error(`${table}: not a published table`);
  const declared = queryColumnNames(contract);
  const actual = rows[0] ? Object.keys(rows[0]) : declared;
  if (actual.join(',') !== declared.join(',')) {
    throw new Error(
      `${table}: query columns [${actual.join(', ')}] differ from the contract [${declared.join(', ')}]`,
    );
  }
}

// Binds the relations every query in queries/ reads, as CTEs prefixed to the query's own
// WITH list. The text is the same for DuckDB and Athena; only `dossierSource` differs.
//
//   settings(as_of, min_resolved_for_rank, e_cert_field_name, e_cert_field_code)  one row
//   targets(unit_level, on_time_rate, online_share, e_cert_ratio)                 one row per level
//   periods(period_type, period, period_start, period_end, is_complete)
//   dossiers: each dossier's row in its latest snapshot dated on or before the as-of date
//   unit_registry(unit_code, unit_name, unit_level, parent_code, valid_from, valid_to)
//     the lake's units registry (empty without one: every unit then always exists)
//   unit_lineage(successor_code, ancestor_code, weight, lineage, predecessors)
//   unit_history(dossier_id, unit_code, snapshot_date): for each dossier whose unit changed
//     between snapshots, each unit it had and the latest snapshot naming it (empty without a
//     registry: attribution is then always the latest snapshot's unit)
//   then the shared relations of queries/shared/ (queries.ts SHARED_RELATIONS), in order
import type { CongkhaiConfig } from '../config.ts';
import { targetFor } from '../config.ts';
import { LAKE_COLUMNS, UNIT_LEVELS } from '../dossier-contract.ts';
import { sqlString } from '../duckdb.ts';
import type { Period } from './periods.ts';
import type { SharedRelation } from './queries.ts';
import {
  describeAncestors,
  type LineageLink,
  lineageKind,
  type UnitRegistry,
  unitLineage,
} from './unit-registry.ts';

/** A shared relation as bound: inline, or read from where Engine.materialize left it. */
export interface BoundSharedRelation extends SharedRelation {
  /** The session relation already holding it for this run (see Engine.materialize). */
  materialized?: string;
}

export interface Bindings {
  /** 'YYYY-MM-DD HH:MM:SS', Vietnam local time. */
  asOf: string;
  periods: readonly Period[];
  config: CongkhaiConfig;
  /** Engine.dossierSource */
  dossierSource: string;
  /**
   * The lake's current-state table (functions/core/kpi/current-state.ts), when it holds the
   * state at this as-of: read instead of the latest-snapshot window over every snapshot.
   */
  currentState?: CurrentStateSources;
  /** The lake's units registry; none: every unit always exists. */
  registry?: UnitRegistry;
  /**
   * Relations already holding `dossiers` and `unit_history` for this as-of (see
   * Engine.materialize): bound as `<name> AS (SELECT * FROM <it>)`.
   */
  materializedDossiers?: string;
  materializedUnitHistory?: string;
  /** queries/shared/ relations, bound after `dossiers` in this order (none: only the runner's own). */
  shared: readonly BoundSharedRelation[];
}

/** Relations over the current-state table's files (Engine.parquetSource). */
export interface CurrentStateSources {
  dossiers: string;
  unitHistory: string;
}

const timestamp = (value: string) => `TIMESTAMP ${sqlString(value)}`;
const text = (value: string | null) => (value === null ? 'CAST(NULL AS VARCHAR)' : sqlString(value));
const double = (value: number | null) =>
  value === null ? 'CAST(NULL AS DOUBLE)' : `CAST(${value} AS DOUBLE)`;
const date = (value: string | null) => (value === null ? 'CAST(NULL AS DATE)' : `DATE ${sqlString(value)}`);

/** VALUES rows as a relation; an empty list is one typed row filtered out (VALUES cannot be empty). */
export function valuesRelation(columns: string, rows: readonly string[], emptyRow: string): string {
  return rows.length === 0
    ? `SELECT * FROM (VALUES ${emptyRow}) AS t(${columns}) WHERE false`
    : `SELECT * FROM (VALUES ${rows.join(',\n    ')}) AS t(${columns})`;
}

function unitRegistryRelation({ registry }: Bindings): string {
  const rows = (registry?.units ?? []).map(
    (u) =>
      `(${text(u.unit_code)}, ${text(u.unit_name)}, ${text(u.unit_level)}, ${text(u.parent_code)}, ` +
      `${date(u.valid_from)}, ${date(u.valid_to)})`,
  );
  return valuesRelation(
    'unit_code, unit_name, unit_level, parent_code, valid_from, valid_to',
    rows,
    `(${text('')}, ${text(null)}, ${text(null)}, ${text(null)}, ${date(null)}, ${date(null)})`,
  );
}

function unitLineageRelation({ registry }: Bindings): string {
  const links = unitLineage(registry?.successions ?? []);
  const bySuccessor = new Map<string, LineageLink[]>();
  for (const link of links)
    bySuccessor.set(link.successor_code, [...(bySuccessor.get(link.successor_code) ?? []), link]);
  const rows = links.map((link) => {
    const all = bySuccessor.get(link.successor_code) ?? [];
    return `(${text(link.successor_code)}, ${text(link.ancestor_code)}, ${double(link.weight)}, ${text(lineageKind(all))}, ${text(describeAncestors(all))})`;
  });
  return valuesRelation(
    'successor_code, ancestor_code, weight, lineage, predecessors',
    rows,
    `(${text('')}, ${text('')}, ${double(1)}, ${text('exact')}, ${text('')})`,
  );
}

/**
 * `unit_history`: each unit a dossier had up to the as-of date and the latest snapshot naming
 * it, for the dossiers that had more than one. Only needed with a registry (without one every
 * unit always exists and a dossier counts under its latest unit in every period).
 */
export function unitHistoryRelation(bindings: Bindings): string {
  const { asOf, dossierSource, registry, currentState } = bindings;
  if (!registry) {
    return `SELECT * FROM (VALUES (${text('')}, ${text('')}, ${date('2000-01-01')})) AS t(dossier_id, unit_code, snapshot_date) WHERE false`;
  }
  if (currentState) return `SELECT dossier_id, unit_code, snapshot_date FROM ${currentState.unitHistory}`;
  return `SELECT dossier_id, unit_code, snapshot_date FROM (
    SELECT dossier_id, unit_code, max(snapshot_date) AS snapshot_date,
      count(*) OVER (PARTITION BY dossier_id) AS units
    FROM ${dossierSource}
    WHERE snapshot_date <= DATE ${sqlString(asOf.slice(0, 10))}
    GROUP BY dossier_id, unit_code
  ) AS history
  WHERE units > 1`;
}

function settingsRelation({ asOf, config }: Bindings): string {
  return (
    `SELECT ${timestamp(asOf)} AS as_of, ${config.min_resolved_for_rank} AS min_resolved_for_rank, ` +
    `${text(config.e_cert.field_name)} AS e_cert_field_name, ${text(config.e_cert.field_code)} AS e_cert_field_code`
  );
}

function targetsRelation({ config }: Bindings): string {
  const rows = UNIT_LEVELS.map(
    (level) =>
      `(${sqlString(level)}, ${double(targetFor(config, level, 'on_time_rate'))}, ` +
      `${double(targetFor(config, level, 'online_share'))}, ${double(targetFor(config, level, 'e_cert_ratio'))})`,
  );
  return `SELECT * FROM (VALUES ${rows.join(', ')}) AS t(unit_level, on_time_rate, online_share, e_cert_ratio)`;
}

function periodsRelation({ periods }: Bindings): string {
  const columns = 't(period_type, period, period_start, period_end, is_complete)';
  if (periods.length === 0) {
    // VALUES cannot be empty: one typed row, filtered out.
    return `SELECT * FROM (VALUES ('month', '', ${timestamp('2000-01-01 00:00:00')}, ${timestamp('2000-02-01 00:00:00')}, false)) AS ${columns} WHERE false`;
  }
  const rows = periods.map(
    (p) =>
      `(${sqlString(p.period_type)}, ${sqlString(p.period)}, ${timestamp(p.period_start)}, ` +
      `${timestamp(p.period_end)}, ${p.is_complete})`,
  );
  return `SELECT * FROM (VALUES ${rows.join(',\n    ')}) AS ${columns}`;
}

const DOSSIER_COLUMNS = [...LAKE_COLUMNS.map(([name]) => name), 'snapshot_date'].join(', ');

/**
 * The `dossiers` relation itself: each dossier's row in its latest snapshot up to the as-of
 * date, with `unit_moved`: whether it had another unit in an earlier snapshot (only then may
 * it count under another unit in some period; never without a registry).
 */
export function dossiersRelation({
  asOf,
  dossierSource,
  currentState,
  registry,
}: Pick<Bindings, 'asOf' | 'dossierSource' | 'currentState' | 'registry'>): string {
  const columns = DOSSIER_COLUMNS;
  if (currentState) {
    return `SELECT ${columns}, ${registry ? 'unit_moved' : 'false AS unit_moved'} FROM ${currentState.dossiers}`;
  }
  const moved = registry
    ? `min(unit_code) OVER (PARTITION BY dossier_id) <> max(unit_code) OVER (PARTITION BY dossier_id)`
    : 'false';
  // Latest snapshot wins; within one snapshot (two extracts of the same day) the most
  // recently updated row, then a fixed order so the choice is deterministic.
  return `SELECT ${columns}, unit_moved FROM (
    SELECT ${columns},
      ROW_NUMBER() OVER (
        PARTITION BY dossier_id
        ORDER BY snapshot_date DESC, updated_at DESC NULLS LAST, source_file DESC, source_line DESC
      ) AS snapshot_rank,
      ${moved} AS unit_moved
    FROM ${dossierSource}
    WHERE snapshot_date <= DATE ${sqlString(asOf.slice(0, 10))}
  ) AS latest
  WHERE snapshot_rank = 1`;
}

/** The bound CTEs, comma-separated, without the WITH keyword. */
export function boundRelations(bindings: Bindings): string {
  return [
    `settings AS (${settingsRelation(bindings)})`,
    `targets AS (${targetsRelation(bindings)})`,
    `periods AS (\n  ${periodsRelation(bindings)}\n)`,
    bindings.materializedDossiers
      ? `dossiers AS (SELECT * FROM ${bindings.materializedDossiers})`
      : `dossiers AS (\n  ${dossiersRelation(bindings)}\n)`,
    `unit_registry AS (\n  ${unitRegistryRelation(bindings)}\n)`,
    `unit_lineage AS (\n  ${unitLineageRelation(bindings)}\n)`,
    bindings.materializedUnitHistory
      ? `unit_history AS (SELECT * FROM ${bindings.materializedUnitHistory})`
      : `unit_history AS (\n  ${unitHistoryRelation(bindings)}\n)`,
    ...bindings.shared.map(({ name, sql, materialized }) =>
      materialized ? `${name} AS (SELECT * FROM ${materialized})` : `${name} AS (\n${queryBody(sql)}\n)`,
    ),
  ].join(',\n');
}

/**
 * A query file's text with the bound relations in front. A query either starts with its own
 * WITH list (the bound CTEs are put at its head) or is a plain SELECT.
 */
export function bindQuery(queryText: string, bindings: Bindings): string {
  const body = queryBody(queryText);
  const withHead = /^WITH\s/i.exec(body);
  const relations = boundRelations(bindings);
  return withHead ? `WITH ${relations},\n${body.slice(withHead[0].length)}` : `WITH ${relations}\n${body}`;
}

/** A query file's text without its leading comments and final semicolon. */
function queryBody(sql: string): string {
  let rest = sql.trimStart();
  while (rest.startsWith('--') || rest.startsWith('/*')) {
    const end = rest.startsWith('--') ? rest.indexOf('\n') : rest.indexOf('*/') + 1;
    rest = end <= 0 ? '' : rest.slice(end + 1).trimStart();
  }
  return rest.replace(/;\s*$/, '');
}

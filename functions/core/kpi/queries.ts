// The SQL texts of queries/: one engine-neutral file per published table, and the shared
// relations (queries/shared/) the figure tables read, written once.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RATES } from '../kpi-catalog.ts';
import { FIGURE_COLUMN_NAMES } from '../published-tables.ts';

/** Tables computed by a query file, in the order they are run. */
export const QUERY_TABLES = [
  'unit_kpis',
  'province_kpis',
  'field_kpis',
  'overdue_dossiers',
  'successor_kpis',
] as const;
export type QueryTable = (typeof QUERY_TABLES)[number];

/**
 * Relations in queries/shared/, bound in this order after the runner's own (each may read
 * the ones before it): the dossiers that changed units and the unit each counts under in
 * each period, each unit as its dossiers name it, the per-dossier classification as monthly
 * events, then every figure of every period at the field, unit and province grain.
 */
export const SHARED_RELATIONS = [
  'moved_dossiers',
  'dossier_period_units',
  'dossier_unit_names',
  'dossier_events',
  'period_figures',
] as const;
export type SharedRelationName = (typeof SHARED_RELATIONS)[number];

/** A shared relation's name and SQL text (a query, which may have its own WITH list). */
export interface SharedRelation {
  name: SharedRelationName;
  sql: string;
}

/**
 * Where the .sql files are: CONGKHAI_QUERIES_DIR when set (a bundled Lambda ships them beside
 * its code), else the repository's queries/ folder.
 */
export function queriesDir(): string {
  return process.env['CONGKHAI_QUERIES_DIR'] ?? fileURLToPath(new URL('../../../queries/', import.meta.url));
}

export async function readQuery(table: QueryTable, dir = queriesDir()): Promise<string> {
  return expandFigureMarkers(await readFile(join(dir, `${table}.sql`), 'utf8'));
}

/**
 * Markers for the figure lists the figure tables share, written once here from the contract's
 * column order (published-tables.ts) and the catalog's rate formulas (kpi-catalog.ts), as
 * dbt's macros do: `{{period_columns r}}` a period's type, name, dates and completeness;
 * `{{period_order r}}` periods month first, then by start; `{{figure_columns r}}` every figure column of relation r; `{{count_columns
 * f}}` its counts only; `{{weighted_counts c}}` each count summed times c.weight;
 * `{{rounded_figures w}}` the counts rounded to whole dossiers and the rates from them. A
 * marker is not SQL, so a text that was not expanded fails on either engine.
 */
const FIGURE_MARKER =
  /\{\{(period_columns|period_order|figure_columns|count_columns|weighted_counts|rounded_figures) ([a-z_][a-z0-9_]*)\}\}/g;
const COUNT_COLUMN_NAMES = FIGURE_COLUMN_NAMES.filter((name) => !RATES.some((rate) => rate.name === name));

function rateFormula(name: string, relation: string): string | undefined {
  const rate = RATES.find((candidate) => candidate.name === name);
  if (!rate) return undefined;
  const denominator = rate.denominator.map((count) => `${relation}.${count}`).join(' + ');
  return `${relation}.${rate.numerator} / nullif(${denominator}, 0) AS ${name}`;
}

const FIGURE_LISTS: Record<string, (relation: string) => string[]> = {
  period_columns: (r) => [
    `${r}.period_type`,
    `${r}.period`,
    `CAST(${r}.period_start AS DATE) AS period_start`,
    `CAST(${r}.period_end AS DATE) AS period_end`,
    `${r}.is_complete`,
  ],
  period_order: (r) => [
    `CASE ${r}.period_type WHEN 'month' THEN 1 WHEN 'quarter' THEN 2 WHEN 'half' THEN 3 ELSE 4 END`,
    `${r}.period_start`,
  ],
  figure_columns: (r) => FIGURE_COLUMN_NAMES.map((name) => `${r}.${name}`),
  count_columns: (r) => COUNT_COLUMN_NAMES.map((name) => `${r}.${name}`),
  weighted_counts: (r) => COUNT_COLUMN_NAMES.map((name) => `sum(${r}.weight * ${r}.${name}) AS ${name}`),
  rounded_figures: (r) =>
    FIGURE_COLUMN_NAMES.map(
      (name) => rateFormula(name, r) ?? `CAST(round(${r}.${name}) AS BIGINT) AS ${name}`,
    ),
};

export function expandFigureMarkers(sql: string): string {
  return sql.replace(FIGURE_MARKER, (marker: string, list: string, relation: string, offset: number) => {
    const columns = FIGURE_LISTS[list]?.(relation);
    if (!columns) throw new Error(`unknown figure marker ${marker}`);
    const indent = /\n( *)$/.exec(sql.slice(0, offset))?.[1] ?? '  ';
    return columns.join(`,\n${indent}`);
  });
}

export async function readSharedRelations(dir = queriesDir()): Promise<SharedRelation[]> {
  return Promise.all(
    SHARED_RELATIONS.map(async (name) => ({
      name,
      sql: await readFile(join(dir, 'shared', `${name}.sql`), 'utf8'),
    })),
  );
}

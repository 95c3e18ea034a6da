// The SQL texts of queries/: one engine-neutral file per published table, and the shared
// relations (queries/shared/) the figure tables read, written once.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  return readFile(join(dir, `${table}.sql`), 'utf8');
}

export async function readSharedRelations(dir = queriesDir()): Promise<SharedRelation[]> {
  return Promise.all(
    SHARED_RELATIONS.map(async (name) => ({
      name,
      sql: await readFile(join(dir, 'shared', `${name}.sql`), 'utf8'),
    })),
  );
}

// The SQL texts of queries/: one engine-neutral file per published table.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Tables computed by a query file, in the order they are run. */
export const QUERY_TABLES = ['unit_kpis', 'province_kpis', 'field_kpis', 'overdue_dossiers'] as const;
export type QueryTable = (typeof QUERY_TABLES)[number];

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

// One published table → its CSV, JSON and Parquet files, written to a local work folder.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { openDuckDb, sqlString } from '../duckdb.ts';
import type { Row } from '../engine.ts';
import type { PublishedTable, PublishedType } from '../published-tables.ts';
import { type SpreadsheetNotes, writeTableXlsx } from './spreadsheet-file.ts';

/** A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first). */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(type: PublishedType, value: Row[string] | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = String(value);
  // Defence in depth (ingest already refuses such cells): a leading apostrophe makes the
  // spreadsheet show the text instead of evaluating it.
  return type === 'string' && FORMULA_START.test(text) ? `'${text}` : text;
}

/** CSV: UTF-8 with BOM (Excel reads Vietnamese correctly), comma, header row, CRLF. */
export function tableCsv(table: PublishedTable, rows: readonly Row[]): string {
  return stringify(
    rows.map((row) => table.columns.map((c) => csvCell(c.type, row[c.name]))),
    { header: true, columns: table.columns.map((c) => c.name), bom: true, record_delimiter: 'windows' },
  );
}

/** JSON: an array of row objects in contract column order, one row per line. */
export function tableJson(table: PublishedTable, rows: readonly Row[]): string {
  const ordered = rows.map((row) =>
    Object.fromEntries(table.columns.map((c) => [c.name, row[c.name] ?? null])),
  );
  return ordered.length === 0 ? '[]\n' : `[\n${ordered.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`;
}

const DUCKDB_TYPE: Record<PublishedType, string> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  datetime: 'TIMESTAMP',
};

export const duckDbTypeOf = (type: PublishedType) => DUCKDB_TYPE[type];

/** Parquet (zstd) with the contract's column types, converted by DuckDB from the JSON file. */
export async function writeTableParquet(
  table: PublishedTable,
  jsonPath: string,
  parquetPath: string,
): Promise<void> {
  const columns = table.columns
    .map((c) => `${sqlString(c.name)}: ${sqlString(DUCKDB_TYPE[c.type])}`)
    .join(', ');
  const select = table.columns.map((c) => `"${c.name}"`).join(', ');
  const connection = await openDuckDb({ threads: 1 });
  try {
    await connection.run(
      `COPY (SELECT ${select} FROM read_json(${sqlString(jsonPath)}, format = 'array', columns = {${columns}}, ` +
        `timestampformat = '%Y-%m-%d %H:%M:%S', dateformat = '%Y-%m-%d')) ` +
        `TO ${sqlString(parquetPath)} (FORMAT parquet, COMPRESSION zstd)`,
    );
  } finally {
    connection.closeSync();
  }
}

/**
 * Writes `<table>.csv`, `.json` and `.parquet` (the machine editions) and `.xlsx` (the
 * spreadsheet edition, spreadsheet-file.ts) into `dir`; returns the four file names.
 */
export async function writeTableFiles(
  table: PublishedTable,
  rows: readonly Row[],
  dir: string,
  notes: SpreadsheetNotes,
): Promise<string[]> {
  const names = [`${table.name}.csv`, `${table.name}.json`, `${table.name}.parquet`, `${table.name}.xlsx`];
  await writeFile(join(dir, names[0]!), tableCsv(table, rows));
  await writeFile(join(dir, names[1]!), tableJson(table, rows));
  await writeTableParquet(table, join(dir, names[1]!), join(dir, names[2]!));
  await writeTableXlsx(join(dir, names[3]!), table, rows, notes);
  return names;
}

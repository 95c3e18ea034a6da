// One published table → its CSV, JSON and Parquet files, written to a local work folder.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { openDuckDb, sqlString } from '../duckdb.ts';
import type { Row } from '../engine.ts';
import type { PublishedTable, PublishedType } from '../published-tables.ts';
import type { PublishPool } from './publish-pool.ts';
import type { SpreadsheetNotes } from './spreadsheet-file.ts';

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

const CSV_OPTIONS = { bom: true, record_delimiter: 'windows' } as const;
const CRLF = '\r\n';

/**
 * A table's CSV serialised once, kept as its head (BOM, header row, CRLF) and one line per row
 * (without its CRLF): the table's file and every unit kit's file are cut from the same lines.
 */
export interface CsvText {
  head: string;
  lines: readonly string[];
}

const csvRecord = (table: PublishedTable, row: Row) => table.columns.map((c) => csvCell(c.type, row[c.name]));

/** What makes csv-stringify quote a cell. */
const NEEDS_QUOTES = /[",\r\n]/;

/** CSV: UTF-8 with BOM (Excel reads Vietnamese correctly), comma, header row, CRLF. */
export function tableCsvText(table: PublishedTable, rows: readonly Row[]): CsvText {
  const head = stringify([], { ...CSV_OPTIONS, header: true, columns: table.columns.map((c) => c.name) });
  const lines = rows.map((row) => {
    const cells = csvRecord(table, row);
    // A record with no cell to quote is its cells joined by commas, exactly what csv-stringify
    // writes; csv-stringify itself writes any other (per-field overhead paid only there).
    return cells.some((cell) => NEEDS_QUOTES.test(cell))
      ? stringify([cells], { record_delimiter: 'windows' }).slice(0, -CRLF.length)
      : cells.join(',');
  });
  return { head, lines };
}

/** The CSV file of the lines `indexes` picks (default all), in that order. */
export function csvFile(text: CsvText, indexes?: readonly number[]): string {
  const lines = indexes ? indexes.map((i) => text.lines[i]!) : text.lines;
  return lines.length === 0 ? text.head : `${text.head}${lines.join(CRLF)}${CRLF}`;
}

/** The row as it is when its own keys are exactly `names` in that order, none undefined. */
function inOrder(row: Row, names: readonly string[]): boolean {
  let i = 0;
  for (const key in row) if (key !== names[i++] || row[key] === undefined) return false;
  return i === names.length;
}

/** JSON: an array of row objects in contract column order, one row per line. */
export function tableJson(table: PublishedTable, rows: readonly Row[]): string {
  const names = table.columns.map((c) => c.name);
  const lines = rows.map((row) => {
    // Most tables' rows already come in contract order: serialised as they are (no copy).
    if (inOrder(row, names)) return JSON.stringify(row);
    const ordered: Row = {};
    for (const name of names) ordered[name] = row[name] ?? null;
    return JSON.stringify(ordered);
  });
  return lines.length === 0 ? '[]\n' : `[\n${lines.join(',\n')}\n]\n`;
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

/** A table's files: the CSV and JSON written, the Parquet and the spreadsheet on their way. */
export interface TableFiles {
  names: string[];
  csv: CsvText;
  parquet: Promise<void>;
  spreadsheet: Promise<void>;
}

/** A non-finite number: JSON writes it as null, so such a table cannot be read back from JSON. */
const NON_FINITE_CELL = /(^|,)(NaN|-?Infinity)(,|\r)/m;

/**
 * Writes `<table>.csv` and `.json` (machine editions) into `dir`, then starts `.parquet` (once
 * `after` settles: one DuckDB at a time) and `.xlsx` (the spreadsheet edition, spreadsheet-file.ts,
 * on `pool`, from the JSON file just written). Returns the four file names, the CSV text (the
 * unit kits cut their files from it) and the two files' promises, which the caller awaits.
 */
export async function writeTableFiles(
  table: PublishedTable,
  rows: readonly Row[],
  dir: string,
  notes: SpreadsheetNotes,
  { pool, after = Promise.resolve() }: { pool: PublishPool; after?: Promise<unknown> },
): Promise<TableFiles> {
  const names = [`${table.name}.csv`, `${table.name}.json`, `${table.name}.parquet`, `${table.name}.xlsx`];
  const [csvPath, jsonPath, parquetPath, xlsxPath] = names.map((name) => join(dir, name)) as [
    string,
    string,
    string,
    string,
  ];
  const csv = tableCsvText(table, rows);
  const csvText = csvFile(csv);
  await writeFile(csvPath, csvText);
  await writeFile(jsonPath, tableJson(table, rows));
  const parquet = after.then(
    () => writeTableParquet(table, jsonPath, parquetPath),
    () => writeTableParquet(table, jsonPath, parquetPath),
  );
  const spreadsheet = pool.run({
    kind: 'xlsx',
    path: xlsxPath,
    table: table.name,
    notes,
    rows: NON_FINITE_CELL.test(csvText) ? rows : { json: jsonPath },
  });
  // Awaited by the caller later: never an unhandled rejection meanwhile.
  for (const pending of [parquet, spreadsheet]) pending.catch(() => {});
  return { names, csv, parquet, spreadsheet };
}

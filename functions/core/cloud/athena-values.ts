// Athena returns every value as a string (VarCharValue) with the column's Trino type beside
// it in ResultSetMetadata. This turns them into the plain values of the `Row` contract
// (functions/core/engine.ts), so that KPI code cannot tell Athena rows from DuckDB rows.
import type { ColumnInfo, Datum } from '@aws-sdk/client-athena';
import type { Row } from '../engine.ts';

const NUMBER_TYPES = new Set([
  'tinyint',
  'smallint',
  'integer',
  'int',
  'bigint',
  'real',
  'float',
  'double',
  'decimal',
]);

/** Convert one Athena value by its column type. A missing VarCharValue is SQL NULL. */
export function athenaValue(type: string, raw: string | undefined): string | number | boolean | null {
  if (raw === undefined) return null;
  // Types may carry parameters ('decimal(38,4)', 'varchar(10)', 'timestamp(3)').
  const base = type.toLowerCase().replace(/\(.*$/, '').trim();
  if (NUMBER_TYPES.has(base)) return Number(raw);
  if (base === 'boolean') return raw === 'true';
  if (base === 'date') return raw.slice(0, 10);
  // 'YYYY-MM-DD HH:MM:SS.fff' → 'YYYY-MM-DD HH:MM:SS' (the contract keeps whole seconds).
  if (base === 'timestamp') return raw.replace(/\.\d+$/, '');
  return raw;
}

/** One result row (the Datum list of a GetQueryResults page) as a `Row`. */
export function athenaRow(columns: readonly ColumnInfo[], data: readonly Datum[]): Row {
  const row: Row = {};
  columns.forEach((column, i) => {
    row[column.Name ?? `_col${i}`] = athenaValue(column.Type ?? 'varchar', data[i]?.VarCharValue);
  });
  return row;
}

// The local Engine: DuckDB over the lake's Parquet files on disk. Athena's twin lives in
// functions/core/cloud/; both run the same SQL text from queries/.
import { join } from 'node:path';
import {
  type DuckDBConnection,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
  JSDuckDBValueConverter,
} from '@duckdb/node-api';
import { type DuckDbOptions, escapeGlob, openDuckDb, sqlString } from '../duckdb.ts';
import type { Engine, Row } from '../engine.ts';
import { DOSSIERS_PREFIX } from '../lake-layout.ts';

/**
 * The lake's dossier rows as one relation, with the Hive partition column as a DATE. The lake
 * folder is matched literally (a folder named `lake[1]` works; `lake*` never reads siblings).
 */
export function duckDbDossierSource(lakeDir: string): string {
  const glob = `${escapeGlob(join(lakeDir, DOSSIERS_PREFIX))}/snapshot_date=*/*.parquet`;
  return (
    `read_parquet(${sqlString(glob)}, hive_partitioning = true, ` +
    `hive_types = {'snapshot_date': DATE}, union_by_name = true)`
  );
}

type Converter = (value: unknown) => Row[string];

const asIs: Converter = (value) => (value === undefined ? null : (value as Row[string]));
const integer: Converter = (value) => {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`integer out of range: ${value}`);
  return n;
};
/** TIMESTAMP without time zone arrives as a Date holding the wall-clock time in UTC fields. */
const timestamp: Converter = (value) =>
  value instanceof Date ? value.toISOString().slice(0, 19).replace('T', ' ') : asIs(value);
const date: Converter = (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : asIs(value));

/**
 * The converter of a column from DuckDB's own values (getColumns: no conversion by the
 * library): a VARCHAR, DOUBLE or BOOLEAN already is its JS value and an integer a number or a
 * bigint; any other type goes through the library's JS conversion first (a DATE → Date…).
 */
function rawConverterFor(type: DuckDBType): Converter {
  const convert = converterFor(type.typeId);
  if (INTEGER_TYPES.has(type.typeId) || AS_IS_TYPES.has(type.typeId)) return convert;
  return (value) => convert(JSDuckDBValueConverter(value as DuckDBValue, type, JSDuckDBValueConverter));
}

/** Integer types: a number or a bigint in DuckDB's own values. */
const INTEGER_TYPES: ReadonlySet<DuckDBTypeId> = new Set([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
]);
/** Types whose DuckDB value already is the JS value. */
const AS_IS_TYPES: ReadonlySet<DuckDBTypeId> = new Set([
  DuckDBTypeId.BOOLEAN,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.VARCHAR,
]);

function converterFor(typeId: DuckDBTypeId): Converter {
  if (INTEGER_TYPES.has(typeId)) return integer;
  if (AS_IS_TYPES.has(typeId)) return asIs;
  switch (typeId) {
    case DuckDBTypeId.DECIMAL:
      return (value) => (value === null || value === undefined ? null : Number(value));
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return timestamp;
    case DuckDBTypeId.DATE:
      return date;
    default:
      return (value) => (value === null || value === undefined ? null : String(value));
  }
}

export class DuckDbEngine implements Engine {
  readonly name = 'duckdb' as const;
  readonly dossierSource: string;
  readonly connection: DuckDBConnection;
  readonly parquetSource?: (keys: readonly string[]) => string;

  /** `lakeDir`: the lake folder, for reading other lake tables than the snapshots (parquetSource). */
  constructor(connection: DuckDBConnection, dossierSource: string, lakeDir?: string) {
    this.connection = connection;
    this.dossierSource = dossierSource;
    if (lakeDir !== undefined) {
      this.parquetSource = (keys) => {
        const paths = keys.map((key) => sqlString(escapeGlob(join(lakeDir, ...key.split('/')))));
        return `read_parquet([${paths.join(', ')}])`;
      };
    }
  }

  async query(sql: string): Promise<Row[]> {
    return (await this.fetch(sql))();
  }

  /** The result is held in DuckDB's memory until converted (a materialized result). */
  async fetch(sql: string): Promise<() => Row[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return () => {
      const names = reader.columnNames();
      // One converter per column, chosen from its type: far faster than inspecting each value;
      // read column by column (a vector at a time) and converted once, from DuckDB's values.
      const convert = reader.columnTypes().map(rawConverterFor);
      const columns = reader.getColumns();
      const rows = new Array<Row>(reader.currentRowCount);
      for (let r = 0; r < rows.length; r++) {
        const row: Row = {};
        for (let c = 0; c < names.length; c++) row[names[c]!] = convert[c]!(columns[c]![r]);
        rows[r] = row;
      }
      return rows;
    };
  }

  async materialize(name: string, sql: string): Promise<string> {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain relation name: ${name}`);
    await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${name} AS ${sql}`);
    return name;
  }

  async close(): Promise<void> {
    this.connection.closeSync();
  }
}

export async function openDuckDbEngine(lakeDir: string, options: DuckDbOptions = {}): Promise<Engine> {
  const connection = await openDuckDb(options);
  return new DuckDbEngine(connection, duckDbDossierSource(lakeDir), lakeDir);
}

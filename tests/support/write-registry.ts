// Writes the units registry into a lake as ingest keeps it (lake-layout.ts UNITS_REGISTRY_KEY,
// UNIT_SUCCESSORS_KEY), with DuckDB COPY to Parquet — for KPI tests that must not depend on
// the ingest code. From units.csv / unit_successors.csv files or from rows.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { openDuckDb, sqlString } from '../../functions/core/duckdb.ts';
import type { RegistryUnit, UnitSuccession } from '../../functions/core/kpi/unit-registry.ts';
import { UNIT_SUCCESSORS_KEY, UNITS_REGISTRY_KEY } from '../../functions/core/lake-layout.ts';

const UNITS_SELECT = `SELECT CAST(unit_code AS VARCHAR) AS unit_code, CAST(unit_name AS VARCHAR) AS unit_name,
  CAST(unit_level AS VARCHAR) AS unit_level, CAST(nullif(parent_code, '') AS VARCHAR) AS parent_code,
  CAST(nullif(valid_from, '') AS DATE) AS valid_from, CAST(nullif(valid_to, '') AS DATE) AS valid_to`;
const SUCCESSORS_SELECT = `SELECT CAST(predecessor_code AS VARCHAR) AS predecessor_code,
  CAST(successor_code AS VARCHAR) AS successor_code, CAST(weight AS DOUBLE) AS weight,
  CAST(nullif(effective_date, '') AS DATE) AS effective_date`;

async function copy(lakeDir: string, key: string, select: string, from: string): Promise<void> {
  const target = join(lakeDir, ...key.split('/'));
  await mkdir(dirname(target), { recursive: true });
  const connection = await openDuckDb({ threads: 1 });
  try {
    await connection.run(`COPY (${select} FROM ${from}) TO ${sqlString(target)} (FORMAT parquet)`);
  } finally {
    connection.closeSync();
  }
}

const csv = (path: string) => `read_csv(${sqlString(path)}, all_varchar = true, header = true)`;

/** units.csv (and unit_successors.csv, if given) → the lake's registry files. */
export async function writeRegistryFromCsv(lakeDir: string, unitsCsv: string, successorsCsv?: string) {
  await copy(lakeDir, UNITS_REGISTRY_KEY, UNITS_SELECT, csv(unitsCsv));
  if (successorsCsv) await copy(lakeDir, UNIT_SUCCESSORS_KEY, SUCCESSORS_SELECT, csv(successorsCsv));
}

const text = (v: string | null) => (v === null ? 'NULL' : sqlString(v));

/** Registry rows → the lake's registry files (successors written even when empty). */
export async function writeRegistry(
  lakeDir: string,
  units: readonly RegistryUnit[],
  successions: readonly UnitSuccession[],
): Promise<void> {
  const values = (rows: string[], empty: string) =>
    rows.length > 0 ? `(VALUES ${rows.join(', ')})` : `(SELECT * FROM (VALUES ${empty}) WHERE false)`;
  await copy(
    lakeDir,
    UNITS_REGISTRY_KEY,
    UNITS_SELECT,
    `${values(
      units.map(
        (u) =>
          `(${text(u.unit_code)}, ${text(u.unit_name)}, ${text(u.unit_level)}, ${text(u.parent_code)}, ${text(u.valid_from)}, ${text(u.valid_to)})`,
      ),
      "('', '', '', '', '', '')",
    )} AS t(unit_code, unit_name, unit_level, parent_code, valid_from, valid_to)`,
  );
  await copy(
    lakeDir,
    UNIT_SUCCESSORS_KEY,
    SUCCESSORS_SELECT,
    `${values(
      successions.map(
        (s) =>
          `(${text(s.predecessor_code)}, ${text(s.successor_code)}, ${text(String(s.weight))}, ${text(s.effective_date)})`,
      ),
      "('', '', '1', '')",
    )} AS t(predecessor_code, successor_code, weight, effective_date)`,
  );
}

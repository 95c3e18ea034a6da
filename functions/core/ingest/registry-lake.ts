// The units registry in the lake (lake-layout.ts UNITS_REGISTRY_KEY, UNIT_SUCCESSORS_KEY):
// written at every ingest that has one, each file atomically, so `kpi` needs no flag. The
// staging run has already made registry_units a DuckDB table.
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../duckdb.ts';
import type { RegistryTables } from '../extract/units-registry.ts';
import { UNIT_SUCCESSORS_KEY, UNITS_REGISTRY_KEY } from '../lake-layout.ts';
import type { Storage } from '../storage.ts';

const PARQUET = '(FORMAT parquet, COMPRESSION zstd)';

export async function writeRegistryToLake(
  db: DuckDBConnection,
  registry: RegistryTables,
  lake: Storage,
  work: string,
): Promise<void> {
  const units = join(work, 'units.parquet');
  await db.run(
    `COPY (SELECT unit_code, unit_name, unit_level, parent_code, valid_from, valid_to FROM registry_units
           ORDER BY unit_code, valid_from NULLS FIRST) TO ${sqlString(units)} ${PARQUET}`,
  );
  const successors = join(work, 'unit_successors.parquet');
  const rows = registry.successors.map(
    (s) =>
      `(${sqlString(s.predecessor_code)}, ${sqlString(s.successor_code)}, ${s.weight}, DATE ${sqlString(s.effective_date)})`,
  );
  await db.run(
    `CREATE OR REPLACE TEMP TABLE registry_successors
       (predecessor_code VARCHAR, successor_code VARCHAR, weight DOUBLE, effective_date DATE)`,
  );
  if (rows.length > 0) await db.run(`INSERT INTO registry_successors VALUES ${rows.join(', ')}`);
  await db.run(
    `COPY (SELECT * FROM registry_successors ORDER BY predecessor_code, successor_code)
       TO ${sqlString(successors)} ${PARQUET}`,
  );
  await lake.putFile(UNITS_REGISTRY_KEY, units, 'application/vnd.apache.parquet');
  await lake.putFile(UNIT_SUCCESSORS_KEY, successors, 'application/vnd.apache.parquet');
}

// DuckDB turns the staged CSVs into the lake's Parquet parts: zstd, LAKE_COLUMNS in order,
// rows in file order (deterministic bytes for identical input). Duplicate dossier_ids are
// found here, by SQL, so the JS side keeps no per-row state: the first occurrence stays,
// later ones join the quarantine as "duplicate of line N".
import { LAKE_COLUMNS } from '../dossier-contract.ts';
import { openDuckDb, sqlString } from '../duckdb.ts';

export const QUARANTINE_COLUMNS = [
  ['source_file', 'VARCHAR'],
  ['line', 'BIGINT'],
  ['field', 'VARCHAR'],
  ['reason_code', 'VARCHAR'],
  ['reason', 'VARCHAR'],
  ['value', 'VARCHAR'],
  ['dossier_id', 'VARCHAR'],
] as const;

export interface PartsResult {
  accepted: number;
  /** Quarantined rows, JS-found plus duplicates, by reason code. */
  quarantined: number;
  quarantinedByReason: Record<string, number>;
  wroteQuarantine: boolean;
}

const columnsStruct = (columns: ReadonlyArray<readonly [string, string]>) =>
  `{${columns.map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`).join(', ')}}`;

const readStaged = (path: string, columns: ReadonlyArray<readonly [string, string]>) =>
  `read_csv(${sqlString(path)}, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"',
     columns = ${columnsStruct(columns)}, timestampformat = '%Y-%m-%d %H:%M:%S')`;

const PARQUET = `(FORMAT parquet, COMPRESSION zstd)`;

export async function writeParquetParts(options: {
  stagedDossiers: string;
  stagedQuarantine: string;
  quarantineRows: number;
  dossiersOut: string;
  quarantineOut: string;
  tempDirectory: string;
}): Promise<PartsResult> {
  // Bounded memory: the duplicate search spills to disk instead of growing with the file.
  const db = await openDuckDb({ memoryLimit: '512MB', tempDirectory: options.tempDirectory });
  try {
    const dossiers = readStaged(options.stagedDossiers, LAKE_COLUMNS);
    const lakeList = LAKE_COLUMNS.map(([name]) => name).join(', ');
    await db.run(
      `CREATE TEMP TABLE duplicated AS
         SELECT dossier_id, min(source_line) AS first_line FROM ${dossiers}
         GROUP BY dossier_id HAVING count(*) > 1`,
    );
    const duplicateGroups = Number(
      (await db.runAndReadAll('SELECT count(*) FROM duplicated')).getRows()[0]![0],
    );
    if (duplicateGroups === 0) {
      await db.run(
        `COPY (SELECT ${lakeList} FROM ${dossiers}) TO ${sqlString(options.dossiersOut)} ${PARQUET}`,
      );
    } else {
      await db.run(
        `COPY (SELECT ${LAKE_COLUMNS.map(([n]) => `s.${n}`).join(', ')} FROM ${dossiers} s
               LEFT JOIN duplicated d USING (dossier_id)
               WHERE d.first_line IS NULL OR s.source_line = d.first_line
               ORDER BY s.source_line)
         TO ${sqlString(options.dossiersOut)} ${PARQUET}`,
      );
    }
    const accepted = Number(
      (
        await db.runAndReadAll(`SELECT count(*) FROM read_parquet(${sqlString(options.dossiersOut)})`)
      ).getRows()[0]![0],
    );
    const quarantineSources: string[] = [];
    if (options.quarantineRows > 0) {
      quarantineSources.push(`SELECT * FROM ${readStaged(options.stagedQuarantine, QUARANTINE_COLUMNS)}`);
    }
    if (duplicateGroups > 0) {
      quarantineSources.push(
        `SELECT s.source_file, s.source_line AS line, 'dossier_id' AS field, 'duplicate_dossier_id' AS reason_code,
                'duplicate of line ' || d.first_line AS reason, s.dossier_id AS value, s.dossier_id
           FROM ${dossiers} s JOIN duplicated d USING (dossier_id) WHERE s.source_line > d.first_line`,
      );
    }
    const byReason: Record<string, number> = {};
    let quarantined = 0;
    if (quarantineSources.length > 0) {
      await db.run(
        `COPY (SELECT * FROM (${quarantineSources.join(' UNION ALL ')}) ORDER BY line, reason_code)
         TO ${sqlString(options.quarantineOut)} ${PARQUET}`,
      );
      const rows = (
        await db.runAndReadAll(
          `SELECT reason_code, count(*) FROM read_parquet(${sqlString(options.quarantineOut)}) GROUP BY 1 ORDER BY 1`,
        )
      ).getRows();
      for (const [code, count] of rows) {
        byReason[String(code)] = Number(count);
        quarantined += Number(count);
      }
    }
    return { accepted, quarantined, quarantinedByReason: byReason, wroteQuarantine: quarantined > 0 };
  } finally {
    db.closeSync();
  }
}

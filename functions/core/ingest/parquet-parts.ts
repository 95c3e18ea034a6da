// DuckDB turns the staged CSVs into the lake's Parquet parts: zstd, LAKE_COLUMNS in order,
// rows in file order (deterministic bytes for identical input). The staged dossier CSV may be
// a FIFO that the parser is still writing: DuckDB then converts it on another core while JS
// parses (see staging-files.ts). Duplicate dossier_ids are found afterwards, by SQL on that
// Parquet, so the JS side keeps no per-row state: the first occurrence stays, later ones join
// the quarantine as "duplicate of line N".
import { rename } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { LAKE_COLUMNS } from '../dossier-contract.ts';
import { openDuckDb, sqlString } from '../duckdb.ts';
import { STAGED_COLUMNS } from './staging-files.ts';

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

// Staged timestamps are always 'YYYY-MM-DD HH:MM:SS', which DuckDB's own timestamp cast
// reads (faster than a timestampformat, which goes through strptime).
const readStaged = (path: string, columns: ReadonlyArray<readonly [string, string]>) =>
  `read_csv(${sqlString(path)}, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"',
     columns = ${columnsStruct(columns)})`;

const PARQUET = `(FORMAT parquet, COMPRESSION zstd)`;

export class PartsWriter {
  private readonly db: DuckDBConnection;

  private constructor(db: DuckDBConnection) {
    this.db = db;
  }

  static async open(tempDirectory: string): Promise<PartsWriter> {
    // Bounded memory: the duplicate search spills to disk instead of growing with the file.
    return new PartsWriter(await openDuckDb({ memoryLimit: '512MB', tempDirectory }));
  }

  /**
   * Every staged dossier row → `out` (Parquet, lake columns, file order). The staged CSV has
   * no source_file column: it is the same on every row, so it is added here.
   */
  async convertStaged(stagedDossiers: string, out: string, sourceFile: string): Promise<void> {
    const select = LAKE_COLUMNS.map(([name]) =>
      name === 'source_file' ? `${sqlString(sourceFile)} AS source_file` : name,
    ).join(', ');
    await this.db.run(
      `COPY (SELECT ${select} FROM ${readStaged(stagedDossiers, STAGED_COLUMNS)}) TO ${sqlString(out)} ${PARQUET}`,
    );
  }

  /** Drops later duplicates from the converted rows and writes the quarantine part. */
  async finish(options: {
    /** The Parquet that convertStaged wrote (consumed: renamed or left for removal). */
    converted: string;
    stagedQuarantine: string;
    quarantineRows: number;
    dossiersOut: string;
    quarantineOut: string;
  }): Promise<PartsResult> {
    const db = this.db;
    const all = `read_parquet(${sqlString(options.converted)})`;
    await db.run(
      `CREATE OR REPLACE TEMP TABLE duplicated AS
         SELECT dossier_id, min(source_line) AS first_line FROM ${all}
         GROUP BY dossier_id HAVING count(*) > 1`,
    );
    const duplicateGroups = Number(
      (await db.runAndReadAll('SELECT count(*) FROM duplicated')).getRows()[0]![0],
    );
    if (duplicateGroups === 0) {
      await rename(options.converted, options.dossiersOut);
    } else {
      await db.run(
        `COPY (SELECT ${LAKE_COLUMNS.map(([n]) => `s.${n}`).join(', ')} FROM ${all} s
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
           FROM ${all} s JOIN duplicated d USING (dossier_id) WHERE s.source_line > d.first_line`,
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
  }

  close(): void {
    this.db.closeSync();
  }
}

// The runner numbers a CSV's rows by their place in the validator's output (staging-run.ts),
// so the validator must keep the order the reader gives: no join in its plan, nor an IN list
// (DuckDB plans one as a join), only cross products with the one-row settings. The parallel
// read test checks the lines this gives; this test names the operator that would break them.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBConnection } from '@duckdb/node-api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ingestExtract } from '../../functions/core/ingest/ingest-extract.ts';
import { LocalStorage } from '../../functions/core/storage.ts';
import { query, tempDir, v1Csv, validRow } from './helpers.ts';

/** The runner's statement that runs the validator: COPY (<validate_dossiers.sql>) TO <file> …. */
const VALIDATOR = 'COPY (-- validate_dossiers';

describe('the validator', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('has no join in its plan, and the lake part lists the rows in file order', async () => {
    const dir = await tempDir();
    const file = join(dir, 'extract-2024-03-31.csv');
    const rows = Array.from({ length: 3000 }, (_, i) =>
      validRow(
        i,
        i % 7 === 0 ? { status: 'Đã trả kết quả', channel: 'Trực tuyến', result_electronic: 'có' } : {},
      ),
    );
    await writeFile(file, v1Csv(rows));
    const plans: string[] = [];
    const run = DuckDBConnection.prototype.run;
    vi.spyOn(DuckDBConnection.prototype, 'run').mockImplementation(async function (
      this: DuckDBConnection,
      sql: string,
      ...rest: unknown[]
    ) {
      if (sql.startsWith(VALIDATOR)) {
        const validator = sql.slice('COPY ('.length, sql.lastIndexOf(') TO '));
        const explained = await this.runAndReadAll(`EXPLAIN ${validator}`);
        plans.push(
          explained
            .getRows()
            .map((row) => String(row[1]))
            .join('\n'),
        );
      }
      return (run as (...a: unknown[]) => ReturnType<typeof run>).call(this, sql, ...rest);
    });
    const lake = join(dir, 'lake');
    const summary = await ingestExtract({
      path: file,
      lake: new LocalStorage(lake),
      snapshotDate: '2024-03-31',
    });
    vi.restoreAllMocks();
    expect(summary.rowsAccepted).toBe(rows.length);
    expect(plans).toHaveLength(1);
    const operators = [...new Set(plans[0]!.match(/\b[A-Z][A-Z_]*(JOIN|PRODUCT|SCAN|CSV)\b/g))].sort();
    // (SEQ_SCAN: the one-row staging_settings, read once per cross product.)
    expect(operators).toEqual(['CROSS_PRODUCT', 'READ_CSV', 'SEQ_SCAN']);
    // The part is written without a sort: its rows stand in the order of their lines.
    const order = await query(
      `SELECT count(*) FILTER (WHERE d <> 1)::INT AS breaks, count(*)::INT AS n FROM (
         SELECT source_line - lag(source_line) OVER (ORDER BY file_row_number) AS d
         FROM read_parquet('${lake}/dossiers/*/*.parquet', file_row_number = true))`,
    );
    expect(order).toEqual([{ breaks: 0, n: rows.length }]);
  });
});

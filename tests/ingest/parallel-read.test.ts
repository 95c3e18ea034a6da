// A file larger than DuckDB's read buffer is read by several threads at once; a row's line
// comes from its place in the file, so that place must survive the parallel read. The file
// here (~90 MB: long citizen cells, dropped at ingest) spans several buffers, with quoted
// line breaks early on (physical lines run ahead of row numbers) and broken rows spread
// through it.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type IngestProgress, ingestExtract } from '../../functions/core/ingest/ingest-extract.ts';
import { LocalStorage } from '../../functions/core/storage.ts';
import {
  type CliResult,
  lakeQuarantine,
  query,
  runCli,
  tempDir,
  type V1Row,
  v1Csv,
  validRow,
} from './helpers.ts';

const TOTAL = 150_000;
const BROKEN = [5, 61_000, 99_999, 149_998];
/** Rows whose citizen cell holds one quoted line break. */
const MULTILINE = [3, 10, 20_000];

describe('a file read by several threads', () => {
  let lake: string;
  let rows: V1Row[];
  let result: CliResult;
  let file: string;
  /** Physical line of each row: the header is line 1; a quoted line break adds a line. */
  const lineOf = (i: number) => i + 2 + MULTILINE.filter((m) => m < i).length;

  beforeAll(async () => {
    const dir = await tempDir();
    lake = join(dir, 'lake');
    const filler = 'x'.repeat(560);
    rows = Array.from({ length: TOTAL }, (_, i) =>
      validRow(i, {
        ChuHoSo: MULTILINE.includes(i) ? `${filler}\n${i}` : `${filler}${i}`,
        ...(BROKEN.includes(i) ? { status: 'không rõ' } : {}),
      }),
    );
    file = join(dir, 'extract-2024-03-31.csv');
    await writeFile(file, v1Csv(rows));
    result = await runCli(['ingest', file, '--lake', lake]);
  }, 120_000);

  it('keeps each accepted row on its own line', async () => {
    expect(result.code).toBe(0);
    const lines = new Map(rows.map((r, i) => [r.dossier_id, lineOf(i)]));
    const found = await query(
      `SELECT dossier_id, source_line::INT AS line FROM read_parquet('${lake}/dossiers/*/*.parquet')`,
    );
    expect(found).toHaveLength(TOTAL - BROKEN.length);
    expect(found.filter((r) => lines.get(String(r.dossier_id)) !== r.line)).toEqual([]);
  });

  it('reports its progress while DuckDB reads: whole percents, rising, then the records read', async () => {
    // The CLI shows these on a terminal; ~1 s of reading here, the progress polled every 0.25 s.
    const progress: IngestProgress[] = [];
    const summary = await ingestExtract({
      path: file,
      lake: new LocalStorage(join(lake, '..', 'lake-progress')),
      onProgress: (p) => progress.push(p),
    });
    expect(progress.at(-1)).toEqual({ rowsRead: TOTAL });
    expect(summary.rowsRead).toBe(TOTAL);
    const percents = progress.slice(0, -1).map((p) => ('percent' in p ? p.percent : Number.NaN));
    // DuckDB can tell how far the validator is (a CTE it materialised would leave it at 0).
    expect(Math.max(...percents)).toBeGreaterThan(0);
    for (const [i, percent] of percents.entries()) {
      expect(Number.isInteger(percent) && percent >= 0 && percent <= 100).toBe(true);
      if (i > 0) expect(percent).toBeGreaterThan(percents[i - 1]!);
    }
  }, 60_000);

  it('names the line of each broken row', async () => {
    const quarantined = await lakeQuarantine(lake);
    expect(quarantined.map((q) => [Number(q.line), q.reason_code, q.value])).toEqual(
      BROKEN.map((i) => [lineOf(i), 'unknown_status', 'không rõ']),
    );
  });
});

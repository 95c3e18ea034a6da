// Records of the streamed readers (NDJSON, DVCQG JSON, XLSX) staged as a CSV that DuckDB
// reads into the same raw relation as a CSV extract: line, portal flag, a structural
// problem if any, then the contract cells as text. Only contract cells are written (the
// readers dropped every other column), so no citizen value reaches the disk.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stringify } from 'csv-stringify';
import { DOSSIER_COLUMNS } from '../dossier-contract.ts';
import type { RawRecord } from './raw-record.ts';

export const STAGED_HEADER = [
  'line',
  'dvcqg',
  'problem_code',
  'problem_field',
  'problem_reason',
  ...DOSSIER_COLUMNS.map((c) => c.name),
];

/** Writes every batch to `path`; returns the number of records. */
export async function stageRecords(batches: AsyncIterable<RawRecord[]>, path: string): Promise<number> {
  const file = createWriteStream(path);
  const csv = stringify({ header: true, columns: STAGED_HEADER });
  csv.pipe(file);
  const closed = once(file, 'close');
  let count = 0;
  try {
    for await (const batch of batches) {
      for (const r of batch) {
        const row = [
          r.line,
          r.dvcqg ? 'true' : 'false',
          r.problem?.code ?? null,
          r.problem?.field ?? null,
          r.problem?.reason ?? null,
          ...r.cells.map((cell) => cell ?? null),
        ];
        while (row.length < STAGED_HEADER.length) row.push(null);
        if (!csv.write(row)) await once(csv, 'drain');
        count++;
      }
    }
  } finally {
    csv.end();
    await closed;
  }
  return count;
}

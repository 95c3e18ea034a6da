// The publisher's CPU-heavy files, as jobs that run the same code in this thread or in a worker
// (publish-pool.ts): a table's spreadsheet edition and a unit kit's zip. A job names the file it
// writes, so a failure anywhere names it too.
import { readFile, writeFile } from 'node:fs/promises';
import type { Row } from '../engine.ts';
import { PUBLISHED_TABLES } from '../published-tables.ts';
import { type SpreadsheetNotes, writeTableXlsx } from './spreadsheet-file.ts';
import { zipBytes } from './zip-file.ts';

/**
 * zlib's level for a unit kit's zip (zip-file.ts). Measured on the 1M-dossier bench's 100 kits
 * (13.4 MB of CSV): level 3 makes them as small as fflate's level 6 did (4.2 MB) in 0.21 s of
 * CPU instead of 0.56 s; level 6 would save 6% more bytes for 60% more CPU.
 */
const KIT_ZIP_LEVEL = 3;

export type PublishJob =
  | {
      kind: 'xlsx';
      path: string;
      table: string;
      notes: SpreadsheetNotes;
      /** The table's rows, or the JSON file holding exactly them (read back, not sent). */
      rows: readonly Row[] | { json: string };
    }
  | {
      kind: 'zip';
      path: string;
      /** Entry name → bytes, in the zip's order. */
      entries: ReadonlyArray<readonly [string, Uint8Array]>;
    };

async function run(job: PublishJob): Promise<void> {
  if (job.kind === 'zip') {
    await writeFile(job.path, zipBytes(job.entries, KIT_ZIP_LEVEL));
    return;
  }
  const table = PUBLISHED_TABLES.find((t) => t.name === job.table);
  if (!table) throw new Error(`no published table named ${job.table}`);
  const rows = 'json' in job.rows ? (JSON.parse(await readFile(job.rows.json, 'utf8')) as Row[]) : job.rows;
  await writeTableXlsx(job.path, table, rows, job.notes);
}

/** Runs `job`; an error names the file the job writes. */
export async function runPublishJob(job: PublishJob): Promise<void> {
  try {
    await run(job);
  } catch (error) {
    throw new Error(`writing ${job.path}: ${(error as Error).message}`, { cause: error });
  }
}

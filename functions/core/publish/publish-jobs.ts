// The publisher's CPU-heavy files, as jobs that run the same code in this thread or in a worker
// (publish-pool.ts): a table's spreadsheet edition and a unit kit's zip. A job names the file it
// writes, so a failure anywhere names it too.
import { readFile, writeFile } from 'node:fs/promises';
import { zipSync } from 'fflate';
import type { Row } from '../engine.ts';
import { PUBLISHED_TABLES } from '../published-tables.ts';
import type { SpreadsheetNotes } from './spreadsheet-file.ts';

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

/** Every entry's time inside a kit zip: fixed, so the zip is byte-identical for the same data. */
const ZIP_MTIME = new Date('2000-01-01T00:00:00Z');

async function run(job: PublishJob): Promise<void> {
  if (job.kind === 'zip') {
    const entries: Record<string, [Uint8Array, { mtime: Date }]> = {};
    for (const [name, bytes] of job.entries) entries[name] = [bytes, { mtime: ZIP_MTIME }];
    await writeFile(job.path, zipSync(entries, { level: 6 }));
    return;
  }
  const table = PUBLISHED_TABLES.find((t) => t.name === job.table);
  if (!table) throw new Error(`no published table named ${job.table}`);
  const rows = 'json' in job.rows ? (JSON.parse(await readFile(job.rows.json, 'utf8')) as Row[]) : job.rows;
  // exceljs is loaded by the first spreadsheet, not by every process that imports the publisher.
  const { writeTableXlsx } = await import('./spreadsheet-file.ts');
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

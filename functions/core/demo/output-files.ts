// Writing the demo's files atomically: each is streamed to a temporary name in the target
// folder and renamed into place by commit() once every file is complete, so a failed run
// leaves no half-written extract. CSV goes through csv-stringify (UTF-8 with BOM, header row);
// a sink takes rows one at a time, so that one pass over the dossiers can feed several files.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';

export interface WrittenFile {
  name: string;
  rows: number;
  bytes: number;
}

/** A file being written under a temporary name in `dir`, renamed by commit(). */
export interface PendingFile extends WrittenFile {
  tempPath: string;
  finalPath: string;
}

/** A file that takes items one at a time (waiting when the disk is behind). */
export interface Sink<T> {
  readonly name: string;
  write(item: T): Promise<void> | undefined;
  /** Completes the file; it stays under its temporary name until commit(). */
  finish(): Promise<PendingFile>;
  /** Stops writing and removes the temporary file. */
  abort(): Promise<void>;
}

function openSink<T>(
  dir: string,
  name: string,
  input: Writable,
  output: Promise<void>,
  encode: (item: T, index: number) => unknown,
  tail?: string,
): Sink<T> {
  const finalPath = join(dir, name);
  const tempPath = tempPathOf(dir, name);
  let rows = 0;
  // A failed pipeline rejects `output`; keep it observed so that it surfaces in finish().
  output.catch(() => {});
  return {
    name,
    write(item) {
      const ok = input.write(encode(item, rows++));
      return ok ? undefined : Promise.race([once(input, 'drain').then(() => {}), output]);
    },
    async finish() {
      input.end(tail);
      await output;
      return { name, rows, bytes: (await stat(tempPath)).size, tempPath, finalPath };
    },
    async abort() {
      input.destroy();
      await output.catch(() => {});
      await rm(tempPath, { force: true });
    },
  };
}

function tempPathOf(dir: string, name: string): string {
  return join(dir, `.tmp-${process.pid}-${name}`);
}

/** CSV rows (arrays in `columns` order): UTF-8 with BOM, header row, LF. */
export function openCsvSink(dir: string, name: string, columns: readonly string[]): Sink<string[]> {
  const stringifier = stringify({ bom: true, header: true, columns: [...columns], record_delimiter: '\n' });
  const output = pipeline(stringifier, createWriteStream(tempPathOf(dir, name)));
  return openSink(dir, name, stringifier, output, (row: string[]) => row);
}

/** Text pieces: `head`, then each item's text, then `tail`. */
export function openTextSink<T>(
  dir: string,
  name: string,
  frame: { head: string; encode: (item: T, index: number) => string; tail: string },
): Sink<T> {
  const file = createWriteStream(tempPathOf(dir, name));
  file.write(frame.head);
  const output = once(file, 'close').then(() => {});
  const failed = once(file, 'error').then(([error]) => {
    throw error;
  });
  return openSink(dir, name, file, Promise.race([output, failed]), frame.encode, frame.tail);
}

/** A whole CSV file from rows at hand. */
export async function writeCsv(
  dir: string,
  name: string,
  columns: readonly string[],
  rows: Iterable<string[]>,
): Promise<PendingFile> {
  const sink = openCsvSink(dir, name, columns);
  try {
    for (const row of rows) await sink.write(row);
    return await sink.finish();
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

/** Move every pending file into place (each rename is atomic). */
export async function commit(files: readonly PendingFile[]): Promise<WrittenFile[]> {
  for (const file of files) await rename(file.tempPath, file.finalPath);
  return files.map(({ name, rows, bytes }) => ({ name, rows, bytes }));
}

export async function discard(files: readonly PendingFile[]): Promise<void> {
  await Promise.all(files.map((f) => rm(f.tempPath, { force: true })));
}

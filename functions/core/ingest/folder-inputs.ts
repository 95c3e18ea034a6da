// One rule for what a folder given as input holds, for `ingest DIR` and `run DIR` alike:
// its files (symbolic links followed) named like extracts (.csv .tsv .txt .ndjson .jsonl
// .json .xlsx, each also gzipped), in name order, the registry files excepted. Every other
// entry is skipped and named, so nothing is left out silently.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const EXTRACT_NAME = /\.(csv|tsv|txt|ndjson|jsonl|json|xlsx)(\.gz)?$/i;
const REGISTRY_FILES = new Set(['units.csv', 'unit_successors.csv']);

export interface FolderInputs {
  files: string[];
  /** Entries left out, each with why. */
  skipped: { path: string; reason: string }[];
}

export async function extractsInFolder(dir: string): Promise<FolderInputs> {
  const files: string[] = [];
  const skipped: FolderInputs['skipped'] = [];
  for (const name of (await readdir(dir)).sort()) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info) skipped.push({ path, reason: 'a broken link' });
    else if (info.isDirectory()) skipped.push({ path, reason: 'a folder (folders are not searched)' });
    else if (!info.isFile()) skipped.push({ path, reason: 'not a regular file' });
    else if (REGISTRY_FILES.has(name.toLowerCase())) skipped.push({ path, reason: 'the units registry' });
    else if (!EXTRACT_NAME.test(name))
      skipped.push({
        path,
        reason: 'not an extract name (.csv .tsv .txt .ndjson .jsonl .json .xlsx, or .gz of one)',
      });
    else files.push(path);
  }
  return { files, skipped };
}

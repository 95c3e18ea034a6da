// Where a command works: inside a folder it was given (the lake, the output folder), never the
// OS temp folder or the working directory, so that nothing is written outside the folders the
// operator named. `<folder>/.work/` is hidden (nothing reads it as lake data, the static server
// never serves it); each run works in a folder that names its process, and a run's start
// removes the folders of runs killed before they could clean up (temp-folders.ts).
import { mkdir, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { makeOwnedFolder, removeAbandoned } from './temp-folders.ts';

export const WORK_FOLDER = '.work';
/** Prefixes of the folders a run makes under a work folder (owner pid in each name). */
export const WORK_PREFIXES = [
  'congkhai-ingest-',
  'congkhai-fetch-',
  'congkhai-current-state-',
  'congkhai-duckdb-',
  'congkhai-site-',
  'congkhai-profile-',
] as const;
export type WorkPrefix = (typeof WORK_PREFIXES)[number];

/** `<dir>/.work`, created, with the left-overs of dead runs removed. */
export async function workFolderOf(dir: string): Promise<string> {
  const work = join(dir, WORK_FOLDER);
  await mkdir(work, { recursive: true });
  await removeAbandoned(work, WORK_PREFIXES);
  return work;
}

/** The lake's work folder (ingest, fetch, current state, DuckDB spill). */
export const lakeWorkFolder = workFolderOf;

/** A new folder of this run inside `<dir>/.work` (the work folder cleaned first). */
export async function ownWorkFolder(dir: string, prefix: WorkPrefix): Promise<string> {
  return makeOwnedFolder(await workFolderOf(dir), prefix);
}

/**
 * Runs `work` in a new folder of this run inside `<dir>/.work`, then removes that folder (and
 * the work folder, when no other run uses it), whether `work` succeeded or not.
 */
export async function withWorkFolder<T>(
  dir: string,
  prefix: WorkPrefix,
  work: (folder: string) => Promise<T>,
): Promise<T> {
  const folder = await ownWorkFolder(dir, prefix);
  try {
    return await work(folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
    await releaseWorkFolder(dirname(folder));
  }
}

/** Removes the work folder when the run left it empty (another run may still be using it). */
export async function releaseWorkFolder(work: string): Promise<void> {
  await rmdir(work).catch(() => undefined);
}

// Where a command works: inside the folder it was given, never the OS temp folder, so that
// nothing is written outside the lake (or output) the operator named. `<lake>/.work/` is hidden
// (nothing reads it as lake data); each run works in a folder that names its process, and a
// run's start removes the folders of runs killed before they could clean up (temp-folders.ts).
import { mkdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { removeAbandoned } from '../temp-folders.ts';

export const WORK_FOLDER = '.work';
/** Prefixes of the folders a run makes under the work folder (owner pid in each name). */
export const WORK_PREFIXES = ['congkhai-ingest-', 'congkhai-fetch-', 'congkhai-current-state-'] as const;

/** `<lakeDir>/.work`, created, with the left-overs of dead runs removed. */
export async function lakeWorkFolder(lakeDir: string): Promise<string> {
  const dir = join(lakeDir, WORK_FOLDER);
  await mkdir(dir, { recursive: true });
  await removeAbandoned(dir, WORK_PREFIXES);
  return dir;
}

/** Removes the work folder when the run left it empty (another run may still be using it). */
export async function releaseWorkFolder(dir: string): Promise<void> {
  await rmdir(dir).catch(() => undefined);
}

// Temporary folders that name their owner: `<prefix><pid>-<random>`. Several congkhai processes
// may work in the same folder at once (two runs, parallel test suites), so a left-over is
// removed only when it is provably abandoned: the process whose id it carries is gone. A
// folder of a live process, or one whose name carries no id, is never touched.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** A new, empty folder `<parent>/<prefix><pid>-<random>` (parent created if missing). */
export async function makeOwnedFolder(parent: string, prefix: string): Promise<string> {
  await mkdir(parent, { recursive: true });
  const path = join(parent, `${prefix}${process.pid}-${randomBytes(6).toString('hex')}`);
  await mkdir(path);
  return path;
}

/** Is a process with this id alive on this machine? (EPERM: alive, owned by someone else.) */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The owner's process id of an entry named `<prefix><pid>-…`, or undefined. */
export function ownerPid(name: string, prefix: string): number | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const match = /^(\d+)-/.exec(name.slice(prefix.length));
  return match ? Number(match[1]) : undefined;
}

/**
 * Removes the entries of `parent` named `<prefix><pid>-…` for each prefix whose process is gone
 * (a run killed before it could clean up). Returns the names removed.
 */
export async function removeAbandoned(parent: string, prefixes: readonly string[]): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = prefixes.map((prefix) => ownerPid(name, prefix)).find((p) => p !== undefined);
    if (pid === undefined || pid === process.pid || processAlive(pid)) continue;
    await rm(join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

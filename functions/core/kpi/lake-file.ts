// A lake object as a local file for DuckDB: a folder lake's own file, else a temporary copy
// (an S3 lake), removed when the work is done.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStorage, type Storage } from '../storage.ts';

/** Runs `work` with a local path holding the object `key`; undefined when the lake lacks it. */
export async function withLocalLakeFile<T>(
  lake: Storage,
  key: string,
  work: (path: string) => Promise<T>,
): Promise<T | undefined> {
  if (lake instanceof LocalStorage) {
    return (await lake.exists(key)) ? work(lake.path(key)) : undefined;
  }
  const bytes = await lake.getBytes(key);
  if (!bytes) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'congkhai-lake-file-'));
  try {
    const path = join(dir, key.split('/').pop() ?? 'object');
    await writeFile(path, bytes);
    return await work(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// Storage adapter: the lake and the published output are key → bytes stores. Locally a
// folder; in the cloud an S3 bucket (functions/core/s3-storage.ts). Every put is atomic:
// a reader sees the old object or the new one, never a partial one.
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, relative, sep } from 'node:path';

export interface Storage {
  /** A human-readable location for messages, e.g. a folder path or s3://bucket/prefix. */
  readonly location: string;
  /** Copy a local file to `key`, atomically. */
  putFile(key: string, localPath: string, contentType?: string): Promise<void>;
  putBytes(key: string, body: Uint8Array | string, contentType?: string): Promise<void>;
  getBytes(key: string): Promise<Uint8Array | undefined>;
  exists(key: string): Promise<boolean>;
  /** Keys under a prefix, recursively, sorted. */
  list(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
}

/** A folder on disk. Writes go to a hidden temporary file beside the target, then rename(2). */
export class LocalStorage implements Storage {
  readonly root: string;
  readonly location: string;
  constructor(root: string) {
    this.root = root;
    this.location = root;
  }

  path(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  private tempBeside(target: string): string {
    return join(dirname(target), `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  }

  async putFile(key: string, localPath: string): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const temp = this.tempBeside(target);
    try {
      await copyFile(localPath, temp);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async putBytes(key: string, body: Uint8Array | string): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const temp = this.tempBeside(target);
    try {
      await writeFile(temp, body);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async getBytes(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await stat(this.path(key));
      return true;
    } catch {
      return false;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const base = this.path(prefix);
    let entries: string[];
    try {
      entries = (await readdir(base, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile() && !e.name.startsWith('.tmp-'))
        .map((e) => relative(this.root, join(e.parentPath, e.name)).split(sep).join('/'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return entries.sort();
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  /** Stream a stored object (local only; used for hashing large files). */
  stream(key: string) {
    return createReadStream(this.path(key));
  }
}

// Storage adapter: the lake and the published output are key → bytes stores. Locally a
// folder; in the cloud an S3 bucket (functions/core/cloud/s3-storage.ts). Every put is atomic:
// a reader sees the old object or the new one, never a partial one.

import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  copyFile,
  lstat,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { makeOwnedFolder, removeAbandoned } from './temp-folders.ts';

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
  /**
   * Optional: make the folder `alias` show what the folder `target` holds, replacing what it
   * showed before in ONE step for readers (publishing a new data version). Locally a symlink
   * swapped by rename(2). A storage without it gets files written in place, datapackage last.
   */
  pointPrefix?(alias: string, target: string): Promise<void>;
}

/**
 * A storage where a whole folder can be written aside and then made visible in one step (a
 * local folder): the publisher writes each version into a staging folder, renames the complete
 * folder into place, then swaps a pointer (pointPrefix) to it.
 */
export interface FolderStorage extends Storage {
  /** As Storage.pointPrefix; a real folder in the way is moved to `displaced` (if given) first. */
  pointPrefix(alias: string, target: string, displaced?: string): Promise<void>;
  /** A new, empty, hidden folder under `prefix`, named after this process (see temp-folders.ts). */
  stagingFolder(prefix: string): Promise<string>;
  /** Moves a complete staging folder to `prefix` by one rename(2); `prefix` must not exist. */
  placeFolder(staged: string, prefix: string): Promise<void>;
  /** Names of the folders directly under `prefix` (hidden ones left out), sorted. */
  subFolders(prefix: string): Promise<string[]>;
  removeFolder(prefix: string): Promise<void>;
  /** Removes staging folders and temporary files under `prefix` left by processes that are gone. */
  removeAbandoned(prefix: string): Promise<string[]>;
}

export const hasFolders = (storage: Storage): storage is FolderStorage =>
  'placeFolder' in storage && typeof storage.placeFolder === 'function';

const STAGING_PREFIX = '.staging-';
const TEMP_PREFIX = '.tmp-';

/** A folder on disk. Writes go to a hidden temporary file beside the target, then rename(2). */
export class LocalStorage implements FolderStorage {
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
    return join(dirname(target), `${TEMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
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
        .filter((e) => e.isFile() && !e.name.startsWith(TEMP_PREFIX))
        .filter(
          (e) =>
            !relative(this.root, e.parentPath)
              .split(sep)
              .some((p) => p.startsWith(STAGING_PREFIX)),
        )
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

  /**
   * `alias` becomes a relative symlink to `target`: a new link is made under a temporary name,
   * then rename(2) replaces the old link atomically. A reader resolving a path sees the old
   * target or the new one, never a mix; files it already opened stay readable. A real folder
   * in the way (written before versioning) is moved aside once, to `displaced` if given, else
   * to `<alias>.pre-versioning-<ms>`.
   */
  async pointPrefix(alias: string, target: string, displaced?: string): Promise<void> {
    const link = this.path(alias);
    await mkdir(dirname(link), { recursive: true });
    const temp = this.tempBeside(link);
    await symlink(relative(dirname(link), this.path(target)), temp);
    try {
      const existing = await lstat(link).catch(() => undefined);
      if (existing?.isDirectory()) {
        const aside = displaced ? this.path(displaced) : `${link}.pre-versioning-${Date.now()}`;
        await mkdir(dirname(aside), { recursive: true });
        await rename(link, aside);
      }
      await rename(temp, link);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  stagingFolder(prefix: string): Promise<string> {
    return makeOwnedFolder(this.path(prefix), STAGING_PREFIX);
  }

  async placeFolder(staged: string, prefix: string): Promise<void> {
    const target = this.path(prefix);
    await mkdir(dirname(target), { recursive: true });
    if (await lstat(target).catch(() => undefined)) throw new Error(`${target} exists already`);
    await rename(staged, target);
  }

  async subFolders(prefix: string): Promise<string[]> {
    const entries = await readdir(this.path(prefix), { withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  }

  /** Renamed aside (hidden, owned) first: a kill during the removal leaves no half folder visible. */
  async removeFolder(prefix: string): Promise<void> {
    const target = this.path(prefix);
    const trash = `${dirname(target)}/${STAGING_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`;
    try {
      await rename(target, trash);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    await rm(trash, { recursive: true, force: true });
  }

  removeAbandoned(prefix: string): Promise<string[]> {
    return removeAbandoned(this.path(prefix), [STAGING_PREFIX, TEMP_PREFIX]);
  }

  /** Stream a stored object (local only; used for hashing large files). */
  stream(key: string) {
    return createReadStream(this.path(key));
  }
}

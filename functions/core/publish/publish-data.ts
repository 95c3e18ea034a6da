// The publisher: reconciled KPI tables → `<out>/data/v1/` (CSV with BOM, JSON, Parquet per
// table + datapackage.json), with a dated copy under `data/v1/archive/<as-of date>/`.
//
// Atomic switch. On a storage with `pointPrefix` (a local folder):
//   data/v1-versions/<stamp>/      one complete version: tables, datapackage.json, and
//                                  archive → ../../v1-archive (symlink)
//   data/v1-archive/<as-of date>/  the dated copies, kept forever
//   data/v1 → v1-versions/<stamp>  symlink, replaced by one rename(2)
// A reader resolving `data/v1/...` before the rename reads the old version throughout, after
// it the new one; it never sees a mix of old and new files. The last KEEP_VERSIONS versions
// stay on disk so a reader that started in an older one can finish.
// On a storage without `pointPrefix` (S3: see README.md "Deploy to AWS") each object is written in place
// (each PUT atomic), the archive first and datapackage.json last in each folder.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../config.ts';
import { asOfIso } from '../kpi/as-of.ts';
import { reconcile } from '../kpi/reconcile.ts';
import type { KpiResult } from '../kpi/run-kpis.ts';
import { PUBLISHED_VERSION_PREFIX } from '../lake-layout.ts';
import { PUBLISHED_TABLES } from '../published-tables.ts';
import type { Storage } from '../storage.ts';
import { buildDataPackage } from './datapackage.ts';
import { writeTableFiles } from './table-files.ts';

export const VERSIONS_PREFIX = `${PUBLISHED_VERSION_PREFIX}-versions`;
export const ARCHIVE_STORE_PREFIX = `${PUBLISHED_VERSION_PREFIX}-archive`;
export const KEEP_VERSIONS = 3;
const DATAPACKAGE = 'datapackage.json';

const CONTENT_TYPES: Record<string, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
  parquet: 'application/vnd.apache.parquet',
};
const contentType = (name: string) =>
  CONTENT_TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream';

export interface PublishOptions {
  /** Local folder for the files before they are put to `out` (default: the OS temp folder). */
  workDir?: string;
  /** Creation time (default now); tests pin it. */
  now?: Date;
}

/** Put every file of `dir` under `prefix`, datapackage.json last (it names the others). */
async function putAll(
  out: Storage,
  prefix: string,
  dir: string,
  names: readonly string[],
): Promise<string[]> {
  const ordered = [...names.filter((n) => n !== DATAPACKAGE), DATAPACKAGE];
  const keys: string[] = [];
  for (const name of ordered) {
    const key = `${prefix}/${name}`;
    await out.putFile(key, join(dir, name), contentType(name));
    keys.push(key);
  }
  return keys;
}

async function pruneVersions(out: Storage, keep: number): Promise<void> {
  const keys = await out.list(VERSIONS_PREFIX);
  const stamps = [...new Set(keys.map((k) => k.slice(VERSIONS_PREFIX.length + 1).split('/')[0]!))].sort();
  for (const stamp of stamps.slice(0, Math.max(0, stamps.length - keep))) {
    for (const key of keys.filter((k) => k.startsWith(`${VERSIONS_PREFIX}/${stamp}/`))) await out.delete(key);
    await out.delete(`${VERSIONS_PREFIX}/${stamp}/archive`);
  }
}

export async function publishData(
  result: KpiResult,
  out: Storage,
  options: PublishOptions = {},
): Promise<{ files: string[] }> {
  reconcile(result); // throws, naming the rows: nothing is written
  const config = result.config ?? parseConfig({});
  const now = options.now ?? new Date();
  const asOfDate = result.asOf.slice(0, 10);
  const dir = await mkdtemp(join(options.workDir ?? tmpdir(), 'congkhai-publish-'));
  try {
    const names: string[] = [];
    for (const table of PUBLISHED_TABLES) {
      names.push(...(await writeTableFiles(table, result.tables[table.name] ?? [], dir)));
    }
    const dataPackage = await buildDataPackage({
      tables: PUBLISHED_TABLES,
      dir,
      asOfIso: asOfIso(result.asOf),
      createdIso: now.toISOString(),
      config,
    });
    await writeFile(join(dir, DATAPACKAGE), `${JSON.stringify(dataPackage, null, 2)}\n`);
    names.push(DATAPACKAGE);

    const visible = (prefix: string) => names.map((n) => `${prefix}/${n}`);
    const archivePrefix = `${PUBLISHED_VERSION_PREFIX}/archive/${asOfDate}`;
    if (out.pointPrefix) {
      const stamp = `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
      const versionPrefix = `${VERSIONS_PREFIX}/${stamp}`;
      await putAll(out, `${ARCHIVE_STORE_PREFIX}/${asOfDate}`, dir, names);
      await putAll(out, versionPrefix, dir, names);
      await out.pointPrefix(`${versionPrefix}/archive`, ARCHIVE_STORE_PREFIX);
      await out.pointPrefix(PUBLISHED_VERSION_PREFIX, versionPrefix); // the switch
      await pruneVersions(out, KEEP_VERSIONS);
    } else {
      await putAll(out, archivePrefix, dir, names);
      await putAll(out, PUBLISHED_VERSION_PREFIX, dir, names);
    }
    return { files: [...visible(PUBLISHED_VERSION_PREFIX), ...visible(archivePrefix)] };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

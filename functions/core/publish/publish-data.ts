// The publisher: reconciled KPI tables → `<out>/data/v1/` (CSV with BOM, JSON, Parquet per
// table + datapackage.json), with a dated copy under `data/v1/archive/<as-of date>/`.
//
// Every version is written aside and made visible by one atomic step. On a storage that can
// place folders (a local folder, FolderStorage):
//   data/.staging-<pid>-<random>/         a version being written (hidden, never served;
//                                         removed by the next run once <pid> is gone)
//   data/v1-versions/<stamp>/             one complete version: tables, datapackage.json, and
//                                         archive → ../../v1-archive (symlink)
//   data/v1-archive-versions/<date>/<stamp>/  a complete dated copy, never modified
//   data/v1-archive/<date> → ../v1-archive-versions/<date>/<stamp>   symlink
//   data/v1 → v1-versions/<stamp>         symlink
// A version is written completely in a staging folder, moved into place by one rename(2), and
// shown by swapping its symlink (one rename(2)): a reader of `data/v1/...` or of
// `data/v1/archive/<date>/...` sees the old version throughout or the new one, never a mix,
// and a kill at any moment leaves every visible version whole. The last KEEP_VERSIONS versions
// (live and per date) stay on disk so a reader that started in an older one can finish.
// On a storage without folders (S3: see README.md "Deploy to AWS") each object is written in
// place (each PUT atomic), the archive first and datapackage.json last in each folder; the
// commit point there is data/v1/latest.json (functions/core/cloud/latest-pointer.ts).
//
// Before anything is written: the tables must reconcile, and the new version must not be
// smaller in scope than the live one (scope.ts) unless `allowSmaller` is set.
import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseConfig } from '../config.ts';
import type { Row } from '../engine.ts';
import { asOfIso } from '../kpi/as-of.ts';
import { reconcile } from '../kpi/reconcile.ts';
import type { KpiResult } from '../kpi/run-kpis.ts';
import { PUBLISHED_VERSION_PREFIX } from '../lake-layout.ts';
import { PUBLISHED_TABLES, type PublishedTable } from '../published-tables.ts';
import { type FolderStorage, hasFolders, type Storage } from '../storage.ts';
import { unitSlug } from '../unit-slug.ts';
import { citationText } from './citation.ts';
import { buildDataPackage, LICENSE } from './datapackage.ts';
import { oneRunKey, REFERENCE_KEY_ENV, withReferences } from './overdue-reference.ts';
import { PublishPool } from './publish-pool.ts';
import { computeRevisions, type PublishedVersion, REVISED_TABLES } from './revisions.ts';
import { type PublishedScope, ShrinkError, scopeOf, shrinkage } from './scope.ts';
import { type CsvText, writeTableFiles } from './table-files.ts';
import { writeUnitKits } from './unit-kits.ts';

export const VERSIONS_PREFIX = `${PUBLISHED_VERSION_PREFIX}-versions`;
export const ARCHIVE_STORE_PREFIX = `${PUBLISHED_VERSION_PREFIX}-archive`;
export const ARCHIVE_VERSIONS_PREFIX = `${PUBLISHED_VERSION_PREFIX}-archive-versions`;
export const KEEP_VERSIONS = 3;
const DATA_PREFIX = 'data';
const DATAPACKAGE = 'datapackage.json';

const CONTENT_TYPES: Record<string, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
  parquet: 'application/vnd.apache.parquet',
};
const contentType = (name: string) =>
  CONTENT_TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream';

export interface PublishOptions {
  /**
   * Local folder for the files before they are put to a storage without folders (the cloud's
   * Lambda /tmp). A folder storage stages inside itself and ignores it.
   */
  workDir?: string;
  /** Creation time (default now); tests pin it. */
  now?: Date;
  /** Publish even if the new version is empty or smaller in scope than the live one. */
  allowSmaller?: boolean;
  /**
   * Key of the overdue dossiers' references (overdue-reference.ts); default env
   * CONGKHAI_REFERENCE_KEY, else a key for this run only (references then change every run).
   */
  referenceKey?: string;
  /**
   * Worker threads that write the spreadsheets and kit zips while this thread writes the rest
   * (publish-pool.ts), owned by the caller; default none, all in this thread (a bundled Lambda
   * has no worker file).
   */
  pool?: PublishPool;
}

/** The live version's as-of time and the tables the revisions compare, if there is one. */
async function liveVersion(out: Storage): Promise<PublishedVersion | undefined> {
  const pkg = await out.getBytes(`${PUBLISHED_VERSION_PREFIX}/${DATAPACKAGE}`);
  if (!pkg) return undefined;
  const asOf = (JSON.parse(Buffer.from(pkg).toString('utf8')) as { as_of?: string }).as_of;
  if (!asOf) return undefined;
  const tables: PublishedVersion['tables'] = {};
  for (const name of ['revisions', ...REVISED_TABLES.map((t) => t.table)]) {
    const bytes = await out.getBytes(`${PUBLISHED_VERSION_PREFIX}/${name}.json`);
    if (bytes) tables[name] = JSON.parse(Buffer.from(bytes).toString('utf8')) as Row[];
  }
  // as_of is ISO with its offset in datapackage.json; the tables use Vietnam local text.
  return { asOf: asOf.slice(0, 19).replace('T', ' '), tables };
}

/** The live version's scope: recorded in its datapackage.json, else counted from its tables. */
async function liveScope(out: Storage): Promise<PublishedScope | undefined> {
  const pkg = await out.getBytes(`${PUBLISHED_VERSION_PREFIX}/${DATAPACKAGE}`);
  if (!pkg) return undefined;
  const recorded = (JSON.parse(Buffer.from(pkg).toString('utf8')) as { scope?: PublishedScope }).scope;
  if (recorded) return recorded;
  const table = async (name: string) => {
    const bytes = await out.getBytes(`${PUBLISHED_VERSION_PREFIX}/${name}.json`);
    return bytes ? (JSON.parse(Buffer.from(bytes).toString('utf8')) as KpiResult['tables'][string]) : [];
  };
  return scopeOf({ unit_kpis: await table('unit_kpis'), province_kpis: await table('province_kpis') });
}

async function refuseSmaller(out: Storage, next: PublishedScope, asOf: string): Promise<void> {
  const live = await liveScope(out);
  const shrunk = live ? shrinkage(live, next) : [];
  if (shrunk.length === 0) return;
  throw new ShrinkError(
    `the new version (as of ${asOf}) is smaller than the live data at ${out.location.replace(/\/$/, '')}/${PUBLISHED_VERSION_PREFIX}: ` +
      `${shrunk.join('; ')}. Nothing was published; pass --allow-empty to replace the live data anyway`,
  );
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

/** Removes all but the newest `keep` version folders under `prefix`, never `current`. */
async function pruneFolders(
  out: FolderStorage,
  prefix: string,
  keep: number,
  current: string,
): Promise<void> {
  const stamps = await out.subFolders(prefix);
  for (const stamp of stamps.slice(0, Math.max(0, stamps.length - keep))) {
    if (stamp !== current) await out.removeFolder(`${prefix}/${stamp}`);
  }
}

/**
 * The dated copy's files: hard links to the version's (both are never modified once placed, so
 * a link is the same bytes without writing them twice), a copy where links fail (EXDEV, EPERM).
 */
async function copyFiles(from: string, to: string, names: readonly string[]): Promise<void> {
  for (const folder of new Set(names.map((name) => dirname(join(to, name)))))
    await mkdir(folder, { recursive: true });
  const linkOrCopy = (name: string) =>
    link(join(from, name), join(to, name)).catch(() => copyFile(join(from, name), join(to, name)));
  // A few at a time: the file system's thread pool works on several while none waits in JS.
  for (let start = 0; start < names.length; start += 32)
    await Promise.all(names.slice(start, start + 32).map(linkOrCopy));
}

/** Folder storage: stage, place and point, first the dated copy, then the live version. */
async function publishFolders(
  out: FolderStorage,
  staged: string,
  names: readonly string[],
  asOfDate: string,
  now: Date,
): Promise<void> {
  const stamp = `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
  const archiveStaged = await out.stagingFolder(DATA_PREFIX);
  await copyFiles(staged, archiveStaged, names);
  const archiveVersion = `${ARCHIVE_VERSIONS_PREFIX}/${asOfDate}/${stamp}`;
  await out.placeFolder(archiveStaged, archiveVersion);
  // A dated copy written before archive versions (a real folder) joins them, unmodified.
  const legacy = `${ARCHIVE_VERSIONS_PREFIX}/${asOfDate}/00000000-legacy-${stamp}`;
  await out.pointPrefix(`${ARCHIVE_STORE_PREFIX}/${asOfDate}`, archiveVersion, legacy);

  // Relative to the version's final place, data/v1-versions/<stamp>/archive.
  await symlink(`../../${ARCHIVE_STORE_PREFIX.split('/').pop()}`, join(staged, 'archive'));
  const version = `${VERSIONS_PREFIX}/${stamp}`;
  await out.placeFolder(staged, version);
  await out.pointPrefix(PUBLISHED_VERSION_PREFIX, version); // the switch
  await pruneFolders(out, VERSIONS_PREFIX, KEEP_VERSIONS, stamp);
  await pruneFolders(out, `${ARCHIVE_VERSIONS_PREFIX}/${asOfDate}`, KEEP_VERSIONS, stamp);
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
  const scope = scopeOf(result.tables);
  if (!options.allowSmaller) await refuseSmaller(out, scope, result.asOf);
  const key = options.referenceKey ?? process.env[REFERENCE_KEY_ENV] ?? oneRunKey();
  const tables: KpiResult['tables'] = {
    ...result.tables,
    overdue_dossiers: withReferences(result.tables['overdue_dossiers'] ?? [], key),
  };
  // Figures of complete periods that changed since the live version (revisions.ts).
  tables['revisions'] = computeRevisions(await liveVersion(out), { asOf: result.asOf, tables });

  const folders = hasFolders(out) ? out : undefined;
  if (folders) {
    const archiveVersions = `${ARCHIVE_VERSIONS_PREFIX}/${asOfDate}`;
    for (const prefix of [DATA_PREFIX, VERSIONS_PREFIX, ARCHIVE_STORE_PREFIX, archiveVersions])
      await folders.removeAbandoned(prefix);
  }
  const dir = folders
    ? await folders.stagingFolder(DATA_PREFIX)
    : await mkdtemp(join(options.workDir ?? tmpdir(), 'congkhai-publish-'));
  const pool = options.pool ?? new PublishPool(0);
  try {
    const names: string[] = [];
    const publishedOn = now.toISOString().slice(0, 10);
    const notes = {
      asOf: result.asOf,
      licence: `${LICENSE.title} (${LICENSE.path})`,
      citation: citationText({ publisher: config.publisher, asOf: result.asOf, accessed: publishedOn }),
    };
    const csv: Record<string, CsvText> = {};
    const fileNames = new Map<string, string[]>();
    const pending: Array<Promise<void>> = [];
    let parquet: Promise<void> = Promise.resolve();
    // The largest tables (cells) first: their spreadsheets, the longest jobs, start first.
    const cells = (table: PublishedTable) => (tables[table.name]?.length ?? 0) * table.columns.length;
    const largestFirst = [...PUBLISHED_TABLES].sort((a, b) => cells(b) - cells(a));
    for (const table of largestFirst) {
      const written = await writeTableFiles(table, tables[table.name] ?? [], dir, notes, {
        pool,
        after: parquet,
      });
      csv[table.name] = written.csv;
      fileNames.set(table.name, written.names);
      parquet = written.parquet;
      pending.push(written.parquet, written.spreadsheet);
    }
    for (const table of PUBLISHED_TABLES) names.push(...(fileNames.get(table.name) ?? []));
    const kitFiles = await writeUnitKits(dir, {
      csv,
      pool,
      tables,
      asOf: result.asOf,
      publishedOn,
      config,
      slug: unitSlug,
    });
    const zips = kitFiles.filter((f) => f.endsWith('.zip'));
    names.push(...kitFiles);
    await Promise.all(pending);
    const dataPackage = await buildDataPackage({
      tables: PUBLISHED_TABLES,
      dir,
      asOfIso: asOfIso(result.asOf),
      asOf: result.asOf,
      createdIso: now.toISOString(),
      config,
      scope,
      files: zips.map((path) => ({
        path,
        title: `Dữ liệu mở của một đơn vị (${path})`,
        mediatype: 'application/zip',
      })),
    });
    await writeFile(join(dir, DATAPACKAGE), `${JSON.stringify(dataPackage, null, 2)}\n`);
    names.push(DATAPACKAGE);

    const visible = (prefix: string) => names.map((n) => `${prefix}/${n}`);
    const archivePrefix = `${PUBLISHED_VERSION_PREFIX}/archive/${asOfDate}`;
    if (folders) {
      await publishFolders(folders, dir, names, asOfDate, now);
    } else {
      await putAll(out, archivePrefix, dir, names);
      await putAll(out, PUBLISHED_VERSION_PREFIX, dir, names);
    }
    return { files: [...visible(PUBLISHED_VERSION_PREFIX), ...visible(archivePrefix)] };
  } finally {
    // Once placed, the staging folder is gone already: this removes it only after a failure.
    await rm(dir, { recursive: true, force: true });
  }
}

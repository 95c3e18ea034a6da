// The lake's current-state table: each dossier's row in its latest snapshot, plus, for the
// dossiers whose unit changed between snapshots, each unit they had and the latest snapshot
// naming it (what per-period unit attribution needs). The KPI SQL reads it instead of ranking
// every snapshot of every dossier every night.
//
//   <lake>/current_state/manifest.json                 which version is current, built from what
//   <lake>/current_state/<version>/dossiers.parquet     LAKE_COLUMNS + snapshot_date, unit_moved
//   <lake>/current_state/<version>/unit_history.parquet dossier_id, unit_code, snapshot_date
//
// Atomic: a version's files are written first, then the manifest (one atomic put) names it; a
// reader that read the old manifest still finds the old version (the previous one is kept).
// Incremental where cheap: parts of snapshots on or after the table's latest snapshot are
// merged into it; any other change to the lake's parts rebuilds it from every snapshot.
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAKE_COLUMNS } from '../dossier-contract.ts';
import { escapeGlob, openDuckDb, sqlString } from '../duckdb.ts';
import { DOSSIERS_PREFIX, INGEST_LOG_PREFIX, partSnapshotDate } from '../lake-layout.ts';
import { LocalStorage, type Storage } from '../storage.ts';
import { makeOwnedFolder } from '../temp-folders.ts';

export const CURRENT_STATE_PREFIX = 'current_state';
export const CURRENT_STATE_MANIFEST_KEY = `${CURRENT_STATE_PREFIX}/manifest.json`;

export interface CurrentStateManifest {
  format: 2;
  built_at: string;
  /** The latest snapshot date among the parts: the table holds the state as of its end. */
  latest_snapshot: string;
  /** The dossier part keys and ingest log keys it was built from. */
  parts: string[];
  ingest_logs: string[];
  dossiers_key: string;
  unit_history_key: string;
  dossiers: number;
}

export interface LakeParts {
  parts: string[];
  ingestLogs: string[];
}

/** The lake's dossier parts and ingest logs, as the current-state table is compared with. */
export async function lakeParts(lake: Storage): Promise<LakeParts> {
  return {
    parts: (await lake.list(DOSSIERS_PREFIX)).filter((key) => partSnapshotDate(key) !== undefined),
    ingestLogs: (await lake.list(INGEST_LOG_PREFIX)).filter((key) => key.endsWith('.json')),
  };
}

export async function readCurrentStateManifest(lake: Storage): Promise<CurrentStateManifest | undefined> {
  const bytes = await lake.getBytes(CURRENT_STATE_MANIFEST_KEY);
  if (!bytes) return undefined;
  try {
    const manifest = JSON.parse(Buffer.from(bytes).toString('utf8')) as CurrentStateManifest;
    return manifest.format === 2 ? manifest : undefined; // an older format is rebuilt
  } catch {
    return undefined; // unreadable: rebuilt
  }
}

const sameKeys = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((key, i) => key === b[i]);

/** Whether the table was built from exactly the lake's present parts and ingest logs. */
export function isCurrent(manifest: CurrentStateManifest | undefined, lake: LakeParts): boolean {
  return (
    manifest !== undefined &&
    sameKeys(manifest.parts, lake.parts) &&
    sameKeys(manifest.ingest_logs, lake.ingestLogs)
  );
}

/**
 * The current-state table's keys if it holds the state at `asOfDate` ('YYYY-MM-DD'): built
 * from the lake's present parts, none dated after the as-of date. Otherwise undefined, and
 * the KPI runner ranks the snapshots itself (an as-of before the latest snapshot).
 */
export async function usableCurrentState(
  lake: Storage,
  asOfDate: string,
): Promise<CurrentStateManifest | undefined> {
  const manifest = await readCurrentStateManifest(lake);
  if (!manifest || manifest.latest_snapshot > asOfDate) return undefined;
  return isCurrent(manifest, await lakeParts(lake)) ? manifest : undefined;
}

export interface RefreshResult {
  mode: 'current' | 'incremental' | 'full' | 'empty';
  dossiers: number;
  seconds: number;
}

const COLUMNS = LAKE_COLUMNS.map(([name]) => name).join(', ');
const LATEST_FIRST = 'snapshot_date DESC, updated_at DESC NULLS LAST, source_file DESC, source_line DESC';

/** Lake parts as one relation with `snapshot_date` from each part's key (never from the lake path). */
function partsRelation(paths: ReadonlyArray<readonly [path: string, snapshotDate: string]>): string {
  const dates = paths.map(([path, d]) => `(${sqlString(path)}, DATE ${sqlString(d)})`).join(', ');
  const files = paths.map(([path]) => sqlString(escapeGlob(path))).join(', ');
  return `(SELECT ${COLUMNS}, f.snapshot_date
    FROM read_parquet([${files}], filename = true, union_by_name = true) AS p
    INNER JOIN (VALUES ${dates}) AS f(path, snapshot_date) ON f.path = p.filename)`;
}

/**
 * Brings the lake's current-state table up to date with its dossier parts; a no-op when it
 * already is. `congkhai kpi` calls it before computing, once for every extract ingested
 * since (a night may bring several); the KPI runner reads the table only when it is current.
 */
export async function refreshCurrentState(
  lake: Storage,
  options: { tempDirectory?: string; now?: Date } = {},
): Promise<RefreshResult> {
  const started = performance.now();
  const present = await lakeParts(lake);
  const previous = await readCurrentStateManifest(lake);
  const elapsed = () => Number(((performance.now() - started) / 1000).toFixed(2));
  if (isCurrent(previous, present)) {
    return { mode: 'current', dossiers: previous?.dossiers ?? 0, seconds: elapsed() };
  }
  if (present.parts.length === 0) return { mode: 'empty', dossiers: 0, seconds: elapsed() };

  const latest = present.parts
    .map((key) => partSnapshotDate(key)!)
    .sort()
    .at(-1)!;
  const known = new Set(previous?.parts ?? []);
  const presentParts = new Set(present.parts);
  const added = present.parts.filter((key) => !known.has(key));
  const incremental =
    (previous?.parts.every((key) => presentParts.has(key)) ?? false) &&
    added.every((key) => partSnapshotDate(key)! >= previous!.latest_snapshot);

  const work = await makeOwnedFolder(options.tempDirectory ?? tmpdir(), 'congkhai-current-state-');
  const connection = await openDuckDb(options.tempDirectory ? { tempDirectory: options.tempDirectory } : {});
  try {
    const local = async (key: string) => {
      if (lake instanceof LocalStorage) return lake.path(key);
      const path = join(work, 'in', key.replaceAll('/', '__'));
      const bytes = await lake.getBytes(key);
      if (!bytes) throw new Error(`lake object vanished while refreshing the current state: ${key}`);
      await mkdir(join(work, 'in'), { recursive: true });
      await writeFile(path, bytes);
      return path;
    };
    const newParts = incremental ? added : present.parts;
    const rows = partsRelation(
      await Promise.all(newParts.map(async (key) => [await local(key), partSnapshotDate(key)!] as const)),
    );
    // Incremental: the old table holds every dossier's latest row and the unit history of the
    // dossiers that moved; the new parts are all at least as recent. When they are all newer
    // (the nightly case), only their rows are ranked and the old rows of the other dossiers
    // are kept as they are.
    const oldDossiers = incremental
      ? `(SELECT ${COLUMNS}, snapshot_date FROM read_parquet(${sqlString(escapeGlob(await local(previous!.dossiers_key)))}))`
      : undefined;
    const oldHistory = incremental
      ? `(SELECT dossier_id, unit_code, snapshot_date FROM read_parquet(${sqlString(escapeGlob(await local(previous!.unit_history_key)))}))`
      : undefined;
    const allNewer = incremental && added.every((key) => partSnapshotDate(key)! > previous!.latest_snapshot);
    const rank = `QUALIFY ROW_NUMBER() OVER (PARTITION BY dossier_id ORDER BY ${LATEST_FIRST}) = 1`;
    let latestRows: string;
    let unitRows: string;
    if (allNewer) {
      await connection.run(`CREATE TEMP TABLE new_rows AS SELECT * FROM ${rows}`);
      await connection.run(`CREATE TEMP TABLE old_rows AS SELECT * FROM ${oldDossiers}`);
      latestRows = `SELECT * FROM new_rows ${rank}
        UNION ALL SELECT * FROM old_rows WHERE dossier_id NOT IN (SELECT dossier_id FROM new_rows)`;
      unitRows = `SELECT dossier_id, unit_code, snapshot_date FROM new_rows
        UNION ALL SELECT * FROM ${oldHistory}
        UNION ALL SELECT dossier_id, unit_code, snapshot_date FROM old_rows
          WHERE dossier_id IN (SELECT dossier_id FROM new_rows)`;
    } else {
      await connection.run(
        `CREATE TEMP TABLE candidate_rows AS ${oldDossiers ? `SELECT * FROM ${oldDossiers} UNION ALL ` : ''}SELECT * FROM ${rows}`,
      );
      latestRows = `SELECT * FROM candidate_rows ${rank}`;
      unitRows = `SELECT dossier_id, unit_code, snapshot_date FROM candidate_rows${oldHistory ? ` UNION ALL SELECT * FROM ${oldHistory}` : ''}`;
    }
    const dossiersPath = join(work, 'dossiers.parquet');
    const historyPath = join(work, 'unit_history.parquet');
    await connection.run(
      `CREATE TEMP TABLE history AS SELECT dossier_id, unit_code, snapshot_date FROM (
          SELECT dossier_id, unit_code, max(snapshot_date) AS snapshot_date,
            count(*) OVER (PARTITION BY dossier_id) AS units
          FROM (${unitRows}) GROUP BY dossier_id, unit_code
        ) WHERE units > 1`,
    );
    await connection.run(
      `COPY (SELECT * FROM history ORDER BY dossier_id, snapshot_date)
       TO ${sqlString(historyPath)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    // unit_moved: the dossier had more than one unit (its events may count under different
    // units in different periods); the KPI SQL attributes only those per period.
    await connection.run(
      `COPY (SELECT ${COLUMNS}, snapshot_date, dossier_id IN (SELECT dossier_id FROM history) AS unit_moved
        FROM (${latestRows}) AS latest)
       TO ${sqlString(dossiersPath)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    const counted = await connection.runAndReadAll(
      `SELECT count(*) AS n FROM read_parquet(${sqlString(escapeGlob(dossiersPath))})`,
    );
    const dossiers = Number(counted.getRowsJS()[0]?.[0] ?? 0);

    const version = `${(options.now ?? new Date()).toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
    const manifest: CurrentStateManifest = {
      format: 2,
      built_at: (options.now ?? new Date()).toISOString(),
      latest_snapshot: latest,
      parts: present.parts,
      ingest_logs: present.ingestLogs,
      dossiers_key: `${CURRENT_STATE_PREFIX}/${version}/dossiers.parquet`,
      unit_history_key: `${CURRENT_STATE_PREFIX}/${version}/unit_history.parquet`,
      dossiers,
    };
    await lake.putFile(manifest.dossiers_key, dossiersPath);
    await lake.putFile(manifest.unit_history_key, historyPath);
    await lake.putBytes(CURRENT_STATE_MANIFEST_KEY, `${JSON.stringify(manifest, null, 2)}\n`);
    await pruneVersions(lake, [manifest, previous]);
    return { mode: incremental ? 'incremental' : 'full', dossiers, seconds: elapsed() };
  } finally {
    connection.closeSync();
    await rm(work, { recursive: true, force: true });
  }
}

/** Deletes every version but the new one and the one before it (a reader may still be in it). */
async function pruneVersions(
  lake: Storage,
  keep: ReadonlyArray<CurrentStateManifest | undefined>,
): Promise<void> {
  const kept = new Set(keep.flatMap((m) => (m ? [m.dossiers_key, m.unit_history_key] : [])));
  for (const key of await lake.list(CURRENT_STATE_PREFIX)) {
    if (key !== CURRENT_STATE_MANIFEST_KEY && !kept.has(key)) await lake.delete(key);
  }
}

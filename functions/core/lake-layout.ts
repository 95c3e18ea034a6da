// Where things live in the lake and in the published output. Keys are '/'-separated
// relative paths, the same on a local folder and in an S3 bucket.
//
//   <lake>/dossiers/snapshot_date=YYYY-MM-DD/part-<extractId>.parquet
//   <lake>/quarantine/snapshot_date=YYYY-MM-DD/part-<extractId>.parquet
//   <lake>/ingest_log/snapshot_date=YYYY-MM-DD/<extractId>.json
//   <out>/data/v1/<table>.{csv,parquet,json}, <out>/data/v1/datapackage.json
//   <out>/data/v1/archive/<as-of date>/...

export const DOSSIERS_PREFIX = 'dossiers';
export const QUARANTINE_PREFIX = 'quarantine';
export const INGEST_LOG_PREFIX = 'ingest_log';

export const dossierPartKey = (snapshotDate: string, extractId: string) =>
  `${DOSSIERS_PREFIX}/snapshot_date=${snapshotDate}/part-${extractId}.parquet`;

/**
 * The snapshot date of a dossier part's key, or undefined for any other key. A part is any
 * visible file in a snapshot_date= folder: ingest names its parts part-<id>.parquet, while
 * Athena's INSERT (the bulk load) names them by query and without an extension; names
 * starting with '.' or '_' are hidden from Hive and Athena and are not parts.
 */
export function partSnapshotDate(key: string): string | undefined {
  return /(?:^|\/)snapshot_date=(\d{4}-\d{2}-\d{2})\/[^/._][^/]*$/.exec(key)?.[1];
}

export const quarantinePartKey = (snapshotDate: string, extractId: string) =>
  `${QUARANTINE_PREFIX}/snapshot_date=${snapshotDate}/part-${extractId}.parquet`;

export const ingestLogPrefix = (snapshotDate: string) =>
  `${INGEST_LOG_PREFIX}/snapshot_date=${snapshotDate}/`;

export const ingestLogKey = (snapshotDate: string, extractId: string) =>
  `${ingestLogPrefix(snapshotDate)}${extractId}.json`;

export const PUBLISHED_VERSION_PREFIX = 'data/v1';

// The units registry as ingest last received it (units.csv and unit_successors.csv, validated),
// kept in the lake so that `kpi` needs no flag (docs/design.md "Units across the 1 July 2025 reform").
//   registry/units.parquet            unit_code, unit_name, unit_level, parent_code, valid_from DATE, valid_to DATE
//   registry/unit_successors.parquet  predecessor_code, successor_code, weight DOUBLE, effective_date DATE
export const REGISTRY_PREFIX = 'registry';
export const UNITS_REGISTRY_KEY = `${REGISTRY_PREFIX}/units.parquet`;
export const UNIT_SUCCESSORS_KEY = `${REGISTRY_PREFIX}/unit_successors.parquet`;

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

export const quarantinePartKey = (snapshotDate: string, extractId: string) =>
  `${QUARANTINE_PREFIX}/snapshot_date=${snapshotDate}/part-${extractId}.parquet`;

export const ingestLogKey = (snapshotDate: string, extractId: string) =>
  `${INGEST_LOG_PREFIX}/snapshot_date=${snapshotDate}/${extractId}.json`;

export const PUBLISHED_VERSION_PREFIX = 'data/v1';

// Which lake keys are dossier parts: ingest's part-<id>.parquet and the bulk load's
// Athena-named files alike (a date loaded only by the bulk load must count for the as-of date
// and the current-state table); hidden files and other folders are not parts.
import { describe, expect, test } from 'vitest';
import { lakeSnapshotDates } from '../../functions/core/kpi/as-of.ts';
import { partSnapshotDate } from '../../functions/core/lake-layout.ts';
import type { Storage } from '../../functions/core/storage.ts';

describe('partSnapshotDate', () => {
  test.each([
    ['dossiers/snapshot_date=2025-10-03/part-0123456789abcdef01234567.parquet', '2025-10-03'],
    [
      'dossiers/snapshot_date=2025-10-04/20251004_101010_00012_abcde_5f0c1e2a-9d4b-4c1f-8e1a-0b6c7d8e9f00',
      '2025-10-04',
    ],
    ['lake/dossiers/snapshot_date=2025-10-05/x.parquet', '2025-10-05'],
    ['dossiers/snapshot_date=2025-10-03/.part-1.parquet.tmp', undefined],
    ['dossiers/snapshot_date=2025-10-03/_SUCCESS', undefined],
    ['dossiers/snapshot_date=2025-10-03/', undefined],
    ['dossiers/snapshot_date=2025-10-03/sub/part.parquet', undefined],
    ['quarantine/snapshot_date=2025-1-03/part.parquet', undefined],
  ])('%s → %s', (key, date) => {
    expect(partSnapshotDate(key)).toBe(date);
  });

  test('the as-of dates count a date whose only part the bulk load wrote', async () => {
    const keys = [
      'dossiers/snapshot_date=2025-10-03/part-a.parquet',
      'dossiers/snapshot_date=2025-10-04/20251004_101010_00012_abcde_uuid',
      'dossiers/snapshot_date=2025-10-05/_SUCCESS',
    ];
    const lake = { list: async () => keys } as unknown as Storage;
    expect(await lakeSnapshotDates(lake)).toEqual(['2025-10-03', '2025-10-04']);
  });
});

// The lake's current-state table (functions/core/kpi/current-state.ts): one row per dossier,
// its latest snapshot's; the unit history of the dossiers that moved; built in full or
// merged incrementally to the same result; written aside and switched by one manifest put.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { escapeGlob, openDuckDb, sqlString } from '../../functions/core/duckdb.ts';
import {
  CURRENT_STATE_MANIFEST_KEY,
  type CurrentStateManifest,
  readCurrentStateManifest,
  refreshCurrentState,
} from '../../functions/core/kpi/current-state.ts';
import { LocalStorage } from '../../functions/core/storage.ts';
import { type LakeRecord, writeLakeSnapshot } from '../support/write-lake.ts';

const record = (
  dossier_id: string,
  unit_code: string,
  status: LakeRecord['status'] = 'processing',
): LakeRecord => ({
  dossier_id,
  unit_code,
  unit_level: 'province',
  channel: 'direct',
  received_at: '2025-06-01 08:00:00',
  status,
  ...(status === 'resolved' ? { resolved_at: '2025-06-20 08:00:00' } : {}),
});

async function readTable(lakeDir: string, key: string): Promise<string[]> {
  const connection = await openDuckDb({ threads: 1 });
  try {
    const path = sqlString(escapeGlob(join(lakeDir, ...key.split('/'))));
    const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet(${path})`);
    return reader
      .getRowObjectsJS()
      .map((r) =>
        [r['dossier_id'], r['unit_code'], r['status'], String(r['snapshot_date']).slice(0, 15)].join('|'),
      )
      .sort();
  } finally {
    connection.closeSync();
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'congkhai-current-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('refreshCurrentState', () => {
  test('full, then a no-op, then incremental with the same result as a full build', async () => {
    const lakeDir = join(dir, 'lake[1]'); // glob characters in the lake folder are taken literally
    const lake = new LocalStorage(lakeDir);
    await writeLakeSnapshot(lakeDir, '2025-06-30', [
      record('D1', 'OLD'),
      record('D2', 'OLD'),
      record('D3', 'B'),
    ]);
    expect((await refreshCurrentState(lake)).mode).toBe('full');
    const first = (await readCurrentStateManifest(lake))!;
    expect(first.dossiers).toBe(3);
    expect(first.latest_snapshot).toBe('2025-06-30');
    expect(await refreshCurrentState(lake)).toMatchObject({ mode: 'current', dossiers: 3 });

    await writeLakeSnapshot(
      lakeDir,
      '2025-10-01',
      [record('D1', 'NEW', 'resolved'), record('D4', 'NEW')],
      'b',
    );
    expect((await refreshCurrentState(lake)).mode).toBe('incremental');
    const merged = (await readCurrentStateManifest(lake))!;
    const dossiers = await readTable(lakeDir, merged.dossiers_key);
    expect(dossiers.map((r) => r.split('|').slice(0, 3).join('|'))).toEqual([
      'D1|NEW|resolved',
      'D2|OLD|processing',
      'D3|B|processing',
      'D4|NEW|processing',
    ]);
    const history = await readTable(lakeDir, merged.unit_history_key);
    expect(history.map((r) => r.split('|').slice(0, 2).join('|'))).toEqual(['D1|NEW', 'D1|OLD']);

    // The previous version stays readable (a reader that read the old manifest); older ones go.
    expect(await lake.exists(first.dossiers_key)).toBe(true);
    await lake.delete(CURRENT_STATE_MANIFEST_KEY);
    expect((await refreshCurrentState(lake)).mode).toBe('full');
    const rebuilt = (await readCurrentStateManifest(lake))!;
    expect(await readTable(lakeDir, rebuilt.dossiers_key)).toEqual(dossiers);
    expect(await readTable(lakeDir, rebuilt.unit_history_key)).toEqual(history);
    expect(await lake.exists(first.dossiers_key)).toBe(false);
  });

  test('a second extract of the latest snapshot date merges like a full build', async () => {
    const lakeDir = join(dir, 'same-day');
    const lake = new LocalStorage(lakeDir);
    await writeLakeSnapshot(lakeDir, '2025-06-30', [record('D1', 'OLD'), record('D2', 'B')]);
    await writeLakeSnapshot(lakeDir, '2025-10-01', [record('D1', 'NEW')], 'a');
    await refreshCurrentState(lake);
    await writeLakeSnapshot(lakeDir, '2025-10-01', [record('D2', 'C', 'resolved')], 'b');
    expect((await refreshCurrentState(lake)).mode).toBe('incremental');
    const merged = (await readCurrentStateManifest(lake))!;
    const dossiers = await readTable(lakeDir, merged.dossiers_key);
    const history = await readTable(lakeDir, merged.unit_history_key);
    expect(history.map((r) => r.split('|').slice(0, 2).join('|'))).toEqual([
      'D1|NEW',
      'D1|OLD',
      'D2|B',
      'D2|C',
    ]);
    await lake.delete(CURRENT_STATE_MANIFEST_KEY);
    expect((await refreshCurrentState(lake)).mode).toBe('full');
    const rebuilt = (await readCurrentStateManifest(lake))!;
    expect(await readTable(lakeDir, rebuilt.dossiers_key)).toEqual(dossiers);
    expect(await readTable(lakeDir, rebuilt.unit_history_key)).toEqual(history);
  });

  test('a part of an older snapshot (a late extract) rebuilds the table in full', async () => {
    const lakeDir = join(dir, 'late');
    const lake = new LocalStorage(lakeDir);
    await writeLakeSnapshot(lakeDir, '2025-10-01', [record('D1', 'NEW', 'resolved')]);
    await refreshCurrentState(lake);
    await writeLakeSnapshot(lakeDir, '2025-06-30', [record('D1', 'OLD'), record('D9', 'OLD')], 'late');
    expect((await refreshCurrentState(lake)).mode).toBe('full');
    const manifest = JSON.parse(
      await readFile(join(lakeDir, ...CURRENT_STATE_MANIFEST_KEY.split('/')), 'utf8'),
    ) as CurrentStateManifest;
    expect(manifest.parts).toHaveLength(2);
    expect(
      (await readTable(lakeDir, manifest.dossiers_key)).map((r) => r.split('|').slice(0, 2).join('|')),
    ).toEqual(['D1|NEW', 'D9|OLD']);
  });

  test('an empty lake: nothing written', async () => {
    const lake = new LocalStorage(join(dir, 'empty'));
    expect((await refreshCurrentState(lake)).mode).toBe('empty');
    expect(await lake.exists(CURRENT_STATE_MANIFEST_KEY)).toBe(false);
  });
});

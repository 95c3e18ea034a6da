// The "Must show" scenario: ~100k v1 records with citizen columns, withdrawn
// dossiers and exactly 3 broken rows, through `congkhai ingest FILE --lake DIR`.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CliResult,
  citizenValues,
  findPlantedValues,
  lakeDossiers,
  lakeQuarantine,
  query,
  runCli,
  tempDir,
  type V1Row,
  v1Csv,
  validRow,
} from './helpers.ts';

const TOTAL = 100_000;
// Data rows start on line 2 (line 1 is the header): row i is on line i + 2.
const BROKEN = {
  unknownChannel: 1_234,
  impossibleDate: 50_000,
  emptyDossierId: 98_765,
};

describe('must show: 100k v1 CSV with citizen columns and 3 broken rows', () => {
  let dir: string;
  let lake: string;
  let rows: V1Row[];
  let result: CliResult;

  beforeAll(async () => {
    dir = await tempDir();
    lake = join(dir, 'lake');
    rows = Array.from({ length: TOTAL }, (_, i) => validRow(i));
    rows[BROKEN.unknownChannel] = validRow(BROKEN.unknownChannel, { channel: 'fax' });
    rows[BROKEN.impossibleDate] = validRow(BROKEN.impossibleDate, { received_at: '2021-02-30 08:00:00' });
    rows[BROKEN.emptyDossierId] = validRow(BROKEN.emptyDossierId, { dossier_id: '' });
    const file = join(dir, 'extract-2024-03-31.csv');
    await writeFile(file, v1Csv(rows));
    result = await runCli(['ingest', file, '--lake', lake]);
  });

  it('exits 0 and reports the counts', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('read 100.000, accepted 99.997, quarantined 3');
  });

  it('puts every valid record in the lake, with the snapshot from the file name', async () => {
    const [count] = await query(
      `SELECT count(*)::INT AS n, count(DISTINCT dossier_id)::INT AS ids, min(snapshot_date)::VARCHAR AS d,
              count(*) FILTER (WHERE status = 'withdrawn')::INT AS withdrawn
         FROM read_parquet('${lake}/dossiers/*/*.parquet')`,
    );
    expect(count).toEqual({ n: TOTAL - 3, ids: TOTAL - 3, d: '2024-03-31', withdrawn: expect.any(Number) });
    expect(count!.withdrawn).toBeGreaterThan(10_000);
    const expectedIds = rows
      .filter((_, i) => !Object.values(BROKEN).includes(i))
      .map((r) => r.dossier_id)
      .sort();
    const ids = (
      await query(`SELECT dossier_id FROM read_parquet('${lake}/dossiers/*/*.parquet') ORDER BY 1`)
    ).map((r) => r.dossier_id);
    expect(ids).toEqual(expectedIds);
    // Every row keeps its own line: the file (a few MB) is read by DuckDB on several threads,
    // and a row's line comes from its place in the file.
    const lineOf = new Map(rows.map((r, i) => [r.dossier_id, i + 2]));
    const wrongLines = (
      await query(
        `SELECT dossier_id, source_line::INT AS line FROM read_parquet('${lake}/dossiers/*/*.parquet')`,
      )
    ).filter((r) => lineOf.get(String(r.dossier_id)) !== r.line);
    expect(wrongLines).toEqual([]);
    const sample = (await lakeDossiers(lake)).find((r) => r.dossier_id === rows[7]!.dossier_id)!;
    expect(sample).toMatchObject({
      channel: rows[7]!.channel,
      status: rows[7]!.status,
      received_at: rows[7]!.received_at,
      source_line: 9,
      source_file: 'extract-2024-03-31.csv',
    });
  });

  it('quarantines exactly the 3 broken rows with line, field and reason', async () => {
    const quarantined = await lakeQuarantine(lake);
    expect(
      quarantined.map(({ line, field, reason_code }) => ({ line: Number(line), field, reason_code })),
    ).toEqual([
      { line: BROKEN.unknownChannel + 2, field: 'channel', reason_code: 'unknown_channel' },
      { line: BROKEN.impossibleDate + 2, field: 'received_at', reason_code: 'invalid_date' },
      { line: BROKEN.emptyDossierId + 2, field: 'dossier_id', reason_code: 'missing_required' },
    ]);
    expect(quarantined[0]).toMatchObject({ value: 'fax', source_file: 'extract-2024-03-31.csv' });
    expect(quarantined[1]).toMatchObject({ value: '2021-02-30 08:00:00' });
  });

  it('leaves no citizen value anywhere under the lake folder', async () => {
    const planted = citizenValues(rows);
    expect(planted).toHaveLength(TOTAL * 3);
    // Scanning for 300k values in every file is slow; a spread sample plus the broken rows suffices.
    const sample = [
      ...Object.values(BROKEN).flatMap((i) => citizenValues([rows[i]!])),
      ...planted.filter((_, k) => k % 997 === 0),
      'Bí Mật',
      'secret.example.vn',
    ];
    expect(await findPlantedValues(lake, sample)).toEqual([]);
    // The scan does see values that are in the lake (a dossier id, a Vietnamese unit name).
    const control = await findPlantedValues(lake, [rows[7]!.dossier_id, 'Đơn vị số 7']);
    expect(control.some((hit) => hit.startsWith(rows[7]!.dossier_id))).toBe(true);
    expect(control.some((hit) => hit.startsWith('Đơn vị số 7'))).toBe(true);
  });
});

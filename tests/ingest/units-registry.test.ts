// The units registry at ingest (docs/design.md "Units across the 1 July 2025 reform"): units.csv
// and unit_successors.csv validated and kept in the lake; a record is valid if its unit
// existed at some time between its reception and its closing (or the snapshot date).
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExtractUnreadableError, ingestExtract } from '../../functions/core/ingest/ingest-extract.ts';
import { LocalStorage } from '../../functions/core/storage.ts';
import { FIXTURES, filesUnder, lakeDossiers, lakeQuarantine, query, runCli, tempDir } from './helpers.ts';

const SAMPLE = join(FIXTURES, 'merged-province-sample');

async function sampleCopy(): Promise<string> {
  const dir = await tempDir('ck-merged-');
  const copy = join(dir, 'merged');
  await mkdir(copy);
  for (const name of await readdir(SAMPLE)) await copyFile(join(SAMPLE, name), join(copy, name));
  return copy;
}

describe('the merged-province sample', () => {
  it('accepts every row of its three extracts (7) and keeps both registry files in the lake', async () => {
    const dir = await sampleCopy();
    const lake = join(dir, 'lake');
    const extracts = ['extract-a-2025-06-30.csv', 'extract-b-2025-06-30.csv', 'extract-2025-10-01.csv'];
    const result = await runCli([
      'ingest',
      ...extracts.map((e) => join(dir, e)),
      '--units',
      join(dir, 'units.csv'),
      '--lake',
      lake,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('3 extract(s)');
    expect(result.stdout).toContain('read 7, accepted 7, quarantined 0');
    const rows = await lakeDossiers(lake);
    expect(rows.map((r) => `${r.dossier_id}@${r.unit_code}`).sort()).toEqual(
      ['D1@A-STP', 'D2@A-STP', 'D3@A-X1', 'D4@B-STP', 'D2@99-STP', 'D3@12345', 'D5@12345'].sort(),
    );
    const units = await query(
      `SELECT * FROM read_parquet('${lake}/registry/units.parquet') ORDER BY unit_code`,
    );
    expect(units.map((u) => u.unit_code)).toContain('12345');
    const types = await query(`DESCRIBE SELECT * FROM read_parquet('${lake}/registry/units.parquet')`);
    expect(types.map((t) => `${t.column_name} ${t.column_type}`)).toEqual([
      'unit_code VARCHAR',
      'unit_name VARCHAR',
      'unit_level VARCHAR',
      'parent_code VARCHAR',
      'valid_from DATE',
      'valid_to DATE',
    ]);
    const successors = await query(
      `SELECT predecessor_code, successor_code, weight, CAST(effective_date AS VARCHAR) AS d
         FROM read_parquet('${lake}/registry/unit_successors.parquet') ORDER BY 1, 2`,
    );
    expect(successors).toEqual([
      { predecessor_code: 'A-H1', successor_code: '12345', weight: 1, d: '2025-07-01' },
      { predecessor_code: 'A-STP', successor_code: '99-STP', weight: 1, d: '2025-07-01' },
      { predecessor_code: 'A-X1', successor_code: '12345', weight: 1, d: '2025-07-01' },
      { predecessor_code: 'B-STP', successor_code: '99-STP', weight: 1, d: '2025-07-01' },
    ]);
    const successorTypes = await query(
      `DESCRIBE SELECT * FROM read_parquet('${lake}/registry/unit_successors.parquet')`,
    );
    expect(successorTypes.map((t) => `${t.column_name} ${t.column_type}`)).toEqual([
      'predecessor_code VARCHAR',
      'successor_code VARCHAR',
      'weight DOUBLE',
      'effective_date DATE',
    ]);
  });

  it('quarantines a record whose unit did not exist at any time of its life', async () => {
    const dir = await sampleCopy();
    const path = join(dir, 'late-2025-10-01.csv');
    await writeFile(
      path,
      'dossier_id,procedure_code,unit_code,unit_level,channel,received_at,resolved_at,status\n' +
        'L1,1.001,A-STP,province,direct,2025-08-01 08:00:00,,processing\n' +
        'L2,1.001,99-STP,province,direct,2025-05-01 08:00:00,2025-06-10 08:00:00,resolved\n' +
        'L3,1.001,99-STP,province,direct,2025-06-20 08:00:00,,processing\n',
    );
    const lake = join(dir, 'lake');
    await ingestExtract({ path, lake: new LocalStorage(lake), unitsPath: join(dir, 'units.csv') });
    expect((await lakeDossiers(lake)).map((r) => r.dossier_id)).toEqual(['L3']);
    expect((await lakeQuarantine(lake)).map((q) => [q.line, q.field, q.reason_code, q.value])).toEqual([
      [2, 'unit_code', 'unknown_unit', 'A-STP'],
      [3, 'unit_code', 'unknown_unit', '99-STP'],
    ]);
  });
});

describe('a registry that breaks its contract is refused whole, nothing written', () => {
  const cases: [string, string, string | undefined, RegExp][] = [
    [
      'weights of a predecessor that do not add up to 1',
      '',
      'predecessor_code,successor_code,weight,effective_date\nA-STP,99-STP,0.6,2025-07-01\nA-X1,12345,1,2025-07-01\nA-H1,12345,1,2025-07-01\nB-STP,99-STP,1,2025-07-01\n',
      /predecessor A-STP add up to 0\.6, not 1/,
    ],
    [
      'a weight above 1',
      '',
      'predecessor_code,successor_code,weight,effective_date\nA-STP,99-STP,1.5,2025-07-01\n',
      /weight must be at most 1/,
    ],
    [
      'a weight of 0',
      '',
      'predecessor_code,successor_code,weight,effective_date\nA-STP,99-STP,0,2025-07-01\n',
      /more than 0/,
    ],
    [
      'a successor not in units.csv',
      '',
      'predecessor_code,successor_code,weight,effective_date\nA-STP,ZZ,1,2025-07-01\n',
      /unit ZZ is not in units.csv/,
    ],
    ['a formula as a unit name', 'Q-1, =1+2,province,,,,\n', undefined, /spreadsheet formula/],
    ['HTML in a unit name', 'Q-2,<img src=x>,province,,,,\n', undefined, /HTML markup/],
    ['a bidi override in a unit name', 'Q-3,Sở \u202eTư pháp,province,,,,\n', undefined, /control/],
    ['a validity date far in the future', 'Q-4,Sở Mới,province,,2999-01-01,,\n', undefined, /a date between/],
    [
      'a unit code given twice',
      'A-STP,Sở Tư pháp tỉnh A,province,,,2025-06-30,\n',
      undefined,
      /appears twice/,
    ],
  ];
  it.each(cases)('%s', async (_, extraUnit, successors, refused) => {
    const dir = await sampleCopy();
    if (extraUnit) await writeFile(join(dir, 'units.csv'), extraUnit, { flag: 'a' });
    if (successors !== undefined) await writeFile(join(dir, 'unit_successors.csv'), successors);
    const lake = join(dir, 'lake');
    const error = await ingestExtract({
      path: join(dir, 'extract-a-2025-06-30.csv'),
      lake: new LocalStorage(lake),
      unitsPath: join(dir, 'units.csv'),
    }).catch((e) => e);
    expect(error).toBeInstanceOf(ExtractUnreadableError);
    expect(error.reason).toMatch(refused);
    expect(await filesUnder(lake)).toEqual([]);
  });
});

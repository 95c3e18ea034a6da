// The value rules of the one validator (queries/staging/validate_dossiers.sql), through the
// real ingest: every date-time form, the calendar (leap years, impossible days and times),
// padded cells, NFC of decomposed names, the length limits, and the lake rows passing the
// zod record schema. These were the JS normalizer's own tests before the SQL validator.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestExtract } from '../../functions/core/ingest/ingest-extract.ts';
import { DossierRecordSchema } from '../../functions/core/ingest/record-schema.ts';
import { LocalStorage } from '../../functions/core/storage.ts';
import { lakeDossiers, lakeQuarantine, type Row, tempDir, type V1Row, v1Csv, validRow } from './helpers.ts';

/** Ingests one row per override (line i + 2), returns lake rows and quarantine rows by line. */
async function ingestRows(overrides: Partial<V1Row>[]) {
  const dir = await tempDir('ck-values-');
  const path = join(dir, 'extract.csv');
  await writeFile(
    path,
    v1Csv(overrides.map((o, i) => validRow(i, { due_at: '', resolved_at: '', status: 'processing', ...o }))),
  );
  const lake = join(dir, 'lake');
  await ingestExtract({ path, lake: new LocalStorage(lake), snapshotDate: '2024-06-30' });
  const byLine = <T extends Row>(rows: T[], key: string) => new Map(rows.map((r) => [Number(r[key]), r]));
  return {
    accepted: byLine(await lakeDossiers(lake), 'source_line'),
    quarantined: byLine(await lakeQuarantine(lake).catch(() => []), 'line'),
  };
}

const accepted: [string, string][] = [
  ['2021-03-15 08:30:00', '2021-03-15 08:30:00'],
  ['2021-03-15', '2021-03-15 00:00:00'],
  ['2021-03-15T08:30:00+07:00', '2021-03-15 08:30:00'],
  ['2021-03-15T01:30:00Z', '2021-03-15 08:30:00'],
  ['2021-03-14T20:30:00-05:00', '2021-03-15 08:30:00'],
  ['2021-03-15T08:30:00.123+0700', '2021-03-15 08:30:00'],
  ['20210315083000', '2021-03-15 08:30:00'],
  ['20210315', '2021-03-15 00:00:00'],
  ['15/03/2021 08:30:00', '2021-03-15 08:30:00'],
  ['15/03/2021 08:30', '2021-03-15 08:30:00'],
  ['15/03/2021', '2021-03-15 00:00:00'],
  ['5/3/2021', '2021-03-05 00:00:00'],
  ['2024-02-29 12:00:00', '2024-02-29 12:00:00'],
  ['2024-02-29 00:00:00', '2024-02-29 00:00:00'], // leap year
  ['2000-02-29 23:59:59', '2000-02-29 23:59:59'], // divisible by 400
  ['2021-12-31 23:59:59', '2021-12-31 23:59:59'],
  [' 2023-01-01 08:00:00 ', '2023-01-01 08:00:00'], // padded
];
const rejected = [
  '2021-02-30 08:00:00',
  '2023-02-29',
  '30/02/2021 08:00:00',
  '20211301000000',
  '2021-03-15 24:00:00',
  '2024-02-29 25:61:00',
  '2024-02-29 23:60:00',
  '2024-02-29 23:59:60',
  '2021-04-31 08:00:00',
  '2021-00-10 08:00:00',
  '2021-03-00 08:00:00',
  'yesterday',
  '15-03-2021',
  '10/25/2025', // month first: never re-read as such
  '2021-03-15T08:30:00+99:99', // no such UTC offset
  '2024-02-29T10:00:00+25:00',
];

describe('date-time forms', () => {
  let result: Awaited<ReturnType<typeof ingestRows>>;
  beforeAll(async () => {
    result = await ingestRows(
      [...accepted.map(([text]) => text), ...rejected].map((received_at) => ({ received_at })),
    );
  }, 60_000);

  it.each(accepted.map(([text, value], i) => [text, value, i] as const))('%j → %s', (_, value, i) => {
    expect(result.quarantined.get(i + 2)).toBeUndefined();
    expect(result.accepted.get(i + 2)?.received_at).toBe(value);
  });

  it.each(rejected.map((text, i) => [text, i + accepted.length] as const))('rejects %j', (text, i) => {
    expect(result.quarantined.get(i + 2)).toMatchObject({
      field: 'received_at',
      reason_code: 'invalid_date',
      value: text,
    });
  });
});

describe('names', () => {
  it('comes out NFC, a long name is fine where a long code is not, markup is refused', async () => {
    const decomposed = 'Chu\u031bng thu\u031b\u0323c'; // NFD: must come out NFC
    const long = `Tên ${'đ'.repeat(150)}`; // fine as a name (≤ 1000), too long as a code (> 100)
    const { accepted: ok, quarantined } = await ingestRows([
      { procedure_name: decomposed, unit_name: long },
      { procedure_name: decomposed, unit_name: long },
      { field_code: long },
      { unit_name: '<b>Đơn vị</b>' },
      { unit_name: ' =HYPERLINK("http://x.example","a")' },
    ]);
    for (const line of [2, 3]) {
      expect(ok.get(line)?.procedure_name).toBe(decomposed.normalize('NFC'));
      expect(ok.get(line)?.unit_name).toBe(long);
    }
    expect(quarantined.get(4)).toMatchObject({ field: 'field_code', reason_code: 'too_long' });
    expect(quarantined.get(5)).toMatchObject({ field: 'unit_name', reason_code: 'html_markup' });
    expect(quarantined.get(6)).toMatchObject({ field: 'unit_name', reason_code: 'formula_injection' });
  });
});

describe('the zod record schema at the boundary', () => {
  it('passes every lake row and rejects one that breaks the contract', async () => {
    const { accepted: rows } = await ingestRows(Array.from({ length: 300 }, () => ({})));
    expect(rows.size).toBe(300);
    const records = [...rows.values()].map((r) => ({
      ...r,
      received_at: r.received_at ?? null,
      source_line: Number(r.source_line),
    }));
    for (const record of records) expect(DossierRecordSchema.safeParse(record).error).toBeUndefined();
    const record = records[0]!;
    expect(DossierRecordSchema.safeParse({ ...record, channel: 'fax' }).success).toBe(false);
    expect(DossierRecordSchema.safeParse({ ...record, received_at: '2021-03-15T08:30:00Z' }).success).toBe(
      false,
    );
  });
});

// The CSV of a table is serialised once and cut into lines for the unit kits: the cut files must
// be exactly what csv-stringify writes for those rows, quoted fields and line breaks included.
import { stringify } from 'csv-stringify/sync';
import { describe, expect, test } from 'vitest';
import type { Row } from '../../functions/core/engine.ts';
import { csvFile, tableCsvText, tableJson } from '../../functions/core/publish/table-files.ts';
import type { PublishedTable } from '../../functions/core/published-tables.ts';

const TABLE: PublishedTable = {
  name: 't',
  title_vi: 'Bảng',
  title_en: 'Table',
  primaryKey: ['code'],
  columns: [
    { name: 'code', type: 'string', vi: 'Mã', en: 'Code' },
    { name: 'name', type: 'string', vi: 'Tên', en: 'Name' },
    { name: 'n', type: 'integer', vi: 'Số', en: 'Count' },
    { name: 'ok', type: 'boolean', vi: 'Đạt', en: 'Ok' },
  ],
};

/** What the publisher wrote before the lines were shared: csv-stringify over the rows. */
const stringified = (rows: readonly Row[]) =>
  stringify(
    rows.map((r) => [r['code'], r['name'], r['n'], r['ok']].map((v) => (v === null ? '' : String(v)))),
    { header: true, columns: ['code', 'name', 'n', 'ok'], bom: true, record_delimiter: 'windows' },
  );

describe('tableCsvText', () => {
  const plain: Row[] = [
    { code: 'A', name: 'Sở Tư pháp', n: 113048, ok: true },
    { code: 'B', name: 'UBND xã Gia Viễn', n: null, ok: false },
    { code: 'C', name: null, n: 0, ok: null },
  ];
  const tricky: Row[] = [
    ...plain,
    { code: 'D', name: 'Phòng "Một cửa", tầng 2', n: 1, ok: true },
    { code: 'E', name: 'hai\r\ndòng', n: 2, ok: true },
    { code: 'F', name: 'chỉ\nLF', n: 3, ok: false },
  ];

  test.each([
    ['plain cells', plain],
    ['quoted cells and line breaks', tricky],
  ])('%s: the whole file and every subset are what csv-stringify writes', (_, rows) => {
    const text = tableCsvText(TABLE, rows);
    expect(text.lines).toHaveLength(rows.length);
    expect(csvFile(text)).toBe(stringified(rows));
    for (const pick of [[0], [1, 2], [rows.length - 1], [0, 2, rows.length - 1]]) {
      expect(csvFile(text, pick)).toBe(stringified(pick.map((i) => rows[i]!)));
    }
    expect(csvFile(text, [])).toBe(stringified([]));
  });

  test('an empty table is its BOM and header row', () => {
    expect(csvFile(tableCsvText(TABLE, []))).toBe('\uFEFFcode,name,n,ok\r\n');
  });
});

describe('tableJson', () => {
  test('every row in contract column order, null for a missing value, nothing else', () => {
    const rows: Row[] = [
      { code: 'A', name: 'Sở Tư pháp', n: 113048, ok: true }, // already in contract order
      { name: 'UBND xã "Gia Viễn"', code: 'B', ok: false, n: 0 }, // another order
      { code: 'C', name: undefined as unknown as null, n: 1, ok: null }, // an undefined value
      { code: 'D', name: 'x', n: 2, ok: true, extra: 'not in the contract' },
      { code: 'E', name: 'y', n: Number.NaN }, // a column missing
    ];
    expect(tableJson(TABLE, rows)).toBe(
      '[\n' +
        '{"code":"A","name":"Sở Tư pháp","n":113048,"ok":true},\n' +
        '{"code":"B","name":"UBND xã \\"Gia Viễn\\"","n":0,"ok":false},\n' +
        '{"code":"C","name":null,"n":1,"ok":null},\n' +
        '{"code":"D","name":"x","n":2,"ok":true},\n' +
        '{"code":"E","name":"y","n":null,"ok":null}\n' +
        ']\n',
    );
    expect(tableJson(TABLE, [])).toBe('[]\n');
  });
});

// The .xlsx edition opens as a valid workbook: Vietnamese headers, one sheet per period type,
// rates as percentages over exact 0–1 values, and a notes sheet that warns about stocks.
// Every workbook is read back with exceljs (an independent reader): sheets, headers, values,
// formats, widths, the frozen header, the notes, the creator; awkward text round-trips.
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import type { Row } from '../../functions/core/engine.ts';
import { COUNTS } from '../../functions/core/kpi-catalog.ts';
import { tableXlsx } from '../../functions/core/publish/spreadsheet-file.ts';
import { PROVINCE_KPIS, type PublishedTable, UNITS } from '../../functions/core/published-tables.ts';

const rows: Row[] = [
  {
    period_type: 'month',
    period: '2025-01',
    is_complete: true,
    received_total: 113048,
    on_time_rate: 0.8687,
  },
  { period_type: 'month', period: '2025-02', is_complete: true, received_total: 1000, on_time_rate: 0.5 },
  {
    period_type: 'quarter',
    period: '2025-Q1',
    is_complete: true,
    received_total: 114048,
    on_time_rate: 0.86,
  },
];

const NOTES = {
  asOf: '2025-04-01 00:00:00',
  licence: 'CC BY 4.0',
  citation: 'Văn phòng UBND tỉnh Bắc Ninh (2025)',
};

async function read(bytes: Buffer): Promise<ExcelJS.Workbook> {
  expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

const headersOf = (sheet: ExcelJS.Worksheet) => (sheet.getRow(1).values as unknown[]).slice(1);

describe('tableXlsx', () => {
  test('a valid workbook with Vietnamese headers, a sheet per period type and notes', async () => {
    const bytes = await tableXlsx(PROVINCE_KPIS, rows, NOTES);
    const workbook = await read(bytes);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Theo tháng', 'Theo quý', 'Ghi chú']);
    const months = workbook.getWorksheet('Theo tháng')!;
    const headers = headersOf(months);
    expect(headers).toContain('Tỷ lệ giải quyết đúng hạn');
    expect(headers).toContain('Tổng số hồ sơ tiếp nhận');
    expect(months.rowCount).toBe(3);
    const rateColumn = headers.indexOf('Tỷ lệ giải quyết đúng hạn') + 1;
    const cell = months.getRow(2).getCell(rateColumn);
    expect(cell.value).toBe(0.8687);
    expect(cell.numFmt).toBe('0.00%');
    const received = months.getRow(2).getCell(headers.indexOf('Tổng số hồ sơ tiếp nhận') + 1);
    expect(received.value).toBe(113048);
    expect(received.numFmt).toBe('#,##0');
    const notes = workbook.getWorksheet('Ghi chú')!;
    const text = notes
      .getSheetValues()
      .flat()
      .filter((v) => typeof v === 'string')
      .join('\n');
    expect(text).toContain('KHÔNG cộng dồn');
    expect(text).toContain('2025-04-01 00:00:00');
    expect(text).toContain('Văn phòng UBND tỉnh Bắc Ninh');
    expect(workbook.creator).toBe('congkhai');
  });

  test('every sheet: bold frozen header, widths, formats; the notes row by row', async () => {
    const workbook = await read(await tableXlsx(PROVINCE_KPIS, rows, NOTES));
    const quarters = workbook.getWorksheet('Theo quý')!;
    expect(quarters.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(quarters.getRow(1).getCell(1).font?.bold).toBe(true);
    const headers = headersOf(quarters);
    expect(headers).toHaveLength(PROVINCE_KPIS.columns.length);
    headers.forEach((header, i) => {
      const width = Math.min(40, Math.max(10, String(header).length + 2));
      expect(quarters.getColumn(i + 1).width, String(header)).toBe(width);
    });
    const row = quarters.getRow(2);
    const at = (header: string) => row.getCell(headers.indexOf(header) + 1);
    expect(at('Kỳ').value).toBe('2025-Q1');
    expect(at('Kỳ đã kết thúc trước thời điểm số liệu').value).toBe('có');
    expect(at('Tỷ lệ giải quyết đúng hạn').value).toBe(0.86);
    // A missing value stays an empty cell, still formatted by its column.
    const empty = at('Đã giải quyết');
    expect(empty.value).toBeNull();
    expect(empty.numFmt).toBe('#,##0');

    const notes = workbook.getWorksheet('Ghi chú')!;
    expect(headersOf(notes)).toEqual(['Cột', 'Tên cột trong dữ liệu (CSV)', 'Ý nghĩa']);
    expect(notes.getRow(1).getCell(1).font?.bold).toBe(true);
    expect([1, 2, 3].map((i) => notes.getColumn(i).width)).toEqual([32, 30, 90]);
    expect(notes.views[0]?.state ?? 'normal').not.toBe('frozen');
    const columnRows = PROVINCE_KPIS.columns.map((_, i) => notes.getRow(i + 2).values as unknown[]);
    expect(columnRows.map((values) => values[2])).toEqual(PROVINCE_KPIS.columns.map((c) => c.name));
    expect(columnRows[0]![1]).toBe('Loại kỳ');
    const stocks = COUNTS.filter((c) => c.kind === 'stock').map((c) => c.name);
    PROVINCE_KPIS.columns.forEach((column, i) => {
      const warned = String(columnRows[i]![3]).includes('KHÔNG cộng dồn giữa các kỳ');
      expect(warned, column.name).toBe(stocks.includes(column.name));
    });
    expect(stocks.length).toBeGreaterThan(0);
    // A blank row, then the table, the as-of time, rates, adding up, licence and citation.
    const first = PROVINCE_KPIS.columns.length + 3;
    expect(notes.getRow(first - 1).values).toEqual([]);
    const labelled = [0, 1, 2, 3, 4, 5].map((i) => notes.getRow(first + i).values as unknown[]);
    expect(labelled.map((values) => values[1])).toEqual([
      'Bảng',
      'Thời điểm số liệu',
      'Tỷ lệ',
      'Cộng dồn',
      'Giấy phép',
      'Trích dẫn',
    ]);
    expect(labelled[0]![3]).toBe('Chỉ số giải quyết TTHC toàn tỉnh (province_kpis)');
    expect(labelled[1]![3]).toBe('2025-04-01 00:00:00 (giờ Việt Nam)');
    expect(labelled[5]![3]).toBe(NOTES.citation);
    expect(notes.rowCount).toBe(first + 5);
  });

  test('awkward text round-trips; characters XML forbids are dropped; numbers stay exact', async () => {
    const table: PublishedTable = {
      name: 't',
      title_vi: 'Bảng <thử> & "kiểm"',
      title_en: 'Test',
      primaryKey: ['code'],
      columns: [
        { name: 'code', type: 'string', vi: 'Mã', en: 'Code' },
        { name: 'name', type: 'string', vi: 'Tên (đầy đủ)', en: 'Name' },
        { name: 'n', type: 'integer', vi: 'Số', en: 'Count' },
        { name: 'on_time_rate', type: 'number', vi: 'Tỷ lệ', en: 'Rate' },
        { name: 'days', type: 'number', vi: 'Số ngày', en: 'Days' },
        { name: 'ok', type: 'boolean', vi: 'Đạt', en: 'Ok' },
        { name: 'day', type: 'date', vi: 'Ngày', en: 'Day' },
      ],
    };
    // Vietnamese with combining marks (decomposed), as some portals send it.
    const decomposed = 'Xã Nghĩa Hưng, Nghệ An'.normalize('NFD');
    const awkward: Row[] = [
      {
        code: `<&"'>`,
        name: decomposed,
        n: 0,
        on_time_rate: 1 / 3,
        days: -2.5e-7,
        ok: false,
        day: '2025-01-31',
      },
      {
        code: '  cách  ',
        name: 'hai\ndòng\r\nba',
        n: 9007199254740991,
        on_time_rate: 0,
        days: 1e21,
        ok: true,
      },
      { code: 'a\u0001b\u000Bc\uFFFEd\uD800e', name: '=1+2', n: null, on_time_rate: Number.NaN, days: null },
      { code: '😀 ngoài BMP', name: '', n: -5, on_time_rate: null, days: Number.POSITIVE_INFINITY, ok: null },
    ];
    const workbook = await read(await tableXlsx(table, awkward, NOTES));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Dữ liệu', 'Ghi chú']);
    const sheet = workbook.getWorksheet('Dữ liệu')!;
    expect(headersOf(sheet)).toEqual([
      'Mã',
      'Tên',
      'Số',
      'Tỷ lệ giải quyết đúng hạn',
      'Số ngày',
      'Đạt',
      'Ngày',
    ]);
    const values = (r: number) => (sheet.getRow(r).values as unknown[]).slice(1);
    expect(values(2)).toEqual([`<&"'>`, decomposed, 0, 1 / 3, -2.5e-7, 'không', '2025-01-31']);
    expect(values(2)[1]).toHaveLength(decomposed.length);
    expect(values(3)).toEqual(['  cách  ', 'hai\ndòng\r\nba', 9007199254740991, 0, 1e21, 'có']);
    // A formula-like text stays text; a non-finite number is an empty cell (null in the JSON).
    expect(sheet.getRow(4).getCell(4).value).toBeNull();
    expect(values(4)).toEqual(['abcde', '=1+2']);
    expect(sheet.getRow(4).getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect(values(5)[0]).toBe('😀 ngoài BMP');
    expect(sheet.getRow(5).getCell(2).value).toBeNull(); // empty text: an empty cell
    expect(values(5)[2]).toBe(-5);
    expect(sheet.getRow(2).getCell(4).numFmt).toBe('0.00%');
    expect(sheet.getRow(2).getCell(5).numFmt).toBeUndefined();
    const notes = workbook.getWorksheet('Ghi chú')!;
    expect(notes.getSheetValues().flat()).toContain('Bảng <thử> & "kiểm" (t)');
  });

  test('text that looks like an escape (_xHHHH_) is written so that a spreadsheet shows it as it is', async () => {
    // Excel and LibreOffice read _xHHHH_ in a cell as the character U+HHHH (ECMA-376
    // ST_Xstring); exceljs does not, so the sheet's XML is read and decoded as they do.
    const table: PublishedTable = {
      name: 't',
      title_vi: 'Thử',
      title_en: 'Test',
      primaryKey: ['code'],
      columns: [{ name: 'code', type: 'string', vi: 'Mã', en: 'Code' }],
    };
    const texts = ['Mã _x0041_ và _x00e9_', '__x0041__', '_x_ và _x12_ và x0041_', ' _x000D_ '];
    const bytes = await tableXlsx(
      table,
      texts.map((code) => ({ code })),
      NOTES,
    );
    const xml = Buffer.from(unzipSync(bytes)['xl/worksheets/sheet1.xml']!).toString();
    const cells = [...xml.matchAll(/<t(?: xml:space="preserve")?>([^<]*)<\/t>/g)].map((m) => m[1]!).slice(1);
    const asSpreadsheetsRead = (text: string) =>
      text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    expect(cells.map(asSpreadsheetsRead)).toEqual(texts);
    expect(cells[0]).toBe('Mã _x005F_x0041_ và _x005F_x00e9_');
  });

  test('a period type past the row limit continues on numbered sheets; empty and plain tables', async () => {
    const many: Row[] = [
      ...['2025-01', '2025-02', '2025-03'].map((period, i) => ({
        period_type: 'month',
        period,
        received_total: i,
      })),
      { period_type: 'year', period: '2025', received_total: 9 },
    ];
    const split = await read(await tableXlsx(PROVINCE_KPIS, many, NOTES, { maxSheetRows: 2 }));
    expect(split.worksheets.map((s) => s.name)).toEqual([
      'Theo tháng',
      'Theo tháng (2)',
      'Theo năm',
      'Ghi chú',
    ]);
    const period = (name: string) =>
      split
        .getWorksheet(name)!
        .getSheetValues()
        .slice(2)
        .map((values) => (values as unknown[])[2]);
    expect(period('Theo tháng')).toEqual(['2025-01', '2025-02']);
    expect(period('Theo tháng (2)')).toEqual(['2025-03']);
    expect(split.getWorksheet('Theo tháng (2)')!.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

    const empty = await read(await tableXlsx(PROVINCE_KPIS, [], NOTES));
    expect(empty.worksheets.map((s) => s.name)).toEqual(['Dữ liệu', 'Ghi chú']);
    expect(headersOf(empty.getWorksheet('Dữ liệu')!)).toContain('Tỷ lệ giải quyết đúng hạn');
    const units = await read(await tableXlsx(UNITS, [{ unit_code: 'U1', unit_name: 'Sở Tư pháp' }], NOTES));
    expect(units.worksheets.map((s) => s.name)).toEqual(['Dữ liệu', 'Ghi chú']);
    expect(units.getWorksheet('Dữ liệu')!.getRow(2).getCell(2).value).toBe('Sở Tư pháp');
  });

  test('the same table gives the same bytes, nothing of the moment inside', async () => {
    const a = await tableXlsx(PROVINCE_KPIS, rows, NOTES);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const b = await tableXlsx(PROVINCE_KPIS, rows, NOTES);
    expect(b.equals(a)).toBe(true);
    const core = Buffer.from(unzipSync(a)['docProps/core.xml']!).toString();
    expect(core).toContain('<dc:creator>congkhai</dc:creator>');
    expect(core).not.toMatch(/\d{4}-\d\d-\d\dT/);
  });

  test('a large table (many deflate chunks) reads back whole', async () => {
    const big: Row[] = Array.from({ length: 30_000 }, (_, i) => ({
      period_type: 'month',
      period: `p${i}`,
      is_complete: i % 2 === 0,
      received_total: i,
      on_time_rate: i / 30_000,
    }));
    const workbook = await read(await tableXlsx(PROVINCE_KPIS, big, NOTES));
    const sheet = workbook.getWorksheet('Theo tháng')!;
    expect(sheet.rowCount).toBe(30_001);
    const headers = headersOf(sheet);
    const last = sheet.getRow(30_001);
    expect(last.getCell(headers.indexOf('Kỳ') + 1).value).toBe('p29999');
    expect(last.getCell(headers.indexOf('Tỷ lệ giải quyết đúng hạn') + 1).value).toBe(29_999 / 30_000);
  });
});

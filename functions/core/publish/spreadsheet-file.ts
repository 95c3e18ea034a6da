// The spreadsheet edition of a published table (`<table>.xlsx`, xlsx-workbook.ts): what a
// journalist opens in a Vietnamese-locale spreadsheet without any import step. Vietnamese
// headers, rates shown as percentages (the cell keeps the exact 0–1 number), one sheet per
// period type (months, quarters, half-years and years never mixed), and a sheet of notes:
// what each column means, which counts are stocks that must not be added up across periods,
// the as-of time, the licence and the citation. Each sheet's bold header row stays in view
// (frozen) and its columns are sized to their headers; integers show as #,##0 and yes/no as
// có/không; a period type past MAX_SHEET_ROWS continues on a numbered sheet. The CSV stays
// the machine edition.
import { writeFile } from 'node:fs/promises';
import type { Row } from '../engine.ts';
import { COUNTS, RATES } from '../kpi-catalog.ts';
import type { PublishedColumn, PublishedTable } from '../published-tables.ts';
import { type XlsxCell, type XlsxSheet, type XlsxStyle, xlsxBytes } from './xlsx-workbook.ts';

const PERIOD_SHEETS: ReadonlyArray<readonly [string, string]> = [
  ['month', 'Theo tháng'],
  ['quarter', 'Theo quý'],
  ['half', 'Theo 6 tháng'],
  ['year', 'Theo năm'],
];

/** A short Vietnamese header: the catalog's label where it has one, else the description's head. */
export function vietnameseHeader(column: PublishedColumn): string {
  const rate = RATES.find((r) => r.name === column.name);
  if (rate) return rate.label_vi;
  const count = COUNTS.find((c) => c.name === column.name);
  if (count) return count.label_vi;
  return column.vi.split(/ \(|: | = /)[0]!.trim();
}

export interface SpreadsheetNotes {
  /** 'YYYY-MM-DD HH:MM:SS', Vietnam time. */
  asOf: string;
  licence: string;
  citation: string;
}

const isRate = (column: PublishedColumn) =>
  column.type === 'number' &&
  (RATES.some((r) => r.name === column.name) || /_ci_(low|high)$|^expected_on_time_rate$/.test(column.name));

function cellValue(column: PublishedColumn, value: Row[string] | undefined): XlsxCell {
  if (value === null || value === undefined) return null;
  if (column.type === 'integer' || column.type === 'number')
    return typeof value === 'number' ? value : Number(value);
  if (column.type === 'boolean') return value === true || value === 'true' ? 'có' : 'không';
  return String(value);
}

const styleOf = (column: PublishedColumn): XlsxStyle =>
  isRate(column) ? 'rate' : column.type === 'integer' ? 'integer' : 'plain';

/** Spreadsheets hold at most 1,048,576 rows a sheet: a longer period type continues on a next sheet. */
const MAX_SHEET_ROWS = 1_000_000;

function dataSheet(name: string, table: PublishedTable, rows: readonly Row[]): XlsxSheet {
  const columns = table.columns.map((column) => {
    const header = vietnameseHeader(column);
    return { header, width: Math.min(40, Math.max(10, header.length + 2)), style: styleOf(column) };
  });
  return {
    name,
    columns,
    freezeHeader: true,
    rows: (function* () {
      for (const row of rows) yield table.columns.map((column) => cellValue(column, row[column.name]));
    })(),
  };
}

function notesSheet(table: PublishedTable, notes: SpreadsheetNotes): XlsxSheet {
  const stocks = new Set(COUNTS.filter((c) => c.kind === 'stock').map((c) => c.name));
  const rows: XlsxCell[][] = table.columns.map((column) => {
    const stock = stocks.has(column.name)
      ? ' — Số tồn tại một thời điểm: KHÔNG cộng dồn giữa các kỳ (quý ≠ tổng ba tháng).'
      : '';
    return [vietnameseHeader(column), column.name, `${column.vi}${stock}`];
  });
  rows.push([]);
  for (const [label, text] of [
    ['Bảng', `${table.title_vi} (${table.name})`],
    ['Thời điểm số liệu', `${notes.asOf} (giờ Việt Nam)`],
    ['Tỷ lệ', 'Ô tỷ lệ hiển thị dạng phần trăm; giá trị lưu là số 0–1 để tính lại chính xác.'],
    [
      'Cộng dồn',
      'Số tiếp nhận, kỳ trước chuyển qua, đang giải quyết và quá hạn là số tồn: không cộng các tháng để ra quý hay năm; dùng trang tính theo quý, năm.',
    ],
    ['Giấy phép', notes.licence],
    ['Trích dẫn', notes.citation],
  ] as const) {
    rows.push([label, null, text]);
  }
  return {
    name: 'Ghi chú',
    columns: [
      { header: 'Cột', width: 32, style: 'plain' },
      { header: 'Tên cột trong dữ liệu (CSV)', width: 30, style: 'plain' },
      { header: 'Ý nghĩa', width: 90, style: 'plain' },
    ],
    freezeHeader: false,
    rows,
  };
}

/** The workbook's sheets: the data by period type (split past `maxRows`), then the notes. */
function tableSheets(
  table: PublishedTable,
  rows: readonly Row[],
  notes: SpreadsheetNotes,
  maxRows: number,
): XlsxSheet[] {
  const sheets: XlsxSheet[] = [];
  const byPeriod = table.columns.some((c) => c.name === 'period_type');
  if (byPeriod) {
    for (const [type, name] of PERIOD_SHEETS) {
      const part = rows.filter((r) => r['period_type'] === type);
      for (let start = 0; start < part.length; start += maxRows) {
        const suffix = start === 0 ? '' : ` (${start / maxRows + 1})`;
        sheets.push(dataSheet(`${name}${suffix}`, table, part.slice(start, start + maxRows)));
      }
    }
    if (rows.length === 0) sheets.push(dataSheet('Dữ liệu', table, rows));
  } else {
    sheets.push(dataSheet('Dữ liệu', table, rows));
  }
  sheets.push(notesSheet(table, notes));
  return sheets;
}

/** The workbook's bytes (`maxSheetRows`: tests make it small to see a period type split). */
export async function tableXlsx(
  table: PublishedTable,
  rows: readonly Row[],
  notes: SpreadsheetNotes,
  { maxSheetRows = MAX_SHEET_ROWS }: { maxSheetRows?: number } = {},
): Promise<Buffer> {
  return xlsxBytes(tableSheets(table, rows, notes, maxSheetRows), 'congkhai');
}

/** Writes the workbook to `path`. */
export async function writeTableXlsx(
  path: string,
  table: PublishedTable,
  rows: readonly Row[],
  notes: SpreadsheetNotes,
): Promise<void> {
  await writeFile(path, await tableXlsx(table, rows, notes));
}

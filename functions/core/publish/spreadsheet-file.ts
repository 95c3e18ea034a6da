// The spreadsheet edition of a published table (`<table>.xlsx`, written with exceljs): what a
// journalist opens in a Vietnamese-locale spreadsheet without any import step. Vietnamese
// headers, rates shown as percentages (the cell keeps the exact 0–1 number), one sheet per
// period type (months, quarters, half-years and years never mixed), and a sheet of notes:
// what each column means, which counts are stocks that must not be added up across periods,
// the as-of time, the licence and the citation. The CSV stays the machine edition.
import ExcelJS from 'exceljs';
import type { Row } from '../engine.ts';
import { COUNTS, RATES } from '../kpi-catalog.ts';
import type { PublishedColumn, PublishedTable } from '../published-tables.ts';

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

function cellValue(column: PublishedColumn, value: Row[string] | undefined): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (column.type === 'integer' || column.type === 'number')
    return typeof value === 'number' ? value : Number(value);
  if (column.type === 'boolean') return value === true || value === 'true' ? 'có' : 'không';
  return String(value);
}

type AnyWorkbook = ExcelJS.Workbook | ExcelJS.stream.xlsx.WorkbookWriter;

const RATE_STYLE: Partial<ExcelJS.Style> = { numFmt: '0.00%' };
const INTEGER_STYLE: Partial<ExcelJS.Style> = { numFmt: '#,##0' };
const PLAIN_STYLE: Partial<ExcelJS.Style> = {};
const styleOf = (column: PublishedColumn) =>
  isRate(column) ? RATE_STYLE : column.type === 'integer' ? INTEGER_STYLE : PLAIN_STYLE;

/** Spreadsheets hold at most 1,048,576 rows a sheet: a longer period type continues on a next sheet. */
const MAX_SHEET_ROWS = 1_000_000;

function addDataSheet(
  workbook: AnyWorkbook,
  name: string,
  table: PublishedTable,
  rows: readonly Row[],
): void {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  const styles = table.columns.map(styleOf);
  sheet.columns = table.columns.map((column, i) => ({
    header: vietnameseHeader(column),
    key: column.name,
    width: Math.min(40, Math.max(10, vietnameseHeader(column).length + 2)),
    style: styles[i]!,
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) {
    const added = sheet.addRow(table.columns.map((column) => cellValue(column, row[column.name])));
    // The column's own style object on every cell: exceljs registers a style once per object,
    // while the copy it gives each new cell would be registered again for every cell.
    added.eachCell((cell, column) => {
      cell.style = styles[column - 1]!;
    });
    // Streaming writer: hand each row to the zip at once (memory stays flat for big tables).
    if (
      'commit' in added &&
      typeof added.commit === 'function' &&
      workbook instanceof ExcelJS.stream.xlsx.WorkbookWriter
    )
      added.commit();
  }
  if ('commit' in sheet && typeof sheet.commit === 'function') sheet.commit();
}

function addNotesSheet(workbook: AnyWorkbook, table: PublishedTable, notes: SpreadsheetNotes): void {
  const sheet = workbook.addWorksheet('Ghi chú');
  sheet.columns = [
    { header: 'Cột', key: 'column', width: 32 },
    { header: 'Tên cột trong dữ liệu (CSV)', key: 'name', width: 30 },
    { header: 'Ý nghĩa', key: 'meaning', width: 90 },
  ];
  sheet.getRow(1).font = { bold: true };
  const stocks = new Set(COUNTS.filter((c) => c.kind === 'stock').map((c) => c.name));
  for (const column of table.columns) {
    const stock = stocks.has(column.name)
      ? ' — Số tồn tại một thời điểm: KHÔNG cộng dồn giữa các kỳ (quý ≠ tổng ba tháng).'
      : '';
    sheet.addRow({ column: vietnameseHeader(column), name: column.name, meaning: `${column.vi}${stock}` });
  }
  sheet.addRow({});
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
    sheet.addRow({ column: label, meaning: text });
  }
  if ('commit' in sheet && typeof sheet.commit === 'function') sheet.commit();
}

function fillWorkbook(
  workbook: AnyWorkbook,
  table: PublishedTable,
  rows: readonly Row[],
  notes: SpreadsheetNotes,
): void {
  workbook.creator = 'congkhai';
  const byPeriod = table.columns.some((c) => c.name === 'period_type');
  if (byPeriod) {
    for (const [type, name] of PERIOD_SHEETS) {
      const part = rows.filter((r) => r['period_type'] === type);
      for (let start = 0; start < part.length; start += MAX_SHEET_ROWS) {
        const suffix = start === 0 ? '' : ` (${start / MAX_SHEET_ROWS + 1})`;
        addDataSheet(workbook, `${name}${suffix}`, table, part.slice(start, start + MAX_SHEET_ROWS));
      }
    }
    if (rows.length === 0) addDataSheet(workbook, 'Dữ liệu', table, rows);
  } else {
    addDataSheet(workbook, 'Dữ liệu', table, rows);
  }
  addNotesSheet(workbook, table, notes);
}

/** Streams the workbook to `path` (flat memory, for the published tables of any size). */
export async function writeTableXlsx(
  path: string,
  table: PublishedTable,
  rows: readonly Row[],
  notes: SpreadsheetNotes,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useStyles: true,
    useSharedStrings: false,
  });
  fillWorkbook(workbook, table, rows, notes);
  await workbook.commit();
}

/** The workbook's bytes (in memory: for small tables and tests). */
export async function tableXlsx(
  table: PublishedTable,
  rows: readonly Row[],
  notes: SpreadsheetNotes,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  fillWorkbook(workbook, table, rows, notes);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

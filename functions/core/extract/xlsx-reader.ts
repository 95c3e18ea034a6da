// XLSX exports of report screens: the first sheet, streamed with exceljs's WorkbookReader
// (rows as they are unzipped, never the whole workbook). The header row is found by its
// names, below any title rows ("BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ…"); only contract columns
// are read from the rows below it. A date cell becomes Vietnam wall time text.
import ExcelJS from 'exceljs';
import { DOSSIER_COLUMNS } from '../dossier-contract.ts';
import { layoutOf, missingRequiredColumns } from './csv-head.ts';
import type { Profile } from './profile.ts';
import type { RawRecord } from './raw-record.ts';
import { UnreadableInputError } from './unreadable-input.ts';
import { headerMatcher } from './vocabulary.ts';

const HEADER_SEARCH_ROWS = 30;
const BATCH = 1000;
const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * `_xHHHH_` in a cell's text is the character U+HHHH (ECMA-376 ST_Xstring: how Excel writes a
 * carriage return, `_x000D_`, and a literal `_x…_`, `_x005F_x…_`); exceljs leaves it as it is.
 */
const ESCAPED_CHARACTER = /_x([0-9A-Fa-f]{4})_/g;
const unescapeText = (text: string) =>
  text.includes('_x')
    ? text.replace(ESCAPED_CHARACTER, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    : text;

/** A cell's value as the text a CSV export would hold. */
function cellText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) {
    // exceljs reads a date serial as that wall time in UTC.
    return `${value.getUTCFullYear()}-${pad2(value.getUTCMonth() + 1)}-${pad2(value.getUTCDate())} ${pad2(
      value.getUTCHours(),
    )}:${pad2(value.getUTCMinutes())}:${pad2(value.getUTCSeconds())}`;
  }
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown };
    if (v.richText) return unescapeText(v.richText.map((r) => r.text).join(''));
    if (v.result !== undefined) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
    return undefined;
  }
  return typeof value === 'string' ? unescapeText(value) : String(value);
}

export async function* readXlsx(
  path: string,
  options: { hasRegistry: boolean; profile: Profile | undefined },
): AsyncGenerator<RawRecord[]> {
  const match = headerMatcher(options.profile?.headers);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
    entries: 'emit',
  });
  let positions: number[] | undefined;
  let portal = false;
  let searched = 0;
  let batch: RawRecord[] = [];
  try {
    for await (const worksheet of reader) {
      for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as unknown[];
        if (!positions) {
          if (++searched > HEADER_SEARCH_ROWS) break;
          const header = values.map((v) => cellText(v) ?? '');
          const layout = layoutOf(header, match);
          if (layout.matched >= 3) {
            const missing = missingRequiredColumns(layout.positions, options.hasRegistry);
            if (missing.length > 0) {
              throw new UnreadableInputError(`the header lacks required column(s): ${missing.join(', ')}`);
            }
            positions = layout.positions;
            portal = layout.portal;
          }
          continue;
        }
        const cells = DOSSIER_COLUMNS.map((_, i) =>
          positions![i]! >= 0 ? cellText(values[positions![i]!]) : undefined,
        );
        if (cells.every((c) => c === undefined || c.trim() === '')) continue;
        batch.push({ line: row.number, cells, dvcqg: portal });
        if (batch.length >= BATCH) {
          yield batch;
          batch = [];
        }
      }
      break; // the first sheet only
    }
  } catch (error) {
    if (error instanceof UnreadableInputError) throw error;
    throw new UnreadableInputError(`not a readable XLSX workbook (${(error as Error).message})`);
  }
  if (!positions)
    throw new UnreadableInputError('no header row naming the contract columns in the first sheet');
  if (batch.length > 0) yield batch;
}

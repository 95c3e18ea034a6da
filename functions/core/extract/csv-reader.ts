// CSV extracts: the header names the columns (canonical or DVCQG names, any case); only
// contract columns are kept. Yields records in batches, one batch per decoded chunk.
import { DOSSIER_COLUMNS } from '../dossier-contract.ts';
import { type CsvRow, CsvRowSplitter } from './csv-rows.ts';
import { COLUMN_COUNT, contractColumnOf, type RawRecord } from './raw-record.ts';
import { UnreadableInputError } from './unreadable-input.ts';

export interface CsvLayout {
  delimiter: string;
  /** Source column position per contract column (-1 = absent). */
  positions: number[];
  /** Contract columns that came under a DVCQG name. */
  dvcqg: boolean;
  width: number;
  /** The first header cell, lower-cased: a row starting with it is the header again. */
  firstHeaderName: string;
}

const DELIMITERS = [',', ';', '\t', '|'];

function chooseDelimiter(headerLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const count = headerLine.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** Columns the header must have; unit columns may come from the units registry instead. */
export function missingRequiredColumns(positions: number[], hasRegistry: boolean): string[] {
  return DOSSIER_COLUMNS.filter(
    (c, i) =>
      c.required &&
      positions[i] === -1 &&
      !(hasRegistry && (c.name === 'unit_code' || c.name === 'unit_level')),
  ).map((c) => c.name);
}

export function layoutFromHeader(header: (string | undefined)[], delimiter: string): CsvLayout {
  const positions = new Array<number>(COLUMN_COUNT).fill(-1);
  const priorities = new Array<number>(COLUMN_COUNT).fill(Number.POSITIVE_INFINITY);
  let dvcqg = false;
  header.forEach((raw, position) => {
    const name = (raw ?? '').replace(/^\uFEFF/, '');
    const column = contractColumnOf(name);
    if (!column) return;
    if (column.priority < priorities[column.index]!) {
      positions[column.index] = position;
      priorities[column.index] = column.priority;
      if (column.dvcqg) dvcqg = true;
    }
  });
  const firstHeaderName = (header[0] ?? '')
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();
  return { delimiter, positions, dvcqg, width: header.length, firstHeaderName };
}

export async function* readCsv(
  text: AsyncIterable<string>,
  options: { hasRegistry: boolean },
): AsyncGenerator<RawRecord[]> {
  let splitter: CsvRowSplitter | null = null;
  let layout: CsvLayout | null = null;
  let delimiter = ',';
  let pending = '';
  let batch: RawRecord[] = [];

  const handleRow = (row: CsvRow) => {
    if (layout) {
      batch.push(toRawRecord(row, layout));
      return;
    }
    // Blank (whitespace-only) lines before the header are skipped.
    if (row.fields.every((f) => f === undefined || f.trim() === '')) return;
    layout = layoutFromHeader(row.fields, delimiter);
    checkHeader(layout, options.hasRegistry);
    splitter!.keep = keepMask(layout);
  };
  const start = (initial: string, final: boolean) => {
    const firstBreak = initial.search(/\r?\n/);
    delimiter = chooseDelimiter(firstBreak === -1 ? initial : initial.slice(0, firstBreak));
    splitter = new CsvRowSplitter(delimiter);
    splitter.push(initial, final, handleRow);
  };

  for await (const chunk of text) {
    if (splitter) {
      (splitter as CsvRowSplitter).push(chunk, false, handleRow);
    } else {
      pending += chunk;
      // Wait for the whole header line before choosing the delimiter.
      if (!pending.includes('\n')) continue;
      start(pending, false);
      pending = '';
    }
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  if (splitter) (splitter as CsvRowSplitter).push('', true, handleRow);
  else if (pending.trim() !== '') start(pending, true);
  if (!layout) throw new UnreadableInputError('the file is empty (no header row)');
  if (batch.length > 0) yield batch;
}

function checkHeader(layout: CsvLayout, hasRegistry: boolean): void {
  const missing = missingRequiredColumns(layout.positions, hasRegistry);
  if (missing.length > 0) {
    throw new UnreadableInputError(`the header lacks required column(s): ${missing.join(', ')}`);
  }
}

function keepMask(layout: CsvLayout): boolean[] {
  const keep = new Array<boolean>(layout.width).fill(false);
  for (const p of layout.positions) if (p >= 0) keep[p] = true;
  // The first column is kept too, to spot a header repeated inside the file.
  keep[0] = true;
  return keep;
}

function toRawRecord(row: CsvRow, layout: CsvLayout): RawRecord {
  const cells = new Array<string | undefined>(COLUMN_COUNT);
  const positions = layout.positions;
  for (let i = 0; i < COLUMN_COUNT; i++) {
    const p = positions[i]!;
    if (p >= 0) cells[i] = row.fields[p];
  }
  const record: RawRecord = { line: row.line, cells, dvcqg: layout.dvcqg };
  if (row.count !== layout.width) {
    record.cells = new Array(COLUMN_COUNT);
    record.problem = {
      code: 'ragged_row',
      field: '',
      reason: `row has ${row.count} fields, the header has ${layout.width}`,
    };
  } else if (row.malformed) {
    record.cells = new Array(COLUMN_COUNT);
    record.problem = { code: 'csv_syntax', field: '', reason: row.malformed };
  } else if (isRepeatedHeader(row, layout)) {
    record.cells = new Array(COLUMN_COUNT);
    record.problem = {
      code: 'repeated_header',
      field: '',
      reason: 'the header row appears again inside the file',
    };
  }
  return record;
}

function isRepeatedHeader(row: CsvRow, layout: CsvLayout): boolean {
  const first = row.fields[0];
  if (first === undefined || first.length > layout.firstHeaderName.length + 4) return false;
  const firstName = first
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();
  return firstName !== '' && firstName === layout.firstHeaderName;
}

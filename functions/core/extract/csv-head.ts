// The head of a CSV extract: where its header row is (found by its names, so title rows
// above it are skipped), the delimiter (`,` `;` tab `|`, whichever splits the header into
// the most contract columns), the line ending (LF, CRLF or CR alone) and which source
// column holds which contract column. Only this head is read here; DuckDB reads the rest.
import { parse } from 'csv-parse/sync';
import { DOSSIER_COLUMNS } from '../dossier-contract.ts';
import { UnreadableInputError } from './unreadable-input.ts';
import { type HeaderMatch, headerMatcher } from './vocabulary.ts';

const DELIMITERS = [',', ';', '\t', '|'] as const;
/** Non-blank lines searched for the header (title rows of report screens come first). */
const HEADER_SEARCH_LINES = 30;

export interface CsvHead {
  delimiter: string;
  newline: '\n' | '\r\n' | '\r';
  /** 1-based physical line of the header row. */
  headerLine: number;
  /** Header cells as written. */
  header: string[];
  /** Source column position per contract column (-1 = absent). */
  positions: number[];
  /** Some contract column came under a portal (DVCQG or Vietnamese) name. */
  portal: boolean;
}

/** Columns the header must have; unit columns may come from the units registry instead. */
export function missingRequiredColumns(positions: readonly number[], hasRegistry: boolean): string[] {
  return DOSSIER_COLUMNS.filter(
    (c, i) =>
      c.required &&
      positions[i] === -1 &&
      !(hasRegistry && (c.name === 'unit_code' || c.name === 'unit_level')),
  ).map((c) => c.name);
}

/** Contract column positions of a header row (the best-ranked name wins a column). */
export function layoutOf(
  header: readonly string[],
  match: (name: string) => HeaderMatch | undefined,
): { positions: number[]; portal: boolean; matched: number } {
  const positions = new Array<number>(DOSSIER_COLUMNS.length).fill(-1);
  const priorities = new Array<number>(DOSSIER_COLUMNS.length).fill(Number.POSITIVE_INFINITY);
  let portal = false;
  header.forEach((name, position) => {
    const column = match(name);
    if (!column || column.priority >= priorities[column.index]!) return;
    positions[column.index] = position;
    priorities[column.index] = column.priority;
    if (column.portal) portal = true;
  });
  return { positions, portal, matched: positions.filter((p) => p >= 0).length };
}

function splitLine(line: string, delimiter: string): string[] {
  try {
    const rows = parse(line, { delimiter, relax_quotes: true, relax_column_count: true }) as string[][];
    return rows[0] ?? [];
  } catch {
    return line.split(delimiter);
  }
}

function newlineOf(text: string): CsvHead['newline'] {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (cr === -1 || (lf !== -1 && lf < cr)) return '\n';
  return text[cr + 1] === '\n' ? '\r\n' : '\r';
}

/**
 * Reads the header from the first part of the decoded text (at most `head`, which holds
 * whole lines). `delimiter` and `profileHeaders` come from a profile when one is given.
 */
export function readCsvHead(
  head: string,
  options: { hasRegistry: boolean; delimiter?: string; profileHeaders?: Record<string, string> },
): CsvHead {
  const text = head.replace(/^\uFEFF/, '');
  const newline = newlineOf(text);
  const lines = text.split(newline === '\r' ? '\r' : /\r?\n/);
  const match = headerMatcher(options.profileHeaders);
  const delimiters = options.delimiter ? [options.delimiter] : DELIMITERS;
  let best: (CsvHead & { matched: number }) | undefined;
  let firstNonBlank: { line: number; text: string } | undefined;
  let searched = 0;
  for (let i = 0; i < lines.length && searched < HEADER_SEARCH_LINES; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    searched++;
    firstNonBlank ??= { line: i + 1, text: line };
    for (const delimiter of delimiters) {
      const header = splitLine(line, delimiter);
      const layout = layoutOf(header, match);
      if (layout.matched > (best?.matched ?? 0)) {
        best = { delimiter, newline, headerLine: i + 1, header, ...layout };
      }
    }
    // The header is the first row naming several contract columns.
    if (best && best.matched >= 3) break;
  }
  if (!firstNonBlank) throw new UnreadableInputError('the file is empty (no header row)');
  const chosen =
    best ??
    (() => {
      const delimiter = delimiters[0]!;
      const header = splitLine(firstNonBlank.text, delimiter);
      return { delimiter, newline, headerLine: firstNonBlank.line, header, ...layoutOf(header, match) };
    })();
  const missing = missingRequiredColumns(chosen.positions, options.hasRegistry);
  if (missing.length > 0) {
    throw new UnreadableInputError(`the header lacks required column(s): ${missing.join(', ')}`);
  }
  const { matched: _, ...result } = chosen;
  return result;
}

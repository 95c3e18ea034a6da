// The validator (queries/staging/validate_dossiers.sql) is written in parts, one layer each,
// and each per-cell rule once, over the contract's column lists and the text-safety patterns.
// This module expands its markers into the one text DuckDB runs (and cloud/athena-sql.ts
// translates for Athena), as kpi/queries.ts does for the figure tables. A marker is not SQL,
// so a text left unexpanded fails on either engine; an unknown marker fails here.
import { DOSSIER_COLUMNS } from '../dossier-contract.ts';
import { UNSAFE_PATTERNS } from '../extract/text-safety.ts';
import { WORD_KINDS } from '../extract/vocabulary.ts';

const columnsOf = (type: string) => DOSSIER_COLUMNS.filter((c) => c.type === type).map((c) => c.name);
const WORD_COLUMNS: readonly string[] = WORD_KINDS.filter((kind) => kind !== 'boolean');
const BOOLEAN_COLUMNS = columnsOf('boolean');

/**
 * The lists an `{{each list}}` block runs over, in the contract's column order (the words in
 * the vocabulary's order of kinds): every column; the cells neither a word nor a boolean,
 * trimmed as they stand; the code-table words; the booleans; the date-times; the names.
 */
export const COLUMN_LISTS: Readonly<Record<string, readonly string[]>> = {
  column: DOSSIER_COLUMNS.map((c) => c.name),
  text_column: DOSSIER_COLUMNS.map((c) => c.name).filter(
    (name) => !WORD_COLUMNS.includes(name) && !BOOLEAN_COLUMNS.includes(name),
  ),
  word_column: WORD_COLUMNS,
  boolean_column: BOOLEAN_COLUMNS,
  date_column: columnsOf('timestamp'),
  name_column: DOSSIER_COLUMNS.map((c) => c.name).filter((name) => name.endsWith('_name')),
};

/** A cell's length limit in characters: a name 1000, any other cell 100. */
const lengthLimit = (column: string) => (column.endsWith('_name') ? 1000 : 100);

function bracketed(pattern: string, start: string, end: string): string {
  if (!pattern.startsWith(start) || !pattern.endsWith(end))
    throw new Error(`text-safety pattern ${pattern} is not ${start}…${end}`);
  return pattern.slice(start.length, pattern.length - end.length);
}

/**
 * The pattern markers: `{{unsafe code}}` a text-safety pattern as it is; for the one scan of
 * a row's cells joined by tabs, `{{unsafe_characters}}` the control class without its
 * brackets and `{{formula_prefix}}` the formula pattern without its anchor.
 */
const PATTERN_MARKERS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    Object.entries(UNSAFE_PATTERNS).map(([code, pattern]) => [`unsafe ${code}`, pattern]),
  ),
  unsafe_characters: bracketed(UNSAFE_PATTERNS.control_character, '[', ']'),
  formula_prefix: bracketed(UNSAFE_PATTERNS.formula_injection, '^', ''),
};

/** `{{include part}}` lines, each replaced by the part's lines (read relative to the entry). */
async function includeParts(sql: string, readPart: (path: string) => Promise<string>): Promise<string> {
  const lines = sql.split(/(?<=\n)/);
  const texts = await Promise.all(
    lines.map((line) => {
      const part = /^\{\{include ([\w./-]+)\}\}\n?$/.exec(line)?.[1];
      if (part === undefined) return line;
      return readPart(part).then((text) => (text.endsWith('\n') ? text : `${text}\n`));
    }),
  );
  return texts.join('');
}

/** One repetition of an `{{each}}` body: `{{only c}}` lines kept for c alone, then the fields. */
function repeatBody(body: string, list: string, column: string, last: boolean): string {
  const kept = body.replace(/^([ \t]*)\{\{only ([a-z_]+)\}\}(.*(?:\n|$))/gm, (_, indent, only, rest) => {
    if (!COLUMN_LISTS[list]?.includes(only)) throw new Error(`{{only ${only}}}: not a column of ${list}`);
    return only === column ? `${indent}${rest}` : '';
  });
  return kept
    .replaceAll('{{column}}', column)
    .replaceAll('{{limit}}', String(lengthLimit(column)))
    .replaceAll('{{,}}', last ? '' : ',');
}

/** `{{each list}}` … `{{end}}` blocks (each marker a line of its own): the body per column. */
function expandEach(sql: string): string {
  return sql.replace(
    /^[ \t]*\{\{each ([a-z_]+)\}\}\n([\s\S]*?)^[ \t]*\{\{end\}\}(?:\n|$)/gm,
    (_, list, body) => {
      const columns = COLUMN_LISTS[list];
      if (!columns) throw new Error(`{{each ${list}}}: no such column list`);
      return columns.map((column, i) => repeatBody(body, list, column, i === columns.length - 1)).join('');
    },
  );
}

function expandPatterns(sql: string): string {
  return sql.replace(/\{\{([a-z_ ]+)\}\}/g, (marker, name: string) => PATTERN_MARKERS[name] ?? marker);
}

/**
 * The validator's text from its entry file: the parts included, the `{{! …}}` lines (notes
 * on the markers) dropped, the blocks and the patterns expanded.
 */
export async function expandValidatorSql(
  entry: string,
  readPart: (path: string) => Promise<string>,
): Promise<string> {
  const included = await includeParts(entry, readPart);
  const sql = expandPatterns(expandEach(included.replace(/^\{\{!.*\}\}\n/gm, '')));
  const left = /\{\{[^\n]*?\}\}/.exec(sql);
  if (left) throw new Error(`validate_dossiers.sql: unknown marker ${left[0]}`);
  return sql;
}

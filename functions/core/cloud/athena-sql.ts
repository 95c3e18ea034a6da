// The validator (queries/staging/validate_dossiers.sql) as Athena (Trino) runs it. The file is
// written for both engines, but a few functions are DuckDB's or behave differently on Trino;
// each is rewritten here, so the file stays the one source and its edits flow to the bulk
// load. A function this module does not know fails the translation (and its test): someone
// must decide whether Trino has it with the same meaning.

/** Functions with the same name and, for the validator's uses, the same meaning in both. */
export const SAME_IN_BOTH: ReadonlySet<string> = new Set([
  'chr',
  'coalesce',
  'concat_ws', // both skip NULL arguments
  'contains', // of an array (ARRAY[…]) and an element
  'count',
  'length',
  'lower',
  'lpad',
  'min',
  'nullif',
  // The runner defines a DuckDB macro of this name over regexp_matches; Trino has it built in.
  'regexp_like',
  'replace',
  'strpos',
  'substr',
  'translate',
  'upper',
]);

type Rewrite = (args: readonly string[], name: string) => string;

const arity = (name: string, args: readonly string[], n: number) => {
  if (args.length !== n)
    throw new UntranslatableSqlError(`${name}() with ${args.length} arguments (expected ${n})`);
};

/** DuckDB functions whose Trino form differs, and how each is written for Trino. */
export const REWRITES: Readonly<Record<string, Rewrite>> = {
  // DuckDB's NFC normalisation; Trino names the form as an argument.
  nfc_normalize: (args, name) => {
    arity(name, args, 1);
    return `normalize(${args[0]}, NFC)`;
  },
  // DuckDB gives '' when the pattern or the group does not match, Trino NULL.
  regexp_extract: (args, name) => {
    arity(name, args, 3);
    const [text, pattern, group] = args;
    return `CASE WHEN (${text}) IS NULL THEN NULL ELSE coalesce(regexp_extract(${text}, ${pattern}, ${group}), '') END`;
  },
  // DuckDB's concat skips NULL arguments; Trino's returns NULL.
  concat: (args) => `concat(${args.map((a) => `coalesce(${a}, '')`).join(', ')})`,
  // DuckDB's trim removes the space separators (Unicode Zs: ' ', no-break space, em space, …)
  // and nothing else; Trino's trim removes all whitespace (tabs, line breaks, …), and
  // trim(BOTH ' ' FROM …) only ' '.
  trim: (args, name) => {
    arity(name, args, 1);
    return `regexp_replace(${args[0]}, '^\\p{Zs}+|\\p{Zs}+$', '')`;
  },
  // DuckDB's length in bytes; Trino measures the UTF-8 bytes of the text.
  strlen: (args, name) => {
    arity(name, args, 1);
    return `length(to_utf8(${args[0]}))`;
  },
  // A map's value for a key, NULL when the key is absent (Trino's map[key] would fail).
  map_extract_value: (args, name) => {
    arity(name, args, 2);
    return `element_at(${args[0]}, ${args[1]})`;
  },
  // DuckDB's greatest ignores NULL arguments; Trino's returns NULL.
  greatest: (args, name) => {
    arity(name, args, 2);
    const [a, b] = args;
    return `CASE WHEN (${a}) IS NULL THEN (${b}) WHEN (${b}) IS NULL THEN (${a}) ELSE greatest(${a}, ${b}) END`;
  },
};

/** SQL words that may stand before '(' without being a function call. */
const KEYWORDS = new Set([
  'all',
  'and',
  'any',
  'as',
  'between',
  'by',
  'case',
  'cast',
  'distinct',
  'else',
  'exists',
  'from',
  'in',
  'is',
  'join',
  'like',
  'not',
  'on',
  'or',
  'over',
  'select',
  'then',
  'try_cast',
  'union',
  'using',
  'values',
  'when',
  'where',
  'with',
]);

export class UntranslatableSqlError extends Error {
  constructor(message: string) {
    super(`validate_dossiers.sql cannot be translated for Athena: ${message}`);
    this.name = 'UntranslatableSqlError';
  }
}

/** Index just past a quoted run starting at `i` (quote doubled inside = escaped). */
function skipQuoted(sql: string, i: number): number {
  const quote = sql[i]!;
  let j = i + 1;
  for (;;) {
    const end = sql.indexOf(quote, j);
    if (end === -1) throw new UntranslatableSqlError(`unclosed ${quote} at offset ${i}`);
    if (sql[end + 1] === quote) j = end + 2;
    else return end + 1;
  }
}

/** Index just past a comment, string or quoted name starting at `i`, or `i` if none does. */
function skipInert(sql: string, i: number): number {
  const c = sql[i];
  if (c === "'" || c === '"') return skipQuoted(sql, i);
  if (c === '-' && sql[i + 1] === '-') {
    const end = sql.indexOf('\n', i);
    return end === -1 ? sql.length : end;
  }
  return i;
}

/** Index of the ')' closing the '(' at `open`. */
function closingParen(sql: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < sql.length) {
    const skipped = skipInert(sql, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    if (sql[i] === '(') depth++;
    else if (sql[i] === ')' && --depth === 0) return i;
    i++;
  }
  throw new UntranslatableSqlError(`unbalanced '(' at offset ${open}`);
}

/** Top-level comma-separated arguments of a call's inner text, trimmed. */
function splitArguments(inner: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = 0;
  let i = 0;
  while (i < inner.length) {
    const skipped = skipInert(inner, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const c = inner[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      args.push(inner.slice(start, i).trim());
      start = i + 1;
    }
    i++;
  }
  args.push(inner.slice(start).trim());
  return args;
}

const lineAt = (sql: string, offset: number) => sql.slice(0, offset).split('\n').length;

function translate(sql: string, whole: string, base: number): string {
  let out = '';
  let i = 0;
  const word = /[A-Za-z_][A-Za-z0-9_]*/y;
  while (i < sql.length) {
    const skipped = skipInert(sql, i);
    if (skipped !== i) {
      out += sql.slice(i, skipped);
      i = skipped;
      continue;
    }
    word.lastIndex = i;
    const match = /[A-Za-z0-9_.]/.test(sql[i - 1] ?? ' ') ? null : word.exec(sql);
    if (!match) {
      out += sql[i];
      i++;
      continue;
    }
    const name = match[0];
    let open = i + name.length;
    while (sql[open] === ' ') open++;
    const lower = name.toLowerCase();
    if (sql[open] !== '(' || KEYWORDS.has(lower)) {
      out += name;
      i += name.length;
      continue;
    }
    const close = closingParen(sql, open);
    const inner = translate(sql.slice(open + 1, close), whole, base + open + 1);
    const rewrite = REWRITES[lower];
    if (rewrite) out += rewrite(splitArguments(inner), lower);
    else if (SAME_IN_BOTH.has(lower)) out += `${sql.slice(i, open)}(${inner})`;
    else
      throw new UntranslatableSqlError(
        `${name}() on line ${lineAt(whole, base + i)} is unknown to toAthenaSql ` +
          '(functions/core/cloud/athena-sql.ts): add it to SAME_IN_BOTH if Trino has it with the same meaning, else to REWRITES',
      );
    i = close + 1;
  }
  return out;
}

/** The validator's text with every DuckDB-only function written the Trino way. */
export function toAthenaSql(validatorSql: string): string {
  return translate(validatorSql, validatorSql, 0);
}

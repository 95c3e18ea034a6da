// The one text-safety rule, for every name whatever its source: extract cells (checked in
// queries/staging/validate_dossiers.sql, whose markers take these same patterns from here:
// ingest/validator-template.ts), the units registry and a profile. Refused: control and
// invisible formatting characters (C0 but tab, DEL, C1, line/paragraph separators, bidi
// overrides, a stray BOM), HTML markup, and a spreadsheet formula prefix (= + @), also after
// leading blanks.

/** The patterns in RE2 syntax (DuckDB and Trino read them as they are). */
export const UNSAFE_PATTERNS = {
  control_character: '[\\x00-\\x08\\x0a-\\x1f\\x7f-\\x9f\\x{2028}-\\x{202e}\\x{2066}-\\x{2069}\\x{feff}]',
  html_markup: '<\\s*[a-zA-Z!/?]',
  formula_injection: '^[\\s\\x{a0}]*[=+@]',
} as const;

export type TextProblemCode = keyof typeof UNSAFE_PATTERNS;

const REASONS: Record<TextProblemCode, string> = {
  control_character: 'contains a control or invisible formatting character',
  html_markup: 'contains HTML markup',
  formula_injection: 'starts with = + or @ (spreadsheet formula)',
};

/** RE2's \x{hhhh} is JavaScript's \u{hhhh} (with the u flag). */
const toJs = (re2: string) => new RegExp(re2.replace(/\\x\{([0-9a-f]+)\}/gi, '\\u{$1}'), 'u');
const CHECKS = (Object.keys(UNSAFE_PATTERNS) as TextProblemCode[]).map(
  (code) => [code, toJs(UNSAFE_PATTERNS[code])] as const,
);

export interface TextProblem {
  code: TextProblemCode;
  reason: string;
}

/** Why a text must not reach the lake, the published data or a page; undefined when safe. */
export function unsafeText(text: string): TextProblem | undefined {
  for (const [code, pattern] of CHECKS) if (pattern.test(text)) return { code, reason: REASONS[code] };
  return undefined;
}

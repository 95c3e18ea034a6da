// The one URL segment of a unit, from its code. Injective (two codes never share a page): a
// code's letters, digits, '.' and '-' pass unchanged, so codes such as 000.00.01.H22 and
// BG-H01 read as themselves; every other character, and a leading '.', is written as '_' + its
// code point in hex + '_' ('_' itself included), which no unchanged character can produce:
// 'A/B' → A_2f_B, 'A?B' → A_3f_B, 'A#B' → A_23_B, '.' → _2e_, '..' → _2e_. (never a path
// dot-segment or a hidden file). A code it cannot name — empty, or too long for a file name —
// is refused with the code in the message.

/** Longest segment written: file systems allow 255 bytes per name; keep room for suffixes. */
const MAX_SLUG_LENGTH = 200;

export class UnitSlugError extends Error {
  constructor(code: string, reason: string) {
    super(`Unit code ${JSON.stringify(code.length > 60 ? `${code.slice(0, 60)}…` : code)}: ${reason}`);
    this.name = 'UnitSlugError';
  }
}

const escapeChar = (char: string) => `_${char.codePointAt(0)!.toString(16)}_`;

export function unitSlug(code: string): string {
  if (code.length === 0) throw new UnitSlugError(code, 'empty, cannot name a page for it');
  let slug = '';
  for (const char of code) {
    const plain = /^[A-Za-z0-9-]$/.test(char) || (char === '.' && slug.length > 0);
    slug += plain ? char : escapeChar(char);
  }
  if (slug.length > MAX_SLUG_LENGTH) {
    throw new UnitSlugError(
      code,
      `too long for a page name (${slug.length} > ${MAX_SLUG_LENGTH} characters)`,
    );
  }
  return slug;
}

/** The inverse of unitSlug (tests prove injectivity with it). */
export function unitCodeFromSlug(slug: string): string {
  return slug.replace(/_([0-9a-f]+)_/g, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)));
}

export function unitPath(code: string): string {
  return `/don-vi/${unitSlug(code)}/`;
}

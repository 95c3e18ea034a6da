// Per-cell parsing of extract values: plain functions, because they run millions of times
// per extract (the zod record schema in record-schema.ts checks the finished record).
import {
  type Channel,
  DVCQG_CHANNEL,
  DVCQG_STATUS,
  type OnlineLevel,
  STATUSES,
  type Status,
  type UnitLevel,
} from '../dossier-contract.ts';

export const MIN_TIMESTAMP = '2000-01-01 00:00:00';

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const pad4 = (n: number) => String(n).padStart(4, '0');

/** Vietnam local wall time (UTC+7, no DST) of an instant, as 'YYYY-MM-DD HH:MM:SS'. */
export function vietnamLocal(epochMs: number): string {
  const d = new Date(epochMs + 7 * 3600_000);
  return `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(
    d.getUTCHours(),
  )}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

function daysInMonth(year: number, month: number): number {
  return month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : month === 4 || month === 6 || month === 9 || month === 11
      ? 30
      : 31;
}

const digit = (s: string, i: number) => s.charCodeAt(i) - 48;
const two = (s: string, i: number) => digit(s, i) * 10 + digit(s, i + 1);

/**
 * Has `s` the exact shape 'DDDD-DD-DD DD:DD:DD' (digits and separators only)? Such a cell
 * is already trimmed and free of anything the text-safety checks look for.
 */
export function hasCanonicalDateTimeShape(s: string): boolean {
  // A compiled regex beats a charCodeAt loop on the sliced two-byte strings cells are.
  return s.length === 19 && CANONICAL_SHAPE.test(s);
}
const CANONICAL_SHAPE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/**
 * Is a cell of canonical shape (hasCanonicalDateTimeShape) a real date and time? Plain
 * arithmetic on the digits: no Date, no regex, no new string.
 */
export function isPossibleCanonicalDateTime(s: string): boolean {
  const y = two(s, 0) * 100 + two(s, 2);
  const mo = two(s, 5);
  const d = two(s, 8);
  return (
    mo >= 1 &&
    mo <= 12 &&
    d >= 1 &&
    d <= daysInMonth(y, mo) &&
    two(s, 11) <= 23 &&
    two(s, 14) <= 59 &&
    two(s, 17) <= 59
  );
}

export const IMPOSSIBLE_DATE = 'impossible date or time';

/** Fast path for the common 'YYYY-MM-DD HH:MM:SS' (already Vietnam local time). */
function canonicalDateTime(s: string): DateResult | undefined {
  if (!hasCanonicalDateTimeShape(s)) return undefined;
  if (!isPossibleCanonicalDateTime(s)) return { ok: false, code: 'invalid_date', reason: IMPOSSIBLE_DATE };
  return { ok: true, value: s };
}

export type DateResult = { ok: true; value: string } | { ok: false; code: 'invalid_date'; reason: string };

const ISO_LIKE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2}))?$/;
const DAY_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Parse one of the contract's date-time forms to Vietnam local 'YYYY-MM-DD HH:MM:SS':
 * 'YYYY-MM-DD HH:MM:SS', ISO 8601 with an offset (converted to +07:00), 'yyyyMMddHHmmss',
 * 'dd/MM/yyyy HH:mm:ss', and the date-only variants (midnight).
 */
export function parseDateTime(text: string): DateResult {
  const fast = canonicalDateTime(text);
  if (fast !== undefined) return fast;
  let y: number;
  let mo: number;
  let d: number;
  let h = 0;
  let mi = 0;
  let s = 0;
  let offset: string | undefined;
  const iso = ISO_LIKE.exec(text);
  const compact = iso ? null : COMPACT.exec(text);
  const dayFirst = iso || compact ? null : DAY_FIRST.exec(text);
  const m = iso ?? compact ?? dayFirst;
  if (!m) return { ok: false, code: 'invalid_date', reason: 'not a date-time in a recognised format' };
  if (dayFirst) {
    d = +m[1]!;
    mo = +m[2]!;
    y = +m[3]!;
  } else {
    y = +m[1]!;
    mo = +m[2]!;
    d = +m[3]!;
  }
  h = m[4] ? +m[4] : 0;
  mi = m[5] ? +m[5] : 0;
  s = m[6] ? +m[6] : 0;
  if (iso) offset = iso[7];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) {
    return { ok: false, code: 'invalid_date', reason: IMPOSSIBLE_DATE };
  }
  if (offset === undefined) {
    return { ok: true, value: `${pad4(y)}-${pad2(mo)}-${pad2(d)} ${pad2(h)}:${pad2(mi)}:${pad2(s)}` };
  }
  let offsetMinutes = 0;
  if (offset.toUpperCase() !== 'Z') {
    const sign = offset[0] === '-' ? -1 : 1;
    const digits = offset.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  }
  return { ok: true, value: vietnamLocal(Date.UTC(y, mo - 1, d, h, mi, s) - offsetMinutes * 60_000) };
}

const BOOLEANS: Record<string, boolean> = {
  '1': true,
  '0': false,
  true: true,
  false: false,
  có: true,
  co: true,
  không: false,
  khong: false,
  yes: true,
  no: false,
};

/** 1/0/true/false/có/không; `twoIsTrue` for DVCQG's DuocThanhToanTrucTuyen (1 or 2 = paid online). */
export function parseBoolean(text: string, twoIsTrue: boolean): boolean | undefined {
  const direct = BOOLEANS[text];
  if (direct !== undefined) return direct;
  if (twoIsTrue && text === '2') return true;
  return BOOLEANS[text.toLowerCase()];
}

const STATUS_SET = new Set<string>(STATUSES);

export function parseStatus(text: string): Status | undefined {
  if (STATUS_SET.has(text)) return text as Status;
  const code = DVCQG_STATUS[text.replace(/^0+(?=\d)/, '')];
  if (code) return code;
  const lower = text.toLowerCase();
  return STATUS_SET.has(lower) ? (lower as Status) : undefined;
}

/** Canonical channel names, or DVCQG KenhThucHien codes (1 direct, 2 online, 3 postal). */
export function parseChannel(text: string): Channel | undefined {
  if (text === 'online' || text === 'direct' || text === 'postal') return text;
  if (text !== '' && text in DVCQG_CHANNEL) return DVCQG_CHANNEL[text];
  const lower = text.toLowerCase();
  if (lower === 'online' || lower === 'direct' || lower === 'postal') return lower;
  return undefined;
}

const UNIT_LEVEL_WORDS: Record<string, UnitLevel> = {
  province: 'province',
  district: 'district',
  commune: 'commune',
  tinh: 'province',
  tỉnh: 'province',
  huyen: 'district',
  huyện: 'district',
  xa: 'commune',
  xã: 'commune',
};

/** province/district/commune, also tinh/huyen/xa and 'Cấp tỉnh', 'cấp huyện', 'cấp xã'. */
export function parseUnitLevel(text: string): UnitLevel | undefined {
  if (text === 'province' || text === 'district' || text === 'commune') return text;
  const direct = UNIT_LEVEL_WORDS[text];
  if (direct) return direct;
  const word = text
    .normalize('NFC')
    .toLowerCase()
    .replace(/^(cấp|cap)\s+/, '');
  return UNIT_LEVEL_WORDS[word];
}

const ONLINE_LEVEL_WORDS: Record<string, OnlineLevel> = {
  '2': '2',
  '3': '3',
  '4': '4',
  full: 'full',
  partial: 'partial',
  'toàn trình': 'full',
  'một phần': 'partial',
};

export function parseOnlineLevel(text: string): OnlineLevel | undefined {
  return ONLINE_LEVEL_WORDS[text] ?? ONLINE_LEVEL_WORDS[text.normalize('NFC').toLowerCase()];
}

/**
 * Text that must not reach the lake or a spreadsheet: control and invisible formatting
 * characters (C0 but tab, DEL, C1, a stray BOM, line/paragraph separators, bidi overrides),
 * HTML markup, and formula prefixes (= + @) that spreadsheets execute.
 */
const SUSPICIOUS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069\ufeff<]|^\s*[=+@]/;
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069\ufeff]/;
const MARKUP = /<\s*[a-z!/?]/i;

export type TextProblem = { code: 'control_character' | 'html_markup' | 'formula_injection'; reason: string };

export function unsafeText(raw: string): TextProblem | undefined {
  if (!SUSPICIOUS.test(raw)) return undefined;
  return classifyUnsafe(raw);
}

/**
 * One pass over a cell: is it plain printable ASCII without '<' and without a leading
 * = + @ (the common case, needing no NFC and no further checks)?
 */
export function isPlainAscii(raw: string): boolean {
  return PLAIN_ASCII.test(raw);
}
/** Printable ASCII but '<', not starting with = + @ (regex: faster than a loop on sliced strings). */
const PLAIN_ASCII = /^(?![=+@])[\x20-\x3b\x3d-\x7e]*$/;

function classifyUnsafe(raw: string): TextProblem | undefined {
  if (CONTROL.test(raw))
    return { code: 'control_character', reason: 'contains a control or invisible formatting character' };
  if (MARKUP.test(raw)) return { code: 'html_markup', reason: 'contains HTML markup' };
  if (/^\s*[=+@]/.test(raw))
    return { code: 'formula_injection', reason: 'starts with = + or @ (spreadsheet formula)' };
  return undefined;
}

// The words an extract may use (docs/design.md "Vendor exports"): header names (canonical, DVCQG
// and the portal's Vietnamese), and the status, channel, level, online-level and boolean
// words. All are matched folded: lower case, without diacritics, spacing or punctuation
// ("Đã trả kết quả" = "DA TRA KET QUA" = "datraketqua"). A profile adds to or overrides them.
import {
  CHANNELS,
  DOSSIER_COLUMNS,
  DVCQG_CHANNEL,
  DVCQG_STATUS,
  ONLINE_LEVELS,
  STATUSES,
  UNIT_LEVELS,
} from '../dossier-contract.ts';

/** Letters with diacritics and what they fold to; FOLD_DELETED characters are dropped. */
const FOLDED_LETTERS: Record<string, string> = {
  a: 'àáảãạăằắẳẵặâầấẩẫậ',
  e: 'èéẻẽẹêềếểễệ',
  i: 'ìíỉĩị',
  o: 'òóỏõọôồốổỗộơờớởỡợ',
  u: 'ùúủũụưừứửữự',
  y: 'ỳýỷỹỵ',
  d: 'đ',
};
/** Spacing, punctuation and the combining marks of decomposed (NFD) Vietnamese text. */
const FOLD_DELETED = ' \t\u00a0_-.,;:/\\()[]{}\'"!?*#&+\u0300\u0301\u0302\u0303\u0306\u0309\u0323\u031b';

/**
 * The arguments of SQL translate() that fold a lower-cased cell (same result as fold()
 * for the characters that matter): the staging SQL gets them as settings.
 */
export const FOLD_FROM = Object.values(FOLDED_LETTERS).join('') + FOLD_DELETED;
export const FOLD_TO = Object.entries(FOLDED_LETTERS)
  .map(([to, from]) => to.repeat([...from].length))
  .join('');

/** Lower case, no diacritics, no spacing or punctuation. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replaceAll('đ', 'd')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** Header names per contract column, beyond the canonical name and the DVCQG aliases. */
const VIETNAMESE_HEADERS: Record<string, readonly string[]> = {
  dossier_id: ['Mã hồ sơ', 'Số hồ sơ'],
  procedure_code: ['Mã thủ tục', 'Mã TTHC'],
  procedure_name: ['Tên thủ tục', 'Thủ tục', 'Tên TTHC'],
  field_code: ['Mã lĩnh vực'],
  field_name: ['Lĩnh vực', 'Tên lĩnh vực'],
  unit_code: ['Mã đơn vị'],
  unit_name: ['Đơn vị', 'Đơn vị xử lý', 'Tên đơn vị', 'Cơ quan giải quyết', 'Cơ quan'],
  unit_level: ['Cấp', 'Cấp thực hiện'],
  parent_code: ['Mã đơn vị cấp trên'],
  channel: ['Kênh', 'Kênh thực hiện', 'Hình thức nộp', 'Kênh nộp'],
  online_level: ['Mức độ', 'Mức độ DVC'],
  received_at: ['Ngày tiếp nhận', 'Ngày nhận'],
  due_at: ['Ngày hẹn trả', 'Hạn xử lý', 'Hạn giải quyết'],
  resolved_at: ['Ngày kết thúc xử lý', 'Ngày trả kết quả', 'Ngày hoàn thành'],
  status: ['Trạng thái', 'Tình trạng'],
};

export interface HeaderMatch {
  /** Index in DOSSIER_COLUMNS. */
  index: number;
  /** Lower wins: 0 canonical, then DVCQG aliases in order, then the Vietnamese names. */
  priority: number;
  /** Not the canonical name: a portal name, so an empty channel means direct. */
  portal: boolean;
}

/** Folded header name → contract column; a profile's names come first. */
export function headerMatcher(
  profileHeaders: Readonly<Record<string, string>> = {},
): (name: string) => HeaderMatch | undefined {
  const table = new Map<string, HeaderMatch>();
  const add = (name: string, match: HeaderMatch) => {
    const key = fold(name);
    const known = table.get(key);
    if (!known || match.priority < known.priority) table.set(key, match);
  };
  DOSSIER_COLUMNS.forEach((column, index) => {
    add(column.name, { index, priority: 0, portal: false });
    for (const [i, alias] of column.aliases.entries()) add(alias, { index, priority: 1 + i, portal: true });
    for (const [i, name] of (VIETNAMESE_HEADERS[column.name] ?? []).entries()) {
      add(name, { index, priority: 10 + i, portal: true });
    }
  });
  const columnIndex = new Map(DOSSIER_COLUMNS.map((c, i) => [c.name, i]));
  for (const [name, column] of Object.entries(profileHeaders)) {
    const index = columnIndex.get(column);
    if (index !== undefined) table.set(fold(name), { index, priority: -1, portal: true });
  }
  return (name) => table.get(fold(name.replace(/^\uFEFF/, '')));
}

/** The kinds of words an extract's code-table cells hold. */
export const WORD_KINDS = ['status', 'channel', 'unit_level', 'online_level', 'boolean'] as const;
export type WordKind = (typeof WORD_KINDS)[number];

/** Each canonical value stands for itself. */
const itself = (values: readonly string[]) => Object.fromEntries(values.map((v) => [v, v]));

/** Built-in words per kind: word (any case or accents) → canonical value. */
const BUILT_IN_WORDS: Record<WordKind, Record<string, string>> = {
  status: {
    ...itself(STATUSES),
    // DVCQG TrangThaiHoSo codes and the portal's names for them.
    ...DVCQG_STATUS,
    'Mới đăng ký': 'submitted',
    'Được tiếp nhận': 'processing',
    'Đã tiếp nhận': 'processing',
    'Không được tiếp nhận': 'rejected_at_intake',
    'Đang xử lý': 'processing',
    'Yêu cầu bổ sung giấy tờ': 'supplement_requested',
    'Yêu cầu thực hiện nghĩa vụ tài chính': 'processing',
    'Công dân yêu cầu rút hồ sơ': 'withdrawn',
    'Dừng xử lý': 'stopped',
    'Đã xử lý xong': 'resolved',
    'Đã trả kết quả': 'resolved',
  },
  channel: {
    ...itself(CHANNELS),
    ...Object.fromEntries(Object.entries(DVCQG_CHANNEL).filter(([code]) => code !== '')),
    'Trực tiếp': 'direct',
    'Trực tuyến': 'online',
    'Bưu chính công ích': 'postal',
    'Bưu chính công ích (BCCI)': 'postal',
    'Bưu chính': 'postal',
    BCCI: 'postal',
  },
  unit_level: {
    ...itself(UNIT_LEVELS),
    tỉnh: 'province',
    huyện: 'district',
    xã: 'commune',
    'Cấp tỉnh': 'province',
    'Cấp huyện': 'district',
    'Cấp xã': 'commune',
  },
  online_level: {
    ...itself(ONLINE_LEVELS),
    'toàn trình': 'full',
    'một phần': 'partial',
    'Mức độ 2': '2',
    'Mức độ 3': '3',
    'Mức độ 4': '4',
  },
  boolean: {
    '1': 'true',
    '0': 'false',
    true: 'true',
    false: 'false',
    có: 'true',
    không: 'false',
    yes: 'true',
    no: 'false',
  },
};

export interface VocabularyRow {
  kind: WordKind;
  word: string;
  value: string;
}

/**
 * Keys a word is found under: as written (NFC: the validator looks a cell up so first, which
 * finds the portal's own spelling without any more work), in lower case, and folded; a number
 * without leading zeros.
 */
function wordKeys(word: string): string[] {
  if (/^\d{1,4}$/.test(word.trim())) return [String(Number(word.trim()))];
  const written = word.normalize('NFC').trim();
  return [...new Set([written, written.toLowerCase(), fold(word)])];
}

/** The vocabulary for the staging SQL: built-in words, then the profile's over them. */
export function vocabularyRows(
  profileWords: Partial<Record<WordKind, Readonly<Record<string, string>>>> = {},
): VocabularyRow[] {
  const rows = new Map<string, VocabularyRow>();
  for (const kind of WORD_KINDS) {
    const words = { ...BUILT_IN_WORDS[kind], ...(profileWords[kind] ?? {}) };
    for (const [word, value] of Object.entries(words)) {
      for (const key of wordKeys(word)) rows.set(`${kind}\u0000${key}`, { kind, word: key, value });
    }
  }
  return [...rows.values()];
}

/** What a word of this kind means (for `profile check`), found as the staging SQL finds it. */
export function knownWord(rows: readonly VocabularyRow[], kind: WordKind, word: string): string | undefined {
  const keys = wordKeys(word);
  return rows.find((r) => r.kind === kind && keys.includes(r.word))?.value;
}

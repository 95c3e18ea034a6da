// Formatting for everything a site reader sees, in the page's language. Vietnamese (the named
// exports below): 113.048; 86,87%; 30/11/2023. English (formatsFor('en'), the /en/ pages):
// 113,048; 86.87%; 30 Nov 2023. All through Intl (Node 24 ships full ICU), never hand-made
// separators.
import type { Lang } from './lang.ts';

/** Shown where a figure does not exist (a rate with a zero denominator). */
export const NO_VALUE = '—';

export const vietnameseCollator = new Intl.Collator('vi');

const VN_TIME_ZONE = 'Asia/Ho_Chi_Minh';
const ROMAN_QUARTERS = ['I', 'II', 'III', 'IV'];

/** Parses 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS' (Vietnam local) or ISO with an offset. */
export function parseVietnamTime(text: string): Date {
  const trimmed = text.trim();
  const localMatch = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?$/.exec(trimmed);
  if (localMatch) return new Date(`${localMatch[1]}T${localMatch[2] ?? '00:00:00'}+07:00`);
  const parsed = new Date(trimmed);
  if (Number.isNaN(parsed.getTime())) throw new Error(`Not a date-time: ${text}`);
  return parsed;
}

const toDate = (value: string | Date) => (typeof value === 'string' ? parseVietnamTime(value) : value);

/** The words of each language that the formatters put around the numbers. */
const WORDS = {
  vi: {
    locale: 'vi-VN',
    points: 'điểm %',
    asOf: 'Số liệu tính đến',
    month: (m: number, y: string) => `Tháng ${m}/${y}`,
    monthShort: (m: number, y: string) => `${m}/${y}`,
    quarter: (q: number, y: string) => `Quý ${ROMAN_QUARTERS[q - 1]}/${y}`,
    half: (h: number, y: string) => `6 tháng ${h === 1 ? 'đầu' : 'cuối'} năm ${y}`,
    year: (y: string) => `Năm ${y}`,
    periodTypes: { month: 'Tháng', quarter: 'Quý', half: '6 tháng', year: 'Năm' } as Record<string, string>,
    bytes: 'byte',
    /** Vietnamese keeps the numerals of a period name inside a sentence, only the first letter drops. */
    phrase: (label: string) => label.charAt(0).toLowerCase() + label.slice(1),
  },
  en: {
    locale: 'en-GB',
    points: 'pp',
    asOf: 'Figures as of',
    month: (m: number, y: string) =>
      new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
        new Date(Date.UTC(Number(y), m - 1, 1)),
      ),
    monthShort: (m: number, y: string) =>
      new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
        new Date(Date.UTC(Number(y), m - 1, 1)),
      ),
    quarter: (q: number, y: string) => `Q${q} ${y}`,
    half: (h: number, y: string) => `${h === 1 ? 'First' : 'Second'} half of ${y}`,
    year: (y: string) => `Year ${y}`,
    periodTypes: { month: 'Month', quarter: 'Quarter', half: 'Half-year', year: 'Year' } as Record<
      string,
      string
    >,
    bytes: 'bytes',
    // "Q4 2024", "November 2024" read the same inside a sentence; only "First/Second half", "Year" drop.
    phrase: (label: string) =>
      /^(First|Second|Year)/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label,
  },
} as const;

/** Every formatter of one language; the pages take theirs with formatsFor(lang). */
function makeFormats(lang: Lang) {
  const words = WORDS[lang];
  // English number formatting is en-US's (113,048; 86.87%), dates en-GB's (30 Nov 2023).
  const numberLocale = lang === 'en' ? 'en-US' : 'vi-VN';
  const integerFormat = new Intl.NumberFormat(numberLocale, { maximumFractionDigits: 0 });
  const percentFormat = new Intl.NumberFormat(numberLocale, {
    style: 'percent',
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  const percentShortFormat = new Intl.NumberFormat(numberLocale, {
    style: 'percent',
    maximumFractionDigits: 0,
  });
  const intervalFormat = new Intl.NumberFormat(numberLocale, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const pointFormat = new Intl.NumberFormat(numberLocale, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    signDisplay: 'exceptZero',
  });
  const dateFormat =
    lang === 'en'
      ? new Intl.DateTimeFormat('en-GB', {
          day: 'numeric',
          month: 'short',
          year: 'numeric',
          timeZone: VN_TIME_ZONE,
        })
      : new Intl.DateTimeFormat('vi-VN', {
          day: '2-digit',
          month: '2-digit',
          year: 'numeric',
          timeZone: VN_TIME_ZONE,
        });
  const timeFormat = new Intl.DateTimeFormat(words.locale, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: VN_TIME_ZONE,
  });

  const formatInteger = (value: number | null | undefined): string =>
    value === null || value === undefined ? NO_VALUE : integerFormat.format(value);
  /** A rate in [0, 1] as a percentage with two decimals: 0.86871 → "86,87%" / "86.87%". */
  const formatRate = (value: number | null | undefined): string =>
    value === null || value === undefined ? NO_VALUE : percentFormat.format(value);
  /** A target such as 0.95 → "95%" (targets are round numbers; two decimals only when needed). */
  const formatTarget = (value: number): string =>
    Number.isInteger(Math.round(value * 10000) / 100) ? percentShortFormat.format(value) : formatRate(value);
  /** A plain number with at most `digits` decimals: 12.5 → "12,5" / "12.5" (days; points with 2). */
  const formatDecimal = (value: number | null | undefined, digits = 1): string =>
    value === null || value === undefined
      ? NO_VALUE
      : new Intl.NumberFormat(numberLocale, { maximumFractionDigits: digits }).format(value);
  const pointsFormat = new Intl.NumberFormat(numberLocale, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  /** Points as the national portal writes them: two decimals, whole maxima without ("13,07 / 14"). */
  const formatPoints = (value: number): string =>
    Number.isInteger(value) ? formatDecimal(value, 0) : pointsFormat.format(value);
  /** A 95% interval of a rate in percent with one decimal: (0.912, 0.951) → "91,2–95,1". */
  const formatInterval = (low: number, high: number): string =>
    `${intervalFormat.format(low * 100)}–${intervalFormat.format(high * 100)}`;
  /** A signed change in percentage points: "+1,25 điểm %" / "+1.25 pp". */
  const formatPointChange = (current: number | null, previous: number | null): string =>
    current === null || previous === null
      ? NO_VALUE
      : `${pointFormat.format((current - previous) * 100)} ${words.points}`;
  /** 30/11/2023 / 30 Nov 2023 */
  const formatDate = (value: string | Date): string => dateFormat.format(toDate(value));
  /** 01/01/2025 00:00 / 1 Jan 2025 00:00 */
  const formatDateTime = (value: string | Date): string => {
    const date = toDate(value);
    return `${dateFormat.format(date)} ${timeFormat.format(date)}`;
  };
  /** The line every page carries: "Số liệu tính đến 01/01/2025 00:00". */
  const asOfLine = (asOf: string): string => `${words.asOf} ${formatDateTime(asOf)}`;
  /** Name of a period code: 2021-03 → "Tháng 3/2021" / "March 2021", 2021-Q1 → "Quý I/2021" / "Q1 2021". */
  const periodLabel = (period: string): string => {
    const month = /^(\d{4})-(\d{2})$/.exec(period);
    if (month) return words.month(Number(month[2]), month[1]!);
    const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
    if (quarter) return words.quarter(Number(quarter[2]), quarter[1]!);
    const half = /^(\d{4})-H([12])$/.exec(period);
    if (half) return words.half(Number(half[2]), half[1]!);
    if (/^\d{4}$/.test(period)) return words.year(period);
    return period;
  };
  /** Short form for chart axes and compact lists: 2021-03 → "3/2021" / "Mar 2021". */
  const periodShortLabel = (period: string): string => {
    const month = /^(\d{4})-(\d{2})$/.exec(period);
    return month ? words.monthShort(Number(month[2]), month[1]!) : periodLabel(period);
  };
  const periodTypeLabel = (periodType: string): string => words.periodTypes[periodType] ?? periodType;
  /** File sizes on the open-data page: 1,2 MB; 845 kB. */
  const formatBytes = (bytes: number): string => {
    if (bytes < 1000) return `${integerFormat.format(bytes)} ${words.bytes}`;
    const units = ['kB', 'MB', 'GB'];
    let value = bytes / 1000;
    let unit = 0;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit += 1;
    }
    return `${new Intl.NumberFormat(numberLocale, { maximumFractionDigits: 1 }).format(value)} ${units[unit]}`;
  };
  /** A period [start, end) in words: "01/10/2024 – 31/12/2024" (end is exclusive in the data). */
  const formatPeriodRange = (start: string, end: string): string => {
    const last = new Date(parseVietnamTime(end).getTime() - 86_400_000);
    return `${formatDate(start)} – ${formatDate(last)}`;
  };
  /** The period's name inside a sentence: "quý IV/2024", "tháng 3/2024" / "Q4 2024". */
  const periodPhrase = (period: string): string => words.phrase(periodLabel(period));

  return {
    formatInteger,
    formatRate,
    formatTarget,
    formatDecimal,
    formatPoints,
    formatInterval,
    formatPointChange,
    formatDate,
    formatDateTime,
    asOfLine,
    periodLabel,
    periodShortLabel,
    periodTypeLabel,
    formatBytes,
    formatPeriodRange,
    periodPhrase,
  };
}

export type Formats = ReturnType<typeof makeFormats>;

const FORMATS: Record<Lang, Formats> = { vi: makeFormats('vi'), en: makeFormats('en') };

/** The formatters of a page's language. */
export function formatsFor(lang: Lang): Formats {
  return FORMATS[lang];
}

// The Vietnamese formatters, as the data modules and the Vietnamese pages use them.
export const {
  formatInteger,
  formatRate,
  formatTarget,
  formatDecimal,
  formatInterval,
  formatPointChange,
  formatDate,
  formatDateTime,
  asOfLine,
  periodLabel,
  periodShortLabel,
  periodTypeLabel,
  formatBytes,
  formatPeriodRange,
  periodPhrase,
} = FORMATS.vi;

// Vietnamese formatting for everything a site reader sees: 113.048; 86,87%; 30/11/2023.
// All through Intl 'vi-VN' (Node 24 ships full ICU), never hand-made separators.

const integerFormat = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const percentFormat = new Intl.NumberFormat('vi-VN', {
  style: 'percent',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const percentShortFormat = new Intl.NumberFormat('vi-VN', { style: 'percent', maximumFractionDigits: 0 });
const VN_TIME_ZONE = 'Asia/Ho_Chi_Minh';
const dateFormat = new Intl.DateTimeFormat('vi-VN', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  timeZone: VN_TIME_ZONE,
});
const timeFormat = new Intl.DateTimeFormat('vi-VN', {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: VN_TIME_ZONE,
});

/** Shown where a figure does not exist (a rate with a zero denominator). */
export const NO_VALUE = '—';

export const vietnameseCollator = new Intl.Collator('vi');

export function formatInteger(value: number | null | undefined): string {
  return value === null || value === undefined ? NO_VALUE : integerFormat.format(value);
}

/** A rate in [0, 1] as a percentage with two decimals: 0.86871 → "86,87%". */
export function formatRate(value: number | null | undefined): string {
  return value === null || value === undefined ? NO_VALUE : percentFormat.format(value);
}

/** A target such as 0.95 → "95%" (targets are round numbers; two decimals only when needed). */
export function formatTarget(value: number): string {
  return Number.isInteger(Math.round(value * 10000) / 100)
    ? percentShortFormat.format(value)
    : formatRate(value);
}

const intervalFormat = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A plain number with at most `digits` decimals: 12.5 → "12,5" (days; points with 2). */
export function formatDecimal(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined
    ? NO_VALUE
    : new Intl.NumberFormat('vi-VN', { maximumFractionDigits: digits }).format(value);
}

/** A 95% interval of a rate in percent with one decimal: (0.912, 0.951) → "91,2–95,1". */
export function formatInterval(low: number, high: number): string {
  return `${intervalFormat.format(low * 100)}–${intervalFormat.format(high * 100)}`;
}

/** A signed change in percentage points: +1,25 điểm %. */
export function formatPointChange(current: number | null, previous: number | null): string {
  if (current === null || previous === null) return NO_VALUE;
  const points = (current - previous) * 100;
  const text = new Intl.NumberFormat('vi-VN', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    signDisplay: 'exceptZero',
  }).format(points);
  return `${text} điểm %`;
}

/** Parses 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS' (Vietnam local) or ISO with an offset. */
export function parseVietnamTime(text: string): Date {
  const trimmed = text.trim();
  const localMatch = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?$/.exec(trimmed);
  if (localMatch) return new Date(`${localMatch[1]}T${localMatch[2] ?? '00:00:00'}+07:00`);
  const parsed = new Date(trimmed);
  if (Number.isNaN(parsed.getTime())) throw new Error(`Not a date-time: ${text}`);
  return parsed;
}

/** 30/11/2023 */
export function formatDate(value: string | Date): string {
  return dateFormat.format(typeof value === 'string' ? parseVietnamTime(value) : value);
}

/** 01/01/2025 00:00 */
export function formatDateTime(value: string | Date): string {
  const date = typeof value === 'string' ? parseVietnamTime(value) : value;
  return `${dateFormat.format(date)} ${timeFormat.format(date)}`;
}

/** The line every page carries: "Số liệu tính đến 01/01/2025 00:00". */
export function asOfLine(asOf: string): string {
  return `Số liệu tính đến ${formatDateTime(asOf)}`;
}

const ROMAN_QUARTERS = ['I', 'II', 'III', 'IV'];

/** Vietnamese name of a period code: 2021-03 → "Tháng 3/2021", 2021-Q1 → "Quý I/2021". */
export function periodLabel(period: string): string {
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) return `Tháng ${Number(month[2])}/${month[1]}`;
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
  if (quarter) return `Quý ${ROMAN_QUARTERS[Number(quarter[2]) - 1]}/${quarter[1]}`;
  const half = /^(\d{4})-H([12])$/.exec(period);
  if (half) return `6 tháng ${half[2] === '1' ? 'đầu' : 'cuối'} năm ${half[1]}`;
  if (/^\d{4}$/.test(period)) return `Năm ${period}`;
  return period;
}

/** Short form for chart axes and compact lists: 2021-03 → "3/2021". */
export function periodShortLabel(period: string): string {
  const month = /^(\d{4})-(\d{2})$/.exec(period);
  if (month) return `${Number(month[2])}/${month[1]}`;
  return periodLabel(period);
}

export function periodTypeLabel(periodType: string): string {
  return { month: 'Tháng', quarter: 'Quý', half: '6 tháng', year: 'Năm' }[periodType] ?? periodType;
}

/** File sizes on the open-data page: 1,2 MB; 845 kB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${integerFormat.format(bytes)} byte`;
  const units = ['kB', 'MB', 'GB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format(value)} ${units[unit]}`;
}

/** A period [start, end) in words: "01/10/2024 – 31/12/2024" (end is exclusive in the data). */
export function formatPeriodRange(start: string, end: string): string {
  const last = new Date(parseVietnamTime(end).getTime() - 86_400_000);
  return `${formatDate(start)} – ${formatDate(last)}`;
}

/** The period's name inside a sentence: "quý IV/2024", "tháng 3/2024" (numerals kept). */
export function periodPhrase(period: string): string {
  const label = periodLabel(period);
  return label.charAt(0).toLowerCase() + label.slice(1);
}

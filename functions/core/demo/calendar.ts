// The demo's calendar. Times are "local milliseconds": Vietnam wall-clock time encoded as if
// it were UTC (Date.UTC of the local fields), so day arithmetic needs no time-zone library
// and `new Date(ms).toISOString()` prints the local time. Days are whole numbers of days
// since 1970-01-01.

export const DAY_MS = 86_400_000;
export const HOUR_S = 3600;

export function dayOf(isoDate: string): number {
  return Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
}

export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD HH:MM:SS' of a local-milliseconds time. */
export function formatLocal(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (day + 4) % 7;
}

function range(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = dayOf(from); d <= dayOf(to); d++) out.push(isoDay(d));
  return out;
}

/** Public holidays and the official bridge days off (Tết, Hùng Kings, 30/4–1/5, 2/9). */
const HOLIDAYS = new Set<string>([
  ...range('2023-01-01', '2023-01-02'),
  ...range('2023-01-20', '2023-01-26'),
  ...range('2023-04-29', '2023-05-03'),
  ...range('2023-09-01', '2023-09-04'),
  '2024-01-01',
  ...range('2024-02-08', '2024-02-14'),
  '2024-04-18',
  ...range('2024-04-27', '2024-05-01'),
  ...range('2024-08-31', '2024-09-03'),
  '2025-01-01',
  ...range('2025-01-25', '2025-02-02'),
  '2025-04-07',
  ...range('2025-04-30', '2025-05-02'),
  ...range('2025-08-30', '2025-09-02'),
  ...range('2026-01-01', '2026-01-02'),
  ...range('2026-02-14', '2026-02-22'),
  '2026-04-27',
  ...range('2026-04-30', '2026-05-01'),
  ...range('2026-08-29', '2026-09-02'),
]);

/** Lunar new year's day and the last day of its holiday. */
const TET = [
  { tet: dayOf('2023-01-22'), holidayEnd: dayOf('2023-01-26') },
  { tet: dayOf('2024-02-10'), holidayEnd: dayOf('2024-02-14') },
  { tet: dayOf('2025-01-29'), holidayEnd: dayOf('2025-02-02') },
  { tet: dayOf('2026-02-17'), holidayEnd: dayOf('2026-02-22') },
];

export function isHoliday(day: number): boolean {
  return HOLIDAYS.has(isoDay(day));
}

// Working-day tables cover the demo period and the deadlines that run past it.
const TABLE_FIRST = dayOf('2022-12-01');
const TABLE_LAST = dayOf('2027-06-30');
const workingFlags = new Uint8Array(TABLE_LAST - TABLE_FIRST + 1);
/** Index (in workingDays) of the first working day on or after each day. */
const nextWorkingIndex = new Int32Array(TABLE_LAST - TABLE_FIRST + 1);
const workingDays: number[] = [];
for (let day = TABLE_FIRST; day <= TABLE_LAST; day++) {
  const wd = weekday(day);
  const working = wd !== 0 && wd !== 6 && !isHoliday(day);
  workingFlags[day - TABLE_FIRST] = working ? 1 : 0;
  if (working) workingDays.push(day);
}
{
  let next = workingDays.length - 1;
  let last = workingDays.length - 1;
  for (let day = TABLE_LAST; day >= TABLE_FIRST; day--) {
    if (workingFlags[day - TABLE_FIRST]) next = last--;
    nextWorkingIndex[day - TABLE_FIRST] = next;
  }
}

function tableIndex(day: number): number {
  return Math.min(Math.max(day, TABLE_FIRST), TABLE_LAST) - TABLE_FIRST;
}

export function isWorkingDay(day: number): boolean {
  return workingFlags[tableIndex(day)] === 1;
}

/** The first working day on or after `day`. */
export function nextWorkingDay(day: number): number {
  return workingDays[nextWorkingIndex[tableIndex(day)]!]!;
}

/** The working day `n` working days after `day` (itself a working day). */
export function addWorkingDays(day: number, n: number): number {
  const index = nextWorkingIndex[tableIndex(day)]! + n;
  return workingDays[Math.min(index, workingDays.length - 1)]!;
}

/** Working days in [from, to]. */
export function workingDaysBetween(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = nextWorkingIndex[tableIndex(from)]!; i < workingDays.length && workingDays[i]! <= to; i++) {
    out.push(workingDays[i]!);
  }
  return out;
}

/** Relative volume per calendar month (January = 0): busier towards the year end. */
const MONTH_FACTOR = [1.0, 0.92, 1.0, 0.98, 1.0, 1.02, 0.96, 0.96, 1.0, 1.05, 1.12, 1.24];
/** Volume grows from one year to the next. */
const YEAR_FACTOR: Readonly<Record<number, number>> = { 2023: 0.93, 2024: 1, 2025: 1.06, 2026: 1.12 };
/** The first days of the merged system: counters moved, accounts migrated, fewer dossiers. */
const SWITCH_OVER = { from: dayOf('2025-07-01'), to: dayOf('2025-07-06'), factor: 0.7 };

/**
 * Relative number of dossiers received on a day: weekdays full, Saturday mornings, a trickle
 * online on Sundays and holidays; a rush before Tết, a dip during and after it.
 */
export function arrivalWeight(day: number): number {
  const date = new Date(day * DAY_MS);
  const wd = weekday(day);
  let weight = wd === 0 ? 0.06 : wd === 6 ? 0.22 : 1;
  if (isHoliday(day)) weight = 0.05;
  weight *= MONTH_FACTOR[date.getUTCMonth()]! * (YEAR_FACTOR[date.getUTCFullYear()] ?? 1);
  for (const { tet, holidayEnd } of TET) {
    if (day >= tet - 16 && day < tet - 4 && !isHoliday(day)) weight *= 1.15;
    else if (day > holidayEnd && day <= holidayEnd + 7) weight *= 0.6;
    else if (day > holidayEnd + 7 && day <= holidayEnd + 14) weight *= 0.85;
  }
  if (day >= SWITCH_OVER.from && day <= SWITCH_OVER.to) weight *= SWITCH_OVER.factor;
  return weight;
}

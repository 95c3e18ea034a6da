// The reporting periods: every month, quarter, half-year and year from the first month with
// a received dossier up to the as-of time. A period is [start, end); all boundaries are the
// first day of a month at 00:00 Vietnam time. The period holding the as-of time is incomplete:
// its figures are classified at the as-of time instead of its end (see queries/).

export type PeriodType = 'month' | 'quarter' | 'half' | 'year';
export const PERIOD_TYPES: readonly PeriodType[] = ['month', 'quarter', 'half', 'year'];

export interface Period {
  period_type: PeriodType;
  period: string;
  /** 'YYYY-MM-DD 00:00:00' */
  period_start: string;
  /** 'YYYY-MM-DD 00:00:00', the first instant after the period. */
  period_end: string;
  is_complete: boolean;
}

/** Month number since year 0 (year * 12 + month - 1), the same index the SQL uses. */
const monthIndex = (year: number, month: number) => year * 12 + month - 1;

const monthStart = (index: number) => {
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01 00:00:00`;
};

const MONTHS_IN: Record<PeriodType, number> = { month: 1, quarter: 3, half: 6, year: 12 };

function label(type: PeriodType, startIndex: number): string {
  const year = Math.floor(startIndex / 12);
  const month0 = startIndex % 12;
  switch (type) {
    case 'month':
      return `${year}-${String(month0 + 1).padStart(2, '0')}`;
    case 'quarter':
      return `${year}-Q${month0 / 3 + 1}`;
    case 'half':
      return `${year}-H${month0 / 6 + 1}`;
    case 'year':
      return String(year);
  }
}

/**
 * Periods of every type that start at or after the period holding `firstReceived` and start
 * before `asOf`. Both arguments are 'YYYY-MM-DD[ HH:MM:SS]' local times; string comparison
 * of that format is chronological.
 */
export function periodsUpTo(firstReceived: string, asOf: string): Period[] {
  const first = monthIndex(Number(firstReceived.slice(0, 4)), Number(firstReceived.slice(5, 7)));
  const asOfTime = asOf.length === 10 ? `${asOf} 00:00:00` : asOf;
  const periods: Period[] = [];
  for (const type of PERIOD_TYPES) {
    const size = MONTHS_IN[type];
    for (let start = first - (first % size); monthStart(start) < asOfTime; start += size) {
      const period_end = monthStart(start + size);
      periods.push({
        period_type: type,
        period: label(type, start),
        period_start: monthStart(start),
        period_end,
        is_complete: period_end <= asOfTime,
      });
    }
  }
  return periods;
}

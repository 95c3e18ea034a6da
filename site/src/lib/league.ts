// What a league-table row shows beyond its own figures: the change of its main rate against
// the previous period of the same type, and its last 12 periods for the sparkline.
import type { PublishedData, UnitKpiRow } from './published-data.ts';
import { findPeriod, listPeriods, previousPeriod } from './site-model.ts';

export const SPARKLINE_PERIODS = 12;

export interface LeagueExtras {
  /** The previous period's figures (rebuilt from predecessors for a unit made at the reform). */
  previous: { on_time_rate: number | null } | null;
  /** on_time_rate minus the previous period's (null when either is missing). */
  change: number | null;
  /** The last SPARKLINE_PERIODS periods of this type up to this one, oldest first. */
  history: { period: string; value: number | null }[];
}

const indexes = new WeakMap<PublishedData, Map<string, { on_time_rate: number | null }>>();

/** Each unit's row per period; a unit made at the 2025 reform continues into the periods before
 * it existed with its figures rebuilt from its predecessors (successor_kpis). */
function rowIndex(data: PublishedData): Map<string, { on_time_rate: number | null }> {
  let index = indexes.get(data);
  if (!index) {
    index = new Map();
    for (const row of data.successorKpis) index.set(`${row.unit_code}\u0000${row.period}`, row);
    for (const row of data.unitKpis) index.set(`${row.unit_code}\u0000${row.period}`, row);
    indexes.set(data, index);
  }
  return index;
}

/** The extras of every row of one period's league, by unit code. */
export function leagueExtras(
  data: PublishedData,
  period: string,
  rows: UnitKpiRow[],
): Map<string, LeagueExtras> {
  const info = findPeriod(data, period);
  const before = previousPeriod(data, info);
  const window = listPeriods(data)
    .filter((p) => p.period_type === info.period_type && p.period_start <= info.period_start)
    .sort((a, b) => a.period_start.localeCompare(b.period_start))
    .slice(-SPARKLINE_PERIODS);
  const index = rowIndex(data);
  const extras = new Map<string, LeagueExtras>();
  for (const row of rows) {
    const previous = before ? (index.get(`${row.unit_code}\u0000${before.period}`) ?? null) : null;
    extras.set(row.unit_code, {
      previous,
      change:
        previous && previous.on_time_rate !== null && row.on_time_rate !== null
          ? row.on_time_rate - previous.on_time_rate
          : null,
      history: window.map((p) => ({
        period: p.period,
        value: index.get(`${row.unit_code}\u0000${p.period}`)?.on_time_rate ?? null,
      })),
    });
  }
  return extras;
}

// The 766 scorecard (Quyết định 766/QĐ-TTg) as the pages show it, from the published
// scorecard_766 table: a unit's (or the province's) indicators by group for one period, its
// points out of the points computable from the dossier records, and the league of totals.
import {
  INDEX_766_GROUPS,
  SCORECARD_INDICATORS,
  type ScorecardIndicator,
} from '../../../functions/core/kpi-catalog.ts';
import { formatsFor, vietnameseCollator } from './format.ts';
import type { PublishedData, Scorecard766Row, UnitLevel } from './published-data.ts';
import { defaultPeriod } from './site-model.ts';

export type { ScorecardIndicator };

/** The province total's unit_code in scorecard_766. */
export const PROVINCE_SCOPE = '';

export interface ScorecardGroup {
  group: string;
  label: string;
  maxPoints: number;
  /** The group's indicators computable from the records, with their rows (null: not published). */
  indicators: { indicator: ScorecardIndicator; row: Scorecard766Row | null }[];
}

export interface ScorecardTotal {
  /** Points scored over the computable indicators. */
  points: number;
  /** Maximum points of the indicators that could be computed (their value exists). */
  computableMax: number;
  /** Maximum points of every record-based indicator, computable or not. */
  recordMax: number;
  /** Maximum points of the whole index (all six groups). */
  indexMax: number;
}

const INDEX_MAX = INDEX_766_GROUPS.reduce((total, group) => total + group.max_points, 0);

/** The period a scorecard shows: the site's default period (the latest complete quarter) when
 * the scope has rows there, else the scope's latest complete quarter, else null. */
export function scorecardPeriod(data: PublishedData, unitCode: string): string | null {
  const own = data.scorecard766.filter((row) => row.unit_code === unitCode && row.is_complete);
  const fallback = defaultPeriod(data).period;
  if (own.some((row) => row.period === fallback)) return fallback;
  const quarters = own.filter((row) => row.period_type === 'quarter').map((row) => row.period);
  return quarters.sort().at(-1) ?? null;
}

export function scorecardRows(data: PublishedData, period: string, unitCode: string): Scorecard766Row[] {
  return data.scorecard766.filter((row) => row.period === period && row.unit_code === unitCode);
}

/** The six groups in order, each with its record-based indicators (none for group 1). */
export function scorecardGroups(rows: Scorecard766Row[]): ScorecardGroup[] {
  return INDEX_766_GROUPS.map((group) => ({
    group: group.group,
    label: group.label_vi,
    maxPoints: group.max_points,
    indicators: SCORECARD_INDICATORS.filter((indicator) => indicator.group === group.group).map(
      (indicator) => ({ indicator, row: rows.find((row) => row.indicator === indicator.code) ?? null }),
    ),
  }));
}

export function scorecardTotal(rows: Scorecard766Row[]): ScorecardTotal {
  const computable = rows.filter((row) => row.points !== null);
  return {
    points: computable.reduce((total, row) => total + (row.points ?? 0), 0),
    computableMax: computable.reduce((total, row) => total + row.max_points, 0),
    recordMax: rows.reduce((total, row) => total + row.max_points, 0),
    indexMax: INDEX_MAX,
  };
}

/** Points as the national portal writes them: two decimals, whole maxima without ("13,07 / 14"). */
export const formatPoints = formatsFor('vi').formatPoints;

export interface ScorecardLeagueRow {
  unitCode: string;
  unitName: string;
  total: ScorecardTotal;
  /** points / computableMax (null when nothing is computable). */
  share: number | null;
  rank: number | null;
}

/** The units of one level in a period by their share of the computable points (units differ in
 * which indicators can be computed, so raw totals would not compare), ties sharing a rank. */
export function scorecardLeague(data: PublishedData, period: string, level: UnitLevel): ScorecardLeagueRow[] {
  const byUnit = new Map<string, Scorecard766Row[]>();
  for (const row of data.scorecard766) {
    if (row.period !== period || row.unit_level !== level) continue;
    byUnit.set(row.unit_code, [...(byUnit.get(row.unit_code) ?? []), row]);
  }
  const rows = [...byUnit.entries()].map(([unitCode, unitRows]) => {
    const total = scorecardTotal(unitRows);
    return {
      unitCode,
      unitName: unitRows[0]?.unit_name ?? unitCode,
      total,
      share: total.computableMax > 0 ? total.points / total.computableMax : null,
      rank: null as number | null,
    };
  });
  rows.sort(
    (a, b) =>
      (b.share ?? -1) - (a.share ?? -1) ||
      b.total.points - a.total.points ||
      vietnameseCollator.compare(a.unitName, b.unitName),
  );
  for (const row of rows) {
    if (row.share === null) continue;
    row.rank = rows.filter((other) => other.share !== null && other.share > row.share!).length + 1;
  }
  return rows;
}

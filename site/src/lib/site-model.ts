// What the pages need, derived from the published data: the periods and which one the plain
// URLs show, the previous period, the unit directory, league-table groups and targets.
import {
  formulaVi,
  RANKED_RATES,
  rateDefinition,
  SUM_IDENTITIES,
} from '../../../functions/core/kpi-catalog.ts';
import { vietnameseCollator } from './format.ts';
import type {
  FigureColumns,
  PeriodType,
  ProvinceKpiRow,
  PublishedData,
  UnitKpiRow,
  UnitLevel,
} from './published-data.ts';

export interface PeriodInfo {
  period: string;
  period_type: PeriodType;
  period_start: string;
  period_end: string;
  is_complete: boolean;
}

/** The ranked rates, in the catalog's order (functions/core/kpi-catalog.ts RANKED_RATES; the
 * literal list gives the typed keys, and loading this module fails if it drifts). */
export const KPI_KEYS = ['on_time_rate', 'online_share', 'returned_share', 'e_cert_ratio'] as const;
export type KpiKey = (typeof KPI_KEYS)[number];
if (RANKED_RATES.map((rate) => rate.name).join() !== KPI_KEYS.join())
  throw new Error(`site-model.ts KPI_KEYS (${KPI_KEYS.join()}) differ from the catalog's ranked rates`);

export interface KpiInfo {
  key: KpiKey;
  label: string;
  /** Short label for narrow places (table headers, card labels). */
  short: string;
  /** Slug used in chart file names. */
  slug: string;
  /** Lower is better (returned_share). */
  lowerIsBetter: boolean;
  numerator: string;
  denominator: readonly string[];
  /** The formula in words with the catalog's count labels. */
  formula: string;
}

/** Labels, slugs and formulas of the ranked rates: all from the catalog. */
export const KPIS = Object.fromEntries(
  KPI_KEYS.map((key) => {
    const rate = rateDefinition(key);
    const info: KpiInfo = {
      key,
      label: rate.label_vi,
      short: rate.short_vi,
      slug: rate.slug,
      lowerIsBetter: rate.direction === 'lower',
      numerator: rate.numerator,
      denominator: rate.denominator,
      formula: formulaVi(rate),
    };
    return [key, info];
  }),
) as Record<KpiKey, KpiInfo>;

/** Why a figure shows "—": said once under every table that shows one. */
export const NO_VALUE_REASONS = {
  on_time_rate: 'không có hồ sơ nào được giải quyết trong kỳ, nên không có tỷ lệ đúng hạn',
  online_share: 'không tiếp nhận hồ sơ mới nào trong kỳ, nên không có tỷ lệ trực tuyến',
  returned_share: 'không có hồ sơ nào kết thúc (giải quyết, rút hoặc dừng) trong kỳ',
  e_cert_ratio:
    'đơn vị không giải quyết hồ sơ chứng thực (lĩnh vực “Chứng thực”) nào trong kỳ, nên không có tỷ lệ chứng thực điện tử và chỉ tiêu này không áp dụng',
  change: 'không có tỷ lệ đúng hạn của kỳ này hoặc kỳ trước để so sánh',
} as const;
export type NoValueReason = keyof typeof NO_VALUE_REASONS;

export const LEVEL_LABELS: Record<UnitLevel, string> = {
  province: 'Sở, ban, ngành cấp tỉnh',
  district: 'Huyện, thị xã, thành phố',
  commune: 'Xã, phường, thị trấn',
};

type Figures = Partial<Record<keyof FigureColumns, number | null>>;

/** A count of a row; a count older data lacks (new_total) is rebuilt from the catalog's sum
 * identities (new_total = received_online + received_offline). */
function countOf(row: Figures, name: string): number {
  const value = row[name as keyof FigureColumns];
  if (typeof value === 'number') return value;
  const identity = SUM_IDENTITIES.find(([left]) => left === name);
  return identity ? identity[1].reduce((total, term) => total + countOf(row, term), 0) : 0;
}

export function numeratorOf(row: Figures, kpi: KpiKey): number {
  return countOf(row, KPIS[kpi].numerator);
}

export function denominatorOf(row: Figures, kpi: KpiKey): number {
  return KPIS[kpi].denominator.reduce((total, name) => total + countOf(row, name), 0);
}

/** Short names of the levels, inside a list or a card. */
export const LEVEL_SHORT: Record<UnitLevel, string> = {
  province: 'Sở, ban, ngành',
  district: 'Cấp huyện',
  commune: 'Cấp xã',
};

const TYPE_ORDER: Record<PeriodType, number> = { year: 0, half: 1, quarter: 2, month: 3 };

/** Every period in the data, newest first, longer periods before shorter ones on a tie. */
export function listPeriods(data: PublishedData): PeriodInfo[] {
  const byPeriod = new Map<string, PeriodInfo>();
  for (const row of [...data.provinceKpis, ...data.unitKpis]) {
    if (!byPeriod.has(row.period)) {
      byPeriod.set(row.period, {
        period: row.period,
        period_type: row.period_type,
        period_start: row.period_start,
        period_end: row.period_end,
        is_complete: row.is_complete,
      });
    }
  }
  return [...byPeriod.values()].sort(
    (a, b) =>
      b.period_end.localeCompare(a.period_end) ||
      TYPE_ORDER[a.period_type] - TYPE_ORDER[b.period_type] ||
      b.period.localeCompare(a.period),
  );
}

/** The period the plain URLs show: the latest COMPLETE quarter — provinces report by quarter
 * (the fixture's Q1/2021 table) — else the latest complete month, half or year, else the
 * latest period of all (a province with less than a month of data). */
export function defaultPeriod(data: PublishedData): PeriodInfo {
  const periods = listPeriods(data);
  if (periods.length === 0) throw new Error('Published data holds no period');
  for (const type of ['quarter', 'month', 'half', 'year'] as const) {
    const found = periods.find((p) => p.period_type === type && p.is_complete);
    if (found) return found;
  }
  return periods[0]!;
}

/** The period of the same type just before this one (null for the first). */
export function previousPeriod(data: PublishedData, period: PeriodInfo): PeriodInfo | null {
  return (
    listPeriods(data).find(
      (p) => p.period_type === period.period_type && p.period_end === period.period_start,
    ) ?? null
  );
}

export function findPeriod(data: PublishedData, period: string): PeriodInfo {
  const found = listPeriods(data).find((p) => p.period === period);
  if (!found) throw new Error(`Unknown period ${period}`);
  return found;
}

export function provinceRow(data: PublishedData, period: string): ProvinceKpiRow | undefined {
  return data.provinceKpis.find((row) => row.period === period);
}

export function provinceMonths(data: PublishedData): ProvinceKpiRow[] {
  return data.provinceKpis
    .filter((row) => row.period_type === 'month')
    .sort((a, b) => a.period.localeCompare(b.period));
}

export function unitRows(data: PublishedData, period: string, level?: UnitLevel): UnitKpiRow[] {
  return data.unitKpis.filter((row) => row.period === period && (!level || row.unit_level === level));
}

export interface UnitInfo {
  code: string;
  name: string;
  level: UnitLevel;
  parentCode: string | null;
  /** From the registry (units.json); null when open or when the data has no registry. */
  validFrom: string | null;
  validTo: string | null;
}

/** Every unit that appears in any period or in the registry (a unit that existed keeps its page
 * after a merger), with its latest name, sorted the Vietnamese way. */
export function listUnits(data: PublishedData): UnitInfo[] {
  const latest = new Map<string, UnitKpiRow>();
  for (const row of data.unitKpis) {
    const seen = latest.get(row.unit_code);
    if (!seen || seen.period_end < row.period_end) latest.set(row.unit_code, row);
  }
  const units = new Map<string, UnitInfo>();
  for (const row of latest.values()) {
    units.set(row.unit_code, {
      code: row.unit_code,
      name: row.unit_name,
      level: row.unit_level,
      parentCode: row.parent_code || null,
      validFrom: null,
      validTo: null,
    });
  }
  for (const record of data.units) {
    units.set(record.unit_code, {
      code: record.unit_code,
      name: record.unit_name,
      level: record.unit_level,
      parentCode: record.parent_code,
      validFrom: record.valid_from,
      validTo: record.valid_to,
    });
  }
  return [...units.values()].sort(
    (a, b) => vietnameseCollator.compare(a.name, b.name) || a.code.localeCompare(b.code),
  );
}

export function unitByCode(data: PublishedData): Map<string, UnitInfo> {
  return new Map(listUnits(data).map((unit) => [unit.code, unit]));
}

const BAND_ORDER = { above: 0, within: 1, below: 2 } as const;

/** Rank order: ranked units grouped by their on-time band against the province (above, within,
 * below; the published rank already orders band first), by rank within a band, then unranked
 * ones by name. */
export function sortForLeague(rows: UnitKpiRow[]): UnitKpiRow[] {
  const band = (row: UnitKpiRow) => (row.on_time_rate_band ? BAND_ORDER[row.on_time_rate_band] : 3);
  return [...rows].sort((a, b) => {
    if (a.ranked !== b.ranked) return a.ranked ? -1 : 1;
    const rankA = a.rank_on_time_rate ?? Number.POSITIVE_INFINITY;
    const rankB = b.rank_on_time_rate ?? Number.POSITIVE_INFINITY;
    return (
      (a.ranked ? band(a) - band(b) : 0) ||
      rankA - rankB ||
      vietnameseCollator.compare(a.unit_name, b.unit_name)
    );
  });
}

export interface CommuneGroup {
  district: UnitInfo | null;
  rows: UnitKpiRow[];
}

/** Communes of a period grouped under their district; communes with no (known) district last. */
export function communesByDistrict(data: PublishedData, period: string): CommuneGroup[] {
  const units = unitByCode(data);
  const groups = new Map<string, UnitKpiRow[]>();
  for (const row of unitRows(data, period, 'commune')) {
    const key = row.parent_code && units.has(row.parent_code) ? row.parent_code : '';
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.entries()]
    .map(([code, rows]) => ({ district: code ? units.get(code)! : null, rows: sortForLeague(rows) }))
    .sort((a, b) => {
      if (!a.district) return 1;
      if (!b.district) return -1;
      return vietnameseCollator.compare(a.district.name, b.district.name);
    });
}

/** The target of a KPI for a level: from the unit rows' target_* (what the publisher applied),
 * else from datapackage.json's `targets`. */
export function targetFor(data: PublishedData, kpi: KpiKey, level?: UnitLevel): number | null {
  if (kpi === 'returned_share' || !rateDefinition(kpi).targeted) return null;
  const column = `target_${kpi}` as const;
  const fromRows = data.unitKpis.find((row) => (!level || row.unit_level === level) && row[column] !== null);
  if (fromRows) return fromRows[column];
  return targetFromPackage(data.datapackage.targets, kpi, level);
}

// `targets` is the publisher's config echo; accept the plain shapes it may take:
// { on_time_rate: 0.95 } or { on_time_rate: { province: 0.95, district: 0.9 } } or
// { province: { on_time_rate: 0.95 } }.
function targetFromPackage(targets: unknown, kpi: KpiKey, level?: UnitLevel): number | null {
  if (!targets || typeof targets !== 'object') return null;
  const record = targets as Record<string, unknown>;
  const direct = record[kpi];
  if (typeof direct === 'number') return direct;
  if (direct && typeof direct === 'object') {
    const perLevel = direct as Record<string, unknown>;
    const value = (level && perLevel[level]) ?? perLevel.default ?? perLevel.province;
    if (typeof value === 'number') return value;
  }
  if (level && record[level] && typeof record[level] === 'object') {
    const value = (record[level] as Record<string, unknown>)[kpi];
    if (typeof value === 'number') return value;
  }
  return null;
}

/** The levels with units in the data (district only before the reform). */
export function levelsInData(data: PublishedData): UnitLevel[] {
  return (['province', 'district', 'commune'] as const).filter((level) =>
    data.unitKpis.some((row) => row.unit_level === level),
  );
}

/** The target the WHOLE province's figure is judged against: a target applies province-wide
 * only when every level with units has that same target; with different targets per level
 * (online share: agencies 30%, districts 10%, communes none) no single target applies, and
 * each level's pooled figure is judged against its own (levelFigures). */
export function provinceTarget(data: PublishedData, kpi: KpiKey): number | null {
  const targets = levelsInData(data).map((level) => targetFor(data, kpi, level));
  const first = targets[0];
  if (first === undefined || first === null) return null;
  return targets.every((target) => target === first) ? first : null;
}

export interface LevelFigure {
  level: UnitLevel;
  value: number | null;
  numerator: number;
  denominator: number;
  target: number | null;
}

/** Each level's pooled figure of one KPI in a period, with the target of that level. */
export function levelFigures(data: PublishedData, period: string, kpi: KpiKey): LevelFigure[] {
  return levelsInData(data)
    .map((level) => ({ level, rows: unitRows(data, period, level) }))
    .filter((group) => group.rows.length > 0)
    .map(({ level, rows }) => {
      const numerator = rows.reduce((total, row) => total + numeratorOf(row, kpi), 0);
      const denominator = rows.reduce((total, row) => total + denominatorOf(row, kpi), 0);
      return {
        level,
        value: denominator > 0 ? numerator / denominator : null,
        numerator,
        denominator,
        target: targetFor(data, kpi, level),
      };
    });
}

export interface BestWorst {
  level: UnitLevel;
  best: UnitKpiRow[];
  worst: UnitKpiRow[];
}

/** Best and worst ranked units by on-time rate in a period, per level (ranks are per peer group,
 * so the rate itself orders units across groups of the same level). */
export function bestAndWorst(data: PublishedData, period: string, count = 3): BestWorst[] {
  const result: BestWorst[] = [];
  for (const level of ['province', 'district', 'commune'] as const) {
    const ranked = unitRows(data, period, level)
      .filter((row) => row.ranked && row.on_time_rate !== null)
      .sort(
        (a, b) =>
          (b.on_time_rate ?? 0) - (a.on_time_rate ?? 0) ||
          b.resolved_total - a.resolved_total ||
          vietnameseCollator.compare(a.unit_name, b.unit_name),
      );
    if (ranked.length === 0) continue;
    const take = Math.min(count, Math.floor(ranked.length / 2) || 1);
    result.push({ level, best: ranked.slice(0, take), worst: ranked.slice(-take).reverse() });
  }
  return result;
}

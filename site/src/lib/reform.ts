// Units across the 1 July 2025 reform (docs/design.md "Units across the 1 July 2025 reform"): which
// units existed in a period, where a unit came from and where it went, its monthly series
// continued across the reform (its predecessors' rebuilt figures before it existed, its
// successor's after it ended), and district-wide figures before the reform. Data published
// without the registry has every unit always existing and nothing before or after it.

import { PROVINCE_KPIS } from '../../../functions/core/published-tables.ts';
import { formatDate, vietnameseCollator } from './format.ts';
import type {
  FigureColumns,
  PublishedData,
  UnitKpiRow,
  UnitLevel,
  UnitRecord,
  UnitSuccessorRow,
} from './published-data.ts';
import type { PeriodInfo } from './site-model.ts';

/** Districts were abolished and communes put directly under the province on this day. */
export const REFORM_DATE = '2025-07-01';
export const REFORM_DATE_LABEL = formatDate(REFORM_DATE);

/** A period that starts on or after the reform has two levels: province agencies, communes. */
export function isAfterReform(period: Pick<PeriodInfo, 'period_start'>): boolean {
  return period.period_start >= REFORM_DATE;
}

/** The registry's record of a unit, or null when the data has no registry. */
export function unitRecord(data: PublishedData, code: string): UnitRecord | null {
  return data.units.find((unit) => unit.unit_code === code) ?? null;
}

/** Whether a unit existed at some time in [start, end) (valid_to is its last day). */
export function existedIn(
  record: Pick<UnitRecord, 'valid_from' | 'valid_to'> | null,
  period: Pick<PeriodInfo, 'period_start' | 'period_end'>,
): boolean {
  if (!record) return true;
  return (
    (record.valid_from === null || record.valid_from < period.period_end) &&
    (record.valid_to === null || record.valid_to >= period.period_start)
  );
}

/** A name inside a sentence: "UBND phường Trần Phú" → "phường Trần Phú". */
export function nameInSentence(name: string): string {
  return name.replace(/^(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+/i, '');
}

export interface LineageLink {
  code: string;
  name: string;
  weight: number;
  effectiveDate: string;
  /** True when only part of the work passed (weight < 1). */
  partial: boolean;
}

/** Names of every unit the data knows, registry first (it also holds units with no figures). */
export function unitNames(data: PublishedData): Map<string, string> {
  const names = new Map<string, string>();
  for (const row of data.unitKpis) names.set(row.unit_code, row.unit_name);
  for (const row of data.successorKpis) names.set(row.unit_code, row.unit_name);
  for (const unit of data.units) names.set(unit.unit_code, unit.unit_name);
  return names;
}

function links(
  data: PublishedData,
  rows: UnitSuccessorRow[],
  codeOf: (row: UnitSuccessorRow) => string,
): LineageLink[] {
  const names = unitNames(data);
  return rows
    .map((row) => ({
      code: codeOf(row),
      name: names.get(codeOf(row)) ?? codeOf(row),
      weight: row.weight,
      effectiveDate: row.effective_date,
      partial: row.weight < 1 - 1e-9,
    }))
    .sort((a, b) => Number(a.partial) - Number(b.partial) || vietnameseCollator.compare(a.name, b.name));
}

export function predecessorsOf(data: PublishedData, code: string): LineageLink[] {
  return links(
    data,
    data.unitSuccessors.filter((row) => row.successor_code === code),
    (row) => row.predecessor_code,
  );
}

export function successorsOf(data: PublishedData, code: string): LineageLink[] {
  return links(
    data,
    data.unitSuccessors.filter((row) => row.predecessor_code === code),
    (row) => row.successor_code,
  );
}

/** A sentence with links: plain text and unit names (linked to their pages). */
export type SentencePart = { text: string } | { code: string; name: string };

/** "A", "A và B", "A, B và C" — each item a list of parts. */
function listParts(items: SentencePart[][]): SentencePart[] {
  return items.flatMap((item, index) => {
    if (index === 0) return item;
    return [{ text: index === items.length - 1 ? ' và ' : ', ' }, ...item];
  });
}

const unitPart = (link: LineageLink): SentencePart => ({ code: link.code, name: nameInSentence(link.name) });

export function sentenceText(parts: SentencePart[]): string {
  return parts.map((part) => ('text' in part ? part.text : part.name)).join('');
}

/** "Thành lập 01/07/2025 từ phường Trần Phú, phường Ngô Quyền và một phần xã Song Mai"
 * ("một phần": the new unit took over only part of that unit's work, weight < 1). */
export function originParts(data: PublishedData, code: string): SentencePart[] | null {
  const from = predecessorsOf(data, code);
  if (from.length === 0) return null;
  const date = from[0]!.effectiveDate || unitRecord(data, code)?.valid_from;
  return [
    { text: `Thành lập ${date ? `${formatDate(date)} ` : ''}từ ` },
    ...listParts(
      from.map((link) => (link.partial ? [{ text: 'một phần ' }, unitPart(link)] : [unitPart(link)])),
    ),
  ];
}

/** "Đã sáp nhập vào phường Bắc Giang từ 01/07/2025"; a split unit: "Đã chia, sáp nhập từ
 * 01/07/2025: một phần vào xã A và một phần vào phường B"; a unit that ended with no successor
 * (a district): "Kết thúc hoạt động từ 01/07/2025". */
export function fateParts(data: PublishedData, code: string): SentencePart[] | null {
  const to = successorsOf(data, code);
  if (to.length === 1 && !to[0]!.partial) {
    return [
      { text: 'Đã sáp nhập vào ' },
      unitPart(to[0]!),
      { text: ` từ ${formatDate(to[0]!.effectiveDate)}` },
    ];
  }
  if (to.length > 0) {
    return [
      { text: `Đã chia, sáp nhập từ ${formatDate(to[0]!.effectiveDate)}: ` },
      ...listParts(to.map((link) => [{ text: link.partial ? 'một phần vào ' : 'vào ' }, unitPart(link)])),
    ];
  }
  const end = unitRecord(data, code)?.valid_to;
  if (!end) return null;
  const next = new Date(Date.parse(`${end}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return [{ text: `Kết thúc hoạt động từ ${formatDate(next)}` }];
}

export type SeriesSource = 'own' | 'predecessors' | 'successor';

export interface SeriesPoint {
  period: string;
  row: FigureColumns;
  source: SeriesSource;
  /** Rebuilt with weights below 1 (a split predecessor): drawn dashed, said in words. */
  approximate: boolean;
  /** The unit whose figures these are (the successor's name after a merger). */
  unitName: string;
}

function completeMonth(row: { period_type: string; is_complete: boolean }): boolean {
  return row.period_type === 'month' && row.is_complete;
}

/** A unit's complete months continued across the reform: before it existed, its figures rebuilt
 * from its predecessors (successor_kpis); after it ended, the figures of the unit that took over
 * most of its work. */
export function continuedMonths(data: PublishedData, code: string): SeriesPoint[] {
  const own = data.unitKpis.filter((row) => row.unit_code === code && completeMonth(row));
  const points: SeriesPoint[] = own.map((row) => ({
    period: row.period,
    row,
    source: 'own',
    approximate: false,
    unitName: row.unit_name,
  }));
  const seen = new Set(own.map((row) => row.period));
  for (const row of data.successorKpis) {
    if (row.unit_code !== code || !completeMonth(row) || seen.has(row.period)) continue;
    seen.add(row.period);
    points.push({
      period: row.period,
      row,
      source: 'predecessors',
      approximate: row.lineage === 'approximate',
      unitName: row.unit_name,
    });
  }
  const heir = [...successorsOf(data, code)].sort((a, b) => b.weight - a.weight)[0];
  if (heir) {
    const last =
      own
        .map((row) => row.period)
        .sort()
        .at(-1) ?? '';
    for (const row of data.unitKpis) {
      if (row.unit_code !== heir.code || !completeMonth(row) || row.period <= last || seen.has(row.period))
        continue;
      seen.add(row.period);
      points.push({
        period: row.period,
        row,
        source: 'successor',
        approximate: false,
        unitName: row.unit_name,
      });
    }
  }
  return points.sort((a, b) => a.period.localeCompare(b.period));
}

export interface DistrictWide {
  district: UnitKpiRow;
  /** The district office plus its communes, pooled (sums of numerators over sums of denominators). */
  whole: FigureColumns;
  communes: number;
}

/** The count columns of the published figures, from the contract (integers of province_kpis). */
const COUNT_COLUMNS = PROVINCE_KPIS.columns
  .filter((column) => column.type === 'integer')
  .map((column) => column.name as keyof FigureColumns);

const rate = (numerator: number | null, denominator: number | null) =>
  numerator !== null && denominator ? numerator / denominator : null;

/** Pooled figures of several units: counts add up (null if any unit lacks one), rates are
 * ratios of the sums — never a mean of rates. */
export function poolFigures(rows: FigureColumns[]): FigureColumns {
  const sums: Record<string, number | null> = {};
  for (const key of COUNT_COLUMNS) {
    sums[key] = rows.some((row) => row[key] === null)
      ? null
      : rows.reduce((sum, row) => sum + Number(row[key]), 0);
  }
  const s = sums as unknown as FigureColumns;
  const fresh = s.received_online + s.received_offline;
  return {
    ...s,
    on_time_rate: rate(s.resolved_on_time, s.resolved_total),
    early_rate: rate(s.resolved_early, s.resolved_total),
    online_share: rate(s.received_online, fresh),
    returned_share: rate(s.returned_total, s.resolved_total + s.returned_total),
    e_cert_ratio: rate(s.e_cert_electronic, s.e_cert_total),
    online_payment_share: rate(s.paid_online_total, s.fee_required_total),
    digitization_share: rate(s.digitized_total, s.new_total),
  };
}

/** Each district of a period with its district-wide figures (office plus communes). */
export function districtWide(data: PublishedData, period: string): DistrictWide[] {
  const rows = data.unitKpis.filter((row) => row.period === period);
  return rows
    .filter((row) => row.unit_level === 'district')
    .map((district) => {
      const communes = rows.filter(
        (row) => row.unit_level === 'commune' && row.parent_code === district.unit_code,
      );
      return { district, whole: poolFigures([district, ...communes]), communes: communes.length };
    })
    .sort((a, b) => vietnameseCollator.compare(a.district.unit_name, b.district.unit_name));
}

/** What the locality pages call the local units of a period. */
export function localityWords(period: Pick<PeriodInfo, 'period_start'>): {
  title: string;
  nav: string;
  levels: UnitLevel[];
} {
  return isAfterReform(period)
    ? { title: 'Xã, phường', nav: 'Xã, phường', levels: ['commune'] }
    : { title: 'Huyện và xã', nav: 'Huyện, xã', levels: ['district', 'commune'] };
}

// Every chart of the site, by id: its data rows (shown as a table and downloadable as CSV), its
// text alternative with the key figures, and its SVG. Pages and the /bieu-do/ file endpoints
// read the same catalog, so a chart's picture, table and downloads can never disagree.
import { stringify } from 'csv-stringify/sync';
import { formatRate, formatTarget, periodPhrase, periodShortLabel } from './format.ts';
import { bandWords, funnelBand, funnelLimits } from './funnel.ts';
import type { PublishedData, UnitKpiRow, UnitLevel } from './published-data.ts';
import { continuedMonths, REFORM_DATE, REFORM_DATE_LABEL, type SeriesSource } from './reform.ts';
import { renderFunnelChart, renderRankingChart, renderTrendChart, standaloneSvg } from './render-chart.ts';
import {
  denominatorOf,
  KPI_KEYS,
  KPIS,
  type KpiKey,
  LEVEL_LABELS,
  levelsInData,
  listUnits,
  numeratorOf,
  provinceMonths,
  provinceRow,
  provinceTarget,
  sortForLeague,
  targetFor,
  unitRows,
} from './site-model.ts';
import { unitSlug } from './unit-slug.ts';

export type ChartColumnKind = 'text' | 'period' | 'integer' | 'rate';

export interface ChartColumn {
  key: string;
  label: string;
  kind: ChartColumnKind;
}

export type ChartRow = Record<string, string | number | null>;

export interface ChartSpec {
  /** Path under /bieu-do/ without extension, e.g. 'tinh/dung-han'. */
  id: string;
  title: string;
  /** Text alternative: what the chart shows and its key figures, in words. */
  summary: string;
  /** A short legend in words (line styles), when the chart has several series. */
  legend?: string;
  columns: ChartColumn[];
  rows: ChartRow[];
  svg: () => string;
}

const PROVINCE_SERIES = 'Toàn tỉnh';

export function chartSvgPath(id: string): string {
  return `/bieu-do/${id}.svg`;
}

export function chartPngPath(id: string): string {
  return `/bieu-do/${id}.png`;
}

export function chartCsvPath(id: string): string {
  return `/bieu-do/${id}.csv`;
}

/** The chart's data as CSV (UTF-8 BOM so spreadsheet software reads the diacritics). */
export function chartCsv(spec: ChartSpec): string {
  return stringify(
    spec.rows.map((row) => spec.columns.map((column) => row[column.key] ?? '')),
    { header: true, columns: spec.columns.map((column) => column.key), bom: true },
  );
}

export function chartSvgFile(spec: ChartSpec): string {
  return standaloneSvg(spec.svg());
}

const svgCache = new Map<string, string>();
function memoSvg(id: string, render: () => string): () => string {
  return () => {
    let svg = svgCache.get(id);
    if (svg === undefined) {
      svg = render();
      svgCache.set(id, svg);
    }
    return svg;
  };
}

function describeSeries(values: { period: string; value: number | null }[]): string {
  const known = values.filter((v) => v.value !== null) as { period: string; value: number }[];
  if (known.length === 0) return 'chưa có số liệu';
  const first = known[0]!;
  const last = known.at(-1)!;
  const high = known.reduce((a, b) => (b.value > a.value ? b : a));
  const low = known.reduce((a, b) => (b.value < a.value ? b : a));
  return (
    `từ ${formatRate(first.value)} (${periodShortLabel(first.period)}) đến ${formatRate(last.value)} ` +
    `(${periodShortLabel(last.period)}); cao nhất ${formatRate(high.value)} (${periodShortLabel(high.period)}), ` +
    `thấp nhất ${formatRate(low.value)} (${periodShortLabel(low.period)})`
  );
}

function completeMonths<T extends { period_type: string; is_complete: boolean; period: string }>(
  rows: T[],
): T[] {
  return rows
    .filter((row) => row.period_type === 'month' && row.is_complete)
    .sort((a, b) => a.period.localeCompare(b.period));
}

/** The province's monthly trend of one KPI with its target. */
export function provinceTrendChart(data: PublishedData, kpi: KpiKey): ChartSpec {
  const info = KPIS[kpi];
  const months = completeMonths(provinceMonths(data));
  const target = provinceTarget(data, kpi);
  const rows: ChartRow[] = months.map((row) => ({
    period: row.period,
    value: row[kpi],
    numerator: numeratorOf(row, kpi),
    denominator: denominatorOf(row, kpi),
    target,
  }));
  const id = `tinh/${info.slug}`;
  const title = `${info.label} toàn tỉnh theo tháng`;
  const levelTargets = levelsInData(data).filter((level) => targetFor(data, kpi, level) !== null);
  const summary =
    `${title}: ${describeSeries(rows.map((r) => ({ period: String(r.period), value: r.value as number | null })))}.` +
    (target !== null
      ? ` Chỉ tiêu ${formatTarget(target)} (chung cho mọi cấp).`
      : levelTargets.length > 0
        ? ' Các cấp có chỉ tiêu khác nhau, nên toàn tỉnh không có một chỉ tiêu chung; xem từng cấp ở trang tổng quan và bảng xếp hạng.'
        : '');
  return {
    id,
    title,
    summary,
    columns: trendColumns(info.label, target !== null),
    rows,
    svg: memoSvg(id, () =>
      renderTrendChart({
        points: rows.map((r) => ({
          month: String(r.period),
          series: PROVINCE_SERIES,
          value: r.value as number | null,
        })),
        seriesOrder: [PROVINCE_SERIES],
        target,
        label: summary,
        breakAt: reformBreak(data),
      }),
    ),
  };
}

function trendColumns(label: string, withTarget: boolean, withProvince = false): ChartColumn[] {
  const columns: ChartColumn[] = [
    { key: 'period', label: 'Tháng', kind: 'period' },
    { key: 'value', label: withProvince ? `${label} (đơn vị)` : label, kind: 'rate' },
    { key: 'numerator', label: 'Tử số', kind: 'integer' },
    { key: 'denominator', label: 'Mẫu số', kind: 'integer' },
  ];
  if (withProvince) columns.push({ key: 'province_value', label: `${label} (toàn tỉnh)`, kind: 'rate' });
  if (withTarget) columns.push({ key: 'target', label: 'Chỉ tiêu', kind: 'rate' });
  return columns;
}

/** The KPIs worth a chart for a unit: e-certification only where it certifies anything. */
export function unitChartKpis(data: PublishedData, unitCode: string): KpiKey[] {
  const rows = continuedMonths(data, unitCode).map((point) => point.row);
  return KPI_KEYS.filter((kpi) => kpi !== 'e_cert_ratio' || rows.some((row) => row.e_cert_total > 0));
}

const SOURCE_WORDS: Record<SeriesSource, string> = {
  own: 'số liệu của đơn vị',
  predecessors: 'tính lại từ các đơn vị trước sắp xếp',
  successor: 'số liệu của đơn vị kế thừa',
};

/** The reform's break on a chart whose months span it (only for data with the registry). */
function reformBreak(data: PublishedData) {
  return data.units.length > 0 ? { date: REFORM_DATE, label: REFORM_DATE_LABEL } : undefined;
}

/** A unit's monthly trend of one KPI beside the province's, continued across the 2025 reform:
 * its predecessors' rebuilt figures before it existed (approximate ones dashed), its
 * successor's after it ended; the reform marked by a labelled vertical rule. */
export function unitTrendChart(data: PublishedData, unitCode: string, kpi: KpiKey): ChartSpec {
  const info = KPIS[kpi];
  const series = continuedMonths(data, unitCode);
  const own = series.filter((point) => point.source === 'own');
  const ownRows = data.unitKpis.filter((row) => row.unit_code === unitCode);
  const latest = ownRows.at(-1) ?? data.successorKpis.find((row) => row.unit_code === unitCode);
  const unitName = own.at(-1)?.unitName ?? latest?.unit_name ?? unitCode;
  const level = latest?.unit_level;
  const province = new Map(completeMonths(provinceMonths(data)).map((row) => [row.period, row[kpi]]));
  const target = targetFor(data, kpi, level);
  const continued = series.some((point) => point.source !== 'own');
  const rows: ChartRow[] = series.map((point) => ({
    period: point.period,
    value: point.row[kpi],
    numerator: numeratorOf(point.row, kpi),
    denominator: denominatorOf(point.row, kpi),
    province_value: province.get(point.period) ?? null,
    ...(target !== null ? { target } : {}),
    ...(continued
      ? {
          basis:
            point.source === 'successor'
              ? `${SOURCE_WORDS.successor}: ${point.unitName}`
              : `${SOURCE_WORDS[point.source]}${point.approximate ? ' (ước tính)' : ''}`,
        }
      : {}),
  }));
  const id = `don-vi/${unitSlug(unitCode)}/${info.slug}`;
  const title = `${info.label}: ${unitName} và toàn tỉnh, theo tháng`;
  const unitText = describeSeries(
    rows.map((r) => ({ period: String(r.period), value: r.value as number | null })),
  );
  const provinceText = describeSeries(
    rows.map((r) => ({ period: String(r.period), value: r.province_value as number | null })),
  );
  const approximate = series.filter((point) => point.approximate);
  const lineage = continued
    ? ` Trước và sau ${REFORM_DATE_LABEL}: ${[
        series.some((p) => p.source === 'predecessors') &&
          `các tháng trước khi đơn vị được thành lập tính lại từ các đơn vị cũ${approximate.length ? ` (${approximate.length} tháng ước tính, nét đứt, vì có đơn vị cũ bị chia)` : ''}`,
        series.some((p) => p.source === 'successor') &&
          `các tháng sau khi sáp nhập là số liệu của ${series.find((p) => p.source === 'successor')!.unitName}`,
      ]
        .filter(Boolean)
        .join('; ')}.`
    : '';
  const summary =
    `${title}. ${unitName}: ${unitText}. Toàn tỉnh: ${provinceText}.` +
    (target !== null ? ` Chỉ tiêu ${formatTarget(target)}.` : '') +
    lineage;
  const columns = trendColumns(info.label, target !== null, true);
  if (continued) columns.push({ key: 'basis', label: 'Nguồn số liệu', kind: 'text' });
  return {
    id,
    title,
    summary,
    legend:
      `Đường liền: ${unitName}. Đường nét đứt màu cam: toàn tỉnh.${target !== null ? ' Đường chấm đỏ: chỉ tiêu.' : ''}` +
      (approximate.length ? ' Đoạn nét đứt màu xanh, chấm rỗng: ước tính từ đơn vị cũ bị chia.' : '') +
      (continued ? ` Vạch đứng: ngày sắp xếp đơn vị hành chính ${REFORM_DATE_LABEL}.` : ''),
    columns,
    rows,
    svg: memoSvg(id, () =>
      renderTrendChart({
        points: series.flatMap((point) => [
          {
            month: point.period,
            series: unitName,
            value: point.row[kpi],
            approximate: point.approximate,
          },
          { month: point.period, series: PROVINCE_SERIES, value: province.get(point.period) ?? null },
        ]),
        seriesOrder: [unitName, PROVINCE_SERIES],
        target,
        label: summary,
        breakAt: continued ? reformBreak(data) : undefined,
      }),
    ),
  };
}

/** The level /dia-phuong/ ranks in a period: districts, or communes once there are none (from 1 July 2025). */
export function localRankingLevel(data: PublishedData, period: string): UnitLevel {
  return unitRows(data, period, 'district').length > 0 ? 'district' : 'commune';
}

/** A unit's on-time rate with its numerator and denominator, as the level charts tabulate it. */
const ON_TIME_UNIT_COLUMNS: ChartColumn[] = [
  { key: 'unit_name', label: 'Đơn vị', kind: 'text' },
  { key: 'value', label: KPIS.on_time_rate.label, kind: 'rate' },
  { key: 'numerator', label: 'Đúng hạn', kind: 'integer' },
  { key: 'denominator', label: 'Đã giải quyết', kind: 'integer' },
];

/** Ranked units of one level in a period by on-time rate, best first. */
export function rankingChart(data: PublishedData, period: string, level: UnitLevel): ChartSpec | null {
  const ranked = sortForLeague(unitRows(data, period, level)).filter(
    (row) => row.ranked && row.on_time_rate !== null,
  );
  if (ranked.length === 0) return null;
  const target = targetFor(data, 'on_time_rate', level);
  const rows: ChartRow[] = ranked.map((row) => ({
    rank: row.rank_on_time_rate,
    unit_code: row.unit_code,
    unit_name: row.unit_name,
    value: row.on_time_rate,
    numerator: row.resolved_on_time,
    denominator: row.resolved_total,
  }));
  const id = `ky/${period}/${LEVEL_SLUGS[level]}-dung-han`;
  const title = `${LEVEL_LABELS[level]} xếp theo tỷ lệ giải quyết đúng hạn, ${periodPhrase(period)}`;
  const best = ranked[0]!;
  const worst = ranked.at(-1)!;
  const below = ranked.filter((row) => target !== null && (row.on_time_rate ?? 0) < target).length;
  const summary =
    `${title}: ${ranked.length} đơn vị được xếp hạng; cao nhất ${best.unit_name} ${formatRate(best.on_time_rate)}, ` +
    `thấp nhất ${worst.unit_name} ${formatRate(worst.on_time_rate)}.` +
    (target !== null ? ` ${below} đơn vị chưa đạt chỉ tiêu ${formatTarget(target)}.` : '');
  return {
    id,
    title,
    summary,
    columns: [{ key: 'rank', label: 'Hạng', kind: 'integer' }, ...ON_TIME_UNIT_COLUMNS],
    rows,
    svg: memoSvg(id, () =>
      renderRankingChart(
        ranked.map((row) => ({ name: row.unit_name, value: row.on_time_rate as number })),
        target,
        summary,
      ),
    ),
  };
}

const LEVEL_SLUGS: Record<UnitLevel, string> = { province: 'co-quan', district: 'huyen', commune: 'xa' };

/** The funnel plot of a level's on-time rates in a period: each ranked unit's rate against its
 * resolved dossiers, the province's rate and the 99.8% limits around it (the bands the league
 * table names). Null when no unit of the level is ranked or the province has no rate. */
export function funnelChart(data: PublishedData, period: string, level: UnitLevel): ChartSpec | null {
  const kpi = 'on_time_rate';
  const centre = provinceRow(data, period)?.[kpi] ?? null;
  const ranked = sortForLeague(unitRows(data, period, level)).filter(
    (row) => row.ranked && row[kpi] !== null && denominatorOf(row, kpi) > 0,
  );
  if (ranked.length === 0 || centre === null) return null;
  // The published band; data published before bands existed gets the same formula's.
  const bandOf = (row: UnitKpiRow) =>
    row[`${kpi}_band`] ?? funnelBand(numeratorOf(row, kpi), denominatorOf(row, kpi), centre);
  const rows: ChartRow[] = ranked.map((row) => {
    const volume = denominatorOf(row, kpi);
    const limits = funnelLimits(centre, volume);
    const band = bandOf(row);
    return {
      unit_code: row.unit_code,
      unit_name: row.unit_name,
      value: row[kpi],
      numerator: numeratorOf(row, kpi),
      denominator: volume,
      province_value: centre,
      limit_low: limits.low,
      limit_high: limits.high,
      band: band ? bandWords(kpi, band) : null,
    };
  });
  const id = `ky/${period}/${LEVEL_SLUGS[level]}-pheu-dung-han`;
  const title = `Biểu đồ phễu: ${KPIS[kpi].label.toLowerCase()} theo số hồ sơ đã giải quyết, ${LEVEL_LABELS[level].toLowerCase()}, ${periodPhrase(period)}`;
  const count = (band: 'above' | 'within' | 'below') => ranked.filter((row) => bandOf(row) === band);
  const named = (band: 'above' | 'below') => {
    const units = count(band);
    return units.length === 0
      ? `không đơn vị nào ${bandWords(kpi, band).toLowerCase()}`
      : `${units.length} đơn vị ${bandWords(kpi, band).toLowerCase()}: ${units.map((row) => row.unit_name).join(', ')}`;
  };
  const summary =
    `${title}. Tỷ lệ toàn tỉnh ${formatRate(centre)}. ${ranked.length} đơn vị được xếp hạng; ` +
    `${named('above')}; ${named('below')}; ${count('within').length} đơn vị trong giới hạn 99,8%.`;
  return {
    id,
    title,
    summary,
    legend:
      'Mỗi chấm là một đơn vị; trục ngang: số hồ sơ đã giải quyết (thang logarit). Đường liền đỏ: tỷ lệ toàn tỉnh. ' +
      'Hai đường nét đứt: giới hạn 99,8% — hẹp dần khi số hồ sơ tăng. Chấm xanh: cao hơn toàn tỉnh; chấm cam: thấp hơn toàn tỉnh; chấm xám: trong giới hạn.',
    columns: [
      ...ON_TIME_UNIT_COLUMNS,
      { key: 'province_value', label: 'Toàn tỉnh', kind: 'rate' },
      { key: 'limit_low', label: 'Giới hạn dưới 99,8%', kind: 'rate' },
      { key: 'limit_high', label: 'Giới hạn trên 99,8%', kind: 'rate' },
      { key: 'band', label: 'So với toàn tỉnh', kind: 'text' },
    ],
    rows,
    svg: memoSvg(id, () =>
      renderFunnelChart({
        dots: ranked.map((row) => ({
          name: row.unit_name,
          volume: denominatorOf(row, kpi),
          value: row[kpi] as number,
          band: bandOf(row),
        })),
        centre,
        limits: (volume) => funnelLimits(centre, volume),
        label: summary,
      }),
    ),
  };
}

/** The levels a period's league pages show a funnel for: agencies, and the local levels. */
export function funnelLevels(data: PublishedData, period: string): UnitLevel[] {
  return (['province', 'district', 'commune'] as const).filter(
    (level) => unitRows(data, period, level).length > 0,
  );
}

/** Every chart the pages show (the /bieu-do/ endpoints write one SVG and one CSV each). */
export function allCharts(data: PublishedData, periods: string[]): ChartSpec[] {
  const charts: ChartSpec[] = KPI_KEYS.map((kpi) => provinceTrendChart(data, kpi));
  for (const unit of listUnits(data)) {
    for (const kpi of unitChartKpis(data, unit.code)) charts.push(unitTrendChart(data, unit.code, kpi));
  }
  for (const period of periods) {
    for (const level of ['province', localRankingLevel(data, period)] as const) {
      const chart = rankingChart(data, period, level);
      if (chart) charts.push(chart);
    }
    for (const level of funnelLevels(data, period)) {
      const chart = funnelChart(data, period, level);
      if (chart) charts.push(chart);
    }
  }
  return charts;
}

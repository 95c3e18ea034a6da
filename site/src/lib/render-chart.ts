// Observable Plot rendered to SVG markup at BUILD time: no chart library reaches the reader's
// browser. Plot builds DOM nodes, so it gets a linkedom document instead of a browser's.
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { formatRate } from './format.ts';

const { document } = parseHTML('<!doctype html><html><body></body></html>');

/** Colours with ≥ 3:1 contrast on white (WCAG 1.4.11); series also differ by dash pattern. */
export const SERIES_COLOURS = { primary: '#1d4f91', secondary: '#9a4a00', target: '#b3261e' };

const percentTick = new Intl.NumberFormat('vi-VN', { style: 'percent', maximumFractionDigits: 0 });

export interface TrendPoint {
  /** First day of the month, 'YYYY-MM-DD'. */
  month: string;
  series: string;
  value: number | null;
  /** Rebuilt from a split predecessor's weighted figures: drawn dashed with hollow dots. */
  approximate?: boolean;
}

export interface TrendChartOptions {
  points: TrendPoint[];
  /** Series drawn solid first, dashed second (a unit beside the province). */
  seriesOrder: string[];
  target: number | null;
  label: string;
  /** A break in the series ('YYYY-MM-DD', e.g. the 2025 reform): a vertical rule, labelled. */
  breakAt?: { date: string; label: string };
  width?: number;
  height?: number;
}

/** Chart text in SVG units. Charts are drawn 400 units wide and scale down to the phone's
 * column (≥ 328 px on a 360-px screen), so 15 units never render below 12 px. */
export const CHART_WIDTH = 400;
export const CHART_FONT_SIZE = 15;

function monthDate(month: string): Date {
  return new Date(`${month.slice(0, 7)}-01T00:00:00Z`);
}

function finish(svg: unknown, label: string): string {
  const element = svg as Element;
  element.setAttribute('role', 'img');
  element.setAttribute('aria-label', label);
  element.removeAttribute('aria-description');
  // Inside role="img" the parts are presentational; Plot's aria-labels on <g> would be
  // prohibited ARIA there (axe: aria-prohibited-attr).
  for (const part of Array.from(element.querySelectorAll('[aria-label]'))) part.removeAttribute('aria-label');
  // Plot prints coordinates with 15 decimals; one is plenty and keeps pages light. Only inside
  // attributes: a label's Vietnamese thousands ("1.000") must stay as it is.
  return element.outerHTML.replace(/="[^"]*"/g, (attribute) => attribute.replace(/(\d\.\d)\d{2,}/g, '$1'));
}

type DatedPoint = TrendPoint & { date: Date };

/** Consecutive stretches of equal `approximate`; an approximate stretch also takes its exact
 * neighbours, so the dashed part joins the solid line instead of leaving a gap. */
function stretches(points: DatedPoint[]): { approximate: boolean; points: DatedPoint[] }[] {
  const result: { approximate: boolean; points: DatedPoint[] }[] = [];
  points.forEach((point, index) => {
    const approximate = point.approximate === true;
    const current = result.at(-1);
    if (current && current.approximate === approximate) current.points.push(point);
    else {
      const previous = points[index - 1];
      result.push({ approximate, points: approximate && previous ? [previous, point] : [point] });
      if (!approximate && current) current.points.push(point);
    }
  });
  return result;
}

/** A monthly trend of one KPI (0–1) per series, with the target as a dashed red line labelled
 * in the right margin (no data line can cross its label). */
export function renderTrendChart(options: TrendChartOptions): string {
  const points: DatedPoint[] = options.points
    .filter((p) => p.value !== null)
    .map((p) => ({ ...p, date: monthDate(p.month) }));
  const values = points.map((p) => p.value as number);
  if (options.target !== null) values.push(options.target);
  const low = values.length ? Math.min(...values) : 0;
  const high = values.length ? Math.max(...values) : 1;
  // Zoom in on the range that matters (tenths of 100%), never hiding the target.
  const floor = Math.max(0, Math.floor((low - 0.05) * 10) / 10);
  const ceiling = Math.min(1, Math.ceil((high + 0.02) * 10) / 10);
  const [first, second] = options.seriesOrder;
  const marks: Plot.Markish[] = [Plot.gridY({ stroke: '#767676', strokeOpacity: 0.25 }), Plot.ruleY([floor])];
  if (options.target !== null) {
    marks.push(
      Plot.ruleY([options.target], {
        stroke: SERIES_COLOURS.target,
        strokeDasharray: '2 3',
        strokeWidth: 1.5,
      }),
      Plot.text([options.target], {
        y: (d: number) => d,
        frameAnchor: 'right',
        dx: 6,
        text: (d: number) => `Chỉ tiêu\n${percentTick.format(d)}`,
        fill: SERIES_COLOURS.target,
        textAnchor: 'start',
        lineAnchor: 'middle',
      }),
    );
  }
  const dates = points.map((p) => p.date.getTime());
  const breakDate = options.breakAt ? monthDate(options.breakAt.date) : null;
  if (
    breakDate &&
    dates.length &&
    breakDate.getTime() > Math.min(...dates) &&
    breakDate.getTime() <= Math.max(...dates)
  ) {
    marks.push(
      Plot.ruleX([breakDate], { stroke: '#4d4d4d', strokeWidth: 1.5 }),
      Plot.text([breakDate], {
        x: (d: Date) => d,
        frameAnchor: 'top',
        dy: -8,
        lineAnchor: 'bottom',
        text: () => options.breakAt!.label,
        fill: 'currentColor',
      }),
    );
  }
  for (const [index, name] of [first, second].entries()) {
    if (!name) continue;
    const data = points.filter((p) => p.series === name);
    const colour = index === 0 ? SERIES_COLOURS.primary : SERIES_COLOURS.secondary;
    for (const stretch of index === 0 ? stretches(data) : [{ approximate: false, points: data }]) {
      marks.push(
        Plot.lineY(stretch.points, {
          x: 'date',
          y: 'value',
          stroke: colour,
          strokeWidth: 2,
          strokeDasharray: stretch.approximate ? '3 4' : index === 0 ? undefined : '6 3',
        }),
      );
    }
    marks.push(
      Plot.dot(
        data.filter((p) => !p.approximate),
        { x: 'date', y: 'value', fill: colour, r: 2.2 },
      ),
      Plot.dot(
        data.filter((p) => p.approximate),
        { x: 'date', y: 'value', fill: 'white', stroke: colour, strokeWidth: 1.5, r: 3 },
      ),
    );
  }
  const svg = Plot.plot({
    document: document as unknown as Document,
    width: options.width ?? CHART_WIDTH,
    height: options.height ?? 250,
    marginLeft: 54,
    marginRight: options.target !== null ? 70 : 18,
    marginTop: 30,
    style: { fontFamily: 'inherit', fontSize: `${CHART_FONT_SIZE}px` },
    x: {
      type: 'utc',
      label: null,
      ticks:
        dates.length && Math.max(...dates) - Math.min(...dates) > 2 * 365 * 86_400_000 ? 'year' : '6 months',
      tickFormat: (d: Date) => `${d.getUTCMonth() + 1}/${d.getUTCFullYear()}`,
    },
    y: {
      domain: [floor, ceiling],
      label: null,
      tickFormat: (d: number) => percentTick.format(d),
    },
    marks,
  });
  return finish(svg, options.label);
}

export interface RankingBar {
  name: string;
  value: number;
}

/** Units ranked by a KPI, best first: each unit's name above its bar (full-width bars stay
 * readable on a phone), the value in the right margin, the target as a dashed red tick beside
 * each bar only — so no label crosses a line. */
export function renderRankingChart(bars: RankingBar[], target: number | null, label: string): string {
  const band = { insetTop: 21, insetBottom: 3 };
  const marks: Plot.Markish[] = [
    Plot.barX(bars, { y: 'name', x: 'value', fill: SERIES_COLOURS.primary, ...band }),
    Plot.tickX(bars, { y: 'name', x: () => 0, stroke: 'currentColor', ...band }),
    Plot.text(bars, {
      y: 'name',
      x: 0,
      text: 'name',
      textAnchor: 'start',
      dy: -10,
      fill: 'currentColor',
    }),
    Plot.text(bars, {
      y: 'name',
      x: 1,
      text: (d: RankingBar) => formatRate(d.value),
      textAnchor: 'start',
      dx: 6,
      dy: 9,
      fill: 'currentColor',
    }),
  ];
  if (target !== null) {
    marks.push(
      Plot.tickX(bars, {
        y: 'name',
        x: () => target,
        stroke: SERIES_COLOURS.target,
        strokeDasharray: '2 3',
        strokeWidth: 1.5,
        ...band,
      }),
    );
  }
  const svg = Plot.plot({
    document: document as unknown as Document,
    width: CHART_WIDTH,
    height: 34 + bars.length * 42,
    marginLeft: 16,
    marginRight: 72,
    marginTop: 30,
    marginBottom: 4,
    style: { fontFamily: 'inherit', fontSize: `${CHART_FONT_SIZE}px` },
    x: {
      domain: [0, 1],
      label: null,
      tickFormat: (d: number) => percentTick.format(d),
      axis: 'top',
      ticks: 5,
      // Tick marks would touch their labels' glyph boxes; the labels alone say where 0–100% are.
      tickSize: 0,
      tickPadding: 6,
    },
    y: { domain: bars.map((bar) => bar.name), label: null, axis: null, padding: 0 },
    marks,
  });
  return finish(svg, label);
}

export interface FunnelDot {
  name: string;
  /** The rate's denominator (resolved dossiers for the on-time rate). */
  volume: number;
  value: number;
  band: 'above' | 'within' | 'below' | null;
}

export interface FunnelChartOptions {
  dots: FunnelDot[];
  /** The province's rate: the funnel's centre. */
  centre: number;
  /** The 99.8% limits for a volume (clamped to 0–1). */
  limits: (volume: number) => { low: number; high: number };
  label: string;
}

/** Band colours: dots outside the funnel stand out (≥ 3:1 on white), the rest stay grey; the
 * band is also written in the chart's data table. */
export const BAND_COLOURS = {
  above: SERIES_COLOURS.primary,
  within: '#767676',
  below: SERIES_COLOURS.secondary,
};

const NICE_VOLUMES = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000];
const volumeTick = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });

/** A funnel plot: each unit's rate against its volume (log scale), the province's rate as a
 * line labelled in the right margin and the 99.8% limits as dashed curves around it. */
export function renderFunnelChart(options: FunnelChartOptions): string {
  const volumes = options.dots.map((dot) => dot.volume);
  const minVolume = Math.max(1, Math.min(...volumes) / 1.5);
  const maxVolume = Math.max(...volumes) * 1.5;
  const steps = 60;
  const curve = Array.from({ length: steps + 1 }, (_, i) => {
    const volume = minVolume * (maxVolume / minVolume) ** (i / steps);
    return { volume, ...options.limits(volume) };
  });
  const values = [...options.dots.map((dot) => dot.value), options.centre];
  const lowest = Math.min(...values, options.limits(Math.min(...volumes)).low);
  const highest = Math.max(...values, options.limits(Math.min(...volumes)).high);
  const floor = Math.max(0, Math.floor((lowest - 0.02) * 10) / 10);
  const ceiling = Math.min(1, Math.ceil((highest + 0.02) * 10) / 10);
  const ticks = NICE_VOLUMES.filter((v) => v >= minVolume && v <= maxVolume);
  const limitLine = { stroke: '#4d4d4d', strokeWidth: 1.5, strokeDasharray: '5 4', clip: true } as const;
  const svg = Plot.plot({
    document: document as unknown as Document,
    width: CHART_WIDTH,
    height: 280,
    marginLeft: 54,
    marginRight: 84,
    marginTop: 16,
    marginBottom: 36,
    style: { fontFamily: 'inherit', fontSize: `${CHART_FONT_SIZE}px` },
    x: {
      type: 'log',
      domain: [minVolume, maxVolume],
      label: null,
      ticks: ticks.length > 4 ? ticks.filter((_, i) => i % 2 === 0) : ticks,
      tickFormat: (d: number) => volumeTick.format(d),
    },
    y: { domain: [floor, ceiling], label: null, ticks: 6, tickFormat: (d: number) => percentTick.format(d) },
    marks: [
      Plot.gridY({ stroke: '#767676', strokeOpacity: 0.25 }),
      Plot.ruleY([options.centre], { stroke: SERIES_COLOURS.target, strokeWidth: 1.5 }),
      Plot.text([options.centre], {
        y: (d: number) => d,
        frameAnchor: 'right',
        dx: 6,
        text: (d: number) => `Toàn tỉnh\n${formatRate(d)}`,
        fill: SERIES_COLOURS.target,
        textAnchor: 'start',
        lineAnchor: 'middle',
      }),
      Plot.line(curve, { x: 'volume', y: 'high', ...limitLine }),
      Plot.line(curve, { x: 'volume', y: 'low', ...limitLine }),
      Plot.dot(options.dots, {
        x: 'volume',
        y: 'value',
        r: 4,
        fill: (d: FunnelDot) => BAND_COLOURS[d.band ?? 'within'],
        stroke: 'white',
        strokeWidth: 1,
      }),
    ],
  });
  return finish(svg, options.label);
}

/** The same SVG as a standalone file (downloaded charts open in any viewer). */
export function standaloneSvg(markup: string): string {
  const withNamespace = markup.startsWith('<svg xmlns=')
    ? markup
    : markup.replace('<svg ', '<svg xmlns="http://www.w3.org/2000/svg" ');
  // Outside the page there is no inherited font or colour: name them.
  return `<?xml version="1.0" encoding="UTF-8"?>\n${withNamespace.replace(
    'style="font-family:inherit;',
    "style=\"color:#1a1a1a;background:#fff;font-family:'Be Vietnam Pro',system-ui,sans-serif;",
  )}`;
}

/** A small trend line of rates (0–1), oldest first, as inline SVG built at build time (no
 * JavaScript): the line over the periods that have a value, the last point marked. */
export function renderSparkline(values: (number | null)[], label: string, width = 96, height = 24): string {
  const pad = 3;
  const known = values.map((value, index) => ({ value, index })).filter((p) => p.value !== null) as {
    value: number;
    index: number;
  }[];
  const escaped = label.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const open = `<svg class="sparkline" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escaped}">`;
  if (known.length === 0) return `${open}</svg>`;
  const low = Math.min(...known.map((p) => p.value));
  const high = Math.max(...known.map((p) => p.value));
  const span = high - low || 1;
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const x = (index: number) => (pad + index * step).toFixed(1);
  const y = (value: number) => (height - pad - ((value - low) / span) * (height - 2 * pad)).toFixed(1);
  const points = known.map((p) => `${x(p.index)},${y(p.value)}`).join(' ');
  const last = known.at(-1)!;
  return (
    `${open}<polyline points="${points}" fill="none" stroke="${SERIES_COLOURS.primary}" stroke-width="1.5" stroke-linejoin="round"/>` +
    `<circle cx="${x(last.index)}" cy="${y(last.value)}" r="2.2" fill="${SERIES_COLOURS.primary}"/></svg>`
  );
}

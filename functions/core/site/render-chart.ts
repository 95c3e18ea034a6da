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
}

export interface TrendChartOptions {
  points: TrendPoint[];
  /** Series drawn solid first, dashed second (a unit beside the province). */
  seriesOrder: string[];
  target: number | null;
  label: string;
  width?: number;
  height?: number;
}

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
  // Plot prints coordinates with 15 decimals; one is plenty and keeps pages light.
  return element.outerHTML.replace(/(\d\.\d)\d{2,}/g, '$1');
}

/** A monthly trend of one KPI (0–1) per series, with the target as a dashed red line. */
export function renderTrendChart(options: TrendChartOptions): string {
  const points = options.points
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
        frameAnchor: 'left',
        dx: 4,
        dy: -7,
        text: (d: number) => `Chỉ tiêu ${percentTick.format(d)}`,
        fill: SERIES_COLOURS.target,
        textAnchor: 'start',
      }),
    );
  }
  for (const [index, name] of [first, second].entries()) {
    if (!name) continue;
    const data = points.filter((p) => p.series === name);
    const colour = index === 0 ? SERIES_COLOURS.primary : SERIES_COLOURS.secondary;
    marks.push(
      Plot.lineY(data, {
        x: 'date',
        y: 'value',
        stroke: colour,
        strokeWidth: 2,
        strokeDasharray: index === 0 ? undefined : '6 3',
      }),
      Plot.dot(data, { x: 'date', y: 'value', fill: colour, r: 2.2 }),
    );
  }
  const svg = Plot.plot({
    document: document as unknown as Document,
    // Narrow on purpose: scaled to a 360-px phone the labels stay readable.
    width: options.width ?? 480,
    height: options.height ?? 260,
    marginLeft: 44,
    marginRight: 18,
    style: { fontFamily: 'inherit', fontSize: '13px' },
    x: {
      type: 'utc',
      label: null,
      ticks: '6 months',
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
 * readable on a phone), the value written at the bar's end, the target as a dashed red line. */
export function renderRankingChart(bars: RankingBar[], target: number | null, label: string): string {
  const marks: Plot.Markish[] = [
    Plot.barX(bars, { y: 'name', x: 'value', fill: SERIES_COLOURS.primary, insetTop: 17, insetBottom: 3 }),
    Plot.text(bars, {
      y: 'name',
      x: 0,
      text: 'name',
      textAnchor: 'start',
      dy: -9,
      fill: 'currentColor',
    }),
    Plot.text(bars, {
      y: 'name',
      x: 'value',
      text: (d: RankingBar) => formatRate(d.value),
      textAnchor: 'start',
      dx: 4,
      dy: 7,
      fill: 'currentColor',
    }),
    Plot.ruleX([0]),
  ];
  if (target !== null) {
    marks.push(
      Plot.ruleX([target], { stroke: SERIES_COLOURS.target, strokeDasharray: '2 3', strokeWidth: 1.5 }),
    );
  }
  const svg = Plot.plot({
    document: document as unknown as Document,
    width: 480,
    height: 30 + bars.length * 38,
    marginLeft: 16,
    marginRight: 62,
    marginTop: 26,
    marginBottom: 4,
    style: { fontFamily: 'inherit', fontSize: '13px' },
    x: {
      domain: [0, 1],
      label: null,
      tickFormat: (d: number) => percentTick.format(d),
      axis: 'top',
      ticks: 5,
    },
    y: { domain: bars.map((bar) => bar.name), label: null, axis: null, padding: 0 },
    marks,
  });
  return finish(svg, label);
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

// One SVG and one CSV file per chart of the site, written at build time.
import type { APIRoute } from 'astro';
import { allCharts, type ChartSpec, chartCsv, chartSvgFile, listPeriods, siteData } from '../../lib/site.ts';

export function getStaticPaths() {
  const data = siteData();
  const charts = allCharts(
    data,
    listPeriods(data).map((p) => p.period),
  );
  return charts.flatMap((spec) => [
    { params: { file: `${spec.id}.svg` }, props: { spec, kind: 'svg' } },
    { params: { file: `${spec.id}.csv` }, props: { spec, kind: 'csv' } },
  ]);
}

export const GET: APIRoute = ({ props }) => {
  const { spec, kind } = props as { spec: ChartSpec; kind: 'svg' | 'csv' };
  return kind === 'svg'
    ? new Response(chartSvgFile(spec), { headers: { 'Content-Type': 'image/svg+xml; charset=utf-8' } })
    : new Response(chartCsv(spec), { headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
};

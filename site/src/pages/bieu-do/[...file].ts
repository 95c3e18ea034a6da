// One SVG, one PNG (rendered from the SVG by resvg with the site's font) and one CSV file per
// chart of the site, written at build time.
import type { APIRoute } from 'astro';
import { allCharts, type ChartSpec, chartCsv, chartSvgFile, listPeriods, siteData } from '../../lib/site.ts';
import { svgToPng } from '../../lib/svg-to-png.ts';

type Kind = 'svg' | 'png' | 'csv';

export function getStaticPaths() {
  const data = siteData();
  const charts = allCharts(
    data,
    listPeriods(data).map((p) => p.period),
  );
  return charts.flatMap((spec) =>
    (['svg', 'png', 'csv'] as const).map((kind) => ({
      params: { file: `${spec.id}.${kind}` },
      props: { spec, kind },
    })),
  );
}

export const GET: APIRoute = ({ props }) => {
  const { spec, kind } = props as { spec: ChartSpec; kind: Kind };
  if (kind === 'svg')
    return new Response(chartSvgFile(spec), { headers: { 'Content-Type': 'image/svg+xml; charset=utf-8' } });
  if (kind === 'png')
    return new Response(new Uint8Array(svgToPng(chartSvgFile(spec))), {
      headers: { 'Content-Type': 'image/png' },
    });
  return new Response(chartCsv(spec), { headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
};

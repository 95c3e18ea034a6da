// The arithmetic of honest ranking, the same formulas as queries/unit_kpis.sql: the 95% Wilson
// interval of a rate and the 99.8% funnel limits around the province's rate. The site draws
// the funnel from these; the bands and intervals it shows are the published ones.
import type { FunnelBand } from './published-data.ts';
import type { KpiKey } from './site-model.ts';
import { KPIS } from './site-model.ts';

/** Two-sided 99.8% (the funnel) and 95% (the interval) normal quantiles. */
export const FUNNEL_Z = 3.090232;
export const WILSON_Z = 1.959964;

/** Half the funnel's width for a unit with n dossiers in the denominator. */
function funnelSpread(p0: number, n: number): number {
  return FUNNEL_Z * Math.sqrt((p0 * (1 - p0)) / n);
}

/** The funnel's limits for a unit with n dossiers in the denominator (drawn clamped to 0–1). */
export function funnelLimits(p0: number, n: number): { low: number; high: number } {
  const spread = funnelSpread(p0, n);
  return { low: Math.max(0, p0 - spread), high: Math.min(1, p0 + spread) };
}

/** The band of x out of n against the province's p0 (null when n is 0), as the SQL says it. */
export function funnelBand(x: number, n: number, p0: number | null): FunnelBand | null {
  if (n === 0 || p0 === null) return null;
  const spread = funnelSpread(p0, n);
  if (x / n > p0 + spread) return 'above';
  if (x / n < p0 - spread) return 'below';
  return 'within';
}

/** The 95% Wilson score interval of x out of n (null when n is 0). */
export function wilsonInterval(x: number, n: number): { low: number; high: number } | null {
  if (n === 0) return null;
  const p = x / n;
  const z2 = WILSON_Z * WILSON_Z;
  const centre = p + z2 / (2 * n);
  const spread = WILSON_Z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: (centre - spread) / (1 + z2 / n), high: (centre + spread) / (1 + z2 / n) };
}

/** Bands best first for this KPI: above the province is good, except where lower is better. */
export function bandOrder(kpi: KpiKey): FunnelBand[] {
  return KPIS[kpi].lowerIsBetter ? ['below', 'within', 'above'] : ['above', 'within', 'below'];
}

/** The band in words, saying whether it is good news (lower is better for returned_share). */
export function bandWords(kpi: KpiKey, band: FunnelBand): string {
  const words = { above: 'Cao hơn toàn tỉnh', within: 'Trong giới hạn', below: 'Thấp hơn toàn tỉnh' }[band];
  if (band === 'within') return words;
  const good = (band === 'above') !== KPIS[kpi].lowerIsBetter;
  return `${words} (${good ? 'tốt hơn' : 'kém hơn'})`;
}

// What a published version covers, and the guard that keeps a smaller one from replacing it.
//
// A version's scope: the units it has figures for (distinct unit_code of unit_kpis), the
// periods (distinct period_type + period of province_kpis) and, for each complete period
// (is_complete: it ended before the as-of time), its number of unit_kpis rows. A new version
// is SMALLER than the live one when it has fewer units, fewer periods, or fewer rows in a
// period that was complete in the live one; an empty version (no unit row) is the extreme
// case. Such a version (an as-of before the first dossier, a lake emptied by mistake, a
// registry that lost units) replaces the live data only when the operator says so
// (`--allow-empty`). The scope is recorded in datapackage.json so that the next run can compare
// without reading the tables again.
import type { Row } from '../engine.ts';

export interface PublishedScope {
  units: number;
  periods: number;
  /** `<period_type> <period>` → unit_kpis rows, for every period. */
  period_rows: Record<string, number>;
  /** The periods (same keys) that ended before the as-of time. */
  complete_periods: string[];
}

const periodKey = (row: Row) => `${String(row['period_type'])} ${String(row['period'])}`;

export function scopeOf(tables: Record<string, readonly Row[] | undefined>): PublishedScope {
  const unitRows = tables['unit_kpis'] ?? [];
  const provinceRows = tables['province_kpis'] ?? [];
  const rows: Record<string, number> = {};
  for (const row of unitRows) rows[periodKey(row)] = (rows[periodKey(row)] ?? 0) + 1;
  return {
    units: new Set(unitRows.map((r) => r['unit_code'])).size,
    periods: new Set(provinceRows.map(periodKey)).size,
    period_rows: rows,
    complete_periods: provinceRows.filter((r) => r['is_complete'] === true).map(periodKey),
  };
}

/** What shrank from `live` to `next`, one phrase each; empty when nothing did. */
export function shrinkage(live: PublishedScope, next: PublishedScope): string[] {
  const found: string[] = [];
  if (next.units === 0 && live.units > 0)
    found.push(`the new version is empty (0 units, ${live.units} live)`);
  else if (next.units < live.units) found.push(`units ${live.units} → ${next.units}`);
  if (next.periods < live.periods) found.push(`periods ${live.periods} → ${next.periods}`);
  const fewerRows = live.complete_periods
    .map((key) => ({ key, live: live.period_rows[key] ?? 0, next: next.period_rows[key] ?? 0 }))
    .filter((p) => p.next < p.live)
    .map((p) => `${p.key}: ${p.live} → ${p.next} rows`);
  if (fewerRows.length > 0) {
    const shown = fewerRows.slice(0, 5).join(', ');
    found.push(
      `unit rows of complete periods: ${shown}${fewerRows.length > 5 ? ` and ${fewerRows.length - 5} more` : ''}`,
    );
  }
  return found;
}

export class ShrinkError extends Error {
  override name = 'ShrinkError';
}

// Revisions: every nightly run recomputes the past from the records, and late records or
// corrections can change a figure already published. Each publication compares its figures of
// complete periods with those of the version it replaces and lists every figure that changed
// (`revisions`), after the revisions listed before: a standing record of what was revised,
// when, from what to what. Only the catalog's figures (counts and rates) are compared: ranks,
// intervals and bands follow from them.
import type { Row } from '../engine.ts';
import { COUNT_NAMES, RATE_NAMES } from '../kpi-catalog.ts';

/** The figure tables compared, with the columns that identify a row beside the period. */
export const REVISED_TABLES: ReadonlyArray<{ table: string; unitKey: string | null }> = [
  { table: 'province_kpis', unitKey: null },
  { table: 'unit_kpis', unitKey: 'unit_code' },
];

const FIGURES = [...COUNT_NAMES, ...RATE_NAMES];

/** A published version as the comparison needs it: its as-of time and its tables' rows. */
export interface PublishedVersion {
  asOf: string;
  tables: Record<string, readonly Row[] | undefined>;
}

const isComplete = (row: Row) => row['is_complete'] === true || row['is_complete'] === 'true';

/** Rates are compared to 1e-12 (float noise is not a revision); counts exactly. */
function changed(previous: Row[string] | undefined, value: Row[string] | undefined): boolean {
  const a = previous ?? null;
  const b = value ?? null;
  if (a === null || b === null) return a !== b;
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) > 1e-12;
  return a !== b;
}

/**
 * The revisions of `current` against `previous`, appended to the ones `previous` listed.
 * A row present on one side only counts as a revision of each figure that the other side
 * lacks (null).
 */
export function computeRevisions(previous: PublishedVersion | undefined, current: PublishedVersion): Row[] {
  if (!previous) return [];
  const revisions: Row[] = [...(previous.tables['revisions'] ?? [])];
  for (const { table, unitKey } of REVISED_TABLES) {
    const keyOf = (row: Row) =>
      `${row['period_type']}|${row['period']}|${unitKey ? String(row[unitKey]) : ''}`;
    const before = new Map((previous.tables[table] ?? []).filter(isComplete).map((r) => [keyOf(r), r]));
    const after = new Map((current.tables[table] ?? []).filter(isComplete).map((r) => [keyOf(r), r]));
    // Only periods complete in both versions: a period that just ended is new, not revised.
    const keys = [...new Set([...before.keys(), ...after.keys()])].filter((key) => {
      const [periodType, period] = key.split('|');
      const completeIn = (rows: Map<string, Row>) =>
        [...rows.keys()].some((k) => k.startsWith(`${periodType}|${period}|`));
      return completeIn(before) && completeIn(after);
    });
    for (const key of keys.sort()) {
      const old = before.get(key);
      const now = after.get(key);
      const [periodType, period, unitCode] = key.split('|');
      for (const column of FIGURES) {
        const previousValue = old?.[column];
        const value = now?.[column];
        if (!changed(previousValue, value)) continue;
        revisions.push({
          table,
          period_type: periodType ?? null,
          period: period ?? null,
          unit_code: unitKey ? (unitCode ?? null) : null,
          column,
          previous_value: typeof previousValue === 'number' ? previousValue : null,
          value: typeof value === 'number' ? value : null,
          previous_as_of: previous.asOf,
          as_of: current.asOf,
        });
      }
    }
  }
  return revisions;
}

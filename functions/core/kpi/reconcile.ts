// Reconciliation before anything is published: the identities of docs/design.md on every unit,
// field and province row, each rate equal to its numerator over its denominator, and the
// province equal to the sum of its units (and each unit to the sum of its fields). The kind
// of error found in provinces' hand-made tables; here it stops the publication and names
// the rows.
import type { Row } from '../engine.ts';
import {
  RATES as CATALOG_RATES,
  SUBSETS as CATALOG_SUBSETS,
  SUM_IDENTITIES as CATALOG_SUMS,
  COUNT_NAMES,
} from '../kpi-catalog.ts';
import { FIGURE_COLUMN_NAMES } from '../published-tables.ts';
import type { KpiResult } from './run-kpis.ts';
import { type UnitSuccession, unitLineage } from './unit-registry.ts';

export interface ReconciliationFailure {
  table: string;
  period_type: string;
  period: string;
  /** null for a province row */
  unit_code: string | null;
  field_code?: string;
  identity: string;
  detail: string;
}

export class ReconciliationError extends Error {
  readonly failures: ReconciliationFailure[];
  constructor(failures: ReconciliationFailure[]) {
    const shown = failures.slice(0, 50).map(describeFailure);
    const more = failures.length > shown.length ? `\n  … and ${failures.length - shown.length} more` : '';
    super(
      `reconciliation failed on ${failures.length} row(s); nothing published:\n  ${shown.join('\n  ')}${more}`,
    );
    this.name = 'ReconciliationError';
    this.failures = failures;
  }
}

export function describeFailure(f: ReconciliationFailure): string {
  const where = f.unit_code === null ? 'province' : `unit_code=${f.unit_code}`;
  const field = f.field_code === undefined ? '' : ` field_code=${f.field_code}`;
  return `${f.table} ${f.period_type} ${f.period} ${where}${field}: ${f.identity} (${f.detail})`;
}

/** The published count columns (the KPI catalog's counts that the figure tables carry). */
export const COUNT_COLUMNS = FIGURE_COLUMN_NAMES.filter((name) => COUNT_NAMES.includes(name));

const describeSum = (left: string, terms: readonly string[]) => `${left} = ${terms.join(' + ')}`;

/** Sums that must hold on every row, from the catalog: [name, left side, right side terms]. */
const SUM_IDENTITIES = CATALOG_SUMS.map(([left, terms]) => [describeSum(left, terms), left, terms] as const);

/** Subsets from the catalog: [part, whole]. */
const SUBSETS = CATALOG_SUBSETS;

/** Rates from the catalog: [rate, numerator, denominator terms]. */
const RATES = CATALOG_RATES.map((r) => [r.name, r.numerator, r.denominator] as const);

const num = (row: Row, column: string): number => {
  const value = row[column];
  return typeof value === 'number' ? value : Number.NaN;
};

function checkRow(
  table: string,
  row: Row,
  unitCode: string | null,
  fieldCode?: string,
): ReconciliationFailure[] {
  const failures: ReconciliationFailure[] = [];
  const fail = (identity: string, detail: string) =>
    failures.push({
      table,
      period_type: String(row['period_type']),
      period: String(row['period']),
      unit_code: unitCode,
      ...(fieldCode === undefined ? {} : { field_code: fieldCode }),
      identity,
      detail,
    });
  for (const column of COUNT_COLUMNS) {
    const value = num(row, column);
    if (!Number.isInteger(value) || value < 0) fail(`${column} is a count ≥ 0`, `${column}=${row[column]}`);
  }
  for (const [name, left, terms] of SUM_IDENTITIES) {
    const right = terms.reduce((sum, t) => sum + num(row, t), 0);
    if (num(row, left) !== right) fail(name, `${num(row, left)} ≠ ${right}`);
  }
  for (const [part, whole] of SUBSETS) {
    if (num(row, part) > num(row, whole))
      fail(`${part} ≤ ${whole}`, `${num(row, part)} > ${num(row, whole)}`);
  }
  for (const [rate, numerator, denominator] of RATES) {
    const den = denominator.reduce((sum, t) => sum + num(row, t), 0);
    const expected = den === 0 ? null : num(row, numerator) / den;
    const actual = row[rate];
    const ok =
      expected === null
        ? actual === null
        : typeof actual === 'number' && Math.abs(actual - expected) <= 1e-12;
    if (!ok) fail(`${rate} = ${numerator} / ${denominator.join(' + ')}`, `${actual} ≠ ${expected}`);
  }
  return failures;
}

const periodKey = (row: Row) => `${row['period_type']}|${row['period']}`;

/** Each count of `total` equals the sum over `parts` with the same key. */
function checkSums(
  table: string,
  identity: string,
  totals: Map<string, Row>,
  parts: Map<string, Row[]>,
  unitOf: (key: string) => string | null,
): ReconciliationFailure[] {
  const failures: ReconciliationFailure[] = [];
  const keys = new Set([...totals.keys(), ...parts.keys()]);
  for (const key of keys) {
    const total = totals.get(key);
    const rows = parts.get(key) ?? [];
    const [period_type = '', period = ''] = key.split('|');
    const differing = COUNT_COLUMNS.filter((column) => {
      const sum = rows.reduce((s, r) => s + num(r, column), 0);
      return (total ? num(total, column) : 0) !== sum;
    });
    if (differing.length > 0) {
      const detail = differing
        .map((c) => `${c}: ${total ? total[c] : 'no row'} ≠ ${rows.reduce((s, r) => s + num(r, c), 0)}`)
        .join(', ');
      failures.push({ table, period_type, period, unit_code: unitOf(key), identity, detail });
    }
  }
  return failures;
}

function groupBy(rows: Row[], key: (row: Row) => string): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/** Every failure found (empty when the result is consistent). */
export function findReconciliationFailures(result: KpiResult): ReconciliationFailure[] {
  const units = result.tables['unit_kpis'] ?? [];
  const province = result.tables['province_kpis'] ?? [];
  const fields = result.tables['field_kpis'] ?? [];
  const failures: ReconciliationFailure[] = [];
  for (const row of units) failures.push(...checkRow('unit_kpis', row, String(row['unit_code'])));
  for (const row of province) failures.push(...checkRow('province_kpis', row, null));
  for (const row of fields) {
    failures.push(...checkRow('field_kpis', row, String(row['unit_code']), String(row['field_code'])));
  }
  failures.push(
    ...checkSums(
      'province_kpis',
      'province = sum of units',
      new Map(province.map((r) => [periodKey(r), r])),
      groupBy(units, periodKey),
      () => null,
    ),
  );
  const unitKey = (r: Row) => `${periodKey(r)}|${r['unit_code']}`;
  failures.push(
    ...checkSums(
      'unit_kpis',
      'unit = sum of its fields',
      new Map(units.filter((r) => num(r, 'received_total') > 0).map((r) => [unitKey(r), r])),
      groupBy(fields, unitKey),
      (key) => key.split('|')[2] ?? null,
    ),
  );
  failures.push(...checkSuccessors(result));
  return failures;
}

/**
 * successor_kpis: an exact row (every weight 1) holds the identities of any figure row and
 * equals the sum of its ancestors' unit_kpis rows of the same period.
 */
function checkSuccessors(result: KpiResult): ReconciliationFailure[] {
  const exact = (result.tables['successor_kpis'] ?? []).filter((r) => r['lineage'] === 'exact');
  if (exact.length === 0) return [];
  const successions = (result.tables['unit_successors'] ?? []).map((r) => ({
    predecessor_code: String(r['predecessor_code']),
    successor_code: String(r['successor_code']),
    weight: Number(r['weight']),
    effective_date: r['effective_date'] === null ? null : String(r['effective_date']),
  })) satisfies UnitSuccession[];
  const ancestors = new Map<string, string[]>();
  for (const link of unitLineage(successions)) {
    ancestors.set(link.successor_code, [...(ancestors.get(link.successor_code) ?? []), link.ancestor_code]);
  }
  const unitRows = new Map(
    (result.tables['unit_kpis'] ?? []).map((r) => [`${periodKey(r)}|${r['unit_code']}`, r]),
  );
  const failures: ReconciliationFailure[] = [];
  const totals = new Map<string, Row>();
  const parts = new Map<string, Row[]>();
  for (const row of exact) {
    const key = `${periodKey(row)}|${row['unit_code']}`;
    failures.push(...checkRow('successor_kpis', row, String(row['unit_code'])));
    totals.set(key, row);
    parts.set(
      key,
      (ancestors.get(String(row['unit_code'])) ?? []).flatMap((code) => {
        const unitRow = unitRows.get(`${periodKey(row)}|${code}`);
        return unitRow ? [unitRow] : [];
      }),
    );
  }
  failures.push(
    ...checkSums(
      'successor_kpis',
      'exact successor = sum of its predecessors',
      totals,
      parts,
      (key) => key.split('|')[2] ?? null,
    ),
  );
  return failures;
}

/** Throws ReconciliationError naming every failing row. */
export function reconcile(result: KpiResult): void {
  const failures = findReconciliationFailures(result);
  if (failures.length > 0) throw new ReconciliationError(failures);
}

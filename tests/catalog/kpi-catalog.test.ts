// The KPI catalog is the one declaration of every count and rate: these tests fail when a rate
// is added to the SQL but not to the catalog, or the reverse, and when any consumer (published
// columns, reconciliation) drifts from it.
import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import type { Row } from '../../functions/core/engine.ts';
import { findReconciliationFailures } from '../../functions/core/kpi/reconcile.ts';
import { COUNT_NAMES, COUNTS, RATES, SUBSETS, SUM_IDENTITIES } from '../../functions/core/kpi-catalog.ts';
import { FIGURE_COLUMN_NAMES, PROVINCE_KPIS, UNIT_KPIS } from '../../functions/core/published-tables.ts';

const FIGURES_SQL = new URL('../../queries/shared/period_figures.sql', import.meta.url);

/** Every `CAST(f.<num> AS DOUBLE) / nullif(<den>, 0) AS <rate>` of the figures SQL. */
async function sqlRates(): Promise<Map<string, { numerator: string; denominator: string[] }>> {
  const sql = await readFile(FIGURES_SQL, 'utf8');
  const rates = new Map<string, { numerator: string; denominator: string[] }>();
  const pattern = /CAST\(f\.(\w+) AS DOUBLE\)\s*\/\s*nullif\(([^)]*?),\s*0\)\s+AS\s+(\w+)/gi;
  for (const [, numerator, denominator, name] of sql.matchAll(pattern)) {
    rates.set(name!, {
      numerator: numerator!,
      denominator: denominator!.split('+').map((term) => term.trim().replace(/^f\./, '')),
    });
  }
  // Any division at all in the final SELECT is a rate: none may escape the pattern above.
  const divisions = sql.split('\n').filter((line) => / AS DOUBLE\) \/ /.test(line));
  expect(divisions.length, 'every division in period_figures.sql is a catalog-shaped rate').toBe(rates.size);
  return rates;
}

describe('KPI catalog', () => {
  test('every rate of the SQL is in the catalog with the same numerator and denominator, and the reverse', async () => {
    const inSql = await sqlRates();
    expect([...inSql.keys()].sort()).toEqual(RATES.map((r) => r.name).sort());
    for (const rate of RATES) {
      expect(inSql.get(rate.name), rate.name).toEqual({
        numerator: rate.numerator,
        denominator: [...rate.denominator],
      });
    }
  });

  test('every figure column of the published tables is a catalog count or rate, and every one is published', () => {
    const catalog = new Set([...COUNT_NAMES, ...RATES.map((r) => r.name)]);
    for (const name of FIGURE_COLUMN_NAMES) expect(catalog.has(name), name).toBe(true);
    for (const name of catalog) expect(FIGURE_COLUMN_NAMES as readonly string[], name).toContain(name);
    const province = PROVINCE_KPIS.columns.map((c) => c.name);
    for (const name of catalog) expect(province, name).toContain(name);
  });

  test('published descriptions come from the catalog', () => {
    for (const rate of RATES) {
      const column = UNIT_KPIS.columns.find((c) => c.name === rate.name);
      expect(column?.vi).toBe(rate.description_vi);
      expect(column?.en).toBe(rate.description_en);
    }
    for (const count of COUNTS) {
      const column = UNIT_KPIS.columns.find((c) => c.name === count.name);
      expect(column?.vi).toBe(count.description_vi);
    }
  });

  test('names and terms refer to declared counts; labels are Vietnamese and English', () => {
    const counts = new Set(COUNT_NAMES);
    for (const rate of RATES) {
      for (const term of [rate.numerator, ...rate.denominator]) expect(counts.has(term), term).toBe(true);
      expect(rate.label_vi).toMatch(/[ạảãàáâậầấẩẫăắằặẳẵđêềếểễệôồốổỗộơờớởỡợưừứửữựọỏõòóéèẻẽẹìíỉĩịùúủũụỳýỷỹỵ]/i);
      expect(rate.label_en).toMatch(/^[\x20-\x7e]+$/);
    }
    for (const [left, terms] of SUM_IDENTITIES)
      for (const n of [left, ...terms]) expect(counts.has(n), n).toBe(true);
    for (const pair of SUBSETS) for (const n of pair) expect(counts.has(n), n).toBe(true);
  });

  test('reconciliation checks every catalog rate: a wrong value of any rate is caught', () => {
    const row: Row = { period_type: 'month', period: '2025-01' };
    for (const name of COUNT_NAMES) row[name] = 0;
    Object.assign(row, {
      received_total: 10,
      received_online: 4,
      received_offline: 6,
      new_total: 10,
      resolved_total: 8,
      resolved_on_time: 6,
      resolved_early: 2,
      resolved_late: 2,
      pending_total: 2,
      pending_not_due: 1,
      pending_overdue: 1,
      overdue_total: 3,
      e_cert_total: 2,
      e_cert_electronic: 1,
      fee_required_total: 4,
      paid_online_total: 1,
      digitized_total: 5,
      result_electronic_total: 3,
      resolution_days_total: 40,
    });
    for (const rate of RATES) {
      const den = rate.denominator.reduce((s, t) => s + Number(row[t]), 0);
      row[rate.name] = den === 0 ? null : Number(row[rate.numerator]) / den;
    }
    // One unit with one field: the province = Σ units and unit = Σ fields checks hold too.
    const tablesOf = (r: Row) => ({
      province_kpis: [r],
      unit_kpis: [{ ...r, unit_code: 'U1' }],
      field_kpis: [{ ...r, unit_code: 'U1', field_code: 'F1' }],
    });
    const clean = findReconciliationFailures({
      asOf: '2025-02-01 00:00:00',
      tables: tablesOf(row),
    });
    expect(clean).toEqual([]);
    for (const rate of RATES) {
      const broken = { ...row, [rate.name]: 0.123456 };
      const failures = findReconciliationFailures({
        asOf: '2025-02-01 00:00:00',
        tables: tablesOf(broken),
      });
      expect(failures.map((f) => f.identity).join('|'), rate.name).toContain(rate.name);
    }
  });
});

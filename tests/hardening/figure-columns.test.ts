// The site's figure columns are derived from the contract (published-tables.ts FIGURE_COLUMN_NAMES,
// described by the KPI catalog), not declared by hand: the type has exactly the contract's
// names, a rate is `number | null` (null when its denominator is 0), a count is a number
// except the counts added after the first publications. The type tells a rate by its name;
// this test holds the catalog to that naming.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { COUNT_NAMES, RATE_NAMES } from '../../functions/core/kpi-catalog.ts';
import { FIGURE_COLUMN_NAMES } from '../../functions/core/published-tables.ts';
import {
  type FigureColumns,
  type FigureName,
  LATER_COUNTS,
  type ProvinceKpiRow,
} from '../../site/src/lib/published-data.ts';

const RATE_SUFFIX = /_(rate|share|ratio)$/;

describe('FigureColumns, derived from the contract', () => {
  it('has exactly the contract figure columns', () => {
    expectTypeOf<keyof FigureColumns>().toEqualTypeOf<(typeof FIGURE_COLUMN_NAMES)[number]>();
    expectTypeOf<FigureName>().toEqualTypeOf<(typeof FIGURE_COLUMN_NAMES)[number]>();
    expect(new Set(FIGURE_COLUMN_NAMES)).toEqual(new Set([...COUNT_NAMES, ...RATE_NAMES]));
  });

  it('types rates as nullable numbers and counts as numbers', () => {
    expectTypeOf<FigureColumns['received_total']>().toEqualTypeOf<number>();
    expectTypeOf<FigureColumns['pending_overdue']>().toEqualTypeOf<number>();
    expectTypeOf<FigureColumns['on_time_rate']>().toEqualTypeOf<number | null>();
    expectTypeOf<FigureColumns['online_share']>().toEqualTypeOf<number | null>();
    expectTypeOf<FigureColumns['e_cert_ratio']>().toEqualTypeOf<number | null>();
    expectTypeOf<FigureColumns['new_total']>().toEqualTypeOf<number | null>();
    expectTypeOf<ProvinceKpiRow['resolution_days_total']>().toEqualTypeOf<number | null>();
  });

  it('the catalog names every rate, and no count, as the type expects', () => {
    for (const name of RATE_NAMES) expect(name, `rate ${name}`).toMatch(RATE_SUFFIX);
    for (const name of COUNT_NAMES) expect(name, `count ${name}`).not.toMatch(RATE_SUFFIX);
    for (const name of LATER_COUNTS) expect(COUNT_NAMES).toContain(name);
  });
});

// computeRevisions: exactly the figures of complete periods that changed, with the values
// before and after; nothing for incomplete periods, ranks or unchanged figures.
import { describe, expect, test } from 'vitest';
import type { Row } from '../../functions/core/engine.ts';
import { computeRevisions } from '../../functions/core/publish/revisions.ts';

const row = (
  period: string,
  complete: boolean,
  figures: Record<string, number | null>,
  unit?: string,
): Row => ({
  period_type: 'month',
  period,
  is_complete: complete,
  ...(unit ? { unit_code: unit, rank_on_time_rate: 1 } : {}),
  ...figures,
});

describe('computeRevisions', () => {
  const before = {
    asOf: '2025-03-01 00:00:00',
    tables: {
      province_kpis: [
        row('2025-01', true, { resolved_total: 10, resolved_on_time: 9, on_time_rate: 0.9 }),
        row('2025-02', true, { resolved_total: 5, resolved_on_time: 5, on_time_rate: 1 }),
        row('2025-03', false, { resolved_total: 0, resolved_on_time: 0, on_time_rate: null }),
      ],
      unit_kpis: [
        row('2025-01', true, { resolved_total: 6, resolved_on_time: 5, on_time_rate: 5 / 6 }, 'A'),
        row('2025-01', true, { resolved_total: 4, resolved_on_time: 4, on_time_rate: 1 }, 'B'),
      ],
    },
  };
  const after = {
    asOf: '2025-03-02 00:00:00',
    tables: {
      province_kpis: [
        row('2025-01', true, { resolved_total: 10, resolved_on_time: 8, on_time_rate: 0.8 }),
        row('2025-02', true, { resolved_total: 5, resolved_on_time: 5, on_time_rate: 1 }),
        row('2025-03', false, { resolved_total: 3, resolved_on_time: 3, on_time_rate: 1 }),
      ],
      unit_kpis: [
        row('2025-01', true, { resolved_total: 6, resolved_on_time: 4, on_time_rate: 4 / 6 }, 'A'),
        {
          ...row('2025-01', true, { resolved_total: 4, resolved_on_time: 4, on_time_rate: 1 }, 'B'),
          rank_on_time_rate: 2,
        },
      ],
    },
  };

  test('lists the changed figures of the unit and the province, nothing else', () => {
    const revisions = computeRevisions(before, after);
    expect(
      revisions.map((r) => [
        r['table'],
        r['period'],
        r['unit_code'],
        r['column'],
        r['previous_value'],
        r['value'],
      ]),
    ).toEqual([
      ['province_kpis', '2025-01', null, 'resolved_on_time', 9, 8],
      ['province_kpis', '2025-01', null, 'on_time_rate', 0.9, 0.8],
      ['unit_kpis', '2025-01', 'A', 'resolved_on_time', 5, 4],
      ['unit_kpis', '2025-01', 'A', 'on_time_rate', 5 / 6, 4 / 6],
    ]);
    for (const r of revisions) {
      expect(r['previous_as_of']).toBe('2025-03-01 00:00:00');
      expect(r['as_of']).toBe('2025-03-02 00:00:00');
    }
  });

  test('keeps the revisions listed before; the first publication has none', () => {
    expect(computeRevisions(undefined, after)).toEqual([]);
    const first = computeRevisions(before, after);
    const third = computeRevisions(
      { ...after, tables: { ...after.tables, revisions: first } },
      { ...after, asOf: '2025-03-03 00:00:00' },
    );
    expect(third).toEqual(first);
  });
});

// The local engine's result rows: plain JS values of the Row contract (functions/core/engine.ts)
// for every type the KPI queries return, read column by column from DuckDB's own values.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Engine } from '../../functions/core/engine.ts';
import { openDuckDbEngine } from '../../functions/core/kpi/duckdb-engine.ts';

let engine: Engine;
beforeAll(async () => {
  engine = await openDuckDbEngine('/nonexistent-lake');
});
afterAll(async () => {
  await engine.close();
});

describe('DuckDbEngine.query', () => {
  test('integers, doubles, decimals, text, booleans, dates and timestamps as the Row contract says', async () => {
    const rows = await engine.query(`
      SELECT * FROM (VALUES
        (1::TINYINT, 113048::INTEGER, 9007199254740991::BIGINT, 0.8687::DOUBLE, 12.34::DECIMAL(10, 2),
         'Đà Nẵng', true, DATE '2024-02-29', TIMESTAMP '2024-01-02 03:04:05.678', [1, 2]),
        (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
      ) AS t(tiny, n, big, rate, amount, name, ok, day, stamp, list)`);
    expect(rows).toEqual([
      {
        tiny: 1,
        n: 113048,
        big: 9007199254740991,
        rate: 0.8687,
        amount: 12.34,
        name: 'Đà Nẵng',
        ok: true,
        day: '2024-02-29',
        stamp: '2024-01-02 03:04:05',
        list: '1,2',
      },
      {
        tiny: null,
        n: null,
        big: null,
        rate: null,
        amount: null,
        name: null,
        ok: null,
        day: null,
        stamp: null,
        list: null,
      },
    ]);
  });

  test('an integer beyond 2^53 is refused, not rounded', async () => {
    await expect(engine.query('SELECT 9007199254740993::BIGINT AS n')).rejects.toThrow(
      /integer out of range/,
    );
  });

  test('a result of several vectors keeps every row in order; an empty result is no rows', async () => {
    const rows = await engine.query('SELECT i, i::VARCHAR AS s FROM range(5000) t(i) ORDER BY i');
    expect(rows).toHaveLength(5000);
    expect(rows[4999]).toEqual({ i: 4999, s: '4999' });
    expect(rows.every((row, index) => row['i'] === index)).toBe(true);
    expect(await engine.query('SELECT 1 AS x WHERE false')).toEqual([]);
  });
});

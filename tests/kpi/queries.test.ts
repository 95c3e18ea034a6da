// The SQL texts of queries/ as the runner reads them: the figure lists the figure tables share
// are markers in the files, expanded from the contract's column order and the catalog's rates.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  expandFigureMarkers,
  QUERY_TABLES,
  queriesDir,
  readQuery,
} from '../../functions/core/kpi/queries.ts';
import { RATES } from '../../functions/core/kpi-catalog.ts';
import { FIGURE_COLUMN_NAMES } from '../../functions/core/published-tables.ts';

const FIGURE_TABLES = ['unit_kpis', 'province_kpis', 'field_kpis', 'successor_kpis'] as const;

describe('readQuery', () => {
  it('leaves no marker in any query', async () => {
    for (const table of QUERY_TABLES) expect(await readQuery(table), table).not.toContain('{{');
  });

  it('declares the figure columns of the figure tables nowhere but the contract', async () => {
    for (const table of FIGURE_TABLES) {
      const file = await readFile(join(queriesDir(), `${table}.sql`), 'utf8');
      expect(file, table).toMatch(/\{\{(figure_columns|rounded_figures) [a-z]+\}\}/);
      expect(file, table).not.toMatch(/\b(result_electronic_total|digitized_total|resolution_days_total)\b/);
      const text = await readQuery(table);
      for (const name of FIGURE_COLUMN_NAMES)
        expect(text, `${table}.${name}`).toMatch(new RegExp(`\\b${name}\\b`));
    }
  });
});

describe('expandFigureMarkers', () => {
  it('lists every figure column of a relation in the contract order, at the marker indent', () => {
    const sql = expandFigureMarkers('SELECT\n    {{figure_columns r}}\nFROM t AS r');
    const lines = sql.split('\n').slice(1, -1);
    expect(lines).toEqual(
      FIGURE_COLUMN_NAMES.map((name, i, all) => `    r.${name}${i < all.length - 1 ? ',' : ''}`),
    );
  });

  it('writes each rate from the catalog and rounds each count', () => {
    const sql = expandFigureMarkers('  {{rounded_figures w}}');
    expect(sql).toContain(
      'w.returned_total / nullif(w.resolved_total + w.returned_total, 0) AS returned_share',
    );
    expect(sql).toContain('CAST(round(w.received_total) AS BIGINT) AS received_total');
    for (const rate of RATES) expect(sql).toContain(`AS ${rate.name}`);
    expect(expandFigureMarkers('{{weighted_counts c}}')).not.toContain('on_time_rate');
    expect(expandFigureMarkers('{{count_columns f}}')).not.toMatch(/_(rate|share|ratio)\b/);
  });

  it('leaves text without a marker as it is', () => {
    expect(expandFigureMarkers('SELECT 1 -- {{ not a marker }}')).toBe('SELECT 1 -- {{ not a marker }}');
  });
});

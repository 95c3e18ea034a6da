// The honest-ranking and 766 parts of the site's data model on real sample files: the ranked
// rates come from the KPI catalog, rows group by band, the funnel's limits and bands follow the
// SQL's formulas, the scorecard totals, and data published before these columns still loads.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formulaVi, RANKED_RATES } from '../../functions/core/kpi-catalog.ts';
import { funnelChart } from '../../site/src/lib/chart-catalog.ts';
import { bandWords, funnelBand, funnelLimits } from '../../site/src/lib/funnel.ts';
import { loadPublishedData, type PublishedData } from '../../site/src/lib/published-data.ts';
import {
  scorecardLeague,
  scorecardPeriod,
  scorecardRows,
  scorecardTotal,
} from '../../site/src/lib/scorecard.ts';
import {
  defaultPeriod,
  denominatorOf,
  KPI_KEYS,
  KPIS,
  numeratorOf,
  sortForLeague,
  unitRows,
} from '../../site/src/lib/site-model.ts';
import { makeSamplePublishedData } from './make-sample-published-data.ts';

let outDir: string;
let data: PublishedData;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'congkhai-site-league-model-'));
  await makeSamplePublishedData(outDir);
  data = loadPublishedData(outDir);
});

describe('honest league tables and the 766 scorecard in the site model', () => {
  it("takes the ranked rates' labels, slugs and formulas from the KPI catalog", () => {
    expect([...KPI_KEYS]).toEqual(RANKED_RATES.map((rate) => rate.name));
    for (const rate of RANKED_RATES) {
      const info = KPIS[rate.name as (typeof KPI_KEYS)[number]];
      expect(info).toMatchObject({ label: rate.label_vi, slug: rate.slug, formula: formulaVi(rate) });
      expect(info.lowerIsBetter).toBe(rate.direction === 'lower');
    }
    // online_share's denominator is new_total; older rows without it use the catalog's sum.
    const row = { received_online: 3, received_offline: 5, new_total: null };
    expect(denominatorOf(row, 'online_share')).toBe(8);
    expect(numeratorOf(row, 'online_share')).toBe(3);
  });

  it('groups league rows by band, best band first, by rank within a band', () => {
    const period = defaultPeriod(data).period;
    const order = { above: 0, within: 1, below: 2 } as const;
    for (const level of ['province', 'district'] as const) {
      const ranked = sortForLeague(unitRows(data, period, level)).filter((row) => row.ranked);
      const bands = ranked.map((row) => order[row.on_time_rate_band!]);
      expect(bands).toEqual([...bands].sort((a, b) => a - b));
      expect(ranked.map((row) => row.rank_on_time_rate)).toEqual(
        [...ranked.map((row) => row.rank_on_time_rate)].sort((a, b) => a! - b!),
      );
    }
  });

  it("draws the funnel with the SQL's limits; says bands right for a lower-is-better rate", () => {
    expect(funnelBand(400, 400, 0.9)).toBe('above');
    expect(funnelBand(90, 100, 0.9)).toBe('within');
    expect(funnelBand(70, 100, 0.9)).toBe('below');
    const { low, high } = funnelLimits(0.9, 100);
    expect(high - 0.9).toBeCloseTo(3.090232 * Math.sqrt((0.9 * 0.1) / 100), 9);
    expect(0.9 - low).toBeCloseTo(high - 0.9, 9);
    expect(bandWords('returned_share', 'below')).toBe('Thấp hơn toàn tỉnh (tốt hơn)');
    expect(bandWords('on_time_rate', 'below')).toBe('Thấp hơn toàn tỉnh (kém hơn)');
    const chart = funnelChart(data, defaultPeriod(data).period, 'province')!;
    for (const row of chart.rows) {
      const published = data.unitKpis.find(
        (unit) => unit.unit_code === row.unit_code && unit.period === defaultPeriod(data).period,
      )!;
      expect(row.band).toBe(bandWords('on_time_rate', published.on_time_rate_band!));
      expect(Number(row.limit_low)).toBeLessThan(Number(row.province_value));
    }
  });

  it("totals a unit's 766 points out of the computable ones and ranks units by that share", () => {
    const period = scorecardPeriod(data, '')!;
    expect(period).toBe(defaultPeriod(data).period);
    const rows = scorecardRows(data, period, '');
    expect(rows.map((row) => row.indicator)).toEqual(['2.1', '2.2', '3.3', '3.6', '4.1', '4.2', '5.4']);
    const total = scorecardTotal(rows);
    expect(total.points).toBeCloseTo(
      rows.reduce((sum, row) => sum + (row.points ?? 0), 0),
      9,
    );
    expect(total.recordMax).toBe(70);
    expect(total.indexMax).toBe(100);
    const league = scorecardLeague(data, period, 'commune');
    expect(league.length).toBeGreaterThan(2);
    expect(league[0]!.rank).toBe(1);
    for (let i = 1; i < league.length; i++)
      expect(league[i - 1]!.share!).toBeGreaterThanOrEqual(league[i]!.share!);
  });

  it('loads data published before the bands, intervals, expectations and scorecard existed', async () => {
    const oldDir = await mkdtemp(join(tmpdir(), 'congkhai-site-old-'));
    await makeSamplePublishedData(oldDir);
    const v1 = join(oldDir, 'data', 'v1');
    await rm(join(v1, 'scorecard_766.json'));
    const rows = JSON.parse(await readFile(join(v1, 'unit_kpis.json'), 'utf8')) as Record<string, unknown>[];
    const dropped = /_ci_low$|_ci_high$|_band$|expected_on_time_rate|on_time_rate_vs_expected/;
    await writeFile(
      join(v1, 'unit_kpis.json'),
      JSON.stringify(
        rows.map((row) => Object.fromEntries(Object.entries(row).filter(([key]) => !dropped.test(key)))),
      ),
    );
    const old = loadPublishedData(oldDir);
    expect(old.scorecard766).toEqual([]);
    expect(
      old.unitKpis.every((row) => row.on_time_rate_band === null && row.expected_on_time_rate === null),
    ).toBe(true);
    expect(scorecardPeriod(old, '')).toBeNull();
    // The funnel still draws, its bands computed with the same formula.
    const chart = funnelChart(old, defaultPeriod(old).period, 'province')!;
    expect(chart.rows.every((row) => typeof row.band === 'string')).toBe(true);
  });
});

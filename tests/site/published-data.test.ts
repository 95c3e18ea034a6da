// Loading the published data (real files from the sample generator) and what the pages derive
// from it: the default period, previous periods, peer groups, targets, chart data.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  chartCsv,
  provinceTrendChart,
  rankingChart,
  unitTrendChart,
} from '../../site/src/lib/chart-catalog.ts';
import { loadPublishedData, type PublishedData } from '../../site/src/lib/published-data.ts';
import {
  communesByDistrict,
  defaultPeriod,
  findPeriod,
  listUnits,
  previousPeriod,
  provinceTarget,
  sortForLeague,
  targetFor,
  unitRows,
} from '../../site/src/lib/site-model.ts';
import { makeSamplePublishedData, SAMPLE_UNITS } from './make-sample-published-data.ts';

let outDir: string;
let data: PublishedData;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'congkhai-site-data-'));
  await makeSamplePublishedData(outDir);
  data = loadPublishedData(outDir);
});

describe('published data for the site', () => {
  it('reads every table, the as-of time and the archive', () => {
    expect(data.asOf).toBe('2025-01-15T00:00:00+07:00');
    expect(data.unitKpis.length).toBeGreaterThan(0);
    expect(data.provinceKpis.every((row) => typeof row.received_total === 'number')).toBe(true);
    expect(data.unitKpis.some((row) => row.is_complete === false)).toBe(true);
    expect(data.archive.map((entry) => entry.date)).toEqual(['2025-01-15', '2025-01-14']);
    expect(data.files.get('unit_kpis.csv')).toBeGreaterThan(0);
  });

  it('shows the latest COMPLETE quarter on the plain URLs, not the running one', () => {
    const period = defaultPeriod(data);
    expect(period.period).toBe('2024-Q4');
    expect(period.is_complete).toBe(true);
    expect(findPeriod(data, '2025-Q1').is_complete).toBe(false);
    expect(previousPeriod(data, period)?.period).toBe('2024-Q3');
    expect(previousPeriod(data, findPeriod(data, '2023-01'))).toBeNull();
  });

  it('lists every unit once, lists unranked units last, groups communes under their district', () => {
    expect(
      listUnits(data)
        .map((u) => u.code)
        .sort(),
    ).toEqual(SAMPLE_UNITS.map((u) => u.code).sort());
    const agencies = sortForLeague(unitRows(data, '2024-Q4', 'province'));
    expect(agencies.at(-1)!.ranked).toBe(false);
    expect(agencies.slice(0, -1).map((r) => r.rank_on_time_rate)).toEqual([1, 2, 3, 4, 5]);
    const groups = communesByDistrict(data, '2024-Q4');
    expect(groups.map((g) => g.district?.code)).toEqual(['BG-H04', 'BG-H01', 'BG-H02', 'BG-H03']);
    for (const group of groups)
      expect(group.rows.every((r) => r.parent_code === group.district?.code)).toBe(true);
  });

  it('takes targets per level from the rows', () => {
    expect(targetFor(data, 'online_share', 'province')).toBe(0.3);
    expect(targetFor(data, 'online_share', 'district')).toBe(0.1);
    expect(provinceTarget(data, 'on_time_rate')).toBe(0.95);
    expect(targetFor(data, 'returned_share')).toBeNull();
  });

  it('builds chart data from complete months, with numerators and denominators', () => {
    const trend = provinceTrendChart(data, 'on_time_rate');
    expect(trend.rows.length).toBe(24);
    for (const row of trend.rows)
      expect(row.value).toBeCloseTo(Number(row.numerator) / Number(row.denominator), 5);
    expect(trend.summary).toMatch(
      /^Tỷ lệ giải quyết đúng hạn toàn tỉnh theo tháng: từ \d+,\d{2}% \(1\/2023\)/,
    );
    expect(trend.svg()).toMatch(/^<svg[^>]*role="img"/);
    const csv = chartCsv(trend);
    expect(csv.startsWith('\uFEFFperiod,value,numerator,denominator,target\n2023-01,')).toBe(true);
    const unit = unitTrendChart(data, 'BG-H01-X01', 'online_share');
    expect(unit.rows[0]).toHaveProperty('province_value');
    const ranking = rankingChart(data, '2024-Q4', 'province')!;
    expect(ranking.rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(ranking.summary).toContain('2 đơn vị chưa đạt chỉ tiêu 95%');
  });

  it('refuses a table that breaks the contract, naming the row and column', async () => {
    const file = join(outDir, 'data', 'v1', 'province_kpis.json');
    const rows = JSON.parse(await readFile(file, 'utf8'));
    rows[2].received_total = 'many';
    await writeFile(file, JSON.stringify(rows));
    expect(() => loadPublishedData(outDir)).toThrow(/province_kpis\.json row 3, column received_total/);
  });
});

// Honest league tables, the funnel plot and the 766 scorecard on the built sample site, in
// Chromium: rows grouped by band with the 95% interval and the band in words, the funnel plot
// and sparklines present without JavaScript, the main rate and target status of every row
// inside a 390-px screen, the scorecard on a unit page and /chi-so-766/, every catalog rate's
// formula on the method page, no console error, no serious axe violation. Screenshots at 390
// and 1366 px under test-results/site/.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formulaVi, RATES, SCORECARD_INDICATORS } from '../../functions/core/kpi-catalog.ts';
import type { PublishedData } from '../../site/src/lib/published-data.ts';
import { defaultPeriod } from '../../site/src/lib/site-model.ts';
import { unitPath } from '../../site/src/lib/unit-slug.ts';
import { type BuiltSite, pageOpener, SCREENSHOTS, sampleSite, seriousAxeViolations } from './site-fixture.ts';

let site: BuiltSite;
let browser: Browser;
let data: PublishedData;
let unitPage: string;

beforeAll(async () => {
  ({ site, data, browser } = await sampleSite('league'));
  unitPage = unitPath(data.unitKpis.find((row) => row.unit_level === 'province' && row.ranked)!.unit_code);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await site?.server.close();
});

const openPage = pageOpener(() => ({ browser, site }), { width: 1366, expectOk: true });

const LEAGUES = () => ['/co-quan/', '/dia-phuong/', `/ky/${defaultPeriod(data).period}/co-quan/`];
const BAND_RANK: Record<string, number> = {
  'Cao hơn toàn tỉnh (tốt hơn)': 0,
  'Trong giới hạn': 1,
  'Thấp hơn toàn tỉnh (kém hơn)': 2,
};

describe('honest league tables and the 766 scorecard', () => {
  it('groups league rows by band, each rate with its 95% interval, the band and the expected rate', async () => {
    for (const path of LEAGUES()) {
      const { page, context, errors } = await openPage(path, { javaScript: false });
      for (const table of await page.locator('table.league').all()) {
        const rows = await table.locator('tbody tr').evaluateAll((trs) =>
          trs.map((tr) => ({
            ranked: !tr.querySelector('.c-name .note'),
            rate: tr.querySelector('.c-rate .rate')?.textContent?.trim() ?? '',
            interval: tr.querySelector('.c-rate .interval')?.textContent?.trim() ?? '',
            band: tr.querySelector('.c-band')?.textContent?.trim() ?? '',
            expected: tr.querySelector('.c-expected')?.textContent?.replace(/\s+/g, ' ').trim() ?? '',
          })),
        );
        const ranked = rows.filter((row) => row.ranked);
        expect(ranked.length, path).toBeGreaterThan(0);
        for (const row of ranked) {
          expect(row.rate, path).toMatch(/^\d{1,3},\d{2}%$/);
          expect(row.interval, path).toMatch(/^\(\d{1,3},\d–\d{1,3},\d\)$/);
          expect(Object.keys(BAND_RANK), path).toContain(row.band);
          expect(row.expected, path).toMatch(/^\d{1,3},\d{2}%\s?thực tế [+-]?\d+,\d{2} điểm %$/);
        }
        const order = ranked.map((row) => BAND_RANK[row.band]!);
        expect(order, `${path}: bands in order`).toEqual([...order].sort((a, b) => a - b));
      }
      expect(errors).toEqual([]);
      await context.close();
    }
    // The sample has units above, within and below the province on the default period.
    const bands = new Set(
      data.unitKpis
        .filter((row) => row.period === defaultPeriod(data).period)
        .map((row) => row.on_time_rate_band),
    );
    expect([...bands].sort()).toEqual(['above', 'below', 'within']);
  });

  it('says a lower returned share is the better side', async () => {
    const { page, context } = await openPage('/dia-phuong/', { javaScript: false });
    const notes = await page.locator('table.league td[data-label="Rút/dừng"] .band-note').allInnerTexts();
    for (const note of notes)
      expect(note).toMatch(/^(Thấp hơn toàn tỉnh \(tốt hơn\)|Cao hơn toàn tỉnh \(kém hơn\))$/);
    expect(notes.length).toBeGreaterThan(0);
    await context.close();
  });

  it('draws the funnel plot and the sparklines without JavaScript, with words and data', async () => {
    for (const path of LEAGUES()) {
      const { page, context } = await openPage(path, { javaScript: false });
      const funnels = page.locator('figure.chart', { hasText: 'Biểu đồ phễu' });
      expect(await funnels.count(), path).toBeGreaterThan(0);
      const first = funnels.first();
      const dots = await first.locator('svg circle').count();
      const dataRows = await first.locator('details tbody tr').count();
      expect(dots, path).toBe(dataRows);
      expect(dots, path).toBeGreaterThan(1);
      expect(await first.locator('svg path').count(), `${path}: limits and axes`).toBeGreaterThan(2);
      expect(await first.locator('figcaption').textContent()).toMatch(/Tỷ lệ toàn tỉnh \d+,\d{2}%/);
      const csv = await first.locator('a', { hasText: 'CSV' }).getAttribute('href');
      expect((await fetch(new URL(csv!, site.server.url))).status).toBe(200);
      const rows = await page.locator('table.league tbody tr').count();
      expect(await page.locator('table.league tbody tr svg.sparkline').count(), path).toBe(rows);
      await context.close();
    }
  });

  it('on a 390-px phone every league row shows its rate and target status inside the screen', async () => {
    for (const path of [...LEAGUES(), '/chi-so-766/', unitPage]) {
      const { page, context, errors } = await openPage(path, { width: 390 });
      const boxes = await page.locator('table.league tbody tr').evaluateAll((rows) =>
        rows.map((row) =>
          ['.c-rate .rate', '.target-status'].map((selector) => {
            const r = row.querySelector(selector)?.getBoundingClientRect();
            return r ? { left: r.left, right: r.right, area: r.width * r.height } : null;
          }),
        ),
      );
      for (const [index, parts] of boxes.entries()) {
        for (const box of parts) {
          expect(box, `${path} row ${index + 1}`).not.toBeNull();
          expect(box!.area).toBeGreaterThan(0);
          expect(box!.left).toBeGreaterThanOrEqual(0);
          expect(box!.right).toBeLessThanOrEqual(390);
        }
      }
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it("shows a unit's 766 scorecard: points out of the computable ones, caveats, what the records lack", async () => {
    const { page, context } = await openPage(unitPage, { javaScript: false });
    const section = page.locator('section.scorecard');
    const text = ((await section.textContent()) ?? '').replace(/\s+/g, ' ');
    expect(text).toMatch(/\d+(,\d+)? trên \d+(,\d+)? điểm tính được từ dữ liệu hồ sơ/);
    for (const indicator of SCORECARD_INDICATORS) {
      expect(text).toContain(`${indicator.code}. ${indicator.label_vi}`);
      if (indicator.caveat_vi) expect(text).toContain(indicator.caveat_vi);
    }
    expect(text).toContain('Nhóm 1. Công khai, minh bạch (tối đa 18 điểm) Không có trong dữ liệu hồ sơ.');
    expect(text).toContain('Phần còn lại của nhóm 6');
    expect(text).toMatch(/\d+(,\d+)? \/ 14/); // 2.1's points out of its maximum
    await context.close();
  });

  it('ranks units by 766 points on /chi-so-766/, linked from the navigation', async () => {
    const { page, context, errors } = await openPage('/', { javaScript: false });
    await page.locator('nav.site-nav a', { hasText: 'Chỉ số 766' }).click();
    expect(new URL(page.url()).pathname).toBe('/chi-so-766/');
    const text = ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');
    expect(text).toMatch(/trên \d+(,\d+)? điểm tính được từ dữ liệu hồ sơ/);
    for (const heading of ['Sở, ban, ngành cấp tỉnh', 'Huyện, thị xã, thành phố', 'Xã, phường, thị trấn'])
      expect(text).toContain(`${heading}: tổng điểm`);
    const ranks = await page
      .locator('table.points-league')
      .first()
      .locator('tbody td:first-child')
      .allInnerTexts();
    expect(ranks[0]).toBe('1');
    expect(errors).toEqual([]);
    await context.close();
  });

  it("renders every catalog rate's formula and every 766 indicator on the method page", async () => {
    const { page, context } = await openPage('/phuong-phap/', { javaScript: false });
    const items = (await page.locator('ul.rate-formulas li').allInnerTexts()).map((t) =>
      t.replace(/\s+/g, ' '),
    );
    for (const rate of RATES) {
      expect(
        items.some((item) => item.startsWith(`${rate.label_vi}: ${formulaVi(rate)}`)),
        rate.name,
      ).toBe(true);
    }
    const text = ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');
    for (const indicator of SCORECARD_INDICATORS) expect(text).toContain(indicator.formula_vi);
    for (const words of ['khoảng tin cậy 95%', 'Wilson', 'giới hạn 99,8%', 'Tỷ lệ đúng hạn dự kiến'])
      expect(text).toContain(words);
    await context.close();
  });

  it('reports no serious or critical axe violation; screenshots at 390 and 1366 px', async () => {
    const found: string[] = [];
    const pages: Record<string, string> = {
      'co-quan': '/co-quan/',
      'dia-phuong': '/dia-phuong/',
      'don-vi-chi-so-766': unitPage,
      'chi-so-766': '/chi-so-766/',
      'phuong-phap': '/phuong-phap/',
    };
    for (const [name, path] of Object.entries(pages)) {
      for (const width of [390, 1366]) {
        const { page, context } = await openPage(path, { width });
        if (width === 1366) found.push(...(await seriousAxeViolations(page, path)));
        if (name === 'don-vi-chi-so-766') await page.locator('section.scorecard').scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(SCREENSHOTS, `league-${name}-${width}.png`), fullPage: true });
        await context.close();
      }
    }
    expect(found).toEqual([]);
  }, 300_000);
});

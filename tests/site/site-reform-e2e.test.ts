// A merged province across the 1 July 2025 reform (REFORM_SAMPLE: two former provinces'
// districts and communes, new communes, one split), built and opened in Chromium: the pages of
// a new commune and of a former district (lineage links both ways, the break marked, no console
// error), the locality pages before and after the reform, league rows as phone cards at 390 px,
// the method page's formulas rendered in Be Vietnam Pro. Screenshots under test-results/site/.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishedData } from '../../site/src/lib/published-data.ts';
import { poolFigures } from '../../site/src/lib/reform.ts';
import { unitPath } from '../../site/src/lib/unit-slug.ts';
import { REFORM_SAMPLE } from './make-sample-published-data.ts';
import { type BuiltSite, pageOpener, SCREENSHOTS, sampleSite } from './site-fixture.ts';

let site: BuiltSite;
let browser: Browser;
let data: PublishedData;

beforeAll(async () => {
  ({ site, data, browser } = await sampleSite('reform', REFORM_SAMPLE));
});

afterAll(async () => {
  await browser?.close();
  await site?.server.close();
});

const openPage = pageOpener(() => ({ browser, site }), { width: 1366, expectOk: true });

/** The lineage sentences of a unit page, and where their links point. */
async function lineage(path: string) {
  const { page, context, errors } = await openPage(path, { javaScript: false });
  const sentences = (await page.locator('p.lineage').allInnerTexts()).map((t) =>
    t.replace(/\s+/g, ' ').trim(),
  );
  const links = await page
    .locator('p.lineage a')
    .evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')));
  await context.close();
  return { sentences, links, errors };
}

describe('a merged province across the 1 July 2025 reform', () => {
  it("a new commune's page says what it was made of, links there, and they link back", async () => {
    const commune = await lineage(unitPath('N-X01'));
    expect(commune.errors).toEqual([]);
    expect(commune.sentences).toEqual([
      'Thành lập 01/07/2025 từ phường Ngô Quyền, phường Trần Phú và một phần xã Song Mai.',
    ]);
    expect(commune.links.sort()).toEqual(
      ['A-H01-X01', 'A-H01-X02', 'A-H01-X03'].map((code) => unitPath(code)).sort(),
    );
    // Each former commune (their URLs keep working) says where it went and links back.
    const whole = await lineage(unitPath('A-H01-X01'));
    expect(whole.sentences).toEqual(['Đã sáp nhập vào phường Bắc Giang từ 01/07/2025.']);
    expect(whole.links).toEqual([unitPath('N-X01')]);
    const split = await lineage(unitPath('A-H01-X03'));
    expect(split.sentences).toEqual([
      'Đã chia, sáp nhập từ 01/07/2025: một phần vào phường Bắc Giang và một phần vào xã Yên Thế.',
    ]);
    expect(split.links).toEqual([unitPath('N-X01'), unitPath('N-X02')]);
    expect([...whole.errors, ...split.errors]).toEqual([]);
  });

  it("a new commune's trend continues across the reform, the break marked, the estimate dashed", async () => {
    const { page, context, errors } = await openPage(unitPath('N-X01'), { javaScript: false });
    const chart = page.locator('figure.chart').first();
    const svg = chart.locator('svg').first();
    // A vertical rule labelled with the reform's date, inside the chart.
    expect(await svg.locator('text', { hasText: '01/07/2025' }).count()).toBe(1);
    // Months before the commune existed, rebuilt from a split commune: dashed, hollow dots.
    const marks = await svg.evaluate((element) => ({
      dashed: element.querySelectorAll('[stroke-dasharray="3 4"] path').length,
      hollow: element.querySelectorAll('[fill="white"] circle, circle[fill="white"]').length,
    }));
    expect(marks.dashed).toBeGreaterThan(0);
    expect(marks.hollow).toBeGreaterThan(0);
    // The chart's table covers months before 07/2025, each saying where its figures come from.
    await chart.locator('summary', { hasText: 'Bảng số liệu' }).click();
    const table = await chart.locator('table').textContent();
    expect(table).toContain('1/2024');
    expect(table).toContain('tính lại từ các đơn vị trước sắp xếp (ước tính)');
    expect(table).toContain('số liệu của đơn vị');
    // Its quarters before it existed are listed, marked as estimates.
    expect(await page.locator('main').textContent()).toContain('Quý II/2025 (ước tính từ đơn vị cũ)');
    await page.screenshot({ path: join(SCREENSHOTS, 'reform-new-commune-1366.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
    const phone = await openPage(unitPath('N-X01'), { width: 390 });
    await phone.page.screenshot({ path: join(SCREENSHOTS, 'reform-new-commune-390.png'), fullPage: true });
    expect(phone.errors).toEqual([]);
    await phone.context.close();
  });

  it("a former district's page: it ended, its communes link to it and it to them, district-wide figures", async () => {
    const { page, context, errors } = await openPage(unitPath('A-H01'));
    const text = ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');
    expect(text).toContain('Kết thúc hoạt động từ 01/07/2025.');
    expect(text).toContain('Quý II/2025');
    expect(text).toMatch(/UBND huyện cùng 3 xã: [\d.]+ hồ sơ tiếp nhận/);
    const communeLinks = await page
      .locator('main ul a')
      .evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')));
    for (const code of ['A-H01-X01', 'A-H01-X02', 'A-H01-X03'])
      expect(communeLinks).toContain(unitPath(code));
    // Its monthly trend is still drawn (its months end with June 2025).
    expect(await page.locator('figure.chart svg').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'reform-former-district-1366.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
    const commune = await openPage(unitPath('A-H01-X02'), { javaScript: false });
    const lead = await commune.page.locator('p.lead').first().textContent();
    expect(lead).toContain('thuộc UBND thành phố Bắc Giang');
    expect(await commune.page.locator('p.lead a').getAttribute('href')).toBe(unitPath('A-H01'));
    await commune.context.close();
  });

  it('shows communes under the province after the reform, districts and their communes before', async () => {
    const after = await openPage('/dia-phuong/', { javaScript: false });
    expect(await after.page.locator('h1').textContent()).toBe('Xếp hạng xã, phường — Quý IV/2025');
    expect(await after.page.locator('.site-nav a[href="/dia-phuong/"]').textContent()).toBe('Xã, phường');
    expect(await after.page.locator('table.league').count()).toBe(1);
    const afterRows = await after.page.locator('table.league tbody th a').allInnerTexts();
    expect(afterRows.sort()).toEqual(['UBND phường Bắc Giang', 'UBND phường Kinh Bắc', 'UBND xã Yên Thế']);
    await after.context.close();

    const before = await openPage('/ky/2025-Q2/dia-phuong/', { javaScript: false });
    expect(await before.page.locator('h1').textContent()).toBe('Xếp hạng huyện và xã — Quý II/2025');
    // Districts, then one league of communes per district.
    expect(await before.page.locator('table.league').count()).toBe(1 + 3);
    // District-wide figures: the office plus its communes, pooled; beside the office's own.
    const row = before.page.locator('table.district-wide tbody tr', { hasText: 'UBND thành phố Bắc Giang' });
    const cells = await row.locator('td').allInnerTexts();
    const rows = data.unitKpis.filter(
      (r) => r.period === '2025-Q2' && (r.unit_code === 'A-H01' || r.parent_code === 'A-H01'),
    );
    const whole = poolFigures(rows);
    const office = rows.find((r) => r.unit_code === 'A-H01')!;
    const vi = (n: number) => new Intl.NumberFormat('vi-VN').format(n);
    const rate = (n: number | null) =>
      new Intl.NumberFormat('vi-VN', { style: 'percent', minimumFractionDigits: 2 }).format(n!);
    expect(cells).toEqual([
      '3',
      vi(whole.received_total),
      rate(whole.on_time_rate),
      rate(office.on_time_rate),
      rate(whole.online_share),
      vi(whole.pending_overdue),
    ]);
    expect(whole.received_total).toBe(rows.reduce((sum, r) => sum + r.received_total, 0));
    await before.context.close();
  });

  it('on a 390-px phone every league row shows its rate and target status inside the screen', async () => {
    let checked = 0;
    for (const path of ['/co-quan/', '/dia-phuong/', '/ky/2025-Q2/dia-phuong/', '/ky/2025-Q2/co-quan/']) {
      const { page, context, errors } = await openPage(path, { width: 390 });
      const boxes = await page.locator('table.league tbody tr').evaluateAll((rows) =>
        rows.map((row) => {
          const box = (selector: string) => {
            const element = row.querySelector(selector);
            if (!element) return null;
            const r = element.getBoundingClientRect();
            return { left: r.left, right: r.right, width: r.width, height: r.height };
          };
          return { rate: box('.c-rate .rate'), status: box('.target-status'), held: box('.c-held') };
        }),
      );
      expect(boxes.length, path).toBeGreaterThan(0);
      for (const [index, row] of boxes.entries()) {
        for (const part of ['rate', 'status', 'held'] as const) {
          const box = row[part];
          expect(box, `${path} row ${index + 1} ${part}`).not.toBeNull();
          expect(box!.width * box!.height, `${path} row ${index + 1} ${part} is visible`).toBeGreaterThan(0);
          expect(box!.left, `${path} row ${index + 1} ${part}`).toBeGreaterThanOrEqual(0);
          expect(box!.right, `${path} row ${index + 1} ${part}`).toBeLessThanOrEqual(390);
        }
        checked += 1;
      }
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
      const name = path.replace(/[^A-Za-z0-9-]+/g, '_').replace(/^_|_$/g, '');
      await page.screenshot({ path: join(SCREENSHOTS, `reform-${name}-390.png`), fullPage: true });
      expect(errors).toEqual([]);
      await context.close();
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('league tables carry the change, a sparkline per row and explained dashes, without JavaScript', async () => {
    const { page, context } = await openPage('/co-quan/', { javaScript: false });
    const rows = page.locator('table.league tbody tr');
    const count = await rows.count();
    expect(await page.locator('table.league tbody tr svg.sparkline polyline').count()).toBe(count);
    const changes = await page.locator('table.league tbody td.c-change').allInnerTexts();
    expect(changes.every((text) => /^[+-]?\d+,\d{2} điểm %$|^—\d$/.test(text.trim()))).toBe(true);
    // Every "—" in a rate cell points at a footnote that exists and says why.
    const notes = await page
      .locator('table.league sup a')
      .evaluateAll((anchors) =>
        anchors.map((a) => document.querySelector(a.getAttribute('href')!)?.textContent ?? ''),
      );
    expect(notes.every((text) => text.startsWith('“—”: '))).toBe(true);
    await context.close();
  });

  it("sets the method page's formulas in Be Vietnam Pro, no glyph in a fallback font", async () => {
    const { page, context } = await openPage('/phuong-phap/');
    await page.evaluate(() => document.fonts.ready);
    const formulas = page.locator('.formula');
    expect(await formulas.count()).toBeGreaterThan(5);
    const families = await formulas.evaluateAll((nodes) =>
      nodes.map((node) => getComputedStyle(node).fontFamily),
    );
    expect(families.every((family) => family.startsWith('"Be Vietnam Pro"'))).toBe(true);
    // The fonts Chromium actually used for the formulas' text (with diacritics such as "tiếp").
    const cdp = await context.newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: '.formula' });
    const used = new Set<string>();
    for (const nodeId of nodeIds) {
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      for (const font of fonts) used.add(font.familyName);
    }
    expect([...used]).toEqual(['Be Vietnam Pro']);
    const text = await formulas.allInnerTexts();
    expect(text.join(' ')).toContain('tiếp nhận trực tuyến');
    await context.close();
  });

  it('states the targets per level on the method page and judges the province figure honestly', async () => {
    const method = await openPage('/phuong-phap/', { javaScript: false });
    const targets = await method.page.locator('table', { hasText: 'Chỉ tiêu theo cấp' }).textContent();
    expect(targets).toContain('Sở, ban, ngành');
    expect(targets).toContain('Cấp xã');
    expect(targets).toContain('theo từng cấp'); // online share: 30% agencies, 10% communes
    await method.context.close();
    const home = await openPage('/', { javaScript: false });
    const card = home.page.locator('li.card', { hasText: 'Tỷ lệ tiếp nhận trực tuyến' });
    const text = ((await card.textContent()) ?? '').replace(/\s+/g, ' ');
    expect(text).toContain('Chỉ tiêu khác nhau theo cấp');
    expect(text).toMatch(/Sở, ban, ngành: \d+,\d{2}% (đạt|chưa đạt) chỉ tiêu 30%/);
    expect(text).toMatch(/Cấp xã: \d+,\d{2}% (đạt|chưa đạt) chỉ tiêu 10%/);
    const onTime = (
      (await home.page.locator('li.card', { hasText: 'Tỷ lệ giải quyết đúng hạn' }).textContent()) ?? ''
    ).replace(/\s+/g, ' ');
    expect(onTime).toMatch(/(Đạt|Chưa đạt) chỉ tiêu 95% \(chỉ tiêu chung của mọi cấp\)/);
    await home.page.screenshot({ path: join(SCREENSHOTS, 'reform-home-1366.png'), fullPage: true });
    await home.context.close();
  });

  it('draws chart text at 12 px or more on a phone, and no label crosses a line', async () => {
    for (const path of [unitPath('N-X01'), '/', '/ky/2025-Q2/dia-phuong/']) {
      const { page, context } = await openPage(path, { width: 390, javaScript: false });
      const found = await page.locator('figure.chart svg').evaluateAll((svgs) => {
        const problems: string[] = [];
        let texts = 0;
        for (const svg of svgs as SVGSVGElement[]) {
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          // Points along every drawn line, in screen coordinates.
          const points: DOMPoint[] = [];
          for (const shape of Array.from(svg.querySelectorAll('path, line')) as SVGGeometryElement[]) {
            const matrix = shape.getScreenCTM()!;
            const length = shape.getTotalLength();
            for (let at = 0; at <= length; at += 1)
              points.push(shape.getPointAtLength(at).matrixTransform(matrix));
          }
          for (const text of Array.from(svg.querySelectorAll('text'))) {
            texts += 1;
            const size = Number.parseFloat(getComputedStyle(text).fontSize) * scale;
            if (size < 12) problems.push(`"${text.textContent}" at ${size.toFixed(1)} px`);
            const box = text.getBoundingClientRect();
            const inside = points.filter(
              (p) => p.x > box.left + 1 && p.x < box.right - 1 && p.y > box.top + 1 && p.y < box.bottom - 1,
            );
            if (inside.length > 0) problems.push(`"${text.textContent}" is crossed by a line`);
          }
        }
        return { problems, texts };
      });
      expect(found.texts, path).toBeGreaterThan(5);
      expect(found.problems, path).toEqual([]);
      await context.close();
    }
  });

  it('never shows a dossier code from the overdue list', async () => {
    const codes = JSON.parse(
      await readFile(join(site.outDir, 'data', 'v1', 'overdue_dossiers.json'), 'utf8'),
    ) as { dossier_id?: string; unit_code: string }[];
    expect(codes.length).toBeGreaterThan(0);
    const unit = codes[0]!.unit_code;
    const html = await (await fetch(new URL(unitPath(unit), site.server.url))).text();
    expect(html).toContain('Hồ sơ đang quá hạn');
    for (const row of codes) if (row.dossier_id) expect(html).not.toContain(row.dossier_id);
  });
});

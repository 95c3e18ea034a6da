// Open data on the built site (the sample of make-sample-published-data.ts: a publisher,
// revised figures, .xlsx editions, per-unit kits, two dated publications), in Chromium and by
// plain HTTP: every page names the publisher and carries Open Graph tags; /du-lieu/ offers the
// spreadsheet edition of every table and a citation to the dated archive; the revisions page
// lists a revised figure and the unit page marks it; the Atom feeds are valid XML; no broken
// internal link, no console error. Screenshots at 390 and 1366 px under test-results/site/.
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser, parseHTML } from 'linkedom';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLISHED_TABLES } from '../../functions/core/published-tables.ts';
import { vietnamesePathOf } from '../../site/src/lib/i18n.ts';
import { unitPath } from '../../site/src/lib/unit-slug.ts';
import {
  makeSamplePublishedData,
  SAMPLE_PUBLISHER,
  SAMPLE_REVISED,
  SAMPLE_REVISED_UNIT,
} from './make-sample-published-data.ts';
import {
  type BuiltSite,
  buildAndServeFolder,
  crawlWithoutBrokenLinks,
  expectCrawlCovers,
  launchChromium,
  NOT_LINKED_PAGES,
  pageOpener,
} from './site-fixture.ts';

const SCREENSHOTS = join(process.cwd(), 'test-results', 'site');
let site: BuiltSite;
let browser: Browser;

beforeAll(async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'congkhai-site-opendata-'));
  await makeSamplePublishedData(outDir);
  site = await buildAndServeFolder(outDir);
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await site?.server.close();
});

const openPage = pageOpener(() => ({ browser, site }));

async function html(path: string): Promise<Document> {
  const response = await fetch(new URL(path, site.server.url));
  expect(response.status, path).toBe(200);
  return parseHTML(await response.text()).document;
}

const text = (element: Element | null | undefined) =>
  (element?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('open data on the built site', () => {
  it('has no broken internal link; every page names the publisher and has Open Graph tags', async () => {
    const crawl = await crawlWithoutBrokenLinks(site);
    expectCrawlCovers(crawl.paths, [
      /^\/data\/v1\/unit_kpis\.xlsx$/,
      /^\/dieu-chinh\/$/,
      /^\/man-hinh\/$/,
      /^\/feed\.xml$/,
      /^\/nhung\/.+\/$/,
      /^\/bieu-do\/.+\.png$/,
    ]);
    expect(crawl.pagePaths.size).toBe(site.build.pages - NOT_LINKED_PAGES);
    for (const page of crawl.pages) {
      const { document } = parseHTML(await (await fetch(page)).text());
      const path = new URL(page).pathname;
      expect(document.querySelector('title')?.textContent, path).toContain(SAMPLE_PUBLISHER.province);
      for (const property of ['og:title', 'og:description', 'og:url', 'og:type']) {
        expect(
          document.querySelector(`meta[property="${property}"]`)?.getAttribute('content'),
          `${path} ${property}`,
        ).toBeTruthy();
      }
      expect(document.querySelector('meta[name="twitter:card"]'), path).not.toBeNull();
      // An embedded chart has no page chrome: its source line names the publisher.
      if (vietnamesePathOf(path).startsWith('/nhung/')) {
        expect(text(document.querySelector('figcaption')), path).toContain(SAMPLE_PUBLISHER.office);
        continue;
      }
      expect(text(document.querySelector('footer .publisher')), path).toContain(SAMPLE_PUBLISHER.office);
      expect(text(document.querySelector('footer')), path).toContain(SAMPLE_PUBLISHER.contact);
      expect(
        document.querySelector('link[rel="alternate"][type="application/atom+xml"]')?.getAttribute('href'),
        path,
      ).toBe('/feed.xml');
    }
  });

  it('/du-lieu/ offers every table as XLSX, explains the editions, and cites the dated archive', async () => {
    const document = await html('/du-lieu/');
    const hrefs = Array.from(document.querySelectorAll('a[href]')).map((a) => a.getAttribute('href'));
    for (const table of PUBLISHED_TABLES) expect(hrefs).toContain(`/data/v1/${table.name}.xlsx`);
    const editions = text(document.querySelector('ul.editions'));
    expect(editions).toContain('XLSX (bảng tính)');
    expect(editions).toContain('Tên cột tiếng Việt');
    expect(editions).toContain('CSV');
    const cite = text(document.querySelector('.citation [data-citation="text"]'));
    const archive = `${SAMPLE_PUBLISHER.url}/data/v1/archive/2025-01-15/`;
    expect(cite).toContain(SAMPLE_PUBLISHER.office);
    expect(cite).toContain(archive);
    const today = new Intl.DateTimeFormat('vi-VN', {
      timeZone: 'Asia/Ho_Chi_Minh',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
    }).format(new Date());
    expect(cite).toContain(`Truy cập ngày ${today}`);
    const bibtex = document.querySelector('.citation [data-citation="bibtex"]')?.textContent ?? '';
    expect(bibtex).toMatch(/^@misc\{congkhai-2025-01-15,/);
    expect(bibtex).toContain(`\\url{${archive}}`);
  });

  it('the revisions page lists the revised figures, newest publication first', async () => {
    const document = await html('/dieu-chinh/');
    const headings = Array.from(document.querySelectorAll('main h2')).map(text);
    expect(headings).toEqual([
      'Lần công bố số liệu đến 15/01/2025 00:00',
      'Lần công bố số liệu đến 14/01/2025 00:00',
    ]);
    const row = document.querySelector(`tr[data-revision="${SAMPLE_REVISED_UNIT}|2024-Q4|on_time_rate"]`);
    expect(Array.from(row?.querySelectorAll('td, th') ?? []).map(text)).toEqual([
      'UBND huyện Lục Nam',
      'Quý IV/2024',
      'Tỷ lệ giải quyết đúng hạn',
      expect.stringMatching(/^\d+,\d\d%$/),
      expect.stringMatching(/^\d+,\d\d%$/),
      '+0,50 điểm %',
    ]);
    const province = document.querySelector('tr[data-revision="|2024-Q4|resolved_total"]');
    expect(text(province?.querySelector('td'))).toBe('Toàn tỉnh');
    expect(text(province?.querySelector('td:last-child'))).toBe('+3');
    expect(document.querySelectorAll('tr[data-revision]')).toHaveLength(SAMPLE_REVISED.length + 2);
  });

  it('the unit page marks its revised figures, lists them, offers its kit, cites it and shares a chart PNG', async () => {
    const path = unitPath(SAMPLE_REVISED_UNIT);
    const document = await html(path);
    // 2024-Q4 is the page's period: received_total and on_time_rate were revised, nothing else.
    const marked = Array.from(document.querySelectorAll('dl.facts dd'))
      .filter((dd) => dd.querySelector('a.revised-mark[href="#dieu-chinh"]'))
      .map((dd) => text(dd.previousElementSibling));
    expect(marked).toEqual(['Tiếp nhận', 'Tỷ lệ đúng hạn']);
    const markedRows = Array.from(document.querySelectorAll('#theo-quy-caption ~ tbody th'))
      .filter((th) => th.querySelector('.revised-mark'))
      .map((th) => text(th).replace(/\*$/, ''));
    expect(markedRows).toEqual(['Quý IV/2024']);
    const listed = Array.from(document.querySelectorAll('#dieu-chinh ~ * tr[data-revision]')).map((tr) =>
      tr.getAttribute('data-revision'),
    );
    expect(listed).toEqual(
      expect.arrayContaining(
        SAMPLE_REVISED.map(([period, column]) => `${SAMPLE_REVISED_UNIT}|${period}|${column}`),
      ),
    );
    // The kit: a real zip, and its README.
    const zipHref = document.querySelector('a.button[href$=".zip"]')?.getAttribute('href');
    expect(zipHref).toBe(`/data/v1/units/${SAMPLE_REVISED_UNIT}.zip`);
    const zip = Buffer.from(await (await fetch(new URL(zipHref!, site.server.url))).arrayBuffer());
    expect(zip.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    const readme = document.querySelector('a[href$="/README.md"]')?.getAttribute('href');
    const readmeText = await (await fetch(new URL(readme!, site.server.url))).text();
    expect(readmeText).toContain(SAMPLE_PUBLISHER.office);
    // Its citation names it and points into the dated archive's kit folder.
    const cite = text(document.querySelector('.citation [data-citation="text"]'));
    expect(cite).toContain('UBND huyện Lục Nam');
    expect(cite).toContain(
      `${SAMPLE_PUBLISHER.url}/data/v1/archive/2025-01-15/units/${SAMPLE_REVISED_UNIT}/`,
    );
    // Sharing: an absolute chart PNG, its own feed beside the province's.
    const image = document.querySelector('meta[property="og:image"]')?.getAttribute('content') ?? '';
    expect(image).toMatch(new RegExp(`^${SAMPLE_PUBLISHER.url}/bieu-do/.+\\.png$`));
    expect(document.querySelector('meta[name="twitter:card"]')?.getAttribute('content')).toBe(
      'summary_large_image',
    );
    const png = await fetch(new URL(image.slice(SAMPLE_PUBLISHER.url.length), site.server.url));
    expect(png.status).toBe(200);
    expect(
      Array.from(document.querySelectorAll('link[rel="alternate"][type="application/atom+xml"]')).map((l) =>
        l.getAttribute('href'),
      ),
    ).toEqual(['/feed.xml', `${path}feed.xml`]);
  });

  it('a PNG beside every SVG chart of a unit page, and an embed snippet pinned to the archived version', async () => {
    const path = unitPath(SAMPLE_REVISED_UNIT);
    const document = await html(path);
    const svgs = Array.from(document.querySelectorAll('figure.chart a[href$=".svg"]')).map(
      (a) => a.getAttribute('href')!,
    );
    expect(svgs.length).toBeGreaterThan(0);
    const pngs = Array.from(document.querySelectorAll('figure.chart a[href$=".png"]')).map(
      (a) => a.getAttribute('href')!,
    );
    expect(pngs).toEqual(svgs.map((svg) => svg.replace(/\.svg$/, '.png')));
    for (const png of pngs) {
      const response = await fetch(new URL(png, site.server.url));
      expect(response.status, png).toBe(200);
      expect(response.headers.get('content-type'), png).toBe('image/png');
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.subarray(1, 4).toString('latin1'), png).toBe('PNG');
      expect(bytes.readUInt32BE(16), `${png} width`).toBeGreaterThanOrEqual(600);
    }
    const snippet = text(document.querySelector('figure.chart details.embed code'));
    const src = /src="([^"]+)"/.exec(snippet)?.[1] ?? '';
    expect(src).toMatch(new RegExp(`^${SAMPLE_PUBLISHER.url}/nhung/.+/\\?v=2025-01-15$`));
    const embedPath = src.slice(SAMPLE_PUBLISHER.url.length);
    const opened = await openPage(embedPath, { width: 600 });
    expect(opened.status).toBe(200);
    expect(await opened.page.locator('figure.chart svg').count()).toBe(1);
    expect(await opened.page.locator('figcaption').textContent()).toContain(SAMPLE_PUBLISHER.office);
    expect(opened.errors).toEqual([]);
    await opened.context.close();
  });

  it('the Atom feeds are valid XML with one entry per publication', async () => {
    for (const path of ['/feed.xml', `${unitPath(SAMPLE_REVISED_UNIT)}feed.xml`]) {
      const response = await fetch(new URL(path, site.server.url));
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toContain('xml');
      const xml = await response.text();
      const document = new DOMParser().parseFromString(xml, 'text/xml');
      expect(document.querySelector('parsererror'), path).toBeNull();
      const entries = Array.from(document.querySelectorAll('entry')) as Element[];
      expect(entries.length, path).toBe(2);
      expect(text(entries[0]?.querySelector('title'))).toBe('Số liệu đến 15/01/2025');
    }
    const unitXml = await (
      await fetch(new URL(`${unitPath(SAMPLE_REVISED_UNIT)}feed.xml`, site.server.url))
    ).text();
    expect(unitXml).toContain(`${SAMPLE_REVISED.length} số liệu của các kỳ đã kết thúc được điều chỉnh`);
  });

  it('loads the open-data pages in Chromium without console errors; screenshots at 390 and 1366 px', async () => {
    const errors: string[] = [];
    for (const [name, path] of [
      ['don-vi', unitPath(SAMPLE_REVISED_UNIT)],
      ['du-lieu', '/du-lieu/'],
      ['dieu-chinh', '/dieu-chinh/'],
    ] as const) {
      for (const width of [390, 1366]) {
        const opened = await openPage(path, { width });
        expect(opened.status, path).toBe(200);
        errors.push(...opened.errors);
        const overflow = await opened.page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, `${path} at ${width}px scrolls sideways`).toBeLessThanOrEqual(0);
        if (name !== 'dieu-chinh')
          await opened.page.screenshot({
            path: join(SCREENSHOTS, `opendata-${name}-${width}.png`),
            fullPage: true,
          });
        await opened.context.close();
      }
    }
    expect(errors).toEqual([]);
  });

  it('the meeting-room screen: large tiles, the worst five units, reloads itself; screenshot at 1920×1080', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const response = await page.goto(new URL('/man-hinh/', site.server.url).href, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(await page.locator('meta[http-equiv="refresh"]').getAttribute('content')).toBe('300');
    expect(await page.locator('h1').textContent()).toBe('Kết quả giải quyết TTHC — Tháng 12/2024');
    const tiles = page.locator('.big-tile');
    expect(await tiles.count()).toBeGreaterThanOrEqual(4);
    expect(await tiles.first().locator('.big-label').textContent()).toBe('Tỷ lệ giải quyết đúng hạn');
    expect(await tiles.first().locator('.big-value').textContent()).toMatch(/^\d+,\d\d%$/);
    expect((await tiles.first().locator('.big-change').textContent())?.trim()).toMatch(
      /^[+-]\d+,\d\d điểm % so với tháng trước$/,
    );
    expect(await tiles.first().locator('svg.sparkline polyline').count()).toBe(1);
    // Readable at 3 metres: the figures at 72 px, every text at 20 px or more.
    const valueSize = await tiles
      .first()
      .locator('.big-value')
      .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(valueSize).toBeGreaterThanOrEqual(64);
    const smallest = await page.locator('.big-screen').evaluate((root) =>
      Math.min(
        ...Array.from(root.querySelectorAll('p, li, a, strong, span'))
          .filter((el) => (el.textContent ?? '').trim() !== '')
          .map((el) => parseFloat(getComputedStyle(el).fontSize)),
      ),
    );
    expect(smallest).toBeGreaterThanOrEqual(20);
    const worst = await page.locator('.big-worst li .big-rate').allTextContents();
    expect(worst).toHaveLength(5);
    const rates = worst.map((t) => Number(t.replace('%', '').replace(',', '.')));
    expect(rates).toEqual([...rates].sort((a, b) => a - b));
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'opendata-man-hinh-1920.png') });
    expect(errors).toEqual([]);
    await context.close();
  });
});

// The built site in Chromium: every page type loads without console errors, every internal
// link answers 200 (downloads included), league tables sort, a downloaded CSV is the published
// file byte for byte, axe finds no serious/critical violation, pages read without JavaScript,
// the home page stays under 150 KB on the wire, and screenshots at 360 and 1280 px.
// Data: the demo province through the real pipeline (default) or CONGKHAI_SITE_E2E_OUT.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BuiltSite,
  buildAndServe,
  crawlWithoutBrokenLinks,
  expectCrawlCovers,
  launchChromium,
  NOT_LINKED_PAGES,
  pageOpener,
  seriousAxeViolations,
} from './site-fixture.ts';

const SCREENSHOTS = join(process.cwd(), 'test-results', 'site');
let site: BuiltSite;
let browser: Browser;
let dataHashBefore: string;

/** One URL per page type, found from the built site itself (works on sample and demo data). */
let pageTypes: Record<string, string>;

async function hashTree(dir: string): Promise<string> {
  const { readdir } = await import('node:fs/promises');
  const hash = createHash('sha256');
  const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of files) hash.update(file).update(await readFile(file));
  return hash.digest('hex');
}

beforeAll(async () => {
  site = await buildAndServe(async (outDir, ownFolder) => {
    dataHashBefore = await hashTree(join(outDir, 'data'));
    if (!ownFolder) return; // never plant files in a folder we were given
    // A previous build's leftover (listed in the manifest) must go; a foreign file must stay.
    await mkdir(join(outDir, 'old-page'), { recursive: true });
    await writeFile(join(outDir, 'old-page', 'index.html'), '<p>old</p>');
    await writeFile(join(outDir, '.site-manifest.json'), JSON.stringify(['old-page']));
    await writeFile(join(outDir, 'foreign.txt'), 'not the site’s');
  });
  browser = await launchChromium();
  const home = await (await fetch(site.server.url)).text();
  const unit = /href="(\/don-vi\/[^"]+\/)"/.exec(home)?.[1];
  const period = /href="\/ky\/([^/"]+)\/"/.exec(home)?.[1];
  if (!unit || !period) throw new Error('home page links to no unit or no period');
  pageTypes = {
    'tong-quan': '/',
    'co-quan': '/co-quan/',
    'dia-phuong': '/dia-phuong/',
    'don-vi': unit,
    'du-lieu': '/du-lieu/',
    'phuong-phap': '/phuong-phap/',
    'ky-tong-quan': `/ky/${period}/`,
    'ky-co-quan': `/ky/${period}/co-quan/`,
    'ky-dia-phuong': `/ky/${period}/dia-phuong/`,
    'tim-kiem': '/tim-kiem/',
  };
  await mkdir(SCREENSHOTS, { recursive: true });
}, 600_000); // the demo pipeline, then a build that renders every page twice (Vietnamese and /en/)

afterAll(async () => {
  await browser?.close();
  await site?.server.close();
});

const openPage = pageOpener(() => ({ browser, site }));

describe('the built site', () => {
  it('was built beside the data without touching it, and replaced the previous build', async () => {
    expect(site.build.pages).toBeGreaterThan(10);
    expect(await hashTree(join(site.outDir, 'data'))).toBe(dataHashBefore);
    if (site.ownFolder) {
      expect(existsSync(join(site.outDir, 'old-page'))).toBe(false);
      expect(existsSync(join(site.outDir, 'foreign.txt'))).toBe(true);
    }
    expect(existsSync(join(site.outDir, 'pagefind', 'pagefind.js'))).toBe(true);
    const leftovers = (await import('node:fs'))
      .readdirSync(site.outDir)
      .filter((name) => name.startsWith('.site-'));
    expect(leftovers).toEqual(['.site-manifest.json']);
  });

  it('has no broken internal link from / (pages, charts, downloads, archive)', async () => {
    // The English twins (/en/…) are crawled by site-english-e2e; this crawl of the larger demo
    // site stays on the Vietnamese pages: half the built pages but the two "not found" ones.
    const crawl = await crawlWithoutBrokenLinks(site, '/', (url) => !url.pathname.startsWith('/en/'));
    const urls = crawl.paths;
    // Every page type and every kind of download was reached by following links.
    for (const path of Object.values(pageTypes)) expect(urls).toContain(path);
    expectCrawlCovers(urls, [
      /^\/data\/v1\/unit_kpis\.csv$/,
      /^\/data\/v1\/archive\/.+\.csv$/,
      /^\/bieu-do\/.+\.svg$/,
      /^\/bieu-do\/.+\.csv$/,
    ]);
    expect(crawl.pagePaths.size).toBe((site.build.pages - NOT_LINKED_PAGES) / 2);
  }, 300_000); // every page and download of the demo site, on a machine shared with other builds

  it('loads every page type without console errors; screenshots at 360 and 1280 px', async () => {
    const errors: string[] = [];
    for (const [name, path] of Object.entries(pageTypes)) {
      for (const width of [360, 1280]) {
        const opened = await openPage(path, { width });
        expect(opened.status, path).toBe(200);
        errors.push(...opened.errors);
        // Nothing wider than the phone: wide tables scroll inside their own region.
        const overflow = await opened.page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, `${path} at ${width}px overflows by ${overflow}px`).toBeLessThanOrEqual(0);
        await opened.page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
        await opened.context.close();
      }
    }
    expect(errors).toEqual([]);
    expect(existsSync(join(SCREENSHOTS, 'tong-quan-360.png'))).toBe(true);
  });

  it('reports no serious or critical axe violation on any page type', async () => {
    const found: string[] = [];
    for (const path of Object.values(pageTypes)) {
      const { page, context } = await openPage(path);
      found.push(...(await seriousAxeViolations(page, path)));
      await context.close();
    }
    expect(found).toEqual([]);
  }, 300_000); // ten page types through axe: minutes on a loaded 2-core machine

  it('sorts a league table by a clicked column, both ways, and says so with aria-sort', async () => {
    const { page, context } = await openPage('/co-quan/');
    const table = page.locator('table.league').first();
    const column = async (index: number) =>
      table
        .locator('tbody tr')
        .evaluateAll(
          (rows, i) => rows.map((row) => (row as HTMLTableRowElement).cells[i]!.dataset.sort ?? ''),
          index,
        );
    const header = table.locator('thead th').nth(4);
    await header.getByRole('button', { name: /Tỷ lệ đúng hạn/ }).click();
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    const ascending = (await column(4)).filter((v) => v !== '').map(Number);
    expect(ascending.length).toBeGreaterThan(1);
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    expect(await table.locator('thead th').first().getAttribute('aria-sort')).toBeNull();
    await header.getByRole('button').click();
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    const descending = (await column(4)).filter((v) => v !== '').map(Number);
    expect(descending).toEqual([...ascending].sort((a, b) => b - a));
    // Names sort the Vietnamese way (Đ after D, before E).
    await table.locator('thead th').nth(1).getByRole('button').click();
    const names = await column(1);
    expect(names).toEqual([...names].sort(new Intl.Collator('vi').compare));
    await context.close();
  });

  it('downloads a CSV from /du-lieu/ that equals the published file byte for byte', async () => {
    const { page, context } = await openPage('/du-lieu/');
    const link = page
      .locator('section#unit_kpis, section:has(#unit_kpis)')
      .getByRole('link', { name: /Tải CSV/ });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const saved = join(tmpdir(), `congkhai-downloaded-${process.pid}.csv`);
    await download.saveAs(saved);
    const published = await readFile(join(site.outDir, 'data', 'v1', 'unit_kpis.csv'));
    const downloaded = await readFile(saved);
    expect(downloaded.length).toBe(published.length);
    expect(downloaded.equals(published)).toBe(true);
    expect(downloaded.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    await context.close();
  });

  it('shows every figure without JavaScript', async () => {
    for (const path of [
      pageTypes['tong-quan']!,
      pageTypes['co-quan']!,
      pageTypes['dia-phuong']!,
      pageTypes['don-vi']!,
    ]) {
      const { page, context } = await openPage(path, { javaScript: false });
      const text = (await page.locator('main').textContent()) ?? '';
      expect(text, path).toMatch(/\d{1,3},\d{2}%/); // a rate such as 86,87%
      expect(text, path).toMatch(/Số liệu tính đến \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
      expect(await page.locator('main svg').count(), path).toBeGreaterThan(0);
      if (path.includes('co-quan')) {
        expect(await page.locator('table.league tbody tr').count()).toBeGreaterThan(1);
        expect(text).toMatch(/Chưa đạt chỉ tiêu \d+%/);
      }
      await context.close();
    }
  });

  it('keeps the home page under 150 KB over the wire, fonts included', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    let bytes = 0;
    const fonts: string[] = [];
    cdp.on('Network.loadingFinished', (event) => {
      bytes += event.encodedDataLength;
    });
    page.on('response', (response) => {
      if (response.url().endsWith('.woff2')) fonts.push(response.url());
    });
    await page.goto(site.server.url, { waitUntil: 'networkidle' });
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.every((url) => /(vietnamese|latin)-(400|700)-normal/.test(url))).toBe(true);
    console.log(`home page: ${bytes} bytes over the wire, ${fonts.length} font files`);
    expect(bytes).toBeLessThan(150 * 1024);
    await context.close();
  });

  it('finds a unit with the site search', async () => {
    const { page, context, errors } = await openPage('/tim-kiem/');
    const input = page.getByLabel(/Tên đơn vị/);
    const unitName = ((await page.locator('main section ul li a').first().textContent()) ?? '').trim();
    await input.fill(unitName.split(' ').slice(-2).join(' '));
    const results = page.locator('#ket-qua a');
    await expect.poll(() => results.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await results.allInnerTexts()).toContain(unitName);
    expect(errors).toEqual([]);
    await context.close();
  });
});

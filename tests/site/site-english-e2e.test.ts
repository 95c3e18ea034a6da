// The English site on the built sample (make-sample-published-data.ts): every page also under
// /en/ (same slugs), crawled from /en/ without leaving it: every /en/ page loads in Chromium with
// no console error and no failed request, no broken internal link; hreflang links both ways to
// pages that exist; English number formats and the catalog's English KPI labels on /en/, the
// Vietnamese pages as they were. Screenshots at 390 and 1366 px under test-results/site/.
import { readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { parseHTML } from 'linkedom';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateDefinition } from '../../functions/core/kpi-catalog.ts';
import { formatsFor } from '../../site/src/lib/format.ts';
import { localePath, vietnamesePathOf } from '../../site/src/lib/i18n.ts';
import type { PublishedData } from '../../site/src/lib/published-data.ts';
import { defaultPeriod, provinceRow } from '../../site/src/lib/site-model.ts';
import { unitPath } from '../../site/src/lib/unit-slug.ts';
import { SAMPLE_PUBLISHER } from './make-sample-published-data.ts';
import {
  type BuiltSite,
  crawlWithoutBrokenLinks,
  expectCrawlCovers,
  pageOpener,
  SCREENSHOTS,
  sampleSite,
} from './site-fixture.ts';

let site: BuiltSite;
let browser: Browser;
let data: PublishedData;
/** Every built page's path ('/co-quan/', '/en/co-quan/', …), from the files. */
let builtPages: Set<string>;

beforeAll(async () => {
  ({ site, data, browser } = await sampleSite('english'));
  builtPages = new Set(
    (await readdir(site.outDir, { recursive: true }))
      .filter((file) => file.endsWith(`${sep}index.html`) || file === 'index.html')
      .filter((file) => !file.startsWith(`data${sep}`))
      .map((file) => `/${file.slice(0, -'index.html'.length).split(sep).join('/')}`),
  );
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await site?.server.close();
});

const openPage = pageOpener(() => ({ browser, site }), { width: 1366, expectOk: true });

/** A Vietnamese page (a path ending in '/' outside /en/): the /en/ crawl does not go there. */
const isVietnamesePage = (url: URL) => url.pathname.endsWith('/') && !url.pathname.startsWith('/en/');

/** An hreflang URL (absolute on the publisher's host in the sample) as a path of this site. */
function sitePath(href: string): string {
  return href.startsWith(SAMPLE_PUBLISHER.url) ? href.slice(SAMPLE_PUBLISHER.url.length) : href;
}

async function documentOf(url: string): Promise<Document> {
  return parseHTML(await (await fetch(url)).text()).document;
}

let englishPages: string[] = [];

describe('the English site under /en/', () => {
  it('every page exists under /en/ with the same path, all reached from /en/ without a broken link', async () => {
    const crawl = await crawlWithoutBrokenLinks(site, '/en/', (url) => !isVietnamesePage(url));
    englishPages = [...crawl.pagePaths];
    expect(englishPages.every((path) => path.startsWith('/en/'))).toBe(true);
    expectCrawlCovers(englishPages, [
      /^\/en\/$/,
      /^\/en\/co-quan\/$/,
      /^\/en\/dia-phuong\/$/,
      /^\/en\/don-vi\/.+\/$/,
      /^\/en\/ky\/[^/]+\/$/,
      /^\/en\/ky\/[^/]+\/co-quan\/$/,
      /^\/en\/ky\/[^/]+\/dia-phuong\/$/,
      /^\/en\/phuong-phap\/$/,
      /^\/en\/du-lieu\/$/,
      /^\/en\/dieu-chinh\/$/,
      /^\/en\/chi-so-766\/$/,
      /^\/en\/tim-kiem\/$/,
      /^\/en\/man-hinh\/$/,
      /^\/en\/nhung\/.+\/$/,
    ]);
    // One mapping both ways: every Vietnamese page has its English twin and no other (the
    // "not found" pages aside: /404.html and /en/404/).
    const vietnamese = [...builtPages].filter((path) => !path.startsWith('/en/'));
    const english = [...builtPages].filter((path) => path.startsWith('/en/'));
    expect(
      english
        .filter((path) => path !== '/en/404/')
        .map(vietnamesePathOf)
        .sort(),
    ).toEqual(vietnamese.sort());
    // Every English page but the "not found" one is linked from /en/.
    expect(englishPages.sort()).toEqual(english.filter((path) => path !== '/en/404/').sort());
  });

  it('hreflang links go both ways, to pages that exist; the switch names the other language', async () => {
    expect(englishPages.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const englishPath of englishPages) {
      const vietnamesePath = vietnamesePathOf(englishPath);
      for (const [path, lang] of [
        [englishPath, 'en'],
        [vietnamesePath, 'vi'],
      ] as const) {
        const document = await documentOf(new URL(path, site.server.url).href);
        const alternates: Record<string, string> = Object.fromEntries(
          Array.from(document.querySelectorAll('link[rel="alternate"][hreflang]')).map((link) => [
            link.getAttribute('hreflang'),
            sitePath(link.getAttribute('href') ?? ''),
          ]),
        );
        const expected = { vi: vietnamesePath, en: englishPath, 'x-default': vietnamesePath };
        if (JSON.stringify(alternates) !== JSON.stringify(expected))
          problems.push(`${path}: hreflang ${JSON.stringify(alternates)}`);
        for (const target of Object.values(alternates))
          if (!builtPages.has(target)) problems.push(`${path}: hreflang to ${target}, not a page`);
        if (document.documentElement.getAttribute('lang') !== lang) problems.push(`${path}: html lang`);
        // The embedded charts have no page chrome, so no switch.
        if (vietnamesePath.startsWith('/nhung/')) continue;
        const other = lang === 'en' ? vietnamesePath : englishPath;
        const toggle = document.querySelector('a.language-switch');
        if (
          toggle?.getAttribute('href') !== other ||
          toggle.getAttribute('hreflang') !== (lang === 'en' ? 'vi' : 'en')
        )
          problems.push(`${path}: language switch ${toggle?.outerHTML}`);
        if (toggle?.textContent !== (lang === 'en' ? 'Tiếng Việt' : 'English'))
          problems.push(`${path}: language switch says ${toggle?.textContent}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('loads every /en/ page in Chromium with no console error and no failed request', async () => {
    expect(englishPages.length).toBeGreaterThan(10);
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    let current = '';
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`${current}: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`${current}: ${error.message}`));
    // A request the next navigation cuts short (the favicon, fetched after 'load') is aborted,
    // not failed; a missing file still shows as its 404 response below.
    page.on('requestfailed', (request) => {
      if (request.failure()?.errorText !== 'net::ERR_ABORTED')
        errors.push(`${current}: failed ${request.url()} (${request.failure()?.errorText})`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) errors.push(`${current}: ${response.status()} ${response.url()}`);
    });
    for (const path of englishPages) {
      current = path;
      const response = await page.goto(new URL(path, site.server.url).href, { waitUntil: 'load' });
      expect(response?.status(), path).toBe(200);
    }
    await context.close();
    expect(errors).toEqual([]);
  }, 600_000);

  it('shows the figures in English format and the KPI labels from the catalog', async () => {
    const period = defaultPeriod(data).period;
    const row = provinceRow(data, period)!;
    const en = formatsFor('en');
    const vi = formatsFor('vi');
    const received = en.formatInteger(row.received_total);
    const onTime = en.formatRate(row.on_time_rate);
    expect(received).toMatch(/^\d{1,3}(,\d{3})+$/);
    expect(onTime).toMatch(/^\d{1,3}\.\d{2}%$/);

    const home = await openPage('/en/', { javaScript: false });
    const body = ((await home.page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');
    expect(body).toContain(received);
    expect(body).toContain(onTime);
    expect(body).not.toContain(vi.formatRate(row.on_time_rate));
    const label = rateDefinition('on_time_rate').label_en;
    expect(await home.page.locator('main').getByText(label, { exact: true }).count()).toBeGreaterThan(0);
    expect(body).toContain(en.periodLabel(period));
    await home.context.close();

    // The Vietnamese home as before: Vietnamese formats and labels.
    const vietnamese = await openPage('/', { javaScript: false });
    const viBody = ((await vietnamese.page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');
    expect(viBody).toContain(vi.formatInteger(row.received_total));
    expect(viBody).toContain(vi.formatRate(row.on_time_rate));
    expect(await vietnamese.page.locator('html').getAttribute('lang')).toBe('vi');
    await vietnamese.context.close();
  });

  it('carries an English text of the method', async () => {
    const method = await openPage('/en/phuong-phap/', { javaScript: false });
    const body = (await method.page.locator('main').textContent()) ?? '';
    expect((await method.page.locator('h1').textContent()) ?? '').toMatch(/method/i);
    for (const rate of ['on_time_rate', 'online_share', 'returned_share'] as const)
      expect(body).toContain(rateDefinition(rate).label_en);
    await method.context.close();
  });

  it('the unit scorecard reads on a 390-px phone without scrolling sideways, in both languages', async () => {
    const unit = unitPath(data.unitKpis.find((r) => r.unit_level === 'province' && r.ranked)!.unit_code);
    for (const path of [unit, localePath('en', unit)]) {
      const opened = await openPage(path, { width: 390, javaScript: false });
      const region = opened.page.locator('.scorecard .table-scroll');
      expect(await region.count(), path).toBe(1);
      const sideways = await region.evaluate((element) => element.scrollWidth - element.clientWidth);
      expect(sideways, `${path}: the scorecard scrolls sideways by ${sideways}px`).toBeLessThanOrEqual(0);
      // Each figure still says what it is.
      expect(await opened.page.locator('.scorecard td[data-label]').count(), path).toBeGreaterThan(0);
      await opened.context.close();
    }
  });

  it('screenshots of /en/, an /en/ unit page and /en/phuong-phap/ at 390 and 1366 px, nothing wider than the screen', async () => {
    const unit = localePath(
      'en',
      unitPath(data.unitKpis.find((r) => r.unit_level === 'province' && r.ranked)!.unit_code),
    );
    for (const [name, path] of [
      ['en-home', '/en/'],
      ['en-unit', unit],
      ['en-method', '/en/phuong-phap/'],
    ] as const) {
      for (const width of [390, 1366]) {
        const opened = await openPage(path, { width });
        const overflow = await opened.page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, `${path} at ${width}px scrolls sideways`).toBeLessThanOrEqual(0);
        await opened.page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
        expect(opened.errors).toEqual([]);
        await opened.context.close();
      }
    }
  });
});

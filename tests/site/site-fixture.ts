// The site under test: the demo province run through the real pipeline (demo-data → ingest →
// kpi → publish) in a temporary folder, or the folder named by CONGKHAI_SITE_E2E_OUT (holding
// data/v1); built with buildSite() and served on 127.0.0.1 by the same static server
// `congkhai site serve` uses.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { runCommand } from '../../functions/cli/run-command.ts';
import { writeDemoData } from '../../functions/core/demo/generate.ts';
import { type BuildSiteResult, buildSite } from '../../functions/core/site/build-site.ts';
import { type StaticServer, startStaticServer } from '../../functions/core/site/static-server.ts';
import { loadPublishedData, type PublishedData } from '../../site/src/lib/published-data.ts';
import { type CrawlResult, crawlSite } from './crawl-site.ts';
import { DEFAULT_SAMPLE, makeSamplePublishedData, type SampleCase } from './make-sample-published-data.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
];

/** The folder holding data/v1: env CONGKHAI_SITE_E2E_OUT, else a fresh demo pipeline run.
 * `ownFolder`: the folder is this test's own, so the test may plant files in it. */
export async function siteDataFolder(): Promise<{ outDir: string; ownFolder: boolean }> {
  const given = process.env.CONGKHAI_SITE_E2E_OUT;
  if (given) {
    const outDir = resolve(given);
    if (!existsSync(join(outDir, 'data', 'v1', 'datapackage.json'))) {
      throw new Error(`CONGKHAI_SITE_E2E_OUT=${given} holds no data/v1/datapackage.json`);
    }
    return { outDir, ownFolder: false };
  }
  const work = await mkdtemp(join(tmpdir(), 'congkhai-site-'));
  const extracts = join(work, 'extracts');
  const outDir = join(work, 'public');
  // A smaller demo province than `npm start`'s (same units and months, fewer dossiers).
  await writeDemoData({ out: extracts, dossiers: 30_000, seed: 7 });
  const code = await runCommand([extracts], { lake: join(work, 'lake'), out: outDir, site: false });
  if (code !== 0) throw new Error(`the demo pipeline failed with exit code ${code}`);
  return { outDir, ownFolder: true };
}

export async function launchChromium(): Promise<Browser> {
  // No silent skip: CI installs Debian's chromium; without it this suite fails.
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface BuiltSite {
  outDir: string;
  ownFolder: boolean;
  build: BuildSiteResult;
  server: StaticServer;
}

export async function buildAndServe(
  prepare?: (outDir: string, ownFolder: boolean) => Promise<void>,
): Promise<BuiltSite> {
  const { outDir, ownFolder } = await siteDataFolder();
  if (prepare) await prepare(outDir, ownFolder);
  return buildAndServeFolder(outDir, ownFolder);
}

/** Builds the site into a folder that already holds data/v1 and serves it. */
export async function buildAndServeFolder(outDir: string, ownFolder = true): Promise<BuiltSite> {
  const build = await buildSite({ outDir });
  const server = await startStaticServer(outDir, 0);
  return { outDir, ownFolder, build, server };
}

/** The screenshots' folder of the browser suites. */
export const SCREENSHOTS = join(process.cwd(), 'test-results', 'site');

/** A browser suite's site: a sample (make-sample-published-data.ts) published in a fresh temporary
 * folder named after the suite, built and served, its data loaded, and Chromium started. */
export async function sampleSite(
  suite: string,
  sample: SampleCase = DEFAULT_SAMPLE,
): Promise<{ site: BuiltSite; data: PublishedData; browser: Browser }> {
  const outDir = await mkdtemp(join(tmpdir(), `congkhai-site-${suite}-`));
  await makeSamplePublishedData(outDir, sample);
  const site = await buildAndServeFolder(outDir);
  const browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
  return { site, data: loadPublishedData(outDir), browser };
}

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions, each prefixed with the path. */
  errors: string[];
  status: number | undefined;
}

/** Opens a path of a served site in a fresh context, collecting console errors. */
export async function openSitePage(
  browser: Browser,
  baseUrl: string,
  path: string,
  options: { javaScript?: boolean; width?: number } = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScript ?? true,
    viewport: { width: options.width ?? 1280, height: 900 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${path}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`${path}: ${error.message}`));
  const response = await page.goto(new URL(path, baseUrl).href, { waitUntil: 'load' });
  return { page, context, errors, status: response?.status() };
}

export type OpenOptions = { javaScript?: boolean; width?: number };

/** A suite's `openPage(path, options)`: opens a path of the suite's served site (read when
 * called, as beforeAll sets it) with the suite's default options; with `expectOk`, the page
 * must answer 200. */
export function pageOpener(
  target: () => { browser: Browser; site: BuiltSite },
  defaults: OpenOptions & { expectOk?: boolean } = {},
): (path: string, options?: OpenOptions) => Promise<OpenedPage> {
  const { expectOk = false, ...defaultOptions } = defaults;
  return async (path, options = {}) => {
    const { browser, site } = target();
    const opened = await openSitePage(browser, site.server.url, path, { ...defaultOptions, ...options });
    if (expectOk) expect(opened.status, path).toBe(200);
    return opened;
  };
}

/** Crawls the site from `start` (a path), demands that every URL reached answers 200, and
 * returns the crawl with the paths it reached and the distinct paths of its HTML pages (an
 * embed page is linked both with its `?v=` version and without, by its hreflang links). */
export async function crawlWithoutBrokenLinks(
  site: BuiltSite,
  start = '/',
  follow?: (url: URL) => boolean,
): Promise<CrawlResult & { paths: string[]; pagePaths: Set<string> }> {
  const crawl = await crawlSite(new URL(start, site.server.url).href, 8, follow);
  const broken = [...crawl.statuses].filter(([, status]) => status !== 200);
  expect(broken.map(([url, status]) => `${status} ${url} (linked from ${crawl.referrers.get(url)})`)).toEqual(
    [],
  );
  return {
    ...crawl,
    paths: [...crawl.statuses.keys()].map((url) => new URL(url).pathname),
    pagePaths: new Set(crawl.pages.map((url) => new URL(url).pathname)),
  };
}

/** Every pattern matches some path the crawl reached (each kind of page and download). */
export function expectCrawlCovers(paths: readonly string[], patterns: readonly RegExp[]): void {
  for (const pattern of patterns) {
    expect(
      paths.some((path) => pattern.test(path)),
      String(pattern),
    ).toBe(true);
  }
}

/** The serious and critical axe violations of an opened page (WCAG 2.2 AA and best practice),
 * its disclosures opened first so the tables inside them are checked too; one line each. */
export async function seriousAxeViolations(page: Page, path: string): Promise<string[]> {
  await page.evaluate(() => {
    for (const details of Array.from(document.querySelectorAll('details'))) details.open = true;
  });
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${path}: ${violation.id} (${violation.impact}) ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join(' | ')}`,
    );
}

/** Built pages no link reaches: the two "not found" pages (/404.html, /en/404/). */
export const NOT_LINKED_PAGES = 2;

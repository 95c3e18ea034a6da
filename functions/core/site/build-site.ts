// Builds the public site INTO <outDir>, beside the published data in <outDir>/data/ (which it
// reads and never touches): Astro renders every page into a staging folder inside <outDir>,
// Pagefind indexes the staged pages, then the staged entries replace the live ones.
//
// Swap (what a reader of <outDir> sees while it happens): every page and file is written
// completely in staging first; nothing live is touched until the whole build and the search
// index succeeded (a failed build leaves the old site as it was). Then assets (_astro/, whose
// names are content hashes) are MERGED in first, so no page, old or new, ever points at a
// missing asset; then each other top-level entry (index.html, co-quan/, don-vi/, pagefind/ …)
// is replaced by one rename(2) — a reader gets the old or the new version of an entry, never a
// half-written file. For the few milliseconds of the swap one page may already be new while
// another is still old. Entries a previous build made that the new one lacks are removed last;
// `.site-manifest.json` records which entries are the site's, so data/ and anything else in
// <outDir> are never deleted.
//
// Work folder: the build works inside <outDir>/.work/congkhai-site-<pid>-<random>/ (the rule of
// every command, functions/core/work-folder.ts): Astro's output (staged pages), its prerender
// chunks, Vite's and Astro's caches, the trash of the swap. Nothing is written in the working
// directory, the project (node_modules, site/), HOME or the OS temp folder. A build first removes
// the work folders whose process is gone (a killed build), never a running sibling's; the static
// server never serves them (hidden names). Older builds' .site-staging-*/.site-old-* left-overs
// in <outDir> are removed too.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeAbandoned } from '../temp-folders.ts';
import { withWorkFolder } from '../work-folder.ts';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SITE_ROOT = join(PROJECT_ROOT, 'site');
const MANIFEST = '.site-manifest.json';
const ASSETS = '_astro';
/** Top-level names the site must never write: the published data lives there. */
const RESERVED = new Set(['data']);
const STAGING_PREFIX = '.site-staging-';
const TRASH_PREFIX = '.site-old-';
const MANIFEST_TEMP_PREFIX = '.site-manifest-tmp-';

export interface BuildSiteOptions {
  /** The folder that holds data/v1 and receives the site. */
  outDir: string;
  /** Astro's log level (default 'warn'). */
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Absolute site URL for citation lines (default env CONGKHAI_SITE_URL or http://localhost:4321). */
  siteUrl?: string;
}

export interface BuildSiteResult {
  outDir: string;
  pages: number;
  files: number;
  astroMs: number;
  searchMs: number;
  totalMs: number;
}

export async function buildSite(options: BuildSiteOptions): Promise<BuildSiteResult> {
  const started = performance.now();
  const outDir = resolve(options.outDir);
  const dataPackage = join(outDir, 'data', 'v1', 'datapackage.json');
  if (!existsSync(dataPackage)) {
    throw new Error(
      `congkhai site: no published data at ${dataPackage} — run the publisher (congkhai kpi) first`,
    );
  }
  await removeAbandoned(outDir, [STAGING_PREFIX, TRASH_PREFIX, MANIFEST_TEMP_PREFIX]);
  return withWorkFolder(outDir, 'congkhai-site-', async (work) => {
    const saved = {
      out: process.env.CONGKHAI_OUT,
      telemetry: process.env.ASTRO_TELEMETRY_DISABLED,
      site: process.env.CONGKHAI_SITE_URL,
    };
    try {
      // The pages read the data folder from the environment (site/src/lib → published-data.ts).
      process.env.CONGKHAI_OUT = outDir;
      process.env.ASTRO_TELEMETRY_DISABLED = '1';
      if (options.siteUrl) process.env.CONGKHAI_SITE_URL = options.siteUrl;
      const staging = await astroBuild(work, options.logLevel ?? 'warn');
      const astroDone = performance.now();
      for (const name of RESERVED) {
        if (existsSync(join(staging, name)))
          throw new Error(`congkhai site: the site must not write /${name}/`);
      }
      await indexForSearch(staging);
      const searchDone = performance.now();
      const { pages, files } = await countFiles(staging);
      await swapIn(staging, outDir, join(work, 'old'));
      return {
        outDir,
        pages,
        files,
        astroMs: astroDone - started,
        searchMs: searchDone - astroDone,
        totalMs: performance.now() - started,
      };
    } finally {
      restoreEnv('CONGKHAI_OUT', saved.out);
      restoreEnv('ASTRO_TELEMETRY_DISABLED', saved.telemetry);
      restoreEnv('CONGKHAI_SITE_URL', saved.site);
    }
  });
}

/**
 * Builds the pages into `<work>/dist` and returns that folder. Astro puts its prerender chunks
 * in <outDir>/.prerender only when outDir lies inside the working directory (else in
 * <cwd>/.astro/), so the working directory is the work folder while Astro runs. The chunks
 * import packages by name: `<work>/node_modules` links to the project's, as from site/dist.
 * Caches go to `<work>/cache`; `sync: false` keeps Astro from writing site/.astro/ types (the
 * site has no content collections; `astro check` writes them for the editor).
 */
async function astroBuild(
  work: string,
  logLevel: NonNullable<BuildSiteOptions['logLevel']>,
): Promise<string> {
  const { build } = await import('astro');
  const outDir = join(work, 'dist');
  const cache = join(work, 'cache');
  await symlink(join(PROJECT_ROOT, 'node_modules'), join(work, 'node_modules'), 'dir');
  // Astro's internal builder option (AstroBuilderOptions.sync), passed through by build().
  const noTypeSync = { sync: false } as unknown as Parameters<typeof build>[1];
  const cwd = process.cwd();
  process.chdir(work);
  try {
    await build(
      {
        root: SITE_ROOT,
        outDir,
        cacheDir: join(cache, 'astro'),
        vite: { cacheDir: join(cache, 'vite') },
        logLevel,
        mode: 'production',
      },
      noTypeSync,
    );
  } finally {
    process.chdir(cwd);
  }
  return outDir;
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/** Pagefind's static index of the unit pages (data-pagefind-body), in <dir>/pagefind/. */
async function indexForSearch(dir: string): Promise<void> {
  const pagefind = await import('pagefind');
  try {
    const { index, errors } = await pagefind.createIndex({ forceLanguage: 'vi' });
    if (!index) throw new Error(`Pagefind: ${errors.join('; ')}`);
    const added = await index.addDirectory({ path: dir });
    if (added.errors.length > 0) throw new Error(`Pagefind: ${added.errors.join('; ')}`);
    if (added.page_count === 0) throw new Error('Pagefind indexed no page');
    const written = await index.writeFiles({ outputPath: join(dir, 'pagefind') });
    if (written.errors.length > 0) throw new Error(`Pagefind: ${written.errors.join('; ')}`);
  } finally {
    await pagefind.close();
  }
}

async function countFiles(dir: string): Promise<{ pages: number; files: number }> {
  let pages = 0;
  let files = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files += 1;
    if (entry.name.endsWith('.html')) pages += 1;
  }
  return { pages, files };
}

async function readManifest(outDir: string): Promise<string[]> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(outDir, MANIFEST), 'utf8'));
    return Array.isArray(parsed) ? parsed.filter((name): name is string => typeof name === 'string') : [];
  } catch {
    return [];
  }
}

async function swapIn(staging: string, outDir: string, trash: string): Promise<void> {
  const previous = await readManifest(outDir);
  const entries = (await readdir(staging)).filter((name) => !RESERVED.has(name));
  await mkdir(trash);
  try {
    // 1. Assets: merged, never removed while a page may still point at them.
    if (entries.includes(ASSETS)) {
      const liveAssets = join(outDir, ASSETS);
      await mkdir(liveAssets, { recursive: true });
      for (const file of await readdir(join(staging, ASSETS), { recursive: true })) {
        const source = join(staging, ASSETS, file);
        if ((await stat(source)).isDirectory()) continue;
        await mkdir(dirname(join(liveAssets, file)), { recursive: true });
        await rename(source, join(liveAssets, file));
      }
    }
    // 2. Every other entry: one rename each (the old one moves to the trash first).
    const ordered = entries.filter((name) => name !== ASSETS && name !== 'index.html');
    if (entries.includes('index.html')) ordered.push('index.html');
    for (const name of ordered) {
      const live = join(outDir, name);
      if (existsSync(live)) await rename(live, join(trash, name));
      await rename(join(staging, name), live);
    }
    // 3. What the previous build made and this one did not.
    for (const name of previous) {
      if (entries.includes(name) || RESERVED.has(name) || name.startsWith('.')) continue;
      const live = join(outDir, name);
      if (existsSync(live) && relative(outDir, live) === name) await rename(live, join(trash, name));
    }
    await writeAtomically(outDir, MANIFEST, JSON.stringify(entries.sort(), null, 2));
    // 4. Assets no current page uses any more (from builds before the previous one).
    if (entries.includes(ASSETS)) await pruneAssets(outDir);
  } finally {
    await rm(trash, { recursive: true, force: true });
  }
}

async function writeAtomically(dir: string, name: string, body: string): Promise<void> {
  const temp = join(dir, `${MANIFEST_TEMP_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  await writeFile(temp, body);
  await rename(temp, join(dir, name));
}

/** Removes files in _astro/ that no HTML, CSS or JS file of the live site mentions. */
async function pruneAssets(outDir: string): Promise<void> {
  const assetsDir = join(outDir, ASSETS);
  const assetFiles = (await readdir(assetsDir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
  const referenced = new Set<string>();
  const names = assetFiles.map((file) => file.slice(assetsDir.length + 1));
  for (const entry of await readdir(outDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(html|css|js)$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    if (relative(outDir, path).startsWith('data')) continue;
    const text = await readFile(path, 'utf8');
    for (const name of names) if (text.includes(name)) referenced.add(name);
  }
  for (const name of names) if (!referenced.has(name)) await rm(join(assetsDir, name), { force: true });
}

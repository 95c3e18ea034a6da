// Site build benchmark: builds the site for the given published data and prints the build
// time and pages per second. Data: the folder holding data/v1 given as argument or by env
// CONGKHAI_OUT (the demo: .congkhai/public after `congkhai run`); without either, the test
// sample. Runnable alone: npx node scripts/bench-site.ts [OUT_DIR]
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSite } from '../functions/core/site/build-site.ts';

export interface SiteBenchResult {
  outDir: string;
  dataSource: 'given' | 'sample';
  pages: number;
  files: number;
  seconds: number;
  astroSeconds: number;
  searchIndexSeconds: number;
  pagesPerSecond: number;
}

export async function benchSite(outDir?: string): Promise<SiteBenchResult> {
  let folder = outDir ?? process.env.CONGKHAI_OUT;
  let dataSource: SiteBenchResult['dataSource'] = 'given';
  if (!folder || !existsSync(join(folder, 'data', 'v1', 'datapackage.json'))) {
    if (folder) console.error(`bench-site: no data/v1 in ${folder}; using the test sample`);
    const { makeSamplePublishedData } = await import('../tests/site/make-sample-published-data.ts');
    folder = await mkdtemp(join(tmpdir(), 'congkhai-bench-site-'));
    await makeSamplePublishedData(folder);
    dataSource = 'sample';
  }
  const result = await buildSite({ outDir: resolve(folder) });
  const seconds = result.totalMs / 1000;
  return {
    outDir: result.outDir,
    dataSource,
    pages: result.pages,
    files: result.files,
    seconds,
    astroSeconds: result.astroMs / 1000,
    searchIndexSeconds: result.searchMs / 1000,
    pagesPerSecond: result.pages / seconds,
  };
}

export function formatSiteBench(result: SiteBenchResult): string {
  return (
    `site build (${result.dataSource === 'sample' ? 'test sample' : result.outDir}): ${result.pages} pages, ` +
    `${result.files} files in ${result.seconds.toFixed(1)} s (Astro ${result.astroSeconds.toFixed(1)} s, ` +
    `search index ${result.searchIndexSeconds.toFixed(1)} s) = ${result.pagesPerSecond.toFixed(1)} pages/s`
  );
}

if (import.meta.main) {
  console.log(formatSiteBench(await benchSite(process.argv[2])));
}

// The site under test: published data (the demo pipeline's when CONGKHAI_SITE_E2E_OUT names a
// folder holding data/v1, else the contract-true sample), built with buildSite() and served on
// 127.0.0.1 by the same static server `congkhai site serve` uses.
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { type BuildSiteResult, buildSite } from '../../functions/core/site/build-site.ts';
import { type StaticServer, startStaticServer } from '../../functions/core/site/static-server.ts';
import { makeSamplePublishedData } from './make-sample-published-data.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
];

/** The folder holding data/v1: env CONGKHAI_SITE_E2E_OUT (the demo), else a fresh sample. */
export async function siteDataFolder(): Promise<{ outDir: string; sample: boolean }> {
  const given = process.env.CONGKHAI_SITE_E2E_OUT;
  if (given) {
    const outDir = resolve(given);
    if (!existsSync(join(outDir, 'data', 'v1', 'datapackage.json'))) {
      throw new Error(`CONGKHAI_SITE_E2E_OUT=${given} holds no data/v1/datapackage.json`);
    }
    return { outDir, sample: false };
  }
  const outDir = await mkdtemp(join(tmpdir(), 'congkhai-site-'));
  await makeSamplePublishedData(outDir);
  return { outDir, sample: true };
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
  sample: boolean;
  build: BuildSiteResult;
  server: StaticServer;
}

export async function buildAndServe(prepare?: (outDir: string) => Promise<void>): Promise<BuiltSite> {
  const { outDir, sample } = await siteDataFolder();
  if (prepare) await prepare(outDir);
  const build = await buildSite({ outDir });
  const server = await startStaticServer(outDir, 0);
  return { outDir, sample, build, server };
}

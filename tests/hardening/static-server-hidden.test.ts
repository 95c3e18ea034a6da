// The static server never serves hidden entries: staging folders of a build or a publish in
// progress (or killed), the site manifest, temporary files. They answer 404 like missing files.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type StaticServer, startStaticServer } from '../../functions/core/site/static-server.ts';

let dir: string;
let server: StaticServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'congkhai-hidden-'));
  const files = [
    'index.html',
    'co-quan/index.html',
    'data/v1/datapackage.json',
    '.site-staging-123-abcd/index.html',
    '.site-old-123-abcd/co-quan/index.html',
    '.site-manifest.json',
    'data/.staging-123-abcd/unit_kpis.csv',
    'data/v1-archive/.tmp-123-abcd',
  ];
  for (const file of files) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), `<!doctype html><title>${file}</title>`);
  }
  server = await startStaticServer(dir, 0);
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The status of a GET, the body read to the end (an unread body breaks a closing connection). */
const status = async (path: string) => {
  const response = await fetch(new URL(path, server.url));
  await response.arrayBuffer();
  return response.status;
};

test('the site and its data are served', async () => {
  expect(await status('/')).toBe(200);
  expect(await status('/co-quan/')).toBe(200);
  expect(await status('/data/v1/datapackage.json')).toBe(200);
});

test.each([
  '/.site-staging-123-abcd/',
  '/.site-staging-123-abcd/index.html',
  '/.site-old-123-abcd/co-quan/',
  '/.site-manifest.json',
  '/data/.staging-123-abcd/unit_kpis.csv',
  '/data/v1-archive/.tmp-123-abcd',
  '/%2Esite-staging-123-abcd/index.html',
  '/data/%2estaging-123-abcd/unit_kpis.csv',
])('%s is not served', async (path) => {
  expect(await status(path)).toBe(404);
});

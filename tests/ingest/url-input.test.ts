// `congkhai ingest <url>`: an extract served over HTTP on 127.0.0.1 is downloaded and ingested;
// a missing one is refused (exit 2) with the URL and the HTTP status, and nothing is written.

import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesUnder, lakeDossiers, runCli, tempDir, v1Csv, validRow } from './helpers.ts';

let server: Server;
let base: string;
const body = v1Csv([validRow(1), validRow(2), validRow(3)]);

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/export/ho-so-2021-04-01.csv' || request.url?.startsWith('/odd/')) {
      response.writeHead(200, { 'content-type': 'text/csv' }).end(body);
    } else if (request.url === '/moved/ho-so-2021-04-01.csv') {
      response.writeHead(302, { location: `${base}/export/ho-so-2021-04-01.csv` }).end();
    } else response.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('ingest from a URL', () => {
  it('downloads the extract, names it after the URL and takes the snapshot date from it', async () => {
    const lake = join(await tempDir(), 'lake');
    const run = await runCli(['ingest', `${base}/export/ho-so-2021-04-01.csv`, '--lake', lake]);
    expect(run.code, run.stderr).toBe(0);
    const rows = await lakeDossiers(lake);
    expect(rows).toHaveLength(3);
    expect(rows[0]!['source_file']).toBe('ho-so-2021-04-01.csv');
    expect((await filesUnder(lake)).some((f) => f.includes('snapshot_date=2021-04-01'))).toBe(true);
  });

  it('refuses a URL that answers 404: exit 2, the URL and the status named, nothing written', async () => {
    const lake = join(await tempDir(), 'lake');
    const run = await runCli(['ingest', `${base}/export/missing.csv`, '--lake', lake]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${base}/export/missing.csv`);
    expect(run.stderr).toContain('HTTP 404');
    expect(await filesUnder(lake)).toEqual([]);
  });

  it('names a URL holding ..%2F with one safe name inside its temporary folder', async () => {
    const lake = join(await tempDir(), 'lake');
    const run = await runCli(['ingest', `${base}/odd/..%2F..%2Fescape-2021-04-02.csv`, '--lake', lake]);
    expect(run.code, run.stderr).toBe(0);
    const rows = await lakeDossiers(lake);
    expect(rows[0]!['source_file']).toBe('___.._escape-2021-04-02.csv');
    expect((await filesUnder(lake)).some((f) => f.includes('snapshot_date=2021-04-02'))).toBe(true);
    // Not written beside or above the temporary folder.
    expect(existsSync(join(tmpdir(), '..', 'escape-2021-04-02.csv'))).toBe(false);
    expect(existsSync(join(tmpdir(), 'escape-2021-04-02.csv'))).toBe(false);
  });

  it('a malformed escape in the URL is kept as written, not a crash', async () => {
    const lake = join(await tempDir(), 'lake');
    const run = await runCli(['ingest', `${base}/odd/bad%E0%A4%A-2021-04-03.csv`, '--lake', lake]);
    expect(run.code, run.stderr).toBe(0);
    expect((await lakeDossiers(lake))[0]!['source_file']).toBe('bad_E0_A4_A-2021-04-03.csv');
  });

  it('refuses a redirect: exit 2, the status and the target named', async () => {
    const lake = join(await tempDir(), 'lake');
    const run = await runCli(['ingest', `${base}/moved/ho-so-2021-04-01.csv`, '--lake', lake]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`HTTP 302 redirect to ${base}/export/ho-so-2021-04-01.csv refused`);
    expect(await filesUnder(lake)).toEqual([]);
  });
});

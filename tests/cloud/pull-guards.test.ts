// The nightly pull's guards, as contracts of the exact requests a real HTTP server on
// 127.0.0.1 receives: a redirect is refused (the credential never reaches the other host), a
// private or local address is refused before any request is sent, and a body over the limit
// is refused (by its Content-Length before reading, or cut while streaming) and never kept.
// The loopback server is reachable only because these tests pass `allowPrivateHosts`; the
// tests of the default prove that without it nothing is sent at all.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PullFailedError, type PullSource, pullExtract } from '../../functions/core/cloud/pull-source.ts';
import {
  DownloadError,
  downloadFileName,
  downloadToFolder,
  isPrivateAddress,
  refusedAddress,
} from '../../functions/core/extract/download.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

const TOKEN = 'Bearer pull-guard-token';
const BODY = Buffer.alloc(3000, 'a');
let source: Server;
let other: Server;
let base: string;
let otherBase: string;
const seen: Seen[] = [];
const seenByOther: Seen[] = [];
let work: string;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'congkhai-pull-guards-'));
  other = createServer((req, res) => {
    seenByOther.push({ method: req.method!, url: req.url!, headers: req.headers });
    res.writeHead(200).end('from the other host');
  });
  otherBase = await listen(other);
  source = createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    if (req.url === '/moved.json') res.writeHead(302, { location: `${otherBase}/steal.json` }).end();
    else if (req.url === '/big-declared.json')
      res.writeHead(200, { 'content-length': BODY.length }).end(BODY);
    else if (req.url === '/big-streamed.json') {
      // No Content-Length: the limit has to hold while streaming.
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      res.write(BODY.subarray(0, 1500));
      setTimeout(() => res.end(BODY.subarray(1500)), 20);
    } else if (req.url?.startsWith('/export/')) res.writeHead(200).end('{"data":[]}');
    else res.writeHead(404).end();
  });
  base = await listen(source);
});

afterAll(async () => {
  await new Promise((resolve) => source.close(resolve));
  await new Promise((resolve) => other.close(resolve));
  await rm(work, { recursive: true, force: true });
});

beforeEach(() => {
  seen.length = 0;
  seenByOther.length = 0;
});

const pullSource = (url: string): PullSource => ({
  url,
  headerName: 'X-Api-Key',
  headerValue: TOKEN,
  timeoutSeconds: 10,
});
const loopbackLimits = { maxBytes: 2000, allowPrivateHosts: true };

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('the pull sends exactly one GET with the credential', () => {
  it('GET, the path and query as configured, the credential header once', async () => {
    const pulled = await pullExtract(
      pullSource(`${base}/export/hoso-2021-04-05.json?since=2021-04-04`),
      work,
      loopbackLimits,
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/export/hoso-2021-04-05.json?since=2021-04-04' });
    expect(seen[0]!.headers['x-api-key']).toBe(TOKEN);
    expect(seen[0]!.headers['host']).toBe(new URL(base).host);
    expect(pulled.name).toBe('hoso-2021-04-05.json');
  });
});

describe('redirects', () => {
  it('are refused: the other host never sees a request, nor the credential', async () => {
    const error = await pullExtract(pullSource(`${base}/moved.json`), work, loopbackLimits).catch((e) => e);
    expect(error).toBeInstanceOf(PullFailedError);
    expect((error as Error).message).toBe(
      `Pull from ${base}/moved.json failed: HTTP 302 redirect to ${otherBase}/steal.json refused`,
    );
    expect(seen.map((s) => s.url)).toEqual(['/moved.json']);
    expect(seenByOther).toEqual([]);
  });
});

describe('private and local addresses', () => {
  it('are refused by default, before any request is sent (literal IPv4, IPv6, and names)', async () => {
    const port = new URL(base).port;
    for (const url of [
      `${base}/export/x.json`,
      `http://[::1]:${port}/export/x.json`,
      `http://localhost:${port}/export/x.json`,
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:127.0.0.1]/x',
    ]) {
      const error = await pullExtract(pullSource(url), work, { maxBytes: 2000 }).catch((e) => e);
      expect(error, url).toBeInstanceOf(PullFailedError);
      expect((error as Error).message, url).toMatch(/a private or local address: refused$/);
    }
    expect(seen).toEqual([]);
  });

  it('a name is refused if ANY of its addresses is private', () => {
    expect(
      refusedAddress([
        { address: '93.184.215.14', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ]),
    ).toBe('10.0.0.7');
    expect(
      refusedAddress([
        { address: '2606:4700:4700::1111', family: 6 },
        { address: 'fd00::1', family: 6 },
      ]),
    ).toBe('fd00::1');
    expect(refusedAddress([{ address: '93.184.215.14', family: 4 }])).toBeUndefined();
  });

  it.each([
    ['127.0.0.1', true],
    ['10.20.30.40', true],
    ['172.16.5.4', true],
    ['172.31.255.255', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['255.255.255.255', true],
    ['224.0.0.1', true],
    ['::', true],
    ['::1', true],
    ['fe80::1', true],
    ['fc00::1', true],
    ['fd12:3456::1', true],
    ['::ffff:10.0.0.1', true],
    ['::ffff:8.8.8.8', true],
    ['64:ff9b::a00:1', true],
    ['ff02::1', true],
    ['not-an-address', true],
    ['8.8.8.8', false],
    ['172.32.0.1', false],
    ['93.184.215.14', false],
    ['2606:4700:4700::1111', false],
    ['2a00:1450:4001::200e', false],
  ])('%s is private or local: %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe('the size limit', () => {
  it('refuses a declared Content-Length over the limit before reading; nothing is kept', async () => {
    const dir = await mkdtemp(join(work, 'declared-'));
    const error = await pullExtract(pullSource(`${base}/big-declared.json`), dir, loopbackLimits).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(PullFailedError);
    expect((error as Error).message).toBe(
      `Pull from ${base}/big-declared.json failed: the body is 3000 bytes, larger than 2000: refused`,
    );
    expect(await filesUnder(dir)).toEqual([]);
  });

  it('cuts a streamed body that grows past the limit and removes the partial file', async () => {
    const dir = await mkdtemp(join(work, 'streamed-'));
    const error = await pullExtract(pullSource(`${base}/big-streamed.json`), dir, loopbackLimits).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(PullFailedError);
    expect((error as Error).message).toMatch(/larger than 2000 bytes: refused$/);
    expect(await filesUnder(dir)).toEqual([]);
  });

  it('accepts a body within the limit', async () => {
    const pulled = await pullExtract(pullSource(`${base}/big-declared.json`), work, {
      maxBytes: 3000,
      allowPrivateHosts: true,
    });
    expect(pulled.name).toBe('big-declared.json');
  });
});

describe('download names', () => {
  it.each([
    ['https://x.example/export/ho-so-2021-04-01.csv', 'ho-so-2021-04-01.csv'],
    ['https://x.example/export/h%E1%BB%93%20s%C6%A1-2021-04-01.csv', 'hồ sơ-2021-04-01.csv'],
    ['https://x.example/a/..%2F..%2Fescape-2021-04-01.csv', '___.._escape-2021-04-01.csv'],
    ['https://x.example/a/..%5C..%5Cwin.csv', '___.._win.csv'],
    ['https://x.example/a/%2e%2e', 'extract'],
    ['https://x.example/a/..', 'extract'],
    ['https://x.example/', 'extract'],
    ['https://x.example/a/bad%E0%A4%A-2021-04-01.csv', 'bad_E0_A4_A-2021-04-01.csv'],
    ['https://x.example/a/%ZZ.json', '_ZZ.json'],
    ['https://x.example/a/.hidden', '_hidden'],
  ])('%s → %s', (url, name) => {
    expect(downloadFileName(url)).toBe(name);
  });

  it('a ..%2F name or a malformed escape downloads inside the folder, nothing outside it', async () => {
    const parent = await mkdtemp(join(work, 'names-'));
    const dir = join(parent, 'inside');
    await import('node:fs/promises').then((fs) => fs.mkdir(dir));
    for (const path of ['/export/..%2F..%2Fescape.json', '/export/bad%E0%A4%A.json']) {
      const { path: file } = await downloadToFolder(`${base}${path}`, dir, { allowPrivateHosts: true });
      expect(file.startsWith(`${dir}/`)).toBe(true);
    }
    const files = await filesUnder(parent);
    expect(files.every((f) => f.startsWith(`${dir}/`))).toBe(true);
    expect(files).toHaveLength(2);
  });

  it('refuses to download anything but http(s)', async () => {
    await expect(downloadToFolder('file:///etc/passwd', work)).rejects.toBeInstanceOf(DownloadError);
  });
});

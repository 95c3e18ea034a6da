// The nightly pull: the source config from Secrets Manager (mocked: it is AWS), validated by
// zod without ever quoting the secret; the download from a real HTTP server on 127.0.0.1
// with the credential header; then the same ingest as for a dropped file.

import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPulledExtract } from '../../functions/core/cloud/cloud-ingest.ts';
import { loadPullSource, type PullSource, parsePullSource } from '../../functions/core/cloud/pull-source.ts';
import { LocalStorage } from '../../functions/core/storage.ts';
import { FIXTURES } from '../support/fixtures.ts';

const TOKEN = 'Bearer s3cr3t-token-value';
let server: Server;
let base: string;
let work: string;
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'congkhai-pull-'));
  const units = await readFile(join(FIXTURES, 'dvcqg-sample-units.csv'));
  const extract = await readFile(join(FIXTURES, 'dvcqg-sample.json'));
  server = createServer((req, res) => {
    seen.push(req.headers);
    if (req.headers['x-api-key'] !== TOKEN) {
      res.writeHead(401).end('no');
      return;
    }
    if (req.url === '/export/units.csv') res.writeHead(200).end(units);
    else if (req.url?.startsWith('/export/hoso-2021-04-05.json')) res.writeHead(200).end(extract);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(work, { recursive: true, force: true });
});

describe('pull source secret', () => {
  it('reads the secret by id and validates it', async () => {
    const secrets = new SecretsManagerClient({ region: 'ap-southeast-1' });
    const mock = mockClient(secrets);
    mock.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({
        url: 'https://mot-cua.example.gov.vn/api/export.json',
        headerValue: TOKEN,
      }),
    });
    const source = await loadPullSource(secrets, 'arn:aws:secretsmanager:ap-southeast-1:1:secret:pull');
    expect(mock.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: 'arn:aws:secretsmanager:ap-southeast-1:1:secret:pull' },
    ]);
    expect(source).toEqual({
      url: 'https://mot-cua.example.gov.vn/api/export.json',
      headerName: 'Authorization',
      headerValue: TOKEN,
      timeoutSeconds: 300,
    });
  });

  it("'{}' means no pull; anything else must be a complete https source", () => {
    expect(parsePullSource('{}')).toBeUndefined();
    expect(() =>
      parsePullSource(JSON.stringify({ url: 'http://plain.example/x.json', headerValue: TOKEN })),
    ).toThrow(/url: must be an https:\/\/ URL/);
    expect(() => parsePullSource(JSON.stringify({ url: 'https://a.example/x.json' }))).toThrow(/headerValue/);
  });

  it('never quotes the secret in its errors', () => {
    for (const text of [
      `not json ${TOKEN}`,
      JSON.stringify({ url: 'ftp://x', headerValue: TOKEN, headerName: 'bad name' }),
    ]) {
      const message = (() => {
        try {
          parsePullSource(text);
          return '';
        } catch (e) {
          return (e as Error).message;
        }
      })();
      expect(message).not.toBe('');
      expect(message).not.toContain('s3cr3t');
    }
  });
});

describe('scheduled pull', () => {
  const source = (path: string): PullSource => ({
    url: `${base}${path}`,
    headerName: 'X-API-Key',
    headerValue: TOKEN,
    timeoutSeconds: 30,
  });

  it('downloads with the credential header and ingests into the lake', async () => {
    const lake = new LocalStorage(join(work, 'lake'));
    const result = await ingestPulledExtract({
      s3: new S3Client({ region: 'ap-southeast-1' }),
      lake,
      workDir: work,
      maxExtractBytes: 10_000_000,
      // The test server is on 127.0.0.1, which the pull refuses by default.
      allowPrivateHosts: true,
      pullSource: async () => source('/export/hoso-2021-04-05.json?since=2021-04-04'),
      // The registry the province keeps in landing/ (S3 downloads: see ingest-handler.test.ts).
      fetchUnits: async (path) => {
        await mkdir(dirname(path), { recursive: true });
        await copyFile(join(FIXTURES, 'dvcqg-sample-units.csv'), path);
        return true;
      },
    });
    expect(seen.at(-1)?.['x-api-key']).toBe(TOKEN);
    expect(result.refused).toEqual([]);
    expect(result.ingested[0]).toMatchObject({
      file: 'hoso-2021-04-05.json',
      snapshotDate: '2021-04-05',
      rowsRead: 5,
      rowsAccepted: 5,
    });
    expect((await lake.list('ingest_log')).length).toBe(1);
  });

  it('a failed download is an error that names the URL without its query', async () => {
    const lake = new LocalStorage(join(work, 'lake-2'));
    const bad = { ...source('/export/missing.json?token=abc'), headerValue: 'wrong' };
    await expect(
      ingestPulledExtract({
        s3: new S3Client({}),
        lake,
        workDir: work,
        maxExtractBytes: 10_000_000,
        allowPrivateHosts: true,
        pullSource: async () => bad,
      }),
    ).rejects.toThrow(`Pull from ${base}/export/missing.json failed: HTTP 401`);
    expect(await lake.list('')).toEqual([]);
  });
});

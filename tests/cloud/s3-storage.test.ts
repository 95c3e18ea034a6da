// S3Storage against a real S3-compatible server (s3rver in its own process), side by side
// with LocalStorage: the two must behave the same for every Storage operation.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Storage } from '../../functions/core/cloud/s3-storage.ts';
import { LocalStorage, type Storage } from '../../functions/core/storage.ts';
import { type S3rver, startS3rver } from './s3rver-process.ts';

let s3: S3rver;
let work: string;

beforeAll(async () => {
  s3 = await startS3rver();
  await s3.createBuckets('storage-test');
  work = await mkdtemp(join(tmpdir(), 'congkhai-s3storage-'));
});

afterAll(async () => {
  await s3?.stop();
  await rm(work, { recursive: true, force: true });
});

const KEYS = [
  'dossiers/snapshot_date=2021-03-31/part-a.parquet',
  'dossiers/snapshot_date=2021-04-01/part-b.parquet',
  'dossiers/snapshot_date=2021-04-01/part-c.parquet',
  'dossiers_old/part-x.parquet',
  'ingest_log/snapshot_date=2021-04-01/b.json',
];

async function exercise(storage: Storage) {
  for (const key of KEYS) await storage.putBytes(key, `content of ${key}`);
  return {
    dossiers: await storage.list('dossiers'),
    dossiersSlash: await storage.list('dossiers/'),
    all: await storage.list(''),
    missingList: await storage.list('nothing-here'),
    text: Buffer.from((await storage.getBytes(KEYS[1]!))!).toString('utf8'),
    missing: await storage.getBytes('dossiers/none.parquet'),
    exists: await storage.exists(KEYS[0]!),
    notExists: await storage.exists('dossiers/none.parquet'),
  };
}

describe('S3Storage on s3rver', () => {
  it('behaves like LocalStorage: folder-like listing, sorted, missing keys', async () => {
    const local = await exercise(new LocalStorage(join(work, 'local')));
    const remote = await exercise(
      new S3Storage({ bucket: 'storage-test', prefix: 'lake', client: s3.client, listPageSize: 2 }),
    );
    expect(remote).toEqual(local);
    expect(remote.dossiers).toEqual(KEYS.slice(0, 3));
    expect(remote.all).toEqual([...KEYS].sort());
    expect(remote.missing).toBeUndefined();
    expect(remote.notExists).toBe(false);
  });

  it('keeps keys under its prefix and pages through listings', async () => {
    const storage = new S3Storage({
      bucket: 'storage-test',
      prefix: 'paged',
      client: s3.client,
      listPageSize: 3,
    });
    const keys = Array.from({ length: 11 }, (_, i) => `t/k${String(i).padStart(2, '0')}.json`);
    await Promise.all(keys.map((k) => storage.putBytes(k, '{}')));
    expect(await storage.list('t')).toEqual(keys);
    const raw = await s3.client.send(new ListObjectsV2Command({ Bucket: 'storage-test', Prefix: 'paged/' }));
    expect(raw.KeyCount).toBe(11);
    expect(storage.location).toBe('s3://storage-test/paged/');
  });

  it('streams a file up and down unchanged, with a content type from the extension', async () => {
    const storage = new S3Storage({ bucket: 'storage-test', client: s3.client });
    const source = join(work, 'big.parquet');
    const bytes = randomBytes(6 * 1024 * 1024 + 17);
    await writeFile(source, bytes);
    await storage.putFile('data/v1/big.parquet', source);
    const back = join(work, 'down', 'big.parquet');
    expect(await storage.downloadTo('data/v1/big.parquet', back)).toBe(true);
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    const { readFile } = await import('node:fs/promises');
    expect(sha(await readFile(back))).toBe(sha(bytes));
    const head = await s3.client.send(
      new HeadObjectCommand({ Bucket: 'storage-test', Key: 'data/v1/big.parquet' }),
    );
    expect(head.ContentType).toBe('application/vnd.apache.parquet');
    expect(head.ContentLength).toBe(bytes.length);
    expect(await storage.downloadTo('data/v1/absent.parquet', join(work, 'absent'))).toBe(false);
  });

  it('deletes', async () => {
    const storage = new S3Storage({ bucket: 'storage-test', prefix: 'del', client: s3.client });
    await storage.putBytes('a/b.csv', 'x');
    expect(await storage.exists('a/b.csv')).toBe(true);
    await storage.delete('a/b.csv');
    expect(await storage.exists('a/b.csv')).toBe(false);
    expect(await storage.list('a')).toEqual([]);
  });
});

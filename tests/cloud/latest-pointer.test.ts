// data/v1/latest.json never moves back: on a real S3-compatible server (s3rver), an older
// version is archived but the pointer stays on the newer one; and the exact requests
// (aws-sdk-client-mock) make the compare and the write one step: the PUT carries If-Match
// with the ETag that was read (If-None-Match: * when there was none), and a failed
// condition means read again and compare again.

import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LATEST_POINTER_KEY,
  type LatestPointer,
  moveLatestPointer,
} from '../../functions/core/cloud/latest-pointer.ts';
import { S3Storage } from '../../functions/core/cloud/s3-storage.ts';
import { type S3rver, startS3rver } from './s3rver-process.ts';

let s3: S3rver;
let site: S3Storage;

beforeAll(async () => {
  s3 = await startS3rver();
  await s3.createBuckets('latest-test');
  site = new S3Storage({ bucket: 'latest-test', client: s3.client });
});

afterAll(async () => {
  await s3?.stop();
});

async function publishVersion(date: string): Promise<string[]> {
  const key = `data/v1/archive/${date}/datapackage.json`;
  await site.putBytes(key, `{"as_of":"${date}"}`);
  return [key];
}

async function stored(): Promise<LatestPointer> {
  return JSON.parse(Buffer.from((await site.getBytes(LATEST_POINTER_KEY))!).toString('utf8'));
}

describe('latest pointer on s3rver', () => {
  it('moves forward, never back', async () => {
    await moveLatestPointer(site, '2021-04-02 00:00:00', await publishVersion('2021-04-02'));
    expect((await stored()).version).toBe('2021-04-02');

    // An older run (a late retry, a re-publish by hand): archived, but latest stays.
    const older = await moveLatestPointer(site, '2021-03-01 00:00:00', await publishVersion('2021-03-01'));
    expect(older.version).toBe('2021-03-01');
    expect((await stored()).version).toBe('2021-04-02');
    expect(await site.exists('data/v1/archive/2021-03-01/datapackage.json')).toBe(true);

    // The same as-of again (a re-run of the night) and a newer one move it.
    await moveLatestPointer(site, '2021-04-02 00:00:00', await publishVersion('2021-04-02'));
    expect((await stored()).version).toBe('2021-04-02');
    await moveLatestPointer(site, '2021-04-03 00:00:00', await publishVersion('2021-04-03'));
    expect((await stored()).version).toBe('2021-04-03');
  });
});

describe('latest pointer: the conditional write', () => {
  const client = new S3Client({
    region: 'ap-southeast-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  const s3mock = mockClient(client);
  const mocked = new S3Storage({ bucket: 'site', client });
  // The SDK's stream body, as far as S3Storage reads it.
  const body = (pointer: Partial<LatestPointer>) =>
    ({ transformToByteArray: async () => new Uint8Array(Buffer.from(JSON.stringify(pointer))) }) as never;
  const preconditionFailed = () =>
    new S3ServiceException({
      name: 'PreconditionFailed',
      $fault: 'client',
      $metadata: { httpStatusCode: 412 },
    });

  it('sends If-None-Match: * when there is no pointer yet', async () => {
    s3mock.reset();
    s3mock
      .on(GetObjectCommand, { Key: LATEST_POINTER_KEY })
      .rejects(new NoSuchKey({ message: 'no', $metadata: { httpStatusCode: 404 } }));
    s3mock.on(PutObjectCommand).resolves({});
    mocked.exists = async () => true;
    await moveLatestPointer(mocked, '2021-04-05 00:00:00', ['data/v1/archive/2021-04-05/a.csv']);
    const puts = s3mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts).toHaveLength(1);
    expect(puts[0]).toMatchObject({ Key: LATEST_POINTER_KEY, IfNoneMatch: '*' });
    expect(puts[0]!.IfMatch).toBeUndefined();
  });

  it('sends If-Match with the ETag read; on a failed condition reads again and keeps the newer pointer', async () => {
    s3mock.reset();
    s3mock
      .on(GetObjectCommand, { Key: LATEST_POINTER_KEY })
      .resolvesOnce({ Body: body({ as_of: '2021-04-04 00:00:00', version: '2021-04-04' }), ETag: '"etag-1"' })
      // Another run moved it to a newer version between our read and our write.
      .resolves({ Body: body({ as_of: '2021-04-06 00:00:00', version: '2021-04-06' }), ETag: '"etag-2"' });
    s3mock.on(PutObjectCommand).rejects(preconditionFailed());
    mocked.exists = async () => true;

    const pointer = await moveLatestPointer(mocked, '2021-04-05 00:00:00', [
      'data/v1/archive/2021-04-05/a.csv',
    ]);

    expect(pointer.version).toBe('2021-04-05');
    const puts = s3mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts).toHaveLength(1);
    expect(puts[0]).toMatchObject({ Key: LATEST_POINTER_KEY, IfMatch: '"etag-1"' });
    expect(s3mock.commandCalls(GetObjectCommand, { Key: LATEST_POINTER_KEY })).toHaveLength(2);
  });
});

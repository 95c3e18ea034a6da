// Storage on an S3 bucket (optionally under a key prefix): the cloud twin of LocalStorage.
// A single PutObject is atomic in S3 (readers see the old object or the new one, never a
// partial one), so putFile/putBytes need no temporary key.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import type { Storage } from '../storage.ts';
import type { ConditionalStorage } from './latest-pointer.ts';

export interface S3StorageOptions {
  bucket: string;
  /** Key prefix inside the bucket, without a trailing '/', e.g. 'lake'. Empty: the bucket root. */
  prefix?: string;
  /** A ready client (shared between storages, or a mock). */
  client?: S3Client;
  /** Used when no client is given; tests set `endpoint` and `forcePathStyle: true`. */
  clientConfig?: S3ClientConfig;
  /** Keys per ListObjectsV2 page (S3's maximum and default: 1000). */
  listPageSize?: number;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.ndjson': 'application/x-ndjson; charset=utf-8',
  '.parquet': 'application/vnd.apache.parquet',
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** A content type from a key's extension, so that CloudFront serves data files correctly. */
export function contentTypeFor(key: string): string {
  return CONTENT_TYPES[extname(key).toLowerCase()] ?? 'application/octet-stream';
}

/** True for the errors S3 returns when a key does not exist (GetObject and HeadObject differ). */
function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

/** Key of a kept pulled extract: `<prefix><UTC time>-<name>`, one per pull, never overwritten. */
export function pulledExtractKey(prefix: string, name: string, now: Date = new Date()): string {
  return `${prefix}${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${name}`;
}

export class ObjectTooLargeError extends Error {
  readonly size: number | undefined;
  readonly maxBytes: number;
  constructor(key: string, size: number | undefined, maxBytes: number) {
    super(
      size === undefined
        ? `${key}: S3 gave no length, so its size cannot be checked against the ${maxBytes}-byte limit`
        : `${key} is ${size} bytes, larger than the ${maxBytes}-byte limit`,
    );
    this.name = 'ObjectTooLargeError';
    this.size = size;
    this.maxBytes = maxBytes;
  }
}

/** S3's answers to a conditional PUT whose condition no longer holds. */
function isConditionFailed(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e.name === 'PreconditionFailed' ||
    e.name === 'ConditionalRequestConflict' ||
    e.$metadata?.httpStatusCode === 412 ||
    e.$metadata?.httpStatusCode === 409
  );
}

export class S3Storage implements Storage, ConditionalStorage {
  readonly bucket: string;
  readonly prefix: string;
  readonly client: S3Client;
  readonly location: string;
  private readonly listPageSize: number;

  constructor(options: S3StorageOptions) {
    this.bucket = options.bucket;
    this.prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.client = options.client ?? new S3Client(options.clientConfig ?? {});
    this.location = `s3://${this.bucket}/${this.prefix ? `${this.prefix}/` : ''}`;
    this.listPageSize = options.listPageSize ?? 1000;
  }

  /** The full object key of a storage key. */
  objectKey(key: string): string {
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  async putFile(key: string, localPath: string, contentType?: string): Promise<void> {
    // A stream body needs its length up front: S3 refuses chunked uploads without one.
    const { size } = await stat(localPath);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.objectKey(key),
        Body: createReadStream(localPath),
        ContentLength: size,
        ContentType: contentType ?? contentTypeFor(key),
      }),
    );
  }

  async putBytes(key: string, body: Uint8Array | string, contentType?: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.objectKey(key),
        Body: body,
        ContentType: contentType ?? contentTypeFor(key),
      }),
    );
  }

  async getBytes(key: string): Promise<Uint8Array | undefined> {
    try {
      const result = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      );
      return result.Body ? await result.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async getBytesTagged(key: string): Promise<{ body: Uint8Array; tag: string } | undefined> {
    try {
      const result = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      );
      const body = result.Body ? await result.Body.transformToByteArray() : new Uint8Array();
      return { body, tag: result.ETag ?? '' };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** A PUT that S3 performs only if the object still has ETag `tag` (If-Match), or does not
   * exist yet when `tag` is undefined (If-None-Match: *). False when the condition failed. */
  async putBytesIfTag(
    key: string,
    body: string,
    contentType: string,
    tag: string | undefined,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.objectKey(key),
          Body: body,
          ContentType: contentType,
          ...(tag === undefined ? { IfNoneMatch: '*' } : { IfMatch: tag }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  /** Stream an object to a local file (extracts can be larger than memory). False if absent.
   * An object longer than `maxBytes` is refused (ObjectTooLargeError) before its body is read. */
  async downloadTo(key: string, localPath: string, options: { maxBytes?: number } = {}): Promise<boolean> {
    let body: Readable;
    try {
      const result = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      );
      body = result.Body as Readable;
      const size = result.ContentLength;
      if (options.maxBytes !== undefined && (size === undefined || size > options.maxBytes)) {
        body.destroy();
        throw new ObjectTooLargeError(key, size, options.maxBytes);
      }
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
    await mkdir(dirname(localPath), { recursive: true });
    await pipeline(body, createWriteStream(localPath));
    return true;
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** Keys under a folder-like prefix, recursively, sorted — the same contract as LocalStorage. */
  async list(prefix: string): Promise<string[]> {
    const folder = prefix.replace(/^\/+|\/+$/g, '');
    const objectPrefix = this.objectKey(folder ? `${folder}/` : '');
    const strip = this.prefix ? this.prefix.length + 1 : 0;
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2(
      { client: this.client, pageSize: this.listPageSize },
      { Bucket: this.bucket, Prefix: objectPrefix },
    )) {
      for (const object of page.Contents ?? []) {
        if (object.Key && !object.Key.endsWith('/')) keys.push(object.Key.slice(strip));
      }
    }
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
  }
}

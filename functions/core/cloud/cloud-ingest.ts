// Ingest in the cloud: fetch the extract to the Lambda's /tmp (from the landing bucket or
// from the province's HTTPS source), then hand it to the same ingestExtract the CLI uses,
// with the lake bucket as storage. An extract that cannot be read is refused and reported;
// nothing of it reaches the lake.
import { mkdtemp, rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { safeFileName } from '../extract/download.ts';
import { ExtractUnreadableError, type IngestSummary, ingestExtract } from '../ingest/ingest-extract.ts';
import type { Storage } from '../storage.ts';
import type { RefusedExtract } from './extract-refused-error.ts';
import { type LandedObject, SUCCESSORS_FILE, unitsKeyBeside } from './landing-event.ts';
import { type PullSource, publicUrl, pullExtract } from './pull-source.ts';
import { ObjectTooLargeError, S3Storage } from './s3-storage.ts';

export interface CloudIngestDeps {
  s3: S3Client;
  lake: Storage;
  workDir: string;
  /** Largest extract accepted (bytes), pulled or dropped in landing/. */
  maxExtractBytes: number;
  /** The pull source (undefined: none configured). Only read for scheduled runs. */
  pullSource?: () => Promise<PullSource | undefined>;
  /** For pulled extracts: fetch the units registry (landing/units.csv) to `path`; false if none. */
  fetchUnits?: (path: string) => Promise<boolean>;
  /** Keep the raw pulled extract (in the landing bucket, under pulled/) before ingesting it,
   * so that the lake can be rebuilt from it. Returns where it was kept. */
  keepPulled?: (path: string, name: string) => Promise<string>;
  /** Tests only (a pull server on 127.0.0.1): the pull never reaches private addresses. */
  allowPrivateHosts?: boolean;
}

/** Why an object of `size` bytes is refused, or undefined when it is within the limit. */
function oversize(size: number | undefined, maxBytes: number): string | undefined {
  return size !== undefined && size > maxBytes
    ? `the object is ${size} bytes, larger than the ${maxBytes}-byte limit (maxExtractBytes)`
    : undefined;
}

export interface CloudIngestResult {
  trigger: 'landing' | 'schedule';
  ingested: IngestSummary[];
  refused: RefusedExtract[];
  /** Scheduled run without a configured pull source: nothing to do. */
  nothingToPull?: boolean;
}

/** Run ingestExtract; an unreadable extract becomes a refusal instead of an exception. */
async function ingestOne(
  file: string,
  request: Parameters<typeof ingestExtract>[0],
  result: CloudIngestResult,
): Promise<void> {
  try {
    result.ingested.push(await ingestExtract(request));
  } catch (error) {
    if (error instanceof ExtractUnreadableError) result.refused.push({ file, reason: error.reason });
    else throw error;
  }
}

/** Extracts dropped under landing/: each with the units.csv of its folder, when there is one. */
export async function ingestLandedObjects(
  objects: LandedObject[],
  deps: CloudIngestDeps,
): Promise<CloudIngestResult> {
  const result: CloudIngestResult = { trigger: 'landing', ingested: [], refused: [] };
  for (const object of objects) {
    const landing = new S3Storage({ bucket: object.bucket, client: deps.s3 });
    const file = `s3://${object.bucket}/${object.key}`;
    const dir = await mkdtemp(join(deps.workDir, 'congkhai-ingest-'));
    try {
      // The record keeps the key's own name; the local file gets a safe one ('..' is a key).
      const name = posix.basename(object.key);
      const path = join(dir, safeFileName(name));
      // The event says how large the object is: refuse before any byte is downloaded.
      const tooLarge = oversize(object.size, deps.maxExtractBytes);
      if (tooLarge) {
        result.refused.push({ file, reason: tooLarge });
        continue;
      }
      // Deleted between the event and now (or a duplicate event): nothing to ingest. Replaced
      // by a larger object since the event: refused on the object's own length, unread.
      let found: boolean;
      try {
        found = await landing.downloadTo(object.key, path, { maxBytes: deps.maxExtractBytes });
      } catch (error) {
        if (!(error instanceof ObjectTooLargeError)) throw error;
        result.refused.push({ file, reason: oversize(error.size, error.maxBytes) ?? error.message });
        continue;
      }
      if (!found) {
        result.refused.push({ file, reason: 'the object no longer exists' });
        continue;
      }
      const unitsPath = join(dir, 'registry', 'units.csv');
      const hasUnits = await landing.downloadTo(unitsKeyBeside(object.key), unitsPath);
      // unit_successors.csv beside units.csv: ingest finds it there and keeps both in the lake.
      if (hasUnits) {
        await landing.downloadTo(
          unitsKeyBeside(object.key, SUCCESSORS_FILE),
          join(dir, 'registry', SUCCESSORS_FILE),
        );
      }
      await ingestOne(
        file,
        { path, name, lake: deps.lake, unitsPath: hasUnits ? unitsPath : undefined, workDir: dir },
        result,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return result;
}

/** The nightly pull: download from the configured HTTPS source, then ingest. */
export async function ingestPulledExtract(deps: CloudIngestDeps): Promise<CloudIngestResult> {
  const result: CloudIngestResult = { trigger: 'schedule', ingested: [], refused: [] };
  const source = await deps.pullSource?.();
  if (!source) return { ...result, nothingToPull: true };
  const dir = await mkdtemp(join(deps.workDir, 'congkhai-ingest-'));
  try {
    const pulled = await pullExtract(source, dir, {
      maxBytes: deps.maxExtractBytes,
      allowPrivateHosts: deps.allowPrivateHosts ?? false,
    });
    const kept = await deps.keepPulled?.(pulled.path, pulled.name);
    if (kept) console.log(JSON.stringify({ level: 'info', message: 'pulled extract kept', kept }));
    const unitsPath = join(dir, 'registry', 'units.csv');
    const hasUnits = (await deps.fetchUnits?.(unitsPath)) ?? false;
    await ingestOne(
      publicUrl(source.url),
      {
        path: pulled.path,
        name: pulled.name,
        lake: deps.lake,
        encoding: source.encoding,
        unitsPath: hasUnits ? unitsPath : undefined,
        workDir: dir,
      },
      result,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return result;
}

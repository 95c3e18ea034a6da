// Ingest in the cloud: fetch the extract to the Lambda's /tmp (from the landing bucket or
// from the province's HTTPS source), then hand it to the same ingestExtract the CLI uses,
// with the lake bucket as storage. An extract that cannot be read is refused and reported;
// nothing of it reaches the lake.
import { mkdtemp, rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { ExtractUnreadableError, type IngestSummary, ingestExtract } from '../ingest/ingest-extract.ts';
import type { Storage } from '../storage.ts';
import type { RefusedExtract } from './extract-refused-error.ts';
import { type LandedObject, unitsKeyBeside } from './landing-event.ts';
import { type PullSource, publicUrl, pullExtract } from './pull-source.ts';
import { S3Storage } from './s3-storage.ts';

export interface CloudIngestDeps {
  s3: S3Client;
  lake: Storage;
  workDir: string;
  /** The pull source (undefined: none configured). Only read for scheduled runs. */
  pullSource?: () => Promise<PullSource | undefined>;
  /** For pulled extracts: fetch the units registry (landing/units.csv) to `path`; false if none. */
  fetchUnits?: (path: string) => Promise<boolean>;
  fetch?: typeof fetch;
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
      const name = posix.basename(object.key);
      const path = join(dir, name);
      // Deleted between the event and now (or a duplicate event): nothing to ingest.
      if (!(await landing.downloadTo(object.key, path))) {
        result.refused.push({ file, reason: 'the object no longer exists' });
        continue;
      }
      const unitsPath = join(dir, 'registry', 'units.csv');
      const hasUnits = await landing.downloadTo(unitsKeyBeside(object.key), unitsPath);
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
    const pulled = await pullExtract(source, dir, deps.fetch);
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

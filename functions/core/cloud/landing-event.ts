// S3 "object created" notifications for the landing area, validated with zod. Keys arrive
// URL-encoded with '+' for spaces (S3 event format), so they are decoded here once.
import { posix } from 'node:path';
import { z } from 'zod';

const S3RecordSchema = z.object({
  eventSource: z.literal('aws:s3'),
  eventName: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({ key: z.string().min(1), size: z.number().optional() }),
  }),
});

export const S3EventSchema = z.object({ Records: z.array(S3RecordSchema).min(1) });

export interface LandedObject {
  bucket: string;
  key: string;
  size?: number;
}

/** The units registry, when dropped in landing/, is read beside each extract, not ingested. */
export const UNITS_FILE = 'units.csv';
/** The successors of the reform (docs/design.md), beside units.csv. */
export const SUCCESSORS_FILE = 'unit_successors.csv';
const REGISTRY_FILES = new Set([UNITS_FILE, SUCCESSORS_FILE]);

export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replaceAll('+', ' '));
}

export function isS3Event(event: unknown): boolean {
  return typeof event === 'object' && event !== null && 'Records' in event;
}

/** The created objects of an S3 event that are extracts (not folders, not units.csv). */
export function landedExtracts(event: unknown): LandedObject[] {
  const parsed = S3EventSchema.safeParse(event);
  if (!parsed.success) throw new Error(`Not an S3 event: ${z.prettifyError(parsed.error)}`);
  return parsed.data.Records.filter((r) => r.eventName.startsWith('ObjectCreated:'))
    .map((r) => ({ bucket: r.s3.bucket.name, key: decodeS3Key(r.s3.object.key), size: r.s3.object.size }))
    .filter((o) => !o.key.endsWith('/') && !REGISTRY_FILES.has(posix.basename(o.key)));
}

/** Key of the units registry that applies to an extract: units.csv in the same folder. */
export function unitsKeyBeside(key: string, file: string = UNITS_FILE): string {
  const folder = posix.dirname(key);
  return folder === '.' ? file : `${folder}/${file}`;
}

// Lambda `bulk-load`: a thin shell over bulkLoad (functions/core/cloud/bulk-load.ts). Started
// by an operator for an extract too big for the ingest Lambda:
//   { "landing": "s3://<landing bucket>/landing/<…>.csv" | "s3://…/landing/<folder>/",
//     "snapshotDate"?: "YYYY-MM-DD", "delimiter"?: "," | ";" | "\t" | "|", "dryRun"?: true }
// A dry run reads the file's head and returns the statements it would send, sending none.
import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { AthenaEngine } from '../core/cloud/athena-engine.ts';
import {
  type BulkLoadDeps,
  type BulkLoadResult,
  bulkLoad,
  type PreparedBulkLoad,
  planBulkLoad,
} from '../core/cloud/bulk-load.ts';
import { IngestEnvSchema, PublishEnvSchema, parseEnv } from '../core/cloud/handler-env.ts';
import { S3Storage } from '../core/cloud/s3-storage.ts';

export const BulkLoadEnvSchema = PublishEnvSchema.omit({ SITE_BUCKET: true, CONGKHAI_CONFIG: true }).extend({
  /** The only bucket a bulk load reads extracts from. */
  LANDING_BUCKET: IngestEnvSchema.shape.LAKE_BUCKET,
  LANDING_PREFIX: IngestEnvSchema.shape.LANDING_PREFIX,
});

export const BulkLoadEventSchema = z
  .object({
    landing: z
      .string()
      .regex(/^s3:\/\/[^/]+\/.+/, 'an s3://bucket/key URL of a file or a folder (ending in /)'),
    snapshotDate: z.iso.date().optional(),
    delimiter: z.enum([',', ';', '\t', '|']).optional(),
    dryRun: z.boolean().default(false),
  })
  .strict();
export type BulkLoadEvent = z.input<typeof BulkLoadEventSchema>;

export interface BulkLoadHandlerDeps extends BulkLoadDeps {
  /** Where extracts may be read: s3://<landing bucket>/<landing prefix>. */
  landingRoot: string;
}

export function bulkLoadDepsFromEnv(env: NodeJS.ProcessEnv = process.env): BulkLoadHandlerDeps {
  const settings = parseEnv(BulkLoadEnvSchema, env);
  const s3 = new S3Client({ forcePathStyle: settings.S3_FORCE_PATH_STYLE });
  return {
    s3,
    athena: new AthenaEngine({ database: settings.ATHENA_DATABASE, workGroup: settings.ATHENA_WORKGROUP }),
    lake: new S3Storage({ bucket: settings.LAKE_BUCKET, prefix: settings.LAKE_PREFIX, client: s3 }),
    workDir: settings.WORK_DIR,
    landingRoot: `s3://${settings.LANDING_BUCKET}/${settings.LANDING_PREFIX}`,
  };
}

export type BulkLoadResponse =
  | { dryRun: true; plans: Pick<PreparedBulkLoad, 'file' | 'snapshotDate' | 'statements'>[] }
  | { dryRun: false; loaded: BulkLoadResult[] };

export async function handleBulkLoad(event: unknown, deps: BulkLoadHandlerDeps): Promise<BulkLoadResponse> {
  const parsed = BulkLoadEventSchema.safeParse(event);
  if (!parsed.success) throw new Error(`Invalid bulk-load event: ${z.prettifyError(parsed.error)}`);
  const { dryRun, ...request } = parsed.data;
  if (!request.landing.startsWith(deps.landingRoot) || request.landing.includes('/../'))
    throw new Error(`Invalid bulk-load event: ${request.landing} is not under ${deps.landingRoot}`);
  if (dryRun) {
    const plans = await planBulkLoad(request, deps);
    return {
      dryRun: true,
      plans: plans.map(({ file, snapshotDate, statements }) => ({ file, snapshotDate, statements })),
    };
  }
  const loaded = await bulkLoad(request, deps);
  // Counts and file names only: no record content ever reaches the logs.
  for (const result of loaded)
    console.log(JSON.stringify({ level: 'info', message: 'bulk loaded', ...result }));
  return { dryRun: false, loaded };
}

let deps: BulkLoadHandlerDeps | undefined;

export const handler = async (event: unknown): Promise<BulkLoadResponse> => {
  deps ??= bulkLoadDepsFromEnv();
  return handleBulkLoad(event, deps);
};

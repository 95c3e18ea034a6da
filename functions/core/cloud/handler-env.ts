// The Lambda handlers' settings come from environment variables set by the CDK stack;
// zod checks them at cold start so a wrong deployment fails with a clear message.
import { z } from 'zod';

const bucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name');
/** Path-style S3 addressing, for S3-compatible servers (tests use s3rver on 127.0.0.1). */
const forcePathStyle = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');

export const IngestEnvSchema = z.object({
  LAKE_BUCKET: bucketName,
  /** Key prefix of the lake inside its bucket ('' = the bucket root). */
  LAKE_PREFIX: z.string().default(''),
  /** Where landing/units.csv is read for pulled extracts (unset: pulled extracts have no registry). */
  LANDING_BUCKET: bucketName.optional(),
  LANDING_PREFIX: z.string().default('landing/'),
  /** Where each raw pulled extract is kept in the landing bucket (outside LANDING_PREFIX). */
  PULLED_PREFIX: z.string().default('pulled/'),
  /** Largest extract accepted, pulled or dropped (bytes). */
  MAX_EXTRACT_BYTES: z.coerce.number().int().positive().default(2_000_000_000),
  /** Secrets Manager id of the pull source; unset = no scheduled pull. */
  PULL_SECRET_ID: z.string().min(1).optional(),
  WORK_DIR: z.string().default('/tmp'),
  S3_FORCE_PATH_STYLE: forcePathStyle,
});
export type IngestEnv = z.infer<typeof IngestEnvSchema>;

export const PublishEnvSchema = z.object({
  LAKE_BUCKET: bucketName,
  LAKE_PREFIX: z.string().default(''),
  SITE_BUCKET: bucketName,
  ATHENA_DATABASE: z.string().regex(/^[a-z0-9_]{1,255}$/, 'a Glue database name'),
  ATHENA_WORKGROUP: z.string().min(1),
  /** The congkhai.config.json shipped beside the code (absent: defaults). */
  CONGKHAI_CONFIG: z.string().optional(),
  /** The secret holding the overdue reference key (overdue-reference.ts); required: without
   * it the published overdue list would have no safe reference. */
  REFERENCE_KEY_SECRET_ARN: z
    .string()
    .regex(/^arn:[a-z-]+:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, 'a Secrets Manager secret ARN'),
  WORK_DIR: z.string().default('/tmp'),
  S3_FORCE_PATH_STYLE: forcePathStyle,
});
export type PublishEnv = z.infer<typeof PublishEnvSchema>;

export function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid Lambda environment: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

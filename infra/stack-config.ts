// The deployment's settings, read from CDK context (cdk.json, or `-c key=value` on the
// command line) and validated by zod so a typo fails the synth with a clear message.
import { z } from 'zod';

const booleanFlag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

export const StackConfigSchema = z.object({
  /** Install DuckDB's linux-arm64 binding into the Lambda assets (needs the npm registry). */
  packageNativeModules: booleanFlag.default(false),
  /** Glue database name. */
  databaseName: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/, 'lower case letters, digits and _')
    .default('congkhai'),
  workGroupName: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,128}$/)
    .default('congkhai'),
  /** First snapshot date partition projection covers. */
  lakeStartDate: z.iso.date().default('2015-01-01'),
  /** Athena stops any query that would scan more (bytes). Default 10 GB. */
  bytesScannedCutoffPerQuery: z.coerce.number().int().min(10_000_000).default(10_000_000_000),
  /** AWS region (Singapore is the closest to Viet Nam). */
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/)
    .default('ap-southeast-1'),
  /** Who gets the alerts by e-mail (optional). */
  alertEmail: z.email().optional(),
});

export type StackConfig = z.infer<typeof StackConfigSchema>;

export const CONTEXT_PREFIX = 'congkhai:';

/** Collect `congkhai:<key>` context values and validate them. */
export function stackConfigFromContext(get: (key: string) => unknown): StackConfig {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(StackConfigSchema.shape)) {
    const value = get(`${CONTEXT_PREFIX}${key}`);
    if (value !== undefined) raw[key] = value;
  }
  const parsed = StackConfigSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`Invalid congkhai:* CDK context: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

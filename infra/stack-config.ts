// The deployment's settings, read from CDK context (cdk.json, or `-c key=value` on the
// command line) and validated by zod so a typo fails the synth with a clear message.
import { z } from 'zod';

const booleanFlag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

const GB = 1_000_000_000;

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
  /** Athena cancels any query that would scan more (bytes). The lake is a few hundred MB
   * after years of nightly extracts, so 2 GB is already far above any honest query; raise it
   * only with the lake (a province sending full snapshots every night). */
  bytesScannedCutoffPerQuery: z.coerce
    .number()
    .int()
    .min(10_000_000, 'at least 10 MB (Athena’s minimum)')
    .default(2 * GB),
  /** AWS region (Singapore is the closest to Viet Nam). */
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/)
    .default('ap-southeast-1'),
  /** Who is told, by e-mail, when a nightly run fails or the budget is exceeded. Required. */
  alertEmail: z.email({
    error: (issue) =>
      issue.input === undefined
        ? 'required: the address that is told when a nightly run fails (-c congkhai:alertEmail=ops@example.gov.vn)'
        : 'not an e-mail address',
  }),
  /** Days a raw extract stays in the landing bucket: as long as the lake may have to be
   * rebuilt from them (a new ingest rule, a corrupted part). Default 10 years. */
  landingRetentionDays: z.coerce.number().int().min(365, 'at least 365 days').default(3653),
  /** Days an overwritten or deleted object of the lake or the site stays recoverable. */
  noncurrentVersionDays: z.coerce.number().int().min(7).default(90),
  /** Largest extract (bytes) the pull downloads or the landing handler accepts. Default 2 GB. */
  maxExtractBytes: z.coerce
    .number()
    .int()
    .positive()
    .default(2 * GB),
  /** Monthly cost budget in USD; e-mailed when actual or forecast spend passes it. */
  monthlyBudgetUsd: z.coerce.number().positive().default(20),
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
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${CONTEXT_PREFIX}${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid congkhai:* CDK context:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

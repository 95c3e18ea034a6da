// Lambda `publish`: a thin shell over the code behind `congkhai kpi`. The KPI queries run on
// Athena over the lake's Glue table; publishData writes the tables to the site bucket (the
// dated version data/v1/archive/<as-of date>/ first, then the stable names); then
// data/v1/latest.json is moved to the new version (functions/core/cloud/latest-pointer.ts).
// The overdue reference key comes from Secrets Manager, read once per cold start.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { AthenaEngine } from '../core/cloud/athena-engine.ts';
import { type PublishEnv, PublishEnvSchema, parseEnv } from '../core/cloud/handler-env.ts';
import { type LatestPointer, moveLatestPointer } from '../core/cloud/latest-pointer.ts';
import { S3Storage } from '../core/cloud/s3-storage.ts';
import { loadConfig } from '../core/config.ts';
import type { Engine } from '../core/engine.ts';
import { runKpis } from '../core/kpi/run-kpis.ts';
import { loadReferenceKey } from '../core/publish/overdue-reference.ts';
import { publishData } from '../core/publish/publish-data.ts';
import type { Storage } from '../core/storage.ts';

/** Optional input, e.g. to re-publish a past as-of time by hand. */
export const PublishEventSchema = z
  .object({
    asOf: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/)
      .optional(),
    /** Publish even if the result is smaller in scope than the live data (an earlier as-of). */
    allowEmpty: z.boolean().optional(),
  })
  .loose();

export interface PublishDeps {
  engine: Engine;
  lake: Storage;
  site: Storage;
  workDir: string;
  configPath?: string;
  /** The overdue reference key (HMAC key): never optional, so no run publishes without it. */
  referenceKey: string;
}

export async function publishDepsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  secrets: SecretsManagerClient = new SecretsManagerClient({}),
): Promise<PublishDeps> {
  const settings: PublishEnv = parseEnv(PublishEnvSchema, env);
  const s3 = new S3Client({ forcePathStyle: settings.S3_FORCE_PATH_STYLE });
  const referenceKey = await loadReferenceKey({
    secretId: settings.REFERENCE_KEY_SECRET_ARN,
    client: secrets,
  });
  return {
    referenceKey,
    engine: new AthenaEngine({ database: settings.ATHENA_DATABASE, workGroup: settings.ATHENA_WORKGROUP }),
    lake: new S3Storage({ bucket: settings.LAKE_BUCKET, prefix: settings.LAKE_PREFIX, client: s3 }),
    site: new S3Storage({ bucket: settings.SITE_BUCKET, client: s3 }),
    workDir: settings.WORK_DIR,
    configPath: settings.CONGKHAI_CONFIG,
  };
}

export async function handlePublish(event: unknown, deps: PublishDeps): Promise<LatestPointer> {
  const { asOf, allowEmpty } = PublishEventSchema.parse(event ?? {});
  const config = await loadConfig(deps.configPath);
  const result = await runKpis(deps.engine, deps.lake, { asOf, config });
  const dir = await mkdtemp(join(deps.workDir, 'congkhai-publish-'));
  try {
    const published = await publishData(result, deps.site, {
      workDir: dir,
      allowSmaller: allowEmpty === true,
      referenceKey: deps.referenceKey,
    });
    const pointer = await moveLatestPointer(deps.site, result.asOf, published.files);
    console.log(JSON.stringify({ level: 'info', message: 'published', ...pointer }));
    return pointer;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Once per cold start; a failed start (e.g. the secret unreadable) is retried next time. */
let deps: Promise<PublishDeps> | undefined;

export const handler = async (event: unknown): Promise<LatestPointer> => {
  deps ??= publishDepsFromEnv().catch((error: unknown) => {
    deps = undefined;
    throw error;
  });
  return handlePublish(event, await deps);
};

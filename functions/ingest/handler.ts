// Lambda `ingest`: a thin shell. S3 events (an extract dropped under landing/) and the nightly
// state machine ({ "source": "schedule" }: pull from the HTTPS source) both end in
// ingestExtract, the function behind `congkhai ingest`.
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  type CloudIngestDeps,
  type CloudIngestResult,
  ingestLandedObjects,
  ingestPulledExtract,
} from '../core/cloud/cloud-ingest.ts';
import { ExtractRefusedError } from '../core/cloud/extract-refused-error.ts';
import { IngestEnvSchema, parseEnv } from '../core/cloud/handler-env.ts';
import { isS3Event, landedExtracts, UNITS_FILE } from '../core/cloud/landing-event.ts';
import { loadPullSource } from '../core/cloud/pull-source.ts';
import { pulledExtractKey, S3Storage } from '../core/cloud/s3-storage.ts';

export function ingestDepsFromEnv(env: NodeJS.ProcessEnv = process.env): CloudIngestDeps {
  const settings = parseEnv(IngestEnvSchema, env);
  const s3 = new S3Client({ forcePathStyle: settings.S3_FORCE_PATH_STYLE });
  const secrets = new SecretsManagerClient({});
  const secretId = settings.PULL_SECRET_ID;
  const landing = settings.LANDING_BUCKET
    ? new S3Storage({ bucket: settings.LANDING_BUCKET, client: s3 })
    : undefined;
  return {
    s3,
    lake: new S3Storage({ bucket: settings.LAKE_BUCKET, prefix: settings.LAKE_PREFIX, client: s3 }),
    workDir: settings.WORK_DIR,
    maxExtractBytes: settings.MAX_EXTRACT_BYTES,
    pullSource: secretId ? () => loadPullSource(secrets, secretId) : undefined,
    // A pulled extract uses the registry the province keeps in landing/, like a dropped one.
    fetchUnits: landing
      ? (path) => landing.downloadTo(`${settings.LANDING_PREFIX}${UNITS_FILE}`, path)
      : undefined,
    // The raw pulled extract stays beside the drops, so that the lake can be rebuilt from it.
    keepPulled: landing
      ? async (path, name) => {
          const key = pulledExtractKey(settings.PULLED_PREFIX, name);
          await landing.putFile(key, path);
          return `${landing.location}${key}`;
        }
      : undefined,
  };
}

/** One invocation; throws ExtractRefusedError (after ingesting the rest) when a file was refused. */
export async function handleIngest(event: unknown, deps: CloudIngestDeps): Promise<CloudIngestResult> {
  const result = isS3Event(event)
    ? await ingestLandedObjects(landedExtracts(event), deps)
    : await ingestPulledExtract(deps);
  // Counts and file names only: no record content ever reaches the logs.
  for (const summary of result.ingested)
    console.log(JSON.stringify({ level: 'info', message: 'ingested', ...summary }));
  for (const refused of result.refused)
    console.error(JSON.stringify({ level: 'error', message: 'refused', ...refused }));
  if (result.refused.length > 0) throw new ExtractRefusedError(result.refused);
  return result;
}

let deps: CloudIngestDeps | undefined;

export const handler = async (event: unknown): Promise<CloudIngestResult> => {
  deps ??= ingestDepsFromEnv();
  return handleIngest(event, deps);
};

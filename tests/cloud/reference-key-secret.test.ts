// The publish Lambda's overdue reference key comes from Secrets Manager (aws-sdk-client-mock):
// the exact GetSecretValue request for the secret named by REFERENCE_KEY_SECRET_ARN, once per
// cold start; the key reaches publishData (the published references are HMACs under it, never
// dossier codes); a missing, empty, short or unreadable secret stops the Lambda with an error
// that names the secret — never a publication with another key.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/core/config.ts';
import { openDuckDb } from '../../functions/core/duckdb.ts';
import { ingestExtract } from '../../functions/core/ingest/ingest-extract.ts';
import { DuckDbEngine, duckDbDossierSource } from '../../functions/core/kpi/duckdb-engine.ts';
import { runKpis } from '../../functions/core/kpi/run-kpis.ts';
import { overdueReference, ReferenceKeyError } from '../../functions/core/publish/overdue-reference.ts';
import { LocalStorage } from '../../functions/core/storage.ts';
import { handlePublish, handler, publishDepsFromEnv } from '../../functions/publish/handler.ts';
import { FIXTURES } from '../support/fixtures.ts';

const SECRET_ARN = 'arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:ReferenceKey-AbCdEf';
const SECRET_KEY = 'Zq8vN2kLr5tW9xYc3mBf7hJd1sGp4aEu6iOo0nVb8cXz2wQe';
const ENV = {
  LAKE_BUCKET: 'congkhai-lake',
  SITE_BUCKET: 'congkhai-site',
  ATHENA_DATABASE: 'congkhai',
  ATHENA_WORKGROUP: 'congkhai',
  REFERENCE_KEY_SECRET_ARN: SECRET_ARN,
  AWS_REGION: 'ap-southeast-1',
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'y',
};

const secrets = new SecretsManagerClient({
  region: 'ap-southeast-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
});
const secretsMock = mockClient(secrets);
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'congkhai-reference-secret-'));
  await ingestExtract({
    path: join(FIXTURES, 'dvcqg-sample.json'),
    name: 'dvcqg-2021-04-01.json',
    unitsPath: join(FIXTURES, 'dvcqg-sample-units.csv'),
    lake: new LocalStorage(join(work, 'lake')),
    workDir: work,
  });
});

afterAll(() => rm(work, { recursive: true, force: true }));

beforeEach(() => secretsMock.reset());

const secretCalls = (mock: typeof secretsMock) =>
  mock.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input);

describe('the publish Lambda reads its reference key from Secrets Manager', () => {
  it('asks for exactly the secret of REFERENCE_KEY_SECRET_ARN and publishes references under its key', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ ARN: SECRET_ARN, SecretString: SECRET_KEY });
    const deps = await publishDepsFromEnv(ENV, secrets);
    expect(secretCalls(secretsMock)).toEqual([{ SecretId: SECRET_ARN }]);
    expect(deps.referenceKey).toBe(SECRET_KEY);

    // The Lambda's code path with the key it read; DuckDB over a local lake stands in for Athena.
    const lake = new LocalStorage(join(work, 'lake'));
    const site = new LocalStorage(join(work, 'site'));
    const engine = new DuckDbEngine(await openDuckDb(), duckDbDossierSource(join(work, 'lake')));
    try {
      const expected =
        (await runKpis(engine, lake, { config: await loadConfig() })).tables['overdue_dossiers'] ?? [];
      expect(expected.length).toBeGreaterThan(0);
      await handlePublish({}, { ...deps, engine, lake, site, workDir: work });
      const published = JSON.parse(
        await readFile(join(work, 'site', 'data', 'v1', 'overdue_dossiers.json'), 'utf8'),
      ) as Array<Record<string, unknown>>;
      expect(published.map((row) => row['reference']).sort()).toEqual(
        expected.map((row) => overdueReference(SECRET_KEY, String(row['dossier_id']))).sort(),
      );
      const text = JSON.stringify(published);
      for (const row of expected) expect(text).not.toContain(String(row['dossier_id']));
    } finally {
      await engine.close();
    }
  });

  it('refuses to start without the secret ARN in its environment', async () => {
    const { REFERENCE_KEY_SECRET_ARN: _, ...withoutSecret } = ENV;
    const error = await publishDepsFromEnv(withoutSecret, secrets).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/Invalid Lambda environment[\s\S]*REFERENCE_KEY_SECRET_ARN/);
    expect(secretCalls(secretsMock)).toEqual([]);
  });

  it.each([
    ['empty', { SecretString: '' }, /is empty/],
    ['blank', { SecretString: '  \n' }, /is empty/],
    ['binary only', { SecretBinary: new Uint8Array([1, 2, 3]) }, /is empty/],
    ['too short', { SecretString: 'short-key' }, /shorter than 16 characters/],
  ])('a secret that is %s stops the Lambda, naming the secret', async (_, answer, reason) => {
    secretsMock.on(GetSecretValueCommand).resolves({ ARN: SECRET_ARN, ...answer });
    const error = await publishDepsFromEnv(ENV, secrets).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReferenceKeyError);
    expect((error as Error).message).toContain(SECRET_ARN);
    expect((error as Error).message).toMatch(reason);
  });

  it('a secret it may not read stops the Lambda, naming the secret and the cause', async () => {
    secretsMock.on(GetSecretValueCommand).rejects(new Error('AccessDeniedException: not authorized'));
    const error = await publishDepsFromEnv(ENV, secrets).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReferenceKeyError);
    expect((error as Error).message).toContain(SECRET_ARN);
    expect((error as Error).message).toContain('AccessDeniedException');
  });
});

describe('the Lambda handler', () => {
  it('reads the secret once per cold start, and again after a start that failed', async () => {
    // Every SecretsManagerClient and S3Client the handler makes is mocked: S3 fails at once,
    // so each invocation ends right after its dependencies are set up.
    const anySecrets = mockClient(SecretsManagerClient);
    const anyS3 = mockClient(S3Client);
    const saved = { ...process.env };
    try {
      Object.assign(process.env, ENV);
      anyS3.rejects(new Error('no S3 in this test'));
      anySecrets.on(GetSecretValueCommand).rejectsOnce(new Error('ThrottlingException')).resolves({
        SecretString: SECRET_KEY,
      });
      await expect(handler({})).rejects.toThrow(/ThrottlingException/);
      await expect(handler({})).rejects.toThrow(/no S3 in this test/);
      await expect(handler({})).rejects.toThrow(/no S3 in this test/);
      expect(secretCalls(anySecrets)).toEqual([{ SecretId: SECRET_ARN }, { SecretId: SECRET_ARN }]);
    } finally {
      process.env = saved;
      anySecrets.restore();
      anyS3.restore();
    }
  });
});

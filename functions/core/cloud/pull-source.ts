// The scheduled pull: where the province's system publishes its nightly extract over HTTPS
// and the credential to send. Both live in one Secrets Manager secret (JSON), checked by zod.
// '{}' means "no scheduled pull" (the province drops extracts in landing/ instead).
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { DownloadError, downloadToFolder } from '../extract/download.ts';

export const PullSourceSchema = z.object({
  url: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }),
  /** Header that carries the credential, e.g. Authorization or X-API-Key. */
  headerName: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/)
    .default('Authorization'),
  headerValue: z.string().min(1),
  /** Name to give the file (its extension picks the reader); default: the URL's last segment. */
  fileName: z
    .string()
    .regex(/^[\w.-]+$/)
    .optional(),
  encoding: z.string().optional(),
  timeoutSeconds: z.number().int().positive().max(840).default(300),
});
export type PullSource = z.infer<typeof PullSourceSchema>;

/** Parse the secret text. Messages never quote the secret (it would end up in the logs). */
export function parsePullSource(secretText: string): PullSource | undefined {
  let json: unknown;
  try {
    json = JSON.parse(secretText);
  } catch {
    throw new Error('Pull source secret is not valid JSON');
  }
  if (typeof json === 'object' && json !== null && !Array.isArray(json) && Object.keys(json).length === 0) {
    return undefined;
  }
  const parsed = PullSourceSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Pull source secret is invalid: ${fields.join('; ')}`);
  }
  return parsed.data;
}

export async function loadPullSource(
  client: SecretsManagerClient,
  secretId: string,
): Promise<PullSource | undefined> {
  const secret = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (secret.SecretString === undefined) throw new Error(`Secret ${secretId} has no string value`);
  return parsePullSource(secret.SecretString);
}

/** The URL without its query string, for messages (a token may hide in the query). */
export function publicUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

export class PullFailedError extends Error {
  readonly url: string;
  constructor(url: string, reason: string) {
    super(`Pull from ${url} failed: ${reason}`);
    this.name = 'PullFailedError';
    this.url = url;
  }
}

export interface PullLimits {
  /** Largest body accepted (bytes): the stack's maxExtractBytes. */
  maxBytes: number;
  /** Tests only, for a server on 127.0.0.1: the pull never reaches private addresses. */
  allowPrivateHosts?: boolean;
}

/** Download the extract to a new folder under workDir, streaming (extracts can be large).
 * No redirect is followed, no private or local address reached, no body over the limit kept. */
export async function pullExtract(
  source: PullSource,
  workDir: string,
  limits: PullLimits,
): Promise<{ path: string; name: string }> {
  const url = publicUrl(source.url);
  const dir = await mkdtemp(join(workDir, 'congkhai-pull-'));
  try {
    return await downloadToFolder(source.url, dir, {
      ...(source.fileName ? { name: source.fileName } : {}),
      headers: { [source.headerName]: source.headerValue },
      timeoutMs: source.timeoutSeconds * 1000,
      maxBytes: limits.maxBytes,
      allowPrivateHosts: limits.allowPrivateHosts ?? false,
    });
  } catch (error) {
    if (error instanceof DownloadError) throw new PullFailedError(url, error.reason);
    throw error;
  }
}

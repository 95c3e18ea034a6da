// The public reference of an overdue dossier, in place of its dossier code (MaHoSo).
//
// Provinces' portals accept MaHoSo as the public "tra cứu hồ sơ" lookup key, which shows the
// applicant: a nightly public list of overdue MaHoSo would be a harvest list. The published
// list carries instead a keyed hash, HMAC-SHA256(key, MaHoSo), cut to 50 bits and written as
// 10 characters of Crockford base32 in groups (`7KQ2-M9XD-4T`): short enough to read aloud on
// the phone, stable from one night to the next while the key stays, and of no use without
// the key. The province office maps references back to dossier codes with the internal export
// (`congkhai overdue-export`), which needs the same key.
//
// The key (loadReferenceKey, the one place that resolves it): in the cloud, the Secrets Manager
// secret the stack generated (its ARN in the publish function's environment), and nothing else:
// a missing or empty secret stops the publication. Locally, env CONGKHAI_REFERENCE_KEY, else
// one generated at the first run and kept in the lake (never published).
import { createHmac, randomBytes } from 'node:crypto';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Row } from '../engine.ts';
import type { Storage } from '../storage.ts';

export const REFERENCE_KEY_ENV = 'CONGKHAI_REFERENCE_KEY';
/** Where the local default key lives in the lake. */
export const REFERENCE_KEY_LAKE_KEY = 'secrets/overdue-reference.key';
const MIN_KEY_LENGTH = 16;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DOMAIN = 'congkhai overdue reference v1\n';

export class ReferenceKeyError extends Error {
  override name = 'ReferenceKeyError';
}

/** `XXXX-XXXX-XX`: the first 50 bits of HMAC-SHA256(key, dossier code), Crockford base32. */
export function overdueReference(key: string, dossierId: string): string {
  const digest = createHmac('sha256', key)
    .update(DOMAIN + dossierId)
    .digest();
  // The first 50 bits (48 + 2: within a double's exact integers), ten base32 digits.
  let bits = digest.readUIntBE(0, 6) * 4 + (digest[6]! >> 6);
  let text = '';
  for (let i = 0; i < 10; i++) {
    text = CROCKFORD[bits % 32] + text;
    bits = Math.floor(bits / 32);
  }
  return `${text.slice(0, 4)}-${text.slice(4, 8)}-${text.slice(8)}`;
}

function checkedKey(key: string, source: string): string {
  const trimmed = key.trim();
  if (trimmed.length < MIN_KEY_LENGTH)
    throw new ReferenceKeyError(
      `the reference key from ${source} is shorter than ${MIN_KEY_LENGTH} characters`,
    );
  return trimmed;
}

/** The cloud's key: a Secrets Manager secret whose value is the key itself. */
export interface ReferenceKeySecret {
  secretId: string;
  client: SecretsManagerClient;
}

/**
 * The key. From a secret: its value, or a ReferenceKeyError naming the secret (never another
 * source). From a lake: env CONGKHAI_REFERENCE_KEY, else the lake's (generated and stored on
 * first use).
 */
export async function loadReferenceKey(
  from: Storage | ReferenceKeySecret,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  if ('secretId' in from) return keyFromSecret(from);
  const lake = from;
  const fromEnv = env[REFERENCE_KEY_ENV];
  if (fromEnv) return checkedKey(fromEnv, REFERENCE_KEY_ENV);
  const stored = await lake.getBytes(REFERENCE_KEY_LAKE_KEY);
  if (stored)
    return checkedKey(Buffer.from(stored).toString('utf8'), `${lake.location}/${REFERENCE_KEY_LAKE_KEY}`);
  await lake.putBytes(REFERENCE_KEY_LAKE_KEY, `${randomBytes(32).toString('hex')}\n`);
  // Read back: if another first run stored its key at the same moment, both use the survivor.
  const written = await lake.getBytes(REFERENCE_KEY_LAKE_KEY);
  return checkedKey(
    Buffer.from(written ?? '').toString('utf8'),
    `${lake.location}/${REFERENCE_KEY_LAKE_KEY}`,
  );
}

async function keyFromSecret({ secretId, client }: ReferenceKeySecret): Promise<string> {
  const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  let value: string | undefined;
  try {
    value = (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
  } catch (error) {
    throw new ReferenceKeyError(
      `the reference key secret ${secretId} could not be read: ${(error as Error).message}`,
    );
  }
  if (!value?.trim()) throw new ReferenceKeyError(`the reference key secret ${secretId} is empty`);
  return checkedKey(value, `the secret ${secretId}`);
}

/** A key for one run only (no key configured): references are safe but change every run. */
export const oneRunKey = () => randomBytes(32).toString('hex');

/** The overdue rows with `reference` first in place of `dossier_id`; refuses a collision. */
export function withReferences(rows: readonly Row[], key: string): Row[] {
  const seen = new Map<string, string>();
  // The rows share one shape (one query's columns): the other columns are listed once.
  const others = rows.length > 0 ? Object.keys(rows[0]!).filter((name) => name !== 'dossier_id') : [];
  return rows.map((row) => {
    const dossierId = String(row['dossier_id']);
    const reference = overdueReference(key, dossierId);
    const other = seen.get(reference);
    if (other !== undefined && other !== dossierId)
      throw new Error(
        `overdue_dossiers: two dossiers share the reference ${reference}; change the reference key`,
      );
    seen.set(reference, dossierId);
    const out: Row = { reference };
    for (const name of others) out[name] = row[name]!;
    return out;
  });
}

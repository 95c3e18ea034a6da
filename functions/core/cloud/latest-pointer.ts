// The `latest` pointer of the published data in the site bucket.
//
// S3 has no rename and no multi-object transaction; one PUT is atomic. publishData (the same
// function the CLI uses) writes, on a storage without pointPrefix, the dated version
// data/v1/archive/<as-of date>/ first, then refreshes the stable names data/v1/<file>, one
// atomic PUT each. Last, data/v1/latest.json — one small object replaced in one PUT — is
// switched to the new version: it is the commit point. A reader that starts from latest.json
// (the site build, a script) always gets one complete, consistent version.
//
// The pointer never moves back: a run that publishes an older as-of (a late retry, a
// re-publish of a past date by hand) leaves it on the newer version. The comparison and the
// write are one step on S3: the PUT is conditional on the ETag that was read (If-Match, or
// If-None-Match when there was none), so a run that moved it in between makes this one read
// again and compare again.
import { PUBLISHED_VERSION_PREFIX } from '../lake-layout.ts';
import type { Storage } from '../storage.ts';

/** A storage that can replace an object only if it is still the one that was read. */
export interface ConditionalStorage {
  /** The object and its version tag (ETag), or undefined when absent. */
  getBytesTagged(key: string): Promise<{ body: Uint8Array; tag: string } | undefined>;
  /** Put only if the object still has `tag` (undefined: only if it does not exist). False if not. */
  putBytesIfTag(key: string, body: string, contentType: string, tag: string | undefined): Promise<boolean>;
}

function isConditional(storage: Storage): storage is Storage & ConditionalStorage {
  return 'putBytesIfTag' in storage && 'getBytesTagged' in storage;
}

/** The pointer as stored, or undefined (none yet, or not a pointer). */
function parsePointer(body: Uint8Array | undefined): LatestPointer | undefined {
  if (!body) return undefined;
  try {
    const value = JSON.parse(Buffer.from(body).toString('utf8')) as Partial<LatestPointer>;
    return typeof value.as_of === 'string' ? (value as LatestPointer) : undefined;
  } catch {
    return undefined;
  }
}

const MAX_CONDITIONAL_ATTEMPTS = 5;

export const ARCHIVE_PREFIX = `${PUBLISHED_VERSION_PREFIX}/archive`;
export const LATEST_POINTER_KEY = `${PUBLISHED_VERSION_PREFIX}/latest.json`;

export interface LatestPointer {
  /** The as-of date that names the version. */
  version: string;
  /** 'YYYY-MM-DD HH:MM:SS', Vietnam local time. */
  as_of: string;
  /** Key prefix of the version's files, ending with '/'. */
  prefix: string;
  /** Files of the version, relative to `prefix`. */
  files: string[];
  published_at: string;
}

/** Point data/v1/latest.json at the dated version that holds `publishedKeys`. */
export async function moveLatestPointer(
  site: Storage,
  asOf: string,
  publishedKeys: readonly string[],
  now: Date = new Date(),
): Promise<LatestPointer> {
  const version = /^\d{4}-\d{2}-\d{2}/.exec(asOf)?.[0];
  if (!version) throw new Error(`as-of "${asOf}" does not start with a YYYY-MM-DD date`);
  const prefix = `${ARCHIVE_PREFIX}/${version}/`;
  const files = publishedKeys.filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
  if (files.length === 0)
    throw new Error(`no file of version ${version} was published: latest stays where it is`);
  // Every file must be there before readers are sent to it.
  for (const file of files) {
    if (!(await site.exists(`${prefix}${file}`)))
      throw new Error(`${prefix}${file} is missing: latest not moved`);
  }
  const pointer: LatestPointer = { version, as_of: asOf, prefix, files, published_at: now.toISOString() };
  const body = `${JSON.stringify(pointer, null, 2)}\n`;
  const contentType = 'application/json; charset=utf-8';
  const keptBack = (current: LatestPointer | undefined) => {
    if (!current || current.as_of <= asOf) return false;
    console.log(
      JSON.stringify({
        level: 'warn',
        message: `latest stays at ${current.as_of}: version ${asOf} is older and was archived only`,
      }),
    );
    return true;
  };
  if (!isConditional(site)) {
    if (!keptBack(parsePointer(await site.getBytes(LATEST_POINTER_KEY))))
      await site.putBytes(LATEST_POINTER_KEY, body, contentType);
    return pointer;
  }
  for (let attempt = 1; attempt <= MAX_CONDITIONAL_ATTEMPTS; attempt++) {
    const current = await site.getBytesTagged(LATEST_POINTER_KEY);
    if (keptBack(parsePointer(current?.body))) return pointer;
    if (await site.putBytesIfTag(LATEST_POINTER_KEY, body, contentType, current?.tag)) return pointer;
  }
  throw new Error(
    `${LATEST_POINTER_KEY} kept changing while being moved (${MAX_CONDITIONAL_ATTEMPTS} attempts)`,
  );
}

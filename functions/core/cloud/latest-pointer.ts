// The `latest` pointer of the published data in the site bucket.
//
// S3 has no rename and no multi-object transaction; one PUT is atomic. publishData (the same
// function the CLI uses) writes, on a storage without pointPrefix, the dated version
// data/v1/archive/<as-of date>/ first, then refreshes the stable names data/v1/<file>, one
// atomic PUT each. Last, data/v1/latest.json — one small object replaced in one PUT — is
// switched to the new version: it is the commit point. A reader that starts from latest.json
// (the site build, a script) always gets one complete, consistent version.
import { PUBLISHED_VERSION_PREFIX } from '../lake-layout.ts';
import type { Storage } from '../storage.ts';

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
  await site.putBytes(
    LATEST_POINTER_KEY,
    `${JSON.stringify(pointer, null, 2)}\n`,
    'application/json; charset=utf-8',
  );
  return pointer;
}

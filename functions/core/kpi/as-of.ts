// The as-of time: the instant the published figures describe, in Vietnam local time.
import { DOSSIERS_PREFIX } from '../lake-layout.ts';
import type { Storage } from '../storage.ts';

export class AsOfError extends Error {
  override name = 'AsOfError';
}

/** 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS' (or with 'T') → 'YYYY-MM-DD HH:MM:SS'; rejects impossible dates. */
export function parseAsOf(text: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  if (!match) throw new AsOfError(`as-of '${text}': expected YYYY-MM-DD or 'YYYY-MM-DD HH:MM:SS'`);
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = match;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  const valid =
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(mo) - 1 &&
    date.getUTCDate() === Number(d) &&
    Number(h) < 24 &&
    Number(mi) < 60 &&
    Number(s) < 60;
  if (!valid) throw new AsOfError(`as-of '${text}' is not a real date-time`);
  return `${y}-${mo}-${d} ${h}:${mi}:${s}`;
}

/** The day after a 'YYYY-MM-DD' date, at 00:00:00. */
export function dayAfter(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return `${next.toISOString().slice(0, 10)} 00:00:00`;
}

/** Snapshot dates present in the lake, sorted (from the partition keys). */
export async function lakeSnapshotDates(lake: Storage): Promise<string[]> {
  const dates = new Set<string>();
  for (const key of await lake.list(DOSSIERS_PREFIX)) {
    const match = /(?:^|\/)snapshot_date=(\d{4}-\d{2}-\d{2})\/[^/]+\.parquet$/.exec(key);
    if (match) dates.add(match[1]!);
  }
  return [...dates].sort();
}

/** Default as-of: a snapshot holds the state at the end of its date, so the day after the latest. */
export function defaultAsOf(snapshotDates: readonly string[]): string {
  const latest = snapshotDates.at(-1);
  if (!latest) throw new AsOfError('the lake holds no dossier snapshot');
  return dayAfter(latest);
}

/** '2021-04-01 00:00:00' → '2021-04-01T00:00:00+07:00' */
export const asOfIso = (asOf: string) => `${asOf.replace(' ', 'T')}+07:00`;

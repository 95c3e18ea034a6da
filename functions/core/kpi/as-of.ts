// The as-of time: the instant the published figures describe, in Vietnam local time.
import { DOSSIERS_PREFIX, partSnapshotDate } from '../lake-layout.ts';
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

/** The earliest as-of accepted: no province system holds dossiers from before 2000. */
export const EARLIEST_AS_OF = '2000-01-01 00:00:00';

/** Today's date in Vietnam (UTC+7, no daylight saving), 'YYYY-MM-DD'. */
export const vietnamToday = (now: Date) => new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);

/**
 * Refuses an as-of outside [2000-01-01, the end of tomorrow in Vietnam]: a far-future as-of
 * (a typo, or a snapshot date of 2099) would make thousands of periods of nothing.
 */
export function checkAsOfRange(asOf: string, now = new Date()): void {
  const latest = `${dayAfter(vietnamToday(now)).slice(0, 10)} 23:59:59`;
  if (asOf < EARLIEST_AS_OF) throw new AsOfError(`as-of ${asOf} is before ${EARLIEST_AS_OF.slice(0, 10)}`);
  if (asOf > latest) {
    throw new AsOfError(`as-of ${asOf} is after tomorrow (${latest.slice(0, 10)}, Vietnam time)`);
  }
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
    const date = partSnapshotDate(key);
    if (date) dates.add(date);
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

// The ingest_report table: one row per ingested extract, from the lake's ingest_log JSON files
// (written last by each ingest, so a listed log is a complete extract).
import type { Row } from '../engine.ts';
import { INGEST_LOG_PREFIX } from '../lake-layout.ts';
import type { Storage } from '../storage.ts';

/** A date-time as Vietnam local 'YYYY-MM-DD HH:MM:SS' (UTC+7, no DST), or null. */
export function toVietnamLocal(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}$/.test(value)) return value.replace('T', ' ');
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return null;
  return new Date(ms + 7 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);

export async function readIngestReport(lake: Storage, asOfDate: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (const key of await lake.list(INGEST_LOG_PREFIX)) {
    const match = /snapshot_date=(\d{4}-\d{2}-\d{2})\/[^/]+\.json$/.exec(key);
    if (!match || match[1]! > asOfDate) continue;
    const bytes = await lake.getBytes(key);
    if (!bytes) continue;
    const log = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
    rows.push({
      snapshot_date: typeof log['snapshot_date'] === 'string' ? log['snapshot_date'] : match[1]!,
      file: String(log['file'] ?? key),
      sha256: typeof log['sha256'] === 'string' ? log['sha256'] : null,
      rows_read: count(log['rows_read']),
      rows_accepted: count(log['rows_accepted']),
      rows_quarantined: count(log['rows_quarantined']),
      quarantined_by_reason: JSON.stringify(log['quarantined_by_reason'] ?? {}),
      started_at: toVietnamLocal(log['started_at']),
      finished_at: toVietnamLocal(log['finished_at']),
    });
  }
  return rows.sort(
    (a, b) =>
      String(a['snapshot_date']).localeCompare(String(b['snapshot_date'])) ||
      String(a['file']).localeCompare(String(b['file'])),
  );
}

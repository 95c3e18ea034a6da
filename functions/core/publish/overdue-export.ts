// The internal-only list for the province office: each overdue dossier's public reference next
// to its dossier code (MaHoSo), so that staff can find the dossier a citizen or journalist
// quotes from the published list. It holds the lookup keys the public list hides, so it is
// written only outside the published data (never under a data/v1 folder), readable by its owner.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Row } from '../engine.ts';
import { overdueReference } from './overdue-reference.ts';

export const OVERDUE_EXPORT_COLUMNS = [
  'reference',
  'dossier_id',
  'unit_code',
  'unit_name',
  'procedure_code',
  'procedure_name',
  'received_at',
  'due_at',
  'days_overdue',
] as const;

export class ExportPlaceError extends Error {
  override name = 'ExportPlaceError';
}

/** CSV (UTF-8 with BOM, CRLF) of the overdue rows as the KPI query returns them (with dossier_id). */
export function overdueExportCsv(rows: readonly Row[], key: string): string {
  return stringify(
    rows.map((row) =>
      OVERDUE_EXPORT_COLUMNS.map((column) =>
        column === 'reference' ? overdueReference(key, String(row['dossier_id'])) : String(row[column] ?? ''),
      ),
    ),
    { header: true, columns: [...OVERDUE_EXPORT_COLUMNS], bom: true, record_delimiter: 'windows' },
  );
}

/** Refuses a destination inside published data: a `data/v1…` folder or one holding datapackage.json. */
export async function checkExportPlace(file: string): Promise<void> {
  const path = resolve(file);
  const parts = path.split(sep);
  const published = parts.some((part, i) => part === 'data' && /^v1(\b|-)/.test(parts[i + 1] ?? ''));
  const siblings = await readdir(dirname(path)).catch(() => [] as string[]);
  if (published || siblings.includes('datapackage.json'))
    throw new ExportPlaceError(
      `${file}: inside the published data; the export holds dossier codes and must be written elsewhere`,
    );
}

/** Writes `body` to `file` in one rename, readable and writable by its owner only. */
export async function writePrivateFile(file: string, body: string): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(dirname(file), { recursive: true });
  try {
    await writeFile(temp, body, { mode: 0o600 });
    await chmod(temp, 0o600);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

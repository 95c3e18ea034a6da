// The demo's output files: nightly extracts in the v1 CSV shape (canonical column names,
// UTF-8 with BOM, header row) with the citizen columns a real export carries, and the units
// registry. Each file is streamed through csv-stringify to a temporary name in the target
// folder; the caller renames them into place once all are complete.
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { DOSSIER_COLUMNS } from '../dossier-contract.ts';
import { formatLocal } from './calendar.ts';
import type { DemoDossier, DossierState } from './dossier.ts';
import type { DemoUnit } from './units.ts';

/** Citizen columns of a real export. Ingest must drop them. */
export const CITIZEN_COLUMNS = ['ChuHoSo', 'SoDienThoai', 'Email'] as const;

const CANONICAL = DOSSIER_COLUMNS.map((c) => c.name);
/** Extract columns: the contract's, with the applicant's columns after the procedure, as exports have them. */
export const EXTRACT_COLUMNS: readonly string[] = [
  ...CANONICAL.slice(0, 3),
  ...CITIZEN_COLUMNS,
  ...CANONICAL.slice(3),
];

export const UNITS_COLUMNS = [
  'unit_code',
  'unit_name',
  'unit_level',
  'parent_code',
  'valid_from',
  'valid_to',
  'match',
] as const;

/** The demo province's units existed until the 1 July 2025 merger (Bắc Giang into Bắc Ninh). */
export const UNITS_VALID_TO = '2025-06-30';

const bool = (value: boolean) => (value ? 'true' : 'false');

/** One extract row, in EXTRACT_COLUMNS order. */
export function extractRow(d: DemoDossier, state: DossierState): string[] {
  const received = d.kind === 'normal';
  return [
    d.id,
    d.procedure.code,
    d.procedure.name,
    d.applicant.name,
    d.applicant.phone,
    d.applicant.email,
    d.field.code,
    d.field.name,
    d.unit.unit_code,
    d.unit.unit_name,
    d.unit.unit_level,
    d.unit.parent_code ?? '',
    d.channel,
    d.onlineLevel ?? '',
    formatLocal(d.receivedAt),
    d.dueAt === null || !received ? '' : formatLocal(d.dueAt),
    state.resolvedAt === null ? '' : formatLocal(state.resolvedAt),
    state.status,
    state.status === 'resolved' ? bool(d.resultElectronic) : '',
    bool(d.paidOnline && state.status !== 'submitted'),
    bool(d.feeRequired),
    bool(d.digitized && received),
    formatLocal(state.updatedAt),
  ];
}

export function unitRow(unit: DemoUnit): string[] {
  return [
    unit.unit_code,
    unit.unit_name,
    unit.unit_level,
    unit.parent_code ?? '',
    '',
    UNITS_VALID_TO,
    `${unit.e_identifier};${unit.unit_name}`,
  ];
}

export interface WrittenFile {
  name: string;
  rows: number;
  bytes: number;
}

/** A file being written under a temporary name in `dir`, renamed by commit(). */
export interface PendingFile extends WrittenFile {
  tempPath: string;
  finalPath: string;
}

/** Stream rows as CSV (UTF-8 with BOM, header) into a temporary file beside `name`. */
export async function writeCsv(
  dir: string,
  name: string,
  columns: readonly string[],
  rows: Iterable<string[]>,
): Promise<PendingFile> {
  const finalPath = join(dir, name);
  const tempPath = join(dir, `.tmp-${process.pid}-${name}`);
  let count = 0;
  function* counted() {
    for (const row of rows) {
      count++;
      yield row;
    }
  }
  try {
    await pipeline(
      Readable.from(counted(), { objectMode: true }),
      stringify({ bom: true, header: true, columns: [...columns], record_delimiter: '\n' }),
      createWriteStream(tempPath),
    );
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
  return { name, rows: count, bytes: (await stat(tempPath)).size, tempPath, finalPath };
}

/** Move every pending file into place (each rename is atomic). */
export async function commit(files: readonly PendingFile[]): Promise<WrittenFile[]> {
  for (const file of files) await rename(file.tempPath, file.finalPath);
  return files.map(({ name, rows, bytes }) => ({ name, rows, bytes }));
}

export async function discard(files: readonly PendingFile[]): Promise<void> {
  await Promise.all(files.map((f) => rm(f.tempPath, { force: true })));
}

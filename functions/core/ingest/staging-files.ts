// Normalized rows and quarantine entries are streamed to temporary CSV files that DuckDB
// then turns into Parquet, so JS never holds an extract in memory. The dossier file is a
// FIFO where the system can make one: DuckDB reads it while JS parses (two cores busy
// instead of one, and no staged copy of the extract on disk).
import { execFileSync } from 'node:child_process';
import { closeSync, constants, createWriteStream, openSync, type WriteStream } from 'node:fs';
import { type DossierRecord, LAKE_COLUMNS } from '../dossier-contract.ts';
import type { QuarantineEntry } from './normalize-record.ts';

const FLUSH_CHARS = 1 << 20;
/** Staged bytes that may wait for the disk or the FIFO's reader (bounds memory). */
const QUEUE_BYTES = 32 << 20;
const NEEDS_QUOTES = /[",\r\n]/;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Columns of the staged dossier CSV: the lake columns but source_file, which is the same on
 * every row and is added by DuckDB (parquet-parts.ts).
 */
export const STAGED_COLUMNS = LAKE_COLUMNS.filter(([name]) => name !== 'source_file');

/** A CSV cell: empty = NULL; text with a comma, quote or line break is quoted. */
function cell(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** cell() for text that is never a number or a boolean. */
function text(value: string | null): string {
  if (value === null) return '';
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

const bool = (value: boolean | null) => (value === null ? '' : value ? 'true' : 'false');

/**
 * The order addRecord writes. Timestamps ('YYYY-MM-DD HH:MM:SS') and code-table values
 * (status, channel, levels) never need quotes, so they are written as they are.
 */
const ADD_RECORD_ORDER = [
  'dossier_id',
  'procedure_code',
  'procedure_name',
  'field_code',
  'field_name',
  'unit_code',
  'unit_name',
  'unit_level',
  'parent_code',
  'channel',
  'online_level',
  'received_at',
  'due_at',
  'resolved_at',
  'status',
  'result_electronic',
  'paid_online',
  'fee_required',
  'digitized',
  'updated_at',
  'source_line',
];
if (STAGED_COLUMNS.map(([name]) => name).join() !== ADD_RECORD_ORDER.join()) {
  throw new Error('staging-files.ts: addRecord does not follow LAKE_COLUMNS');
}

/**
 * Makes `path` a FIFO (named pipe) when the system allows it; false = use a plain file.
 * Node has no mkfifo of its own.
 */
export function createStagingPipe(path: string): boolean {
  if (process.platform === 'win32') return false;
  try {
    execFileSync('mkfifo', ['-m', '600', path], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Lets a writer blocked in opening the FIFO go on (its reader failed before opening it):
 * its writes then fail with EPIPE instead of waiting forever.
 */
export function releaseStagingPipe(path: string): void {
  try {
    closeSync(openSync(path, constants.O_RDONLY | constants.O_NONBLOCK));
  } catch {
    // Not a FIFO any more, or already gone: nothing waits on it.
  }
}

class BufferedCsv {
  private readonly stream: WriteStream;
  private readonly closed: Promise<void>;
  private lines: string[] = [];
  private chars = 0;
  private failure: Error | null = null;
  /** Called when a write is done (flush waits on it while the stream's queue is full). */
  private onWritten: (() => void) | null = null;
  rows = 0;
  constructor(path: string) {
    this.stream = createWriteStream(path);
    this.stream.on('error', (error) => {
      this.failure ??= error;
    });
    this.closed = new Promise((resolve) => this.stream.once('close', resolve));
  }
  add(line: string): void {
    this.lines.push(line);
    this.chars += line.length;
    this.rows++;
  }
  /**
   * Write out the buffer when large. Up to QUEUE_BYTES may wait in the stream: with a FIFO,
   * parsing goes on while DuckDB works through what it read (the kernel pipe holds only
   * 64 KB, and waiting for a full drain would make the two take turns).
   */
  async flush(force = false): Promise<void> {
    if (this.failure) throw this.failure;
    if (!force && this.chars < FLUSH_CHARS) return;
    if (this.chars > 0) {
      // join() gives one flat string; appending line by line would build a deep rope.
      const text = this.lines.join('');
      this.lines = [];
      this.chars = 0;
      this.stream.write(text, () => this.onWritten?.());
    }
    while (this.stream.writableLength > QUEUE_BYTES) {
      await Promise.race([new Promise<void>((resolve) => (this.onWritten = resolve)), this.closed]);
      this.onWritten = null;
      if (this.failure) throw this.failure;
      if (this.stream.destroyed) throw new Error('the staging stream closed early');
    }
  }
  async close(): Promise<void> {
    await this.flush(true);
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => (this.failure ? reject(this.failure) : resolve()));
    });
  }
  destroy(): void {
    this.stream.destroy();
  }
}

export class StagingWriter {
  readonly dossiers: BufferedCsv;
  readonly quarantine: BufferedCsv;
  private readonly sourceFile: string;

  constructor(dossiersPath: string, quarantinePath: string, sourceFile: string) {
    this.dossiers = new BufferedCsv(dossiersPath);
    this.quarantine = new BufferedCsv(quarantinePath);
    this.sourceFile = cell(sourceFile);
  }

  /** Cells of the row being staged (reused). */
  private readonly row: string[] = new Array(ADD_RECORD_ORDER.length);

  addRecord(r: DossierRecord): void {
    const row = this.row;
    row[0] = text(r.dossier_id);
    row[1] = text(r.procedure_code);
    row[2] = text(r.procedure_name);
    row[3] = text(r.field_code);
    row[4] = text(r.field_name);
    row[5] = text(r.unit_code);
    row[6] = text(r.unit_name);
    row[7] = r.unit_level;
    row[8] = text(r.parent_code);
    row[9] = r.channel;
    row[10] = r.online_level ?? '';
    row[11] = r.received_at;
    row[12] = r.due_at ?? '';
    row[13] = r.resolved_at ?? '';
    row[14] = r.status;
    row[15] = bool(r.result_electronic);
    row[16] = bool(r.paid_online);
    row[17] = bool(r.fee_required);
    row[18] = bool(r.digitized);
    row[19] = r.updated_at ?? '';
    row[20] = `${r.source_line}\n`;
    // join() makes one flat string: no rope of cons cells for the flush to walk.
    this.dossiers.add(row.join(','));
  }

  addQuarantine(entry: QuarantineEntry): void {
    // The offending value may hold control characters: keep it readable and one line.
    const value = entry.value.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    this.quarantine.add(
      `${this.sourceFile},${entry.line},${cell(entry.field)},${cell(entry.reason_code)},${cell(entry.reason)},${cell(
        value === '' ? null : value,
      )},${cell(entry.dossier_id)}\n`,
    );
  }

  async flush(): Promise<void> {
    await this.dossiers.flush();
    await this.quarantine.flush();
  }

  async close(): Promise<void> {
    await this.dossiers.close();
    await this.quarantine.close();
  }

  destroy(): void {
    this.dossiers.destroy();
    this.quarantine.destroy();
  }
}

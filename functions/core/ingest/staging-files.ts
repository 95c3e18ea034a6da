// Normalized rows and quarantine entries are streamed to temporary CSV files that DuckDB
// then turns into Parquet, so JS never holds an extract in memory.
import { createWriteStream, type WriteStream } from 'node:fs';
import { type DossierRecord, LAKE_COLUMNS } from '../dossier-contract.ts';
import type { QuarantineEntry } from './normalize-record.ts';

const FLUSH_CHARS = 1 << 20;
const NEEDS_QUOTES = /[",\r\n]/;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** A CSV cell: empty = NULL; text with a comma, quote or line break is quoted. */
function cell(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

class BufferedCsv {
  private readonly stream: WriteStream;
  private lines: string[] = [];
  private chars = 0;
  rows = 0;
  constructor(path: string) {
    this.stream = createWriteStream(path);
  }
  add(line: string): void {
    this.lines.push(line);
    this.chars += line.length;
    this.rows++;
  }
  /** Write out the buffer when large; waits for the disk when the stream is full. */
  async flush(force = false): Promise<void> {
    if (!force && this.chars < FLUSH_CHARS) return;
    // join() gives one flat string; appending line by line would build a deep rope.
    const ok = this.stream.write(this.lines.join(''));
    this.lines = [];
    this.chars = 0;
    if (!ok) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }
  async close(): Promise<void> {
    await this.flush(true);
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(resolve);
    });
  }
  destroy(): void {
    this.stream.destroy();
  }
}

const LAKE_NAMES = LAKE_COLUMNS.map(([name]) => name);

export class StagingWriter {
  readonly dossiers: BufferedCsv;
  readonly quarantine: BufferedCsv;
  private readonly sourceFile: string;

  constructor(dossiersPath: string, quarantinePath: string, sourceFile: string) {
    this.dossiers = new BufferedCsv(dossiersPath);
    this.quarantine = new BufferedCsv(quarantinePath);
    this.sourceFile = cell(sourceFile);
  }

  private readonly cells: string[] = new Array(LAKE_NAMES.length);

  addRecord(record: DossierRecord): void {
    const cells = this.cells;
    for (let i = 0; i < LAKE_NAMES.length; i++) cells[i] = cell(record[LAKE_NAMES[i]!]);
    this.dossiers.add(`${cells.join(',')}\n`);
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

// One extract → the lake: read (CSV, NDJSON, DVCQG JSON; any supported encoding; gzip),
// normalize and validate each record, quarantine the broken ones, write Parquet parts with
// DuckDB, and the ingest log last (it marks the extract complete). The CLI, `congkhai run`
// and the cloud Lambda all call ingestExtract.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { readBytes } from '../extract/byte-source.ts';
import { readCsv } from '../extract/csv-reader.ts';
import { DownloadError, downloadToFolder } from '../extract/download.ts';
import { readDvcqgJson } from '../extract/dvcqg-json-reader.ts';
import { decodeText } from '../extract/encoding.ts';
import { readNdjson } from '../extract/ndjson-reader.ts';
import type { RawRecord } from '../extract/raw-record.ts';
import { loadUnitsRegistry, type UnitsRegistry } from '../extract/units-registry.ts';
import { UnreadableInputError } from '../extract/unreadable-input.ts';
import { dossierPartKey, ingestLogKey, quarantinePartKey } from '../lake-layout.ts';
import type { Storage } from '../storage.ts';
import { vietnamLocal } from './cell-values.ts';
import { isQuarantined, RecordNormalizer } from './normalize-record.ts';
import { type PartsResult, PartsWriter } from './parquet-parts.ts';
import { createStagingPipe, releaseStagingPipe, StagingWriter } from './staging-files.ts';

export interface IngestRequest {
  path: string;
  name?: string;
  lake: Storage;
  snapshotDate?: string;
  encoding?: string;
  unitsPath?: string;
  workDir?: string;
  onProgress?: (rowsRead: number) => void;
}

export type ExtractFormat = 'csv' | 'ndjson' | 'dvcqg-json';

export interface IngestSummary {
  file: string;
  sha256: string;
  snapshotDate: string;
  format: ExtractFormat;
  encoding: string;
  rowsRead: number;
  rowsAccepted: number;
  rowsQuarantined: number;
  quarantinedByReason: Record<string, number>;
  skipped: boolean;
}

/** The ingest_log record (one JSON object per extract). */
export interface IngestLogRecord {
  file: string;
  sha256: string;
  snapshot_date: string;
  format: ExtractFormat;
  encoding: string;
  rows_read: number;
  rows_accepted: number;
  rows_quarantined: number;
  quarantined_by_reason: Record<string, number>;
  started_at: string;
  finished_at: string;
}

export class ExtractUnreadableError extends Error {
  readonly file: string;
  readonly reason: string;
  constructor(file: string, reason: string) {
    super(`${file}: cannot be read: ${reason}`);
    this.name = 'ExtractUnreadableError';
    this.file = file;
    this.reason = reason;
  }
}

const PROGRESS_EVERY = 100_000;

/** Today's date in Vietnam, YYYY-MM-DD. */
export function todayInVietnam(now = new Date()): string {
  return vietnamLocal(now.getTime()).slice(0, 10);
}

function isRealDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** --snapshot, else a YYYY-MM-DD in the file name, else today in Vietnam. */
export function snapshotDateFor(name: string, explicit?: string): string {
  if (explicit !== undefined) {
    if (!isRealDate(explicit)) throw new Error(`snapshot date "${explicit}" is not a YYYY-MM-DD date`);
    return explicit;
  }
  for (const match of name.matchAll(/(\d{4}-\d{2}-\d{2})/g)) if (isRealDate(match[1]!)) return match[1]!;
  return todayInVietnam();
}

export function formatFromName(name: string): ExtractFormat | undefined {
  const bare = name.toLowerCase().replace(/\.gz$/, '');
  if (bare.endsWith('.ndjson') || bare.endsWith('.jsonl')) return 'ndjson';
  if (bare.endsWith('.json')) return 'dvcqg-json';
  if (bare.endsWith('.csv') || bare.endsWith('.tsv') || bare.endsWith('.txt')) return 'csv';
  return undefined;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Chooses the reader; a file of unknown extension is sniffed from its first character. */
async function recordsOf(
  text: AsyncGenerator<string>,
  format: ExtractFormat | undefined,
  hasRegistry: boolean,
): Promise<{ format: ExtractFormat; records: AsyncGenerator<RawRecord[]> }> {
  let chosen = format;
  let source: AsyncIterable<string> = text;
  if (chosen === undefined) {
    const first = await text.next();
    const head = first.done ? '' : first.value;
    const c = /\S/.exec(head)?.[0];
    chosen = c === '[' ? 'dvcqg-json' : c === '{' ? 'ndjson' : 'csv';
    source = (async function* () {
      if (!first.done) yield head;
      yield* text;
    })();
  }
  if (chosen === 'csv') return { format: chosen, records: readCsv(source, { hasRegistry }) };
  if (chosen === 'ndjson') return { format: chosen, records: readNdjson(source) };
  return { format: chosen, records: readDvcqgJson(source) };
}

export async function ingestExtract(req: IngestRequest): Promise<IngestSummary> {
  const name = req.name ?? basename(req.path);
  const startedAt = new Date();
  try {
    const info = await stat(req.path).catch(() => undefined);
    if (!info?.isFile()) throw new UnreadableInputError('no such file');
    const snapshotDate = snapshotDateFor(name, req.snapshotDate);
    const sha256 = await sha256File(req.path);

    const unitsPath = req.unitsPath ?? join(dirname(req.path), 'units.csv');
    let registry: UnitsRegistry | undefined;
    let unitsSha = '';
    if (req.unitsPath !== undefined || (await exists(unitsPath))) {
      if (!(await exists(unitsPath))) throw new UnreadableInputError(`units registry ${unitsPath} not found`);
      registry = await loadUnitsRegistry(unitsPath);
      unitsSha = createHash('sha256')
        .update(await readFile(unitsPath))
        .digest('hex');
    }

    // Same bytes + same options that change the output => same id => same lake keys.
    const extractId = createHash('sha256')
      .update([sha256, req.encoding?.toLowerCase() ?? 'auto', unitsSha].join('\n'))
      .digest('hex')
      .slice(0, 24);
    const logKey = ingestLogKey(snapshotDate, extractId);
    const previous = await req.lake.getBytes(logKey);
    if (previous) {
      const log = JSON.parse(Buffer.from(previous).toString('utf8')) as IngestLogRecord;
      return {
        file: name,
        sha256,
        snapshotDate,
        format: log.format,
        encoding: log.encoding,
        rowsRead: log.rows_read,
        rowsAccepted: log.rows_accepted,
        rowsQuarantined: log.rows_quarantined,
        quarantinedByReason: log.quarantined_by_reason,
        skipped: true,
      };
    }

    const work = await mkdtemp(join(req.workDir ?? tmpdir(), 'congkhai-ingest-'));
    try {
      const stagedDossiers = join(work, 'dossiers.csv');
      const stagedQuarantine = join(work, 'quarantine.csv');
      const converted = join(work, 'dossiers-all.parquet');
      const dossiersOut = join(work, 'dossiers.parquet');
      const quarantineOut = join(work, 'quarantine.parquet');
      const writer = await PartsWriter.open(join(work, 'duckdb'));
      let parts: PartsResult;
      let rowsRead = 0;
      let format: ExtractFormat;
      let encoding: string;
      try {
        // With a FIFO, DuckDB converts the staged rows while they are produced.
        const streamed = createStagingPipe(stagedDossiers);
        let conversion: Promise<unknown> | undefined;
        if (streamed) {
          conversion = writer.convertStaged(stagedDossiers, converted, name).then(
            () => undefined,
            (error: unknown) => {
              releaseStagingPipe(stagedDossiers);
              return error instanceof Error ? error : new Error(String(error));
            },
          );
        }
        const staging = new StagingWriter(stagedDossiers, stagedQuarantine, name);
        const normalizer = new RecordNormalizer({ sourceFile: name, registry });
        let nextProgress = PROGRESS_EVERY;
        try {
          const decoded = await decodeText(readBytes(req.path), req.encoding);
          encoding = decoded.encoding;
          const reader = await recordsOf(decoded.chunks, formatFromName(name), registry !== undefined);
          format = reader.format;
          for await (const batch of reader.records) {
            for (const raw of batch) {
              const outcome = normalizer.normalize(raw);
              if (isQuarantined(outcome)) staging.addQuarantine(outcome);
              else staging.addRecord(outcome);
            }
            rowsRead += batch.length;
            if (rowsRead >= nextProgress) {
              req.onProgress?.(rowsRead);
              nextProgress = rowsRead + PROGRESS_EVERY;
            }
            await staging.flush();
          }
          await staging.close();
        } catch (error) {
          staging.destroy();
          // A failed conversion shows up here as a broken pipe: report DuckDB's own error.
          const failed = conversion ? await conversion : undefined;
          throw failed instanceof Error && (error as NodeJS.ErrnoException).code === 'EPIPE' ? failed : error;
        }
        if (conversion) {
          const failed = await conversion;
          if (failed instanceof Error) throw failed;
        } else {
          await writer.convertStaged(stagedDossiers, converted, name);
        }
        req.onProgress?.(rowsRead);
        parts = await writer.finish({
          converted,
          stagedQuarantine,
          quarantineRows: staging.quarantine.rows,
          dossiersOut,
          quarantineOut,
        });
      } finally {
        writer.close();
      }
      // Parts first, the log last: a reader trusts a part only once its log exists.
      await req.lake.putFile(
        dossierPartKey(snapshotDate, extractId),
        dossiersOut,
        'application/vnd.apache.parquet',
      );
      const quarantineKey = quarantinePartKey(snapshotDate, extractId);
      if (parts.wroteQuarantine) {
        await req.lake.putFile(quarantineKey, quarantineOut, 'application/vnd.apache.parquet');
      } else if (await req.lake.exists(quarantineKey)) {
        await req.lake.delete(quarantineKey);
      }
      const log: IngestLogRecord = {
        file: name,
        sha256,
        snapshot_date: snapshotDate,
        format,
        encoding,
        rows_read: rowsRead,
        rows_accepted: parts.accepted,
        rows_quarantined: parts.quarantined,
        quarantined_by_reason: parts.quarantinedByReason,
        started_at: `${vietnamLocal(startedAt.getTime()).replace(' ', 'T')}+07:00`,
        finished_at: `${vietnamLocal(Date.now()).replace(' ', 'T')}+07:00`,
      };
      await req.lake.putBytes(logKey, `${JSON.stringify(log, null, 2)}\n`, 'application/json');
      return {
        file: name,
        sha256,
        snapshotDate,
        format,
        encoding,
        rowsRead,
        rowsAccepted: parts.accepted,
        rowsQuarantined: parts.quarantined,
        quarantinedByReason: parts.quarantinedByReason,
        skipped: false,
      };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  } catch (error) {
    if (error instanceof UnreadableInputError) throw new ExtractUnreadableError(name, error.reason);
    throw error;
  }
}

/** Download an http(s) extract to a temporary file; the caller removes it with cleanup(). */
export async function fetchToTempFile(
  url: string,
  workDir = tmpdir(),
): Promise<{ path: string; name: string; cleanup: () => Promise<void> }> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ExtractUnreadableError(url, 'only https URLs can be fetched');
  }
  const dir = await mkdtemp(join(workDir, 'congkhai-fetch-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    // The URL is the operator's own command line: hosts on the local network are allowed
    // (unlike the cloud pull); redirects and oversize bodies are refused all the same.
    const { path, name } = await downloadToFolder(url, dir, { allowPrivateHosts: true });
    return { path, name, cleanup };
  } catch (error) {
    await cleanup();
    if (error instanceof DownloadError)
      throw new ExtractUnreadableError(url, `download failed: ${error.reason}`);
    throw error;
  }
}

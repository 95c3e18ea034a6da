// One extract → the lake: read (CSV, TSV, NDJSON, DVCQG JSON, XLSX; any supported
// encoding; gzip), validate with the one validator (queries/staging/validate_dossiers.sql
// on DuckDB), quarantine the broken rows, write the Parquet parts, and the ingest log last
// (it marks the extract complete). The CLI, `congkhai run` and the cloud Lambda all call
// ingestExtract.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { openDuckDb } from '../duckdb.ts';
import { isGzipFile } from '../extract/byte-source.ts';
import { readCsvHead } from '../extract/csv-head.ts';
import { DownloadError, downloadToFolder } from '../extract/download.ts';
import { readDvcqgJson } from '../extract/dvcqg-json-reader.ts';
import { canonicalEncoding, detectEncoding } from '../extract/encoding.ts';
import { readNdjson } from '../extract/ndjson-reader.ts';
import { loadProfile, monthFirst, type Profile, profileWords } from '../extract/profile.ts';
import { stageRecords } from '../extract/staged-records.ts';
import { readHead, readText, transcodeToUtf8 } from '../extract/text-source.ts';
import { loadUnitsRegistry, type RegistryTables } from '../extract/units-registry.ts';
import { UnreadableInputError } from '../extract/unreadable-input.ts';
import { vocabularyRows } from '../extract/vocabulary.ts';
import { dossierPartKey, ingestLogKey, ingestLogPrefix, quarantinePartKey } from '../lake-layout.ts';
import type { Storage } from '../storage.ts';
import { makeOwnedFolder } from '../temp-folders.ts';
import { writeRegistryToLake } from './registry-lake.ts';
import { runStaging, type StagingSource } from './staging-run.ts';

export interface IngestRequest {
  path: string;
  name?: string;
  lake: Storage;
  snapshotDate?: string;
  encoding?: string;
  unitsPath?: string;
  /** unit_successors.csv (default: beside units.csv when there). */
  successorsPath?: string;
  /** A vendor profile (JSON): header names, words, date order, delimiter. */
  profilePath?: string;
  workDir?: string;
  /** How far the extract is: the share of it read and validated, then the records read. */
  onProgress?: (progress: IngestProgress) => void;
}

export type IngestProgress = { percent: number } | { rowsRead: number };

export type ExtractFormat = 'csv' | 'ndjson' | 'dvcqg-json' | 'xlsx';

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

/** The earliest snapshot or record date the contract accepts. */
export const EARLIEST_DATE = '2000-01-01';

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Vietnam local wall time (UTC+7, no DST) of an instant, as 'YYYY-MM-DD HH:MM:SS'. */
export function vietnamLocal(epochMs: number): string {
  const d = new Date(epochMs + 7 * 3600_000);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${pad2(
    d.getUTCHours(),
  )}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** Today's date in Vietnam, YYYY-MM-DD. */
export function todayInVietnam(now = new Date()): string {
  return vietnamLocal(now.getTime()).slice(0, 10);
}

function isRealDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/**
 * --snapshot, else a YYYY-MM-DD in the file name, else today in Vietnam. A snapshot before
 * 2000 or after tomorrow is refused wherever it comes from: it would move the as-of time.
 */
export function snapshotDateFor(name: string, explicit?: string, now = new Date()): string {
  const latest = todayInVietnam(new Date(now.getTime() + 24 * 3600_000));
  const checked = (date: string, from: string) => {
    if (date < EARLIEST_DATE || date > latest) {
      throw new UnreadableInputError(
        `snapshot date ${date} (${from}) is outside ${EARLIEST_DATE} … ${latest}: not a real extract date`,
      );
    }
    return date;
  };
  if (explicit !== undefined) {
    if (!isRealDate(explicit))
      throw new UnreadableInputError(`snapshot date "${explicit}" is not a YYYY-MM-DD date`);
    return checked(explicit, '--snapshot');
  }
  for (const match of name.matchAll(/(\d{4}-\d{2}-\d{2})/g)) {
    if (isRealDate(match[1]!)) return checked(match[1]!, 'from the file name');
  }
  return todayInVietnam(now);
}

/** Extract formats by file name (a trailing .gz is looked through). */
export function formatFromName(name: string): ExtractFormat | undefined {
  const bare = name.toLowerCase().replace(/\.gz$/, '');
  if (bare.endsWith('.ndjson') || bare.endsWith('.jsonl')) return 'ndjson';
  if (bare.endsWith('.json')) return 'dvcqg-json';
  if (bare.endsWith('.xlsx')) return 'xlsx';
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

async function firstBytes(path: string, count: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of createReadStream(path, { start: 0, end: count - 1 })) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks, length);
}

/** The registry beside the extract (or named), with its successors beside it. */
async function registryFor(req: IngestRequest): Promise<RegistryTables | undefined> {
  const unitsPath = req.unitsPath ?? join(dirname(req.path), 'units.csv');
  if (req.unitsPath === undefined && !(await exists(unitsPath))) return undefined;
  if (!(await exists(unitsPath))) throw new UnreadableInputError(`units registry ${unitsPath} not found`);
  const successorsPath = req.successorsPath ?? join(dirname(unitsPath), 'unit_successors.csv');
  if (req.successorsPath !== undefined && !(await exists(successorsPath))) {
    throw new UnreadableInputError(`unit successors ${successorsPath} not found`);
  }
  return loadUnitsRegistry(unitsPath, (await exists(successorsPath)) ? successorsPath : undefined);
}

/** Sniffs a format from the first non-blank character (PK = a zip, so XLSX). */
async function sniffFormat(path: string): Promise<ExtractFormat> {
  const head = await firstBytes(path, 4);
  if (head[0] === 0x50 && head[1] === 0x4b) return 'xlsx';
  const { chunks } = await readText(path);
  for await (const chunk of chunks) {
    const c = /\S/.exec(chunk)?.[0];
    if (c !== undefined) return c === '[' ? 'dvcqg-json' : c === '{' ? 'ndjson' : 'csv';
  }
  return 'csv';
}

export interface PreparedSource {
  source: StagingSource;
  format: ExtractFormat;
  encoding: string;
}

/**
 * Brings any extract to what the staging SQL reads: a plain UTF-8 CSV is read by DuckDB
 * where it lies; gzip and other encodings are transcoded to a UTF-8 work file first
 * (streamed, bounded); JSON and XLSX records are staged as a CSV of contract cells only.
 */
export async function prepareSource(
  req: IngestRequest,
  name: string,
  work: string,
  profile: Profile | undefined,
  hasRegistry: boolean,
): Promise<PreparedSource> {
  const format = formatFromName(name) ?? (await sniffFormat(req.path));
  if (format === 'xlsx') {
    const { readXlsx } = await import('../extract/xlsx-reader.ts');
    const staged = join(work, 'staged.csv');
    await stageRecords(readXlsx(req.path, { hasRegistry, profile }), staged);
    return { source: { kind: 'staged', path: staged }, format, encoding: 'xlsx' };
  }
  if (format !== 'csv') {
    const { encoding, chunks } = await readText(req.path, req.encoding);
    const records = format === 'ndjson' ? readNdjson(chunks) : readDvcqgJson(chunks);
    const staged = join(work, 'staged.csv');
    await stageRecords(records, staged);
    return { source: { kind: 'staged', path: staged }, format, encoding };
  }
  const gzip = await isGzipFile(req.path);
  let encoding = req.encoding ? canonicalEncoding(req.encoding) : undefined;
  if (!gzip) encoding ??= detectEncoding(await firstBytes(req.path, 64 * 1024));
  let path = req.path;
  if (gzip || encoding !== 'utf-8') {
    path = join(work, 'extract.csv');
    encoding = await transcodeToUtf8(req.path, path, encoding);
  }
  const head = readCsvHead(await readHead(path), {
    hasRegistry,
    ...(profile?.delimiter ? { delimiter: profile.delimiter } : {}),
    ...(profile?.headers ? { profileHeaders: profile.headers } : {}),
  });
  return { source: { kind: 'csv', path, head }, format, encoding: encoding ?? 'utf-8' };
}

export async function ingestExtract(req: IngestRequest): Promise<IngestSummary> {
  const name = req.name ?? basename(req.path);
  const startedAt = new Date();
  try {
    const info = await stat(req.path).catch(() => undefined);
    if (!info?.isFile()) throw new UnreadableInputError('no such file');
    const snapshotDate = snapshotDateFor(name, req.snapshotDate, startedAt);
    // The file's digest names its lake keys, and an extract already ingested is skipped. When
    // no extract of this snapshot date is in the lake (the nightly case), nothing can be
    // skipped: the digest is computed while the extract is staged, not before (a 1.5 GB file
    // takes a second to read). Otherwise it comes first, so that a re-run skips at once.
    const digest = sha256File(req.path);
    digest.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    const registry = await registryFor(req);
    const profile = req.profilePath ? await loadProfile(req.profilePath) : undefined;
    // Same bytes + same options that change the output => same id => same lake keys.
    const extractIdOf = (sha256: string) =>
      createHash('sha256')
        .update(
          [
            sha256,
            req.encoding?.toLowerCase() ?? 'auto',
            registry?.sha256 ?? '',
            JSON.stringify(profile ?? null),
          ].join('\n'),
        )
        .digest('hex')
        .slice(0, 24);
    if ((await req.lake.list(ingestLogPrefix(snapshotDate))).length > 0) {
      const sha256 = await digest;
      const previous = await req.lake.getBytes(ingestLogKey(snapshotDate, extractIdOf(sha256)));
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
    }

    const work = await makeOwnedFolder(req.workDir ?? tmpdir(), 'congkhai-ingest-');
    try {
      const prepared = await prepareSource(req, name, work, profile, registry !== undefined);
      const dossiersOut = join(work, 'dossiers.parquet');
      const quarantineOut = join(work, 'quarantine.parquet');
      // Bounded memory: DuckDB spills to the work folder instead of growing with the file.
      const db = await openDuckDb({ memoryLimit: '896MB', tempDirectory: join(work, 'duckdb') });
      let result: Awaited<ReturnType<typeof runStaging>>;
      try {
        result = await runStaging(
          db,
          prepared.source,
          {
            sourceFile: name,
            snapshotDate,
            maxTimestamp: vietnamLocal(Date.now() + 24 * 3600_000),
            monthFirst: monthFirst(profile),
          },
          vocabularyRows(profileWords(profile)),
          registry,
          { dossiersOut, quarantineOut },
          req.onProgress ? (percent) => req.onProgress?.({ percent }) : undefined,
        );
        if (registry) await writeRegistryToLake(db, registry, req.lake, work);
      } finally {
        db.closeSync();
      }
      req.onProgress?.({ rowsRead: result.rowsRead });
      const sha256 = await digest;
      const extractId = extractIdOf(sha256);
      // Parts first, the log last: a reader trusts a part only once its log exists.
      await req.lake.putFile(
        dossierPartKey(snapshotDate, extractId),
        dossiersOut,
        'application/vnd.apache.parquet',
      );
      const quarantineKey = quarantinePartKey(snapshotDate, extractId);
      if (result.wroteQuarantine) {
        await req.lake.putFile(quarantineKey, quarantineOut, 'application/vnd.apache.parquet');
      } else if (await req.lake.exists(quarantineKey)) {
        await req.lake.delete(quarantineKey);
      }
      const log: IngestLogRecord = {
        file: name,
        sha256,
        snapshot_date: snapshotDate,
        format: prepared.format,
        encoding: prepared.encoding,
        rows_read: result.rowsRead,
        rows_accepted: result.accepted,
        rows_quarantined: result.quarantined,
        quarantined_by_reason: result.quarantinedByReason,
        started_at: `${vietnamLocal(startedAt.getTime()).replace(' ', 'T')}+07:00`,
        finished_at: `${vietnamLocal(Date.now()).replace(' ', 'T')}+07:00`,
      };
      await req.lake.putBytes(
        ingestLogKey(snapshotDate, extractId),
        `${JSON.stringify(log, null, 2)}\n`,
        'application/json',
      );
      // The lake's current-state table is not refreshed here but by `congkhai kpi`, once for
      // however many extracts a night brought (functions/core/kpi/current-state.ts).
      return {
        file: name,
        sha256,
        snapshotDate,
        format: prepared.format,
        encoding: prepared.encoding,
        rowsRead: result.rowsRead,
        rowsAccepted: result.accepted,
        rowsQuarantined: result.quarantined,
        quarantinedByReason: result.quarantinedByReason,
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
  const dir = await makeOwnedFolder(workDir, 'congkhai-fetch-');
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

// The bulk-load path: an extract too big for one Lambda (a province's full history, many
// provinces) is validated by Athena where it lies in landing/, with the same validator SQL,
// and its rows are inserted into the lake's tables (bulk-load-statements.ts says how). The
// Lambda only reads the head of each file (one ranged GET), the units.csv beside it, and
// sends the statements; Athena reads the rest.
//
// Idempotence as the Lambda ingest has it: each file gets an extract id (its URL, its ETag
// and the registry's hash); the ingest log of that id is written last, and a file whose log
// exists is skipped without a query. Each INSERT also adds nothing when the lake already
// holds rows of the file for the snapshot date, so a re-run after a failure between the two
// inserts adds nothing twice.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type CsvHead, readCsvHead } from '../extract/csv-head.ts';
import { loadUnitsRegistry, type RegistryTables } from '../extract/units-registry.ts';
import { UnreadableInputError } from '../extract/unreadable-input.ts';
import { vocabularyRows } from '../extract/vocabulary.ts';
import { type IngestLogRecord, snapshotDateFor, vietnamLocal } from '../ingest/ingest-extract.ts';
import { readStagingSql } from '../ingest/staging-sql.ts';
import { ingestLogKey } from '../lake-layout.ts';
import type { Storage } from '../storage.ts';
import type { AthenaEngine } from './athena-engine.ts';
import { type BulkLoadStatement, bulkLoadStatements } from './bulk-load-statements.ts';
import { SUCCESSORS_FILE, UNITS_FILE, unitsKeyBeside } from './landing-event.ts';
import { S3Storage } from './s3-storage.ts';

/** Bytes read from the start of a file to find its header row and delimiter. */
export const HEAD_BYTES = 65_536;

export interface BulkLoadRequest {
  /** s3://bucket/landing/…/file.csv, or a folder s3://bucket/landing/…/ (each CSV in it). */
  landing: string;
  /** YYYY-MM-DD; else a date in the file name, else today in Vietnam (as ingest). */
  snapshotDate?: string;
  /** ',', ';', tab or '|'; else sniffed from the header line. */
  delimiter?: string;
}

export interface BulkLoadDeps {
  s3: S3Client;
  /** Runs each statement (its workgroup and database are the lake's). */
  athena: Pick<AthenaEngine, 'query' | 'database'>;
  /** The lake, for the ingest log. */
  lake: Storage;
  workDir: string;
  now?: () => Date;
}

export interface BulkLoadResult {
  file: string;
  snapshotDate: string;
  rowsRead: number;
  rowsAccepted: number;
  rowsQuarantined: number;
  quarantinedByReason: Record<string, number>;
  /** The file's ingest log existed: nothing was sent to Athena. */
  skipped: boolean;
}

/** A bulk load that failed: names the landing file and the step. */
export class BulkLoadError extends Error {
  readonly file: string;
  readonly step: string;
  constructor(file: string, step: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Bulk load of ${file} failed at step "${step}": ${reason}`, { cause });
    this.name = 'BulkLoadError';
    this.file = file;
    this.step = step;
  }
}

export function parseS3Url(url: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.*)$/.exec(url);
  if (!match) throw new Error(`not an s3://bucket/key URL: ${url}`);
  return { bucket: match[1]!, key: match[2]! };
}

const REGISTRY_FILES = new Set([UNITS_FILE, SUCCESSORS_FILE]);

/** The CSV files a request names: the file itself, or every CSV extract of the folder. */
async function landingFiles(s3: S3Client, landing: string): Promise<{ bucket: string; key: string }[]> {
  const { bucket, key } = parseS3Url(landing);
  if (!key.endsWith('/')) return [{ bucket, key }];
  const keys = await new S3Storage({ bucket, client: s3 }).list(key);
  return keys
    .filter((k) => /\.csv$/i.test(k) && !REGISTRY_FILES.has(posix.basename(k)))
    .sort()
    .map((k) => ({ bucket, key: k }));
}

/** The head of an object (one ranged GET) as whole lines of UTF-8 text, and its ETag. */
async function readHead(
  s3: S3Client,
  object: { bucket: string; key: string },
): Promise<{ text: string; etag: string }> {
  const response = await s3
    .send(
      new GetObjectCommand({ Bucket: object.bucket, Key: object.key, Range: `bytes=0-${HEAD_BYTES - 1}` }),
    )
    .catch((error: unknown) => {
      // S3 answers a range of an empty object with 416 InvalidRange.
      if ((error as Error).name === 'InvalidRange') throw new UnreadableInputError('the file is empty');
      throw error;
    });
  const bytes = (await response.Body?.transformToByteArray()) ?? new Uint8Array();
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw new UnreadableInputError('UTF-16 text: a bulk load reads UTF-8 only (convert it, or ingest it)');
  const whole = (response.ContentRange?.split('/')[1] ?? '') === String(bytes.length);
  // A cut at the end may split a character or a line: keep whole lines only.
  const end = whole ? bytes.length : bytes.lastIndexOf(0x0a) + 1;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end > 0 ? end : bytes.length));
  } catch {
    throw new UnreadableInputError('bytes that are not valid UTF-8: a bulk load reads UTF-8 only');
  }
  return { text, etag: response.ETag ?? '' };
}

/** units.csv (and unit_successors.csv) beside the file, when there is one. */
async function registryBeside(
  deps: BulkLoadDeps,
  object: { bucket: string; key: string },
  dir: string,
): Promise<RegistryTables | undefined> {
  const landing = new S3Storage({ bucket: object.bucket, client: deps.s3 });
  const unitsPath = join(dir, UNITS_FILE);
  if (!(await landing.downloadTo(unitsKeyBeside(object.key), unitsPath))) return undefined;
  const successorsPath = join(dir, SUCCESSORS_FILE);
  const hasSuccessors = await landing.downloadTo(unitsKeyBeside(object.key, SUCCESSORS_FILE), successorsPath);
  return loadUnitsRegistry(unitsPath, hasSuccessors ? successorsPath : undefined);
}

export interface PreparedBulkLoad {
  file: string;
  snapshotDate: string;
  extractId: string;
  etag: string;
  head: CsvHead;
  statements: BulkLoadStatement[];
}

/** Reads the file's head and the registry beside it; builds the statements (a dry run stops here). */
export async function prepareBulkLoad(
  request: BulkLoadRequest,
  object: { bucket: string; key: string },
  deps: BulkLoadDeps,
): Promise<PreparedBulkLoad> {
  const file = `s3://${object.bucket}/${object.key}`;
  const now = deps.now?.() ?? new Date();
  const dir = await mkdtemp(join(deps.workDir, 'congkhai-bulk-load-'));
  try {
    const registry = await registryBeside(deps, object, dir);
    const snapshotDate = snapshotDateFor(posix.basename(object.key), request.snapshotDate, now);
    const { text, etag } = await readHead(deps.s3, object);
    const head = readCsvHead(text, { hasRegistry: registry !== undefined, delimiter: request.delimiter });
    // Same object (ETag) + same registry + same options => same id => same ingest log.
    const extractId = createHash('sha256')
      .update([file, etag, registry?.sha256 ?? '', request.delimiter ?? 'auto'].join('\n'))
      .digest('hex')
      .slice(0, 24);
    const statements = bulkLoadStatements(
      {
        database: deps.athena.database,
        rawTable: `bulk_load_${extractId}`,
        sourceFile: file,
        head,
        snapshotDate,
        maxTimestamp: vietnamLocal(now.getTime() + 24 * 3600_000),
        vocabulary: vocabularyRows(),
        registry,
      },
      await readStagingSql(),
    );
    return {
      file,
      snapshotDate,
      extractId,
      etag,
      head,
      statements: [
        statements.createRawTable,
        statements.insertDossiers,
        statements.insertQuarantine,
        statements.countLoaded,
        statements.dropRawTable,
      ],
    };
  } catch (error) {
    if (error instanceof UnreadableInputError) throw new BulkLoadError(file, 'read the head', error);
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Sends the statements in order; the DROP (the last) is sent whatever happened before it. */
async function runStatements(
  prepared: PreparedBulkLoad,
  athena: BulkLoadDeps['athena'],
): Promise<Awaited<ReturnType<AthenaEngine['query']>>> {
  const statements = prepared.statements;
  const drop = statements.at(-1)!;
  let counts: Awaited<ReturnType<AthenaEngine['query']>> = [];
  let failure: BulkLoadError | undefined;
  for (const statement of statements.slice(0, -1)) {
    try {
      const rows = await athena.query(statement.sql, `bulk load ${statement.step}: ${prepared.file}`);
      if (statement.step === 'count loaded rows') counts = rows;
    } catch (error) {
      failure = new BulkLoadError(prepared.file, statement.step, error);
      break;
    }
  }
  try {
    await athena.query(drop.sql, `bulk load ${drop.step}: ${prepared.file}`);
  } catch (error) {
    // The first failure is the one to fix; a DROP failing after it is only mentioned.
    if (failure) failure.message += ` (and the external table was not dropped: ${(error as Error).message})`;
    else failure = new BulkLoadError(prepared.file, drop.step, error);
  }
  if (failure) throw failure;
  return counts;
}

async function loadOne(
  request: BulkLoadRequest,
  object: { bucket: string; key: string },
  deps: BulkLoadDeps,
): Promise<BulkLoadResult> {
  const startedAt = deps.now?.() ?? new Date();
  const prepared = await prepareBulkLoad(request, object, deps);
  const logKey = ingestLogKey(prepared.snapshotDate, prepared.extractId);
  const previous = await deps.lake.getBytes(logKey);
  if (previous) {
    const log = JSON.parse(Buffer.from(previous).toString('utf8')) as IngestLogRecord;
    return {
      file: prepared.file,
      snapshotDate: prepared.snapshotDate,
      rowsRead: log.rows_read,
      rowsAccepted: log.rows_accepted,
      rowsQuarantined: log.rows_quarantined,
      quarantinedByReason: log.quarantined_by_reason,
      skipped: true,
    };
  }
  const counts = await runStatements(prepared, deps.athena);
  let accepted = 0;
  const byReason: Record<string, number> = {};
  for (const row of counts) {
    const n = Number(row['row_count'] ?? 0);
    if (row['part'] === 'accepted') accepted += n;
    else if (n > 0) byReason[String(row['reason_code'])] = n;
  }
  const quarantined = Object.values(byReason).reduce((a, b) => a + b, 0);
  const finishedAt = deps.now?.() ?? new Date();
  // The ingest log's shape, without sha256: Athena read the bytes, the Lambda never did.
  const log: Omit<IngestLogRecord, 'sha256'> & { etag: string; loaded_by: 'athena' } = {
    file: prepared.file,
    snapshot_date: prepared.snapshotDate,
    format: 'csv',
    encoding: 'utf-8',
    rows_read: accepted + quarantined,
    rows_accepted: accepted,
    rows_quarantined: quarantined,
    quarantined_by_reason: byReason,
    started_at: `${vietnamLocal(startedAt.getTime()).replace(' ', 'T')}+07:00`,
    finished_at: `${vietnamLocal(finishedAt.getTime()).replace(' ', 'T')}+07:00`,
    etag: prepared.etag,
    loaded_by: 'athena',
  };
  await deps.lake.putBytes(logKey, `${JSON.stringify(log, null, 2)}\n`, 'application/json');
  return {
    file: prepared.file,
    snapshotDate: prepared.snapshotDate,
    rowsRead: accepted + quarantined,
    rowsAccepted: accepted,
    rowsQuarantined: quarantined,
    quarantinedByReason: byReason,
    skipped: false,
  };
}

/** Bulk-loads the file, or each CSV of the folder in key order (one after the other). */
export async function bulkLoad(request: BulkLoadRequest, deps: BulkLoadDeps): Promise<BulkLoadResult[]> {
  const files = await landingFiles(deps.s3, request.landing);
  if (files.length === 0) throw new Error(`Bulk load: no CSV file under ${request.landing}`);
  const results: BulkLoadResult[] = [];
  for (const object of files) results.push(await loadOne(request, object, deps));
  return results;
}

/** A dry run: the statements each file would be sent, nothing sent. */
export async function planBulkLoad(
  request: BulkLoadRequest,
  deps: BulkLoadDeps,
): Promise<PreparedBulkLoad[]> {
  const files = await landingFiles(deps.s3, request.landing);
  if (files.length === 0) throw new Error(`Bulk load: no CSV file under ${request.landing}`);
  const plans: PreparedBulkLoad[] = [];
  for (const object of files) plans.push(await prepareBulkLoad(request, object, deps));
  return plans;
}

// Shared helpers of the ingest tests: v1 CSV rows, running the real CLI, reading the real
// Parquet files back with DuckDB, and scanning a lake for planted citizen values.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import iconv from 'iconv-lite';

export const REPO = resolve(import.meta.dirname, '../..');
export const CLI = join(REPO, 'functions/cli/main.ts');
export { FIXTURES } from '../support/fixtures.ts';

export const V1_COLUMNS = [
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
] as const;
export const CITIZEN_COLUMNS = ['ChuHoSo', 'SoDienThoai', 'Email'] as const;
export type V1Row = Record<(typeof V1_COLUMNS)[number] | (typeof CITIZEN_COLUMNS)[number], string>;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A valid v1 row with citizen data; the citizen values are unique per row for leak scans. */
export function validRow(i: number, overrides: Partial<V1Row> = {}): V1Row {
  const month = 1 + (i % 12);
  const day = 1 + (i % 20);
  const statusPick = i % 7;
  const status =
    statusPick === 0
      ? 'withdrawn'
      : statusPick === 1
        ? 'processing'
        : statusPick === 2
          ? 'stopped'
          : 'resolved';
  const received = `2023-${pad(month)}-${pad(day)} 08:${pad(i % 60)}:00`;
  return {
    dossier_id: `000.00.01.H22-23${pad(month)}${pad(day)}-${pad(i, 6)}`,
    procedure_code: `1.00${i % 900}`,
    procedure_name:
      i % 3 === 0 ? 'Chứng thực bản sao từ bản chính, giấy tờ' : 'Đăng ký biến động quyền sử dụng đất',
    field_code: i % 3 === 0 ? 'G13-TP05' : 'G13-TN01',
    field_name: i % 3 === 0 ? 'Chứng thực' : 'Đất đai',
    unit_code: `U${i % 30}`,
    unit_name: `Đơn vị số ${i % 30}`,
    unit_level: i % 30 < 20 ? 'province' : 'district',
    parent_code: '',
    channel: ['online', 'direct', 'postal'][i % 3]!,
    online_level: i % 3 === 0 ? '4' : '',
    received_at: received,
    due_at: `2023-${pad(month)}-${pad(day + 5)} 17:00:00`,
    resolved_at: status === 'processing' ? '' : `2023-${pad(month)}-${pad(day + 3)} 10:00:00`,
    status,
    result_electronic: i % 3 === 0 ? '1' : '0',
    paid_online: i % 2 === 0 ? 'true' : 'false',
    fee_required: '1',
    digitized: i % 4 === 0 ? 'có' : 'không',
    updated_at: '',
    ChuHoSo: `Nguyễn Thị Bí Mật ${i}`,
    SoDienThoai: `09${pad(i, 8)}`,
    Email: `citizen${i}@secret.example.vn`,
    ...overrides,
  };
}

const ALL_COLUMNS = [
  ...V1_COLUMNS.slice(0, 3),
  'ChuHoSo',
  ...V1_COLUMNS.slice(3),
  'SoDienThoai',
  'Email',
] as const;

export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A v1 CSV (header + rows), citizen columns interleaved with contract ones. */
export function v1Csv(rows: V1Row[], columns: readonly string[] = ALL_COLUMNS): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c as keyof V1Row] ?? '')).join(','));
  return `${lines.join('\n')}\n`;
}

export function citizenValues(rows: V1Row[]): string[] {
  return rows.flatMap((r) => CITIZEN_COLUMNS.map((c) => r[c]));
}

export async function tempDir(prefix = 'ck-ingest-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI (Node 24, the same binary as `npx congkhai`), from the repository unless
 *  `where.cwd` says otherwise, with `where.env` in place of this process's environment. */
export function runCli(
  args: string[],
  onSpawn?: (pid: number) => void,
  where: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: where.cwd ?? REPO,
      env: where.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    if (child.pid !== undefined) onSpawn?.(child.pid);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

export type Row = Record<string, unknown>;

/** Rows of a SQL query on a fresh in-memory DuckDB: BIGINT as number, timestamps and dates as text. */
export async function query(sql: string): Promise<Row[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader
      .getRowObjects()
      .map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([k, v]) => [
            k,
            typeof v === 'bigint' ? Number(v) : v !== null && typeof v === 'object' ? String(v) : v,
          ]),
        ),
      );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name))
      .sort();
  } catch {
    return [];
  }
}

export const lakeDossiers = (lake: string) =>
  query(`SELECT * FROM read_parquet('${lake}/dossiers/*/*.parquet') ORDER BY source_line`);
export const lakeQuarantine = (lake: string) =>
  query(`SELECT * FROM read_parquet('${lake}/quarantine/*/*.parquet') ORDER BY line`);

/**
 * Every file under `dir` searched for each planted value: its raw bytes, and for Parquet
 * files every decoded row too (compression would hide a value from a byte scan).
 */
export async function findPlantedValues(dir: string, values: string[]): Promise<string[]> {
  const found: string[] = [];
  const list = values.map((v) => `('${v.replaceAll("'", "''")}')`).join(', ');
  for (const file of await filesUnder(dir)) {
    const bytes = await readFile(file);
    for (const value of values) if (bytes.includes(value)) found.push(`${value} in ${file} (bytes)`);
    if (!file.endsWith('.parquet')) continue;
    const hits = await query(
      `WITH planted(v) AS (VALUES ${list}),
            t AS (SELECT concat_ws(chr(1), *COLUMNS(*)) AS line FROM read_parquet('${file}'))
       SELECT DISTINCT v FROM t, planted WHERE contains(t.line, v)`,
    );
    for (const hit of hits) found.push(`${hit.v} in ${file} (rows)`);
  }
  return found;
}

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;

/**
 * Vietnamese text as a Windows-1258 export holds it: letters with a horn, breve or
 * circumflex precomposed, tone marks as combining characters (iconv-lite alone would turn
 * 'ứ' into '?').
 */
export function toWindows1258(text: string): Buffer {
  const decomposed = text.normalize('NFD').replace(/(\P{M})(\p{M}*)/gu, (_, base: string, marks: string) => {
    const tones = marks.match(TONE_MARKS)?.join('') ?? '';
    return `${(base + marks.replace(TONE_MARKS, '')).normalize('NFC')}${tones}`;
  });
  const bytes = iconv.encode(decomposed, 'windows-1258');
  if (iconv.decode(bytes, 'windows-1258').normalize('NFC') !== text.normalize('NFC')) {
    throw new Error('text not representable in Windows-1258');
  }
  return bytes;
}

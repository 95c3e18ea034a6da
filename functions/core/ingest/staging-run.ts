// Runs queries/staging/validate_dossiers.sql on DuckDB over one extract and writes the lake
// part and the quarantine part (Parquet, zstd, rows in file order: identical input gives
// identical bytes). A CSV is read by DuckDB's own reader, selecting only the contract
// columns; its structural errors come from DuckDB's rejects table, of which only the
// position and the error type are read (the raw line it keeps holds citizen values).
import { dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DOSSIER_COLUMNS, LAKE_COLUMNS } from '../dossier-contract.ts';
import { sqlString } from '../duckdb.ts';
import type { CsvHead } from '../extract/csv-head.ts';
import { lineExpression, recordLines } from '../extract/csv-lines.ts';
import { STAGED_HEADER } from '../extract/staged-records.ts';
import { MAX_LINE_CHARS, tooLongLine } from '../extract/text-source.ts';
import type { RegistryTables } from '../extract/units-registry.ts';
import { UnreadableInputError } from '../extract/unreadable-input.ts';
import { FOLD_FROM, FOLD_TO, type VocabularyRow } from '../extract/vocabulary.ts';
import { readStagingSql, VOCABULARY_MAPS } from './staging-sql.ts';

export type StagingSource =
  | { kind: 'csv'; path: string; head: CsvHead }
  /** A CSV written by stageRecords (NDJSON, DVCQG JSON, XLSX). */
  | { kind: 'staged'; path: string };

export interface StagingSettings {
  sourceFile: string;
  snapshotDate: string;
  /** Latest accepted date-time, Vietnam local 'YYYY-MM-DD HH:MM:SS'. */
  maxTimestamp: string;
  monthFirst: boolean;
}

export interface StagingResult {
  rowsRead: number;
  accepted: number;
  quarantined: number;
  quarantinedByReason: Record<string, number>;
  wroteQuarantine: boolean;
}

export const QUARANTINE_COLUMNS = [
  ['source_file', 'VARCHAR'],
  ['line', 'BIGINT'],
  ['field', 'VARCHAR'],
  ['reason_code', 'VARCHAR'],
  ['reason', 'VARCHAR'],
  ['value', 'VARCHAR'],
  ['dossier_id', 'VARCHAR'],
] as const;

const MIN_TIMESTAMP = '2000-01-01 00:00:00';
const PARQUET = '(FORMAT parquet, COMPRESSION zstd)';
/** More line-offset intervals than this are joined as a table rather than written as a CASE. */
const MAX_CASE_OFFSETS = 200;

const values = (rows: readonly (readonly (string | number | boolean | null)[])[]) =>
  rows
    .map(
      (row) =>
        `(${row
          .map((v) =>
            v === null
              ? 'NULL'
              : typeof v === 'string'
                ? sqlString(v)
                : typeof v === 'boolean'
                  ? String(v)
                  : String(v),
          )
          .join(', ')})`,
    )
    .join(',\n');

async function createTable(
  db: DuckDBConnection,
  name: string,
  columns: readonly (readonly [string, string])[],
  rows: readonly (readonly (string | number | boolean | null)[])[],
): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP TABLE ${name} (${columns.map(([n, t]) => `${n} ${t}`).join(', ')})`);
  for (let i = 0; i < rows.length; i += 1000) {
    await db.run(`INSERT INTO ${name} VALUES ${values(rows.slice(i, i + 1000))}`);
  }
}

/** The relations the validator reads besides raw_dossiers. */
async function bindInputs(
  db: DuckDBConnection,
  settings: StagingSettings,
  vocabulary: readonly VocabularyRow[],
  registry: RegistryTables | undefined,
): Promise<void> {
  // Trino's name for a regular-expression test; DuckDB calls it regexp_matches.
  await db.run('CREATE OR REPLACE MACRO regexp_like(s, p) AS regexp_matches(s, p)');
  await createTable(
    db,
    'staging_base',
    [
      ['source_file', 'VARCHAR'],
      ['snapshot_date', 'DATE'],
      ['min_timestamp', 'TIMESTAMP'],
      ['max_timestamp', 'TIMESTAMP'],
      ['month_first', 'BOOLEAN'],
      ['has_registry', 'BOOLEAN'],
      ['fold_from', 'VARCHAR'],
      ['fold_to', 'VARCHAR'],
    ],
    [
      [
        settings.sourceFile,
        settings.snapshotDate,
        MIN_TIMESTAMP,
        settings.maxTimestamp,
        settings.monthFirst,
        registry !== undefined,
        FOLD_FROM,
        FOLD_TO,
      ],
    ],
  );
  await createTable(
    db,
    'vocabulary',
    [
      ['kind', 'VARCHAR'],
      ['word', 'VARCHAR'],
      ['value', 'VARCHAR'],
    ],
    vocabulary.map((v) => [v.kind, v.word, v.value]),
  );
  await createTable(
    db,
    'registry_units',
    [
      ['unit_code', 'VARCHAR'],
      ['unit_name', 'VARCHAR'],
      ['unit_level', 'VARCHAR'],
      ['parent_code', 'VARCHAR'],
      ['valid_from', 'DATE'],
      ['valid_to', 'DATE'],
    ],
    (registry?.units ?? []).map((u) => [
      u.unit_code,
      u.unit_name,
      u.unit_level,
      u.parent_code,
      u.valid_from,
      u.valid_to,
    ]),
  );
  await createTable(
    db,
    'registry_matches',
    [
      ['token', 'VARCHAR'],
      ['unit_code', 'VARCHAR'],
    ],
    (registry?.matches ?? []).map((m) => [m.token, m.unit_code]),
  );
  // The settings row with the vocabulary's maps (the validator looks words up in them).
  await db.run(
    `CREATE OR REPLACE TEMP TABLE staging_settings AS SELECT b.*, ${VOCABULARY_MAPS} FROM staging_base AS b`,
  );
  await db.run(
    `CREATE OR REPLACE TEMP TABLE registry_unit_tokens AS
       SELECT m.token, u.* FROM registry_units AS u JOIN registry_matches AS m USING (unit_code)`,
  );
}

const columnsStruct = (names: readonly string[], type = 'VARCHAR') =>
  `{${names.map((n) => `${sqlString(n)}: ${sqlString(type)}`).join(', ')}}`;

/** What may stand first in a repeated header's first cell: a space (Zs), a BOM, or its first letter. */
const HEADER_LEAD = [
  ...' \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\ufeff',
];

/**
 * Whether a row's first cell repeats the header's (trimmed, without BOM, in any case). The
 * full comparison runs only on a cell that could match by its first character: most first
 * cells are ids, and lower-casing each whole cell cost a tenth of the read.
 */
function headerAgain(cell: string, firstHeader: string): string {
  const exact = `coalesce(replace(lower(trim(${cell})), chr(65279), '') = ${sqlString(firstHeader)}, false)`;
  const first = [...firstHeader][0];
  if (first === undefined) return exact;
  const leads = [first, ...HEADER_LEAD].map(sqlString).join(', ');
  return `CASE WHEN contains([${leads}], lower(left(${cell}, 1))) THEN ${exact} ELSE false END`;
}

/**
 * The rows of a CSV as DuckDB's reader gives them: contract columns only, no line yet (NULL:
 * the runner numbers them by their place in the file, see runStaging).
 */
export function csvRawRelation(source: { path: string; head: CsvHead }): string {
  const { head } = source;
  const width = head.header.length;
  const names = Array.from({ length: width }, (_, i) => `c${i}`);
  const firstHeader = (head.header[0] ?? '')
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();
  const cells = DOSSIER_COLUMNS.map((c, i) => {
    const p = head.positions[i]!;
    return `${p >= 0 ? `c${p}` : 'CAST(NULL AS VARCHAR)'} AS ${c.name}`;
  });
  const options = [
    'header = false',
    `skip = ${head.headerLine}`,
    `delim = ${sqlString(head.delimiter)}`,
    `quote = '"'`,
    `escape = '"'`,
    'auto_detect = false',
    `columns = ${columnsStruct(names)}`,
    'store_rejects = true',
    `rejects_table = 'csv_rejects'`,
    `rejects_scan = 'csv_scans'`,
    `max_line_size = ${MAX_LINE_CHARS}`,
    // DuckDB's reader splits the file by buffer among its threads; its default buffer (16
    // lines of the longest allowed) would read a file under 256 MB on one thread.
    `buffer_size = ${2 * MAX_LINE_CHARS}`,
    ...(head.newline === '\r' ? [`new_line = '\\r'`] : []),
  ];
  return `SELECT
      CAST(NULL AS BIGINT) AS line,
      ${head.portal} AS dvcqg,
      ${headerAgain('c0', firstHeader)} AS header_again,
      CAST(NULL AS VARCHAR) AS problem_code,
      CAST(NULL AS VARCHAR) AS problem_field,
      CAST(NULL AS VARCHAR) AS problem_reason,
      ${cells.join(',\n      ')}
    FROM read_csv(${sqlString(source.path)}, ${options.join(', ')})`;
}

export function stagedRawRelation(path: string): string {
  const types = Object.fromEntries(STAGED_HEADER.map((n) => [n, 'VARCHAR']));
  types['line'] = 'BIGINT';
  types['dvcqg'] = 'BOOLEAN';
  return `SELECT line, dvcqg, false AS header_again, problem_code, problem_field, problem_reason,
      ${DOSSIER_COLUMNS.map((c) => c.name).join(', ')}
    FROM read_csv(${sqlString(path)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
      max_line_size = ${MAX_LINE_CHARS}, buffer_size = ${2 * MAX_LINE_CHARS},
      columns = {${STAGED_HEADER.map((n) => `${sqlString(n)}: ${sqlString(types[n]!)}`).join(', ')}})`;
}

interface Reject {
  bytePosition: number;
  errorType: string;
  fieldsFound: number | undefined;
}

const PROGRESS_INTERVAL_MS = 250;

/**
 * Reports, while the connection's query runs, how much of it DuckDB has done (whole percents,
 * each once, rising); returns the function that stops it. DuckDB's own progress bar is not
 * printed.
 */
async function watchProgress(
  db: DuckDBConnection,
  onProgress: (percent: number) => void,
): Promise<() => void> {
  await db.run('SET enable_progress_bar = true');
  await db.run('SET enable_progress_bar_print = false');
  let last = -1;
  const timer = setInterval(() => {
    const percent = Math.floor(db.progress.percentage);
    if (percent > last && percent <= 100) {
      last = percent;
      onProgress(percent);
    }
  }, PROGRESS_INTERVAL_MS);
  return () => clearInterval(timer);
}

/** DuckDB's rejects of the CSV: position and error type only (its raw line holds citizen values). */
async function readRejects(db: DuckDBConnection): Promise<Reject[]> {
  const rows = await db.runAndReadAll(
    // One row per rejected line (DuckDB may list a short row once per missing column).
    `SELECT line_byte_position, min(error_type),
            CASE WHEN min(error_type) = 'TOO MANY COLUMNS'
              THEN max(TRY_CAST(regexp_extract(error_message, 'Found: (\\d+)', 1) AS INTEGER))
              ELSE min(TRY_CAST(regexp_extract(error_message, 'Found: (\\d+)', 1) AS INTEGER)) END
       FROM csv_rejects GROUP BY line_byte_position ORDER BY line_byte_position`,
  );
  return rows.getRows().map(([position, type, found]) => ({
    bytePosition: Number(position),
    errorType: String(type),
    fieldsFound: found === null ? undefined : Number(found),
  }));
}

/** Structural rejects → quarantine rows (line, field, code, reason), or the file refused. */
function rejectsToQuarantine(
  source: { path: string; head: CsvHead },
  lineOf: Map<number, number>,
  rejects: Reject[],
): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [];
  const width = source.head.header.length;
  for (const r of rejects) {
    const line = lineOf.get(r.bytePosition) ?? null;
    switch (r.errorType) {
      case 'INVALID ENCODING':
      case 'INVALID UNICODE':
        throw new UnreadableInputError('bytes that are not valid UTF-8 (declare or fix the encoding)');
      case 'LINE SIZE OVER MAXIMUM':
        throw tooLongLine(MAX_LINE_CHARS);
      case 'UNTERMINATED QUOTE':
        throw new UnreadableInputError(`a quoted cell opened on line ${line ?? '?'} is never closed`);
      case 'UNQUOTED VALUE':
        rows.push([line, null, 'csv_syntax', 'text after a closing quote']);
        break;
      case 'MISSING COLUMNS':
      case 'TOO MANY COLUMNS': {
        rows.push([
          line,
          null,
          'ragged_row',
          `row has ${r.fieldsFound ?? '?'} fields, the header has ${width}`,
        ]);
        break;
      }
      default:
        rows.push([
          line,
          null,
          'csv_syntax',
          `the row cannot be split into cells (${r.errorType.toLowerCase()})`,
        ]);
    }
  }
  return rows;
}

/**
 * Validates one extract and writes `dossiersOut` (lake columns) and, when any row is
 * quarantined, `quarantineOut`. One pass over the file: DuckDB's reader on every core feeds
 * the validator, whose output goes to a Parquet file beside `dossiersOut`; the lake part and
 * the quarantine are then written from that file. `onProgress`: the validator's progress in
 * whole percents, while it runs.
 */
export async function runStaging(
  db: DuckDBConnection,
  source: StagingSource,
  settings: StagingSettings,
  vocabulary: readonly VocabularyRow[],
  registry: RegistryTables | undefined,
  files: { dossiersOut: string; quarantineOut: string },
  onProgress?: (percent: number) => void,
): Promise<StagingResult> {
  await bindInputs(db, settings, vocabulary, registry);
  const sql = await readStagingSql();
  const csv = source.kind === 'csv' ? source : undefined;
  const countLines = ({ path, head }: { path: string; head: CsvHead }, rejectPositions: number[]) => {
    const counting = recordLines(path, head.headerLine, head.newline === '\r' ? 0x0d : 0x0a, rejectPositions);
    counting.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    return counting;
  };
  // The validator's output: a row per row read, in the reader's order (deleted with the work folder).
  const validatorFile = join(dirname(files.dossiersOut), 'validated.parquet');
  let rejects: Reject[] = [];
  let counting: ReturnType<typeof recordLines> | undefined;
  try {
    await db.run(
      `CREATE OR REPLACE TEMP VIEW raw_dossiers AS ${csv ? csvRawRelation(csv) : stagedRawRelation(source.path)}`,
    );
    // The file's physical lines are counted in JavaScript while DuckDB reads and validates.
    if (csv) counting = countLines(csv, []);
    // The reader and the validator run as one pipeline on every core, into a Parquet file in
    // the work folder. The validator has no join (see its header), so with insertion order
    // preserved the file keeps the file's order: a row's file_row_number is its ordinal among
    // the rows the reader kept, mapped to a physical line below. (Numbering rows in the reader,
    // WITH ORDINALITY, would keep it on one thread.) A file, not a table: compressed as it is
    // written, it stays small where a 5M-row table spilled 800 MB past the memory limit
    // (peak memory 0.9 GB instead of 1.4–1.8 GB; 1M: 0.6 GB instead of 1.1 GB).
    await db.run('SET preserve_insertion_order = true');
    const stopWatching = onProgress ? await watchProgress(db, onProgress) : () => {};
    try {
      await db.run(
        `COPY (${sql.validator}) TO ${sqlString(validatorFile)} (FORMAT parquet, COMPRESSION snappy)`,
      );
    } finally {
      stopWatching();
    }
    if (csv) {
      rejects = await readRejects(db);
      // Rows the reader refused shift the ordinals: count again, knowing where they are.
      if (rejects.length > 0)
        counting = countLines(
          csv,
          rejects.map((r) => r.bytePosition),
        );
    }
  } catch (error) {
    const message = (error as Error).message;
    if (/not utf-8 encoded|Invalid unicode/i.test(message)) {
      throw new UnreadableInputError('bytes that are not valid UTF-8 (declare or fix the encoding)');
    }
    if (/Maximum line size|max_line_size/i.test(message)) throw tooLongLine(MAX_LINE_CHARS);
    // DuckDB's own words may quote a line (citizen values): only the gist is passed on.
    if (/^Invalid Input Error: .*CSV/i.test(message)) {
      throw new UnreadableInputError(
        'the CSV cannot be split into rows (mixed line endings or broken quoting)',
      );
    }
    throw error;
  } finally {
    // The steps that follow need no order; the lake part's COPY asks for it again when it
    // writes the rows as they stand.
    await db.run('SET preserve_insertion_order = false');
  }
  await db.run(
    `CREATE OR REPLACE TEMP VIEW validated_rows AS
       SELECT ${csv ? 'file_row_number + 1' : 'line'} AS line, * EXCLUDE (line, file_row_number)
       FROM read_parquet(${sqlString(validatorFile)}, file_row_number = true)`,
  );
  // Rows still in file order, so the lake part needs no sort: a CSV's, unless the registry's
  // joins, a line-offset table or the repeated-id filter below reorder them.
  let ordered = csv !== undefined;
  if (registry) {
    await db.run(`CREATE OR REPLACE TEMP TABLE validated_dossiers AS ${sql.resolveUnits}`);
    ordered = false;
  } else {
    await db.run('CREATE OR REPLACE TEMP VIEW validated_dossiers AS SELECT * FROM validated_rows');
  }

  // Physical lines: a CSV's kept rows are numbered by ordinal until here.
  let line = 'v.line';
  let rejectRows: (string | number | null)[][] = [];
  if (csv && counting) {
    const lines = await counting;
    if (lines.unclosedQuoteLine !== undefined) {
      throw new UnreadableInputError(
        `a quoted cell opened on line ${lines.unclosedQuoteLine} is never closed`,
      );
    }
    rejectRows = rejectsToQuarantine(csv, lines.rejectedLines, rejects);
    if (lines.offsets.length <= MAX_CASE_OFFSETS) line = lineExpression('v.line', lines.offsets);
    else {
      await createTable(
        db,
        'line_offsets',
        [
          ['from_ordinal', 'BIGINT'],
          ['to_ordinal', 'BIGINT'],
          ['line_offset', 'BIGINT'],
        ],
        lines.offsets.map((o, i) => [o.fromOrdinal, lines.offsets[i + 1]?.fromOrdinal ?? 2 ** 53, o.offset]),
      );
      line = `(v.line + (SELECT o.line_offset FROM line_offsets o WHERE v.line >= o.from_ordinal AND v.line < o.to_ordinal))`;
      ordered = false;
    }
  }
  const validated = 'validated_dossiers';
  await db.run(`CREATE OR REPLACE TEMP TABLE duplicate_dossiers AS ${sql.duplicates}`);
  const duplicates = Number(
    (await db.runAndReadAll('SELECT count(*) FROM duplicate_dossiers')).getRows()[0]![0],
  );
  const notDuplicate = duplicates === 0 ? '' : ' AND v.line NOT IN (SELECT line FROM duplicate_dossiers)';
  if (duplicates > 0) ordered = false;
  const sourceFile = sqlString(settings.sourceFile);
  const lakeSelect = LAKE_COLUMNS.map(([name]) =>
    name === 'source_file'
      ? `${sourceFile} AS source_file`
      : name === 'source_line'
        ? `${line} AS source_line`
        : `v.${name}`,
  );
  if (ordered) await db.run('SET preserve_insertion_order = true');
  try {
    await db.run(
      `COPY (SELECT ${lakeSelect.join(', ')} FROM ${validated} AS v WHERE v.q_reason_code IS NULL${notDuplicate}${ordered ? '' : ' ORDER BY v.line'})
       TO ${sqlString(files.dossiersOut)} ${PARQUET}`,
    );
  } finally {
    await db.run('SET preserve_insertion_order = false');
  }
  await createTable(
    db,
    'reader_problems',
    [
      ['line', 'BIGINT'],
      ['field', 'VARCHAR'],
      ['reason_code', 'VARCHAR'],
      ['reason', 'VARCHAR'],
    ],
    rejectRows,
  );
  const firstLine = line.replaceAll('v.line', 'v.first_line');
  await db.run(
    `CREATE OR REPLACE TEMP TABLE quarantine_rows AS
     SELECT ${sourceFile} AS source_file, ${line} AS line, v.q_field AS field, v.q_reason_code AS reason_code,
            v.q_reason AS reason, v.q_value AS value, v.q_dossier_id AS dossier_id
       FROM ${validated} AS v WHERE v.q_reason_code IS NOT NULL
     UNION ALL
     SELECT ${sourceFile}, ${line}, 'dossier_id', 'duplicate_dossier_id',
            'duplicate of line ' || CAST(${firstLine} AS VARCHAR), substr(v.dossier_id, 1, 200), substr(v.dossier_id, 1, 200)
       FROM duplicate_dossiers AS v
     UNION ALL
     SELECT ${sourceFile}, line, field, reason_code, reason, CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR)
       FROM reader_problems`,
  );
  const counts = (
    await db.runAndReadAll(
      `SELECT (SELECT count(*) FROM ${validated} WHERE q_reason_code IS NULL) - ${duplicates},
              (SELECT count(*) FROM ${validated}) + (SELECT count(*) FROM reader_problems)`,
    )
  ).getRows()[0]!;
  const byReason: Record<string, number> = {};
  let quarantined = 0;
  for (const [code, count] of (
    await db.runAndReadAll('SELECT reason_code, count(*) FROM quarantine_rows GROUP BY 1 ORDER BY 1')
  ).getRows()) {
    byReason[String(code)] = Number(count);
    quarantined += Number(count);
  }
  if (quarantined > 0) {
    await db.run(
      `COPY (SELECT * FROM quarantine_rows ORDER BY line, reason_code) TO ${sqlString(files.quarantineOut)} ${PARQUET}`,
    );
  }
  return {
    rowsRead: Number(counts[1]),
    accepted: Number(counts[0]),
    quarantined,
    quarantinedByReason: byReason,
    wroteQuarantine: quarantined > 0,
  };
}

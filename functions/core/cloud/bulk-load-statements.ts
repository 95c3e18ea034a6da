// The statements of a bulk load, in the order they are sent to Athena: the same validator
// as the local and Lambda ingest (queries/staging/validate_dossiers.sql through toAthenaSql),
// run over the raw CSV in landing/ instead of over DuckDB's reader.
//
//   1. CREATE EXTERNAL TABLE over the landing file's folder, every column a string. A CSV
//      table maps columns by position, so every position is named: a contract column by its
//      contract name, any other column (citizen data among them) `ignored_<n>`, a
//      placeholder that no statement selects. The folder may hold other files (units.csv,
//      other extracts): every statement keeps only the rows whose "$path" is this file.
//      OpenCSVSerde reads UTF-8, splits rows at line breaks (a quoted cell holding a line
//      break is not supported) and neither reports a short row (its missing cells are NULL,
//      so it is quarantined as missing a value) nor a long one (extra cells are dropped):
//      the local reader's ragged_row and csv_syntax reasons do not occur here.
//   2. INSERT INTO the lake's dossiers table, 3. INSERT INTO its quarantine table, each only
//      if the lake holds nothing yet from this file for this snapshot date, so a re-run
//      after a failure between the two adds nothing twice.
//   4. Count what the lake now holds from the file (for the ingest log).
//   5. DROP the external table (also after a failure).
//
// Lines: Athena knows no line number of a file. The lake's source_line and the quarantine's
// line are therefore NULL for a bulk-loaded file; source_file is the file's s3:// URL (its
// "$path") and a quarantined row carries its dossier_id. Inside the validator, `line` is a
// row key that only tells apart rows of the same dossier_id (all the validator compares it
// for): the rows of each dossier_id (trimmed as the validator trims it) numbered in the
// order of their contract cells, the same on every run. Of two rows with the same
// dossier_id, the one whose cells sort first stays (not necessarily the first in the file).
// Numbering per dossier_id, not over the whole file, keeps the work spread over Athena's
// workers.
import { DOSSIER_COLUMNS, LAKE_COLUMNS } from '../dossier-contract.ts';
import { sqlString } from '../duckdb.ts';
import type { CsvHead } from '../extract/csv-head.ts';
import type { RegistryTables } from '../extract/units-registry.ts';
import { FOLD_FROM, FOLD_TO, type VocabularyRow } from '../extract/vocabulary.ts';
import { EARLIEST_DATE } from '../ingest/ingest-extract.ts';
import { QUARANTINE_COLUMNS } from '../ingest/staging-run.ts';
import { type StagingSql, VOCABULARY_MAPS } from '../ingest/staging-sql.ts';
import { valuesRelation } from '../kpi/bind-relations.ts';
import { toAthenaSql } from './athena-sql.ts';

/** Athena's limit on the text of one query (bytes). */
export const MAX_QUERY_BYTES = 262_144;
export const DOSSIERS_TABLE = 'dossiers';
export const QUARANTINE_TABLE = 'quarantine';

export interface BulkLoadPlan {
  /** Glue database of the lake tables; the external table is created there too. */
  database: string;
  /** Name of the external table of this load (lower case, digits, underscores). */
  rawTable: string;
  /** The file, as Athena's "$path" names it: s3://bucket/key. */
  sourceFile: string;
  head: CsvHead;
  snapshotDate: string;
  /** Latest accepted date-time, Vietnam local 'YYYY-MM-DD HH:MM:SS'. */
  maxTimestamp: string;
  vocabulary: readonly VocabularyRow[];
  registry?: Pick<RegistryTables, 'units' | 'matches'>;
}

export interface BulkLoadStatement {
  /** What the step does, for messages: "insert dossiers". */
  step: string;
  sql: string;
}

export interface BulkLoadStatements {
  createRawTable: BulkLoadStatement;
  insertDossiers: BulkLoadStatement;
  insertQuarantine: BulkLoadStatement;
  countLoaded: BulkLoadStatement;
  dropRawTable: BulkLoadStatement;
}

const NAME = /^[a-z0-9_]{1,128}$/;

/** The external table's column name at each position of the header. */
export function rawColumnNames(head: CsvHead): string[] {
  const names = head.header.map((_, position) => `ignored_${position + 1}`);
  DOSSIER_COLUMNS.forEach((column, i) => {
    const position = head.positions[i]!;
    if (position >= 0) names[position] = column.name;
  });
  return names;
}

/** The folder of an s3:// object URL, as a table LOCATION (with its trailing '/'). */
export function folderOf(sourceFile: string): string {
  const match = /^(s3:\/\/[^/]+\/(?:.*\/)?)[^/]+$/.exec(sourceFile);
  if (!match) throw new Error(`not an s3:// object URL: ${sourceFile}`);
  return match[1]!;
}

/** A Hive DDL string literal: backslash and quote escaped. */
const hiveString = (value: string) =>
  `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\t', '\\t')}'`;

function createRawTable(plan: BulkLoadPlan): string {
  const columns = rawColumnNames(plan.head).map((name) => `  \`${name}\` string`);
  return [
    `CREATE EXTERNAL TABLE \`${plan.database}\`.\`${plan.rawTable}\` (`,
    columns.join(',\n'),
    ')',
    "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'",
    'WITH SERDEPROPERTIES (',
    `  'separatorChar' = ${hiveString(plan.head.delimiter)},`,
    `  'quoteChar' = '"',`,
    `  'escapeChar' = '\\\\'`,
    ')',
    'STORED AS TEXTFILE',
    `LOCATION ${hiveString(folderOf(plan.sourceFile))}`,
    // Title rows above the header are skipped with it.
    `TBLPROPERTIES ('skip.header.line.count' = '${plan.head.headerLine}')`,
  ].join('\n');
}

const text = (value: string | null) => (value === null ? 'CAST(NULL AS VARCHAR)' : sqlString(value));
const date = (value: string | null) => (value === null ? 'CAST(NULL AS DATE)' : `DATE ${sqlString(value)}`);
const quoted = (plan: BulkLoadPlan, table: string) => `"${plan.database}"."${table}"`;

/** raw_dossiers as the validator expects it, over this file's rows of the external table. */
function rawRelation(plan: BulkLoadPlan): string {
  const present = DOSSIER_COLUMNS.filter((_, i) => plan.head.positions[i]! >= 0);
  const cells = DOSSIER_COLUMNS.map((c, i) =>
    plan.head.positions[i]! >= 0 ? `r.${c.name}` : `CAST(NULL AS VARCHAR) AS ${c.name}`,
  );
  // A repeated header: the first contract column's cell holds its own header name (the
  // local reader compares the first cell of the row, which may be a citizen column here).
  const first = present[0]!;
  const firstHeader = (plan.head.header[plan.head.positions[DOSSIER_COLUMNS.indexOf(first)]!] ?? '')
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();
  return `SELECT
      row_number() OVER (
        PARTITION BY ${toAthenaSql("nullif(trim(r.dossier_id), '')")} ORDER BY ${present.map((c) => `r.${c.name}`).join(', ')}
      ) AS line,
      ${plan.head.portal} AS dvcqg,
      coalesce(${toAthenaSql(`lower(trim(r.${first.name}))`)} = ${sqlString(firstHeader)}, false) AS header_again,
      CAST(NULL AS VARCHAR) AS problem_code,
      CAST(NULL AS VARCHAR) AS problem_field,
      CAST(NULL AS VARCHAR) AS problem_reason,
      ${cells.join(',\n      ')}
    FROM ${quoted(plan, plan.rawTable)} AS r
    WHERE r."$path" = ${sqlString(plan.sourceFile)}`;
}

/** The relations the validator reads, bound as the DuckDB runner binds them (staging-run.ts). */
function boundRelations(plan: BulkLoadPlan): string {
  const units = (plan.registry?.units ?? []).map(
    (u) =>
      `(${text(u.unit_code)}, ${text(u.unit_name)}, ${text(u.unit_level)}, ${text(u.parent_code)}, ${date(u.valid_from)}, ${date(u.valid_to)})`,
  );
  const matches = (plan.registry?.matches ?? []).map((m) => `(${text(m.token)}, ${text(m.unit_code)})`);
  const words = plan.vocabulary.map((v) => `(${text(v.kind)}, ${text(v.word)}, ${text(v.value)})`);
  return `vocabulary AS (
  ${valuesRelation('kind, word, value', words, `(${text('')}, ${text('')}, ${text('')})`)}
),
staging_settings AS (
  SELECT ${sqlString(plan.sourceFile)} AS source_file, DATE ${sqlString(plan.snapshotDate)} AS snapshot_date,
    TIMESTAMP ${sqlString(`${EARLIEST_DATE} 00:00:00`)} AS min_timestamp, TIMESTAMP ${sqlString(plan.maxTimestamp)} AS max_timestamp,
    false AS month_first, ${plan.registry !== undefined} AS has_registry,
    ${sqlString(FOLD_FROM)} AS fold_from, ${sqlString(FOLD_TO)} AS fold_to,
    ${VOCABULARY_MAPS}
),
registry_units AS (
  ${valuesRelation('unit_code, unit_name, unit_level, parent_code, valid_from, valid_to', units, `(${text('')}, ${text(null)}, ${text(null)}, ${text(null)}, ${date(null)}, ${date(null)})`)}
),
registry_matches AS (
  ${valuesRelation('token, unit_code', matches, `(${text('')}, ${text('')})`)}
),
registry_unit_tokens AS (
  SELECT m.token, u.unit_code, u.unit_name, u.unit_level, u.parent_code, u.valid_from, u.valid_to
  FROM registry_units AS u JOIN registry_matches AS m ON m.unit_code = u.unit_code
),
raw_dossiers AS (
  ${rawRelation(plan)}
)`;
}

/** Each quarantine column of a row the validator refused. */
const refusedSelect = (source: string): Readonly<Record<(typeof QUARANTINE_COLUMNS)[number][0], string>> => ({
  source_file: source,
  line: 'CAST(NULL AS BIGINT)',
  field: 'v.q_field',
  reason_code: 'v.q_reason_code',
  reason: 'v.q_reason',
  value: 'v.q_value',
  dossier_id: 'v.q_dossier_id',
});

/** Each quarantine column of a repeated dossier_id (duplicate_dossiers.sql's output). */
const duplicateSelect = (
  source: string,
): Readonly<Record<(typeof QUARANTINE_COLUMNS)[number][0], string>> => ({
  source_file: source,
  line: 'CAST(NULL AS BIGINT)',
  field: "'dossier_id'",
  reason_code: "'duplicate_dossier_id'",
  // The local reason names the first line; a bulk load knows no lines.
  reason: "'another row of this file has the same dossier_id (a bulk load knows no line numbers)'",
  value: 'd.dossier_id',
  dossier_id: 'd.dossier_id',
});

/**
 * `INSERT INTO table (columns) WITH … validated_rows AS (validator), validated_dossiers AS (the
 * registry's unit checks over it), duplicate_dossiers AS (the file-level rule) SELECT … unless
 * already loaded`.
 */
function insertValidated(
  plan: BulkLoadPlan,
  sql: StagingSql,
  table: string,
  columns: readonly string[],
  selects: readonly string[],
): string {
  const target = quoted(plan, table);
  const snapshot = `DATE ${sqlString(plan.snapshotDate)}`;
  const notLoaded = `NOT EXISTS (
    SELECT 1 FROM ${target} AS loaded
    WHERE loaded.snapshot_date = ${snapshot} AND loaded.source_file = ${sqlString(plan.sourceFile)}
  )`;
  return `INSERT INTO ${target} (${[...columns, 'snapshot_date'].join(', ')})
WITH
${boundRelations(plan)},
validated_rows AS (
${toAthenaSql(sql.validator)}
),
validated_dossiers AS (
${toAthenaSql(sql.resolveUnits)}
),
duplicate_dossiers AS (
${toAthenaSql(sql.duplicates)}
)
SELECT *, ${snapshot} AS snapshot_date FROM (
${selects.join('\nUNION ALL\n')}
) AS rows_in
WHERE ${notLoaded}`;
}

/** Every statement of one bulk load. `validatorSql` is queries/staging/validate_dossiers.sql as it stands. */
export function bulkLoadStatements(plan: BulkLoadPlan, sql: StagingSql): BulkLoadStatements {
  if (!NAME.test(plan.database)) throw new Error(`not a Glue database name: ${plan.database}`);
  if (!NAME.test(plan.rawTable)) throw new Error(`not a Glue table name: ${plan.rawTable}`);
  // The header check (readCsvHead) refuses a file without one; the row key needs it.
  if (plan.head.positions[DOSSIER_COLUMNS.findIndex((c) => c.name === 'dossier_id')]! < 0)
    throw new Error(`${plan.sourceFile}: the header has no dossier_id column`);
  const source = sqlString(plan.sourceFile);
  const lakeColumns = LAKE_COLUMNS.map(([name]) => name);
  const lakeSelect = lakeColumns.map((name) =>
    name === 'source_file'
      ? `${source} AS source_file`
      : name === 'source_line'
        ? 'CAST(NULL AS BIGINT) AS source_line'
        : `v.${name}`,
  );
  const insertDossiers = insertValidated(plan, sql, DOSSIERS_TABLE, lakeColumns, [
    `SELECT ${lakeSelect.join(',\n  ')}
FROM validated_dossiers AS v
WHERE v.q_reason_code IS NULL
  AND NOT EXISTS (SELECT 1 FROM duplicate_dossiers AS d WHERE d.dossier_id = v.dossier_id AND d.line = v.line)`,
  ]);
  const quarantineColumns = QUARANTINE_COLUMNS.map(([name]) => name);
  const refused = refusedSelect(source);
  const duplicate = duplicateSelect(source);
  const insertQuarantine = insertValidated(plan, sql, QUARANTINE_TABLE, quarantineColumns, [
    `SELECT ${quarantineColumns.map((name) => refused[name]).join(',\n  ')}
FROM validated_dossiers AS v
WHERE v.q_reason_code IS NOT NULL`,
    `SELECT ${quarantineColumns.map((name) => duplicate[name]).join(',\n  ')}
FROM duplicate_dossiers AS d`,
  ]);
  const loaded = (table: string) =>
    `FROM ${quoted(plan, table)} WHERE snapshot_date = DATE ${sqlString(plan.snapshotDate)} AND source_file = ${source}`;
  const statements: BulkLoadStatements = {
    createRawTable: { step: 'create external table', sql: createRawTable(plan) },
    insertDossiers: { step: 'insert dossiers', sql: insertDossiers },
    insertQuarantine: { step: 'insert quarantine', sql: insertQuarantine },
    countLoaded: {
      step: 'count loaded rows',
      sql: `SELECT 'accepted' AS part, CAST(NULL AS VARCHAR) AS reason_code, count(*) AS row_count ${loaded(DOSSIERS_TABLE)}
UNION ALL
SELECT 'quarantined' AS part, reason_code, count(*) AS row_count ${loaded(QUARANTINE_TABLE)} GROUP BY reason_code`,
    },
    dropRawTable: {
      step: 'drop external table',
      sql: `DROP TABLE IF EXISTS \`${plan.database}\`.\`${plan.rawTable}\``,
    },
  };
  for (const { step, sql } of Object.values(statements)) {
    const bytes = Buffer.byteLength(sql);
    if (bytes > MAX_QUERY_BYTES)
      throw new Error(
        `${plan.sourceFile}: the "${step}" statement is ${bytes} bytes, more than Athena's ${MAX_QUERY_BYTES} ` +
          `(the units registry inlined in it has ${plan.registry?.units.length ?? 0} units and ${plan.registry?.matches.length ?? 0} match tokens)`,
      );
  }
  return statements;
}

// Reads the published data (<out>/data/v1/, docs/design.md "Published data") for the site build.
// The site never touches the lake: these files are its only input. Every row is checked
// against the column declarations of functions/core/published-tables.ts, so a contract drift
// fails the build with the table and column named instead of rendering wrong figures.
// The folder is always passed in: nothing here reads the environment.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import {
  FIELD_KPIS,
  type FIGURE_COLUMN_NAMES,
  INGEST_REPORT,
  OVERDUE_DOSSIERS,
  PROVINCE_KPIS,
  type PublishedColumn,
  type PublishedTable,
  REVISIONS,
  SCORECARD_766,
  SUCCESSOR_KPIS,
  UNIT_KPIS,
  UNIT_SUCCESSORS,
  UNITS,
} from '../../../functions/core/published-tables.ts';

export type PeriodType = 'month' | 'quarter' | 'half' | 'year';
export type { UnitLevel } from '../../../functions/core/dossier-contract.ts';

import type { UnitLevel } from '../../../functions/core/dossier-contract.ts';

export interface PeriodColumns {
  period_type: PeriodType;
  period: string;
  period_start: string;
  period_end: string;
  is_complete: boolean;
}

/** A figure column's name: FIGURE_COLUMN_NAMES (published-tables.ts, described by the KPI
 *  catalog functions/core/kpi-catalog.ts), so a column added there is known here. */
export type FigureName = (typeof FIGURE_COLUMN_NAMES)[number];

/** A rate of the catalog (RATES; named `…_rate`, `…_share` or `…_ratio`, which
 *  tests/hardening/figure-columns.test.ts holds to): null when its denominator is 0. */
type RateName = Extract<FigureName, `${string}_rate` | `${string}_share` | `${string}_ratio`>;

/** Counts added to the contract after its first publications: null in data published before. */
export const LATER_COUNTS = [
  'fee_required_total',
  'paid_online_total',
  'new_total',
  'digitized_total',
  'result_electronic_total',
  'resolution_days_total',
] as const satisfies readonly Exclude<FigureName, RateName>[];

/** The counts and rates shared by unit_kpis, province_kpis, field_kpis and successor_kpis. */
export type FigureColumns = {
  [Name in FigureName]: Name extends RateName | (typeof LATER_COUNTS)[number] ? number | null : number;
};

export interface ProvinceKpiRow extends PeriodColumns, FigureColumns {}

export interface UnitKpiRow extends PeriodColumns, FigureColumns {
  unit_code: string;
  unit_name: string;
  unit_level: UnitLevel;
  parent_code: string | null;
  ranked: boolean;
  peer_group: string | null;
  rank_on_time_rate: number | null;
  rank_online_share: number | null;
  rank_e_cert_ratio: number | null;
  rank_returned_share: number | null;
  target_on_time_rate: number | null;
  meets_on_time_rate: boolean | null;
  target_online_share: number | null;
  meets_online_share: boolean | null;
  target_e_cert_ratio: number | null;
  meets_e_cert_ratio: boolean | null;
  // The 95% Wilson interval and the funnel band of each ranked rate, and the on-time rate
  // expected from the unit's procedures: null in data published before they existed.
  on_time_rate_ci_low: number | null;
  on_time_rate_ci_high: number | null;
  on_time_rate_band: FunnelBand | null;
  online_share_ci_low: number | null;
  online_share_ci_high: number | null;
  online_share_band: FunnelBand | null;
  returned_share_ci_low: number | null;
  returned_share_ci_high: number | null;
  returned_share_band: FunnelBand | null;
  e_cert_ratio_ci_low: number | null;
  e_cert_ratio_ci_high: number | null;
  e_cert_ratio_band: FunnelBand | null;
  expected_on_time_rate: number | null;
  on_time_rate_vs_expected: number | null;
}

/** Where a unit's rate falls against the 99.8% funnel around the province's. */
export type FunnelBand = 'above' | 'within' | 'below';

/** `scorecard_766.json`: one 766 indicator of one unit ('' = the whole province) in a period. */
export interface Scorecard766Row {
  period_type: PeriodType;
  period: string;
  is_complete: boolean;
  unit_code: string;
  unit_name: string | null;
  /** '' for the whole province. */
  unit_level: UnitLevel | '';
  indicator: string;
  indicator_group: string;
  group_max_points: number;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  threshold: number;
  /** null: not computable (no dossier to compute it from). */
  points: number | null;
  max_points: number;
}

export interface FieldKpiRow extends PeriodColumns, FigureColumns {
  unit_code: string;
  field_code: string | null;
  field_name: string | null;
}

/** The site never shows a dossier code (the portal's public lookup key): only `reference`,
 * a non-identifying reference, when the publisher provides it. */
export interface OverdueDossierRow {
  reference?: string | null;
  procedure_code: string;
  procedure_name: string | null;
  field_name: string | null;
  unit_code: string;
  unit_name: string | null;
  received_at: string | null;
  due_at: string;
  days_overdue: number;
}

export interface IngestReportRow {
  snapshot_date: string;
  file: string;
  sha256: string | null;
  rows_read: number;
  rows_accepted: number;
  rows_quarantined: number;
  quarantined_by_reason: string | null;
  started_at: string | null;
  finished_at: string | null;
}

/** A unit of the registry (`units.json`): every unit that ever existed, with its validity. */
export interface UnitRecord {
  unit_code: string;
  unit_name: string;
  unit_level: UnitLevel;
  parent_code: string | null;
  /** 'YYYY-MM-DD', null when open. */
  valid_from: string | null;
  /** 'YYYY-MM-DD', the last day it existed (inclusive), null when open. */
  valid_to: string | null;
}

/** `unit_successors.json`: the share `weight` of the predecessor's work the successor took over. */
export interface UnitSuccessorRow {
  predecessor_code: string;
  successor_code: string;
  weight: number;
  effective_date: string;
}

/** `successor_kpis.json`: a unit existing today, rebuilt for a period before it existed. */
export interface SuccessorKpiRow extends PeriodColumns, FigureColumns {
  unit_code: string;
  unit_name: string;
  unit_level: UnitLevel;
  parent_code: string | null;
  lineage: 'exact' | 'approximate';
  /** "A-STP×1; B-STP×0.4" */
  predecessors: string | null;
}

/** `revisions.json`: a figure of a complete period that a later publication changed. */
export interface RevisionRow {
  table: 'province_kpis' | 'unit_kpis' | string;
  period_type: PeriodType;
  period: string;
  /** null: the whole province. */
  unit_code: string | null;
  column: string;
  previous_value: number | null;
  value: number | null;
  /** 'YYYY-MM-DD HH:MM:SS', Vietnam time. */
  previous_as_of: string;
  as_of: string;
}

/** Who publishes (congkhai.config.json `publisher`, carried in datapackage.json). */
export interface Publisher {
  province: string;
  office: string;
  contact: string;
  /** The public site's base URL; null: unknown (links stay relative). */
  url: string | null;
}

/** A Frictionless resource as the publisher writes it (only the fields the site reads). */
export interface DataResource {
  name: string;
  path: string;
  format?: string;
  mediatype?: string;
  bytes?: number;
  hash?: string;
  title?: string;
  description?: string;
  schema?: {
    fields: { name: string; type?: string; title?: string; description?: string }[];
    primaryKey?: string[] | string;
  };
}

export interface DataPackage {
  name?: string;
  title?: string;
  as_of: string;
  created?: string;
  targets?: unknown;
  min_resolved_for_rank?: number;
  licenses?: { name?: string; path?: string; title?: string }[];
  publisher?: Publisher;
  resources: DataResource[];
}

export interface ArchiveEntry {
  /** The folder name: the as-of date of that publication. */
  date: string;
  files: { name: string; bytes: number }[];
}

export interface PublishedData {
  /** Absolute path of <out>/data/v1. */
  dataDir: string;
  datapackage: DataPackage;
  /** as_of from datapackage.json, ISO with +07:00. */
  asOf: string;
  minResolvedForRank: number;
  unitKpis: UnitKpiRow[];
  provinceKpis: ProvinceKpiRow[];
  fieldKpis: FieldKpiRow[];
  overdueDossiers: OverdueDossierRow[];
  ingestReport: IngestReportRow[];
  /** The registry of the 1 July 2025 reform; empty in data published before it existed. */
  units: UnitRecord[];
  unitSuccessors: UnitSuccessorRow[];
  successorKpis: SuccessorKpiRow[];
  /** The 766 scorecard; empty in data published before it existed. */
  scorecard766: Scorecard766Row[];
  /** Revised figures; empty in data published before revisions existed. */
  revisions: RevisionRow[];
  /** Files present in data/v1 (name → bytes), to offer only downloads that exist. */
  files: Map<string, number>;
  archive: ArchiveEntry[];
}

// Lenient on representation (DuckDB may emit BIGINT as a string, a boolean as 0/1), strict on
// meaning: a non-numeric count or an unknown period type fails the build.
const nullish = (value: unknown) => (value === '' || value === undefined ? null : value);
const numberSchema = z.preprocess(nullish, z.coerce.number().nullable());
const booleanSchema = z.preprocess((value) => {
  const v = nullish(value);
  if (v === 'true' || v === 1 || v === '1') return true;
  if (v === 'false' || v === 0 || v === '0') return false;
  return v;
}, z.boolean().nullable());
const stringSchema = z.preprocess(nullish, z.coerce.string().nullable());

function columnSchema(column: PublishedColumn): z.ZodType {
  switch (column.type) {
    case 'integer':
    case 'number':
      return numberSchema;
    case 'boolean':
      return booleanSchema;
    default:
      return stringSchema;
  }
}

function rowSchema(table: PublishedTable) {
  const shape: Record<string, z.ZodType> = {};
  for (const column of table.columns) shape[column.name] = columnSchema(column);
  // Extra columns are kept: adding a column to the contract is compatible.
  return z.looseObject(shape);
}

const PERIOD_TYPES = ['month', 'quarter', 'half', 'year'] as const;

function readTable<T>(dataDir: string, table: PublishedTable, required: boolean): T[] {
  const file = join(dataDir, `${table.name}.json`);
  if (!existsSync(file)) {
    if (required) throw new Error(`Published data: ${file} is missing (run the publisher first)`);
    return [];
  }
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`Published data: ${file} is not a JSON array of rows`);
  const schema = rowSchema(table);
  const hasPeriods = table.columns.some((column) => column.name === 'period_type');
  const hasDates = table.columns.some((column) => column.name === 'period_start');
  return parsed.map((raw, index) => {
    const result = schema.safeParse(raw);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new Error(
        `Published data: ${table.name}.json row ${index + 1}, column ${issue?.path.join('.')}: ${issue?.message}`,
      );
    }
    const row = result.data as Record<string, unknown>;
    if (hasPeriods) {
      if (!PERIOD_TYPES.includes(row.period_type as PeriodType)) {
        throw new Error(
          `Published data: ${table.name}.json row ${index + 1}: period_type ${row.period_type}`,
        );
      }
      // Dates may come as 'YYYY-MM-DD' or as a timestamp; the site only needs the day.
      if (hasDates) {
        row.period_start = String(row.period_start).slice(0, 10);
        row.period_end = String(row.period_end).slice(0, 10);
      }
    }
    return row as T;
  });
}

function listArchive(dataDir: string): ArchiveEntry[] {
  const archiveDir = join(dataDir, 'archive');
  if (!existsSync(archiveDir)) return [];
  // Each dated copy is a symlink to its archive version (publish-data.ts): stat follows it.
  return readdirSync(archiveDir, { withFileTypes: true })
    .filter(
      (entry) =>
        /^\d{4}-\d{2}-\d{2}/.test(entry.name) && statSync(join(archiveDir, entry.name)).isDirectory(),
    )
    .map((entry) => ({
      date: entry.name,
      files: readdirSync(join(archiveDir, entry.name), { withFileTypes: true })
        .filter((file) => file.isFile() && !file.name.startsWith('.'))
        .map((file) => ({ name: file.name, bytes: statSync(join(archiveDir, entry.name, file.name)).size }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    }))
    .sort((a, b) => b.date.localeCompare(a.date));
}

const day = (value: string | null) => (value ? String(value).slice(0, 10) : null);

/** Reads <outDir>/data/v1 (outDir: the folder the publisher wrote, e.g. .congkhai/public). */
export function loadPublishedData(outDir: string): PublishedData {
  const dataDir = resolve(outDir, 'data', 'v1');
  const packageFile = join(dataDir, 'datapackage.json');
  if (!existsSync(packageFile)) {
    throw new Error(`Published data: ${packageFile} is missing — run the publisher (congkhai kpi) first`);
  }
  const datapackage = JSON.parse(readFileSync(packageFile, 'utf8')) as DataPackage;
  if (typeof datapackage.as_of !== 'string') throw new Error(`Published data: ${packageFile} has no as_of`);
  const files = new Map<string, number>();
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    if (entry.isFile() && !entry.name.startsWith('.'))
      files.set(entry.name, statSync(join(dataDir, entry.name)).size);
  }
  return {
    dataDir,
    datapackage,
    asOf: datapackage.as_of,
    minResolvedForRank: datapackage.min_resolved_for_rank ?? 20,
    unitKpis: readTable<UnitKpiRow>(dataDir, UNIT_KPIS, true),
    provinceKpis: readTable<ProvinceKpiRow>(dataDir, PROVINCE_KPIS, true),
    fieldKpis: readTable<FieldKpiRow>(dataDir, FIELD_KPIS, false),
    overdueDossiers: readTable<OverdueDossierRow>(dataDir, OVERDUE_DOSSIERS, false),
    ingestReport: readTable<IngestReportRow>(dataDir, INGEST_REPORT, false),
    units: readTable<UnitRecord>(dataDir, UNITS, false).map((unit) => ({
      ...unit,
      parent_code: unit.parent_code || null,
      valid_from: day(unit.valid_from),
      valid_to: day(unit.valid_to),
    })),
    unitSuccessors: readTable<UnitSuccessorRow>(dataDir, UNIT_SUCCESSORS, false).map((row) => ({
      ...row,
      effective_date: day(row.effective_date) ?? '',
    })),
    successorKpis: readTable<SuccessorKpiRow>(dataDir, SUCCESSOR_KPIS, false),
    scorecard766: readTable<Scorecard766Row>(dataDir, SCORECARD_766, false).map((row) => ({
      ...row,
      unit_code: row.unit_code ?? '',
      unit_level: row.unit_level ?? '',
    })),
    revisions: readTable<RevisionRow>(dataDir, REVISIONS, false).map((row) => ({
      ...row,
      unit_code: row.unit_code || null,
    })),
    files,
    archive: listArchive(dataDir),
  };
}

// The dossier extract, input contract version 1 (docs/design.md "The dossier extract").
// This module is the single source of the column list: readers, the lake schema and the
// KPI queries all derive from it. Only these columns pass ingest; every other column of
// an extract (citizen names, phone numbers, identity numbers...) is dropped at the reader.

export const UNIT_LEVELS = ['province', 'district', 'commune'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

export const CHANNELS = ['online', 'direct', 'postal'] as const;
export type Channel = (typeof CHANNELS)[number];

export const ONLINE_LEVELS = ['2', '3', '4', 'full', 'partial'] as const;
export type OnlineLevel = (typeof ONLINE_LEVELS)[number];

export const STATUSES = [
  'submitted',
  'rejected_at_intake',
  'processing',
  'supplement_requested',
  'resolved',
  'withdrawn',
  'stopped',
] as const;
export type Status = (typeof STATUSES)[number];

/** DVCQG TrangThaiHoSo codes → canonical status. */
export const DVCQG_STATUS: Readonly<Record<string, Status>> = {
  '1': 'submitted',
  '2': 'processing',
  '3': 'rejected_at_intake',
  '4': 'processing',
  '5': 'supplement_requested',
  '6': 'processing',
  '7': 'withdrawn',
  '8': 'stopped',
  '9': 'resolved',
  '10': 'resolved',
};

/** DVCQG KenhThucHien codes → canonical channel ('' = direct). */
export const DVCQG_CHANNEL: Readonly<Record<string, Channel>> = {
  '': 'direct',
  '1': 'direct',
  '2': 'online',
  '3': 'postal',
};

/** Statuses that close a dossier at `resolved_at`. */
export const CLOSED_STATUSES: readonly Status[] = ['resolved', 'withdrawn', 'stopped'];
/** Statuses never counted: the dossier was not received. */
export const NOT_RECEIVED_STATUSES: readonly Status[] = ['submitted', 'rejected_at_intake'];

export type ColumnType = 'string' | 'timestamp' | 'boolean' | 'bigint';

export interface ContractColumn {
  name: string;
  type: ColumnType;
  required: boolean;
  /** DVCQG field names accepted for this column, in order of preference. */
  aliases: readonly string[];
}

/** The canonical columns, in lake order. */
export const DOSSIER_COLUMNS: readonly ContractColumn[] = [
  { name: 'dossier_id', type: 'string', required: true, aliases: ['MaHoSo'] },
  { name: 'procedure_code', type: 'string', required: true, aliases: ['MaTTHC'] },
  { name: 'procedure_name', type: 'string', required: false, aliases: ['TenTTHC'] },
  { name: 'field_code', type: 'string', required: false, aliases: ['MaLinhVuc'] },
  { name: 'field_name', type: 'string', required: false, aliases: ['TenLinhVuc'] },
  { name: 'unit_code', type: 'string', required: true, aliases: ['MaDonVi'] },
  { name: 'unit_name', type: 'string', required: false, aliases: ['DonViXuLy'] },
  { name: 'unit_level', type: 'string', required: true, aliases: ['CapThucHien'] },
  { name: 'parent_code', type: 'string', required: false, aliases: [] },
  { name: 'channel', type: 'string', required: true, aliases: ['KenhThucHien'] },
  { name: 'online_level', type: 'string', required: false, aliases: ['MucDo'] },
  { name: 'received_at', type: 'timestamp', required: true, aliases: ['NgayTiepNhan'] },
  { name: 'due_at', type: 'timestamp', required: false, aliases: ['NgayHenTra'] },
  { name: 'resolved_at', type: 'timestamp', required: false, aliases: ['NgayKetThucXuLy', 'NgayTra'] },
  { name: 'status', type: 'string', required: true, aliases: ['TrangThaiHoSo'] },
  { name: 'result_electronic', type: 'boolean', required: false, aliases: [] },
  { name: 'paid_online', type: 'boolean', required: false, aliases: ['DuocThanhToanTrucTuyen'] },
  { name: 'fee_required', type: 'boolean', required: false, aliases: [] },
  { name: 'digitized', type: 'boolean', required: false, aliases: ['HoSoCoThanhPhanSoHoa'] },
  { name: 'updated_at', type: 'timestamp', required: false, aliases: [] },
];

/**
 * One normalized dossier as it is stored in the lake (Parquet, partition `snapshot_date`).
 * Timestamps are Vietnam local wall-clock time (UTC+7, no DST) written as
 * 'YYYY-MM-DD HH:MM:SS' and stored as Parquet TIMESTAMP without time zone, so that both
 * DuckDB and Athena compare them as local times and `CAST(x AS DATE)` is the local date.
 */
export interface DossierRecord {
  dossier_id: string;
  procedure_code: string;
  procedure_name: string | null;
  field_code: string | null;
  field_name: string | null;
  unit_code: string;
  unit_name: string | null;
  unit_level: UnitLevel;
  parent_code: string | null;
  channel: Channel;
  online_level: OnlineLevel | null;
  received_at: string;
  due_at: string | null;
  resolved_at: string | null;
  status: Status;
  result_electronic: boolean | null;
  paid_online: boolean | null;
  fee_required: boolean | null;
  digitized: boolean | null;
  updated_at: string | null;
  /** Lineage, not citizen data: the extract's file name (no folder) and 1-based line. */
  source_file: string;
  source_line: number;
}

/** Lake column → DuckDB SQL type, in lake order (partition column excluded). */
export const LAKE_COLUMNS: ReadonlyArray<readonly [keyof DossierRecord, string]> = [
  ...DOSSIER_COLUMNS.map(
    (c) =>
      [
        c.name as keyof DossierRecord,
        c.type === 'timestamp' ? 'TIMESTAMP' : c.type === 'boolean' ? 'BOOLEAN' : 'VARCHAR',
      ] as const,
  ),
  ['source_file', 'VARCHAR'],
  ['source_line', 'BIGINT'],
];

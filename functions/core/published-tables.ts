// The published data, output contract version 1 (docs/design.md "Published data").
// One declaration per table: column order, type and descriptions (Vietnamese first, then
// English). The publisher writes CSV/Parquet/JSON and datapackage.json from these; the
// site reads the same names. Adding a column is compatible; renaming one is a v2.

import { countDefinition, RATES } from './kpi-catalog.ts';

export type PublishedType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime';

export interface PublishedColumn {
  name: string;
  type: PublishedType;
  vi: string;
  en: string;
}

export interface PublishedTable {
  name: string;
  title_vi: string;
  title_en: string;
  columns: readonly PublishedColumn[];
  primaryKey: readonly string[];
}

const c = (name: string, type: PublishedType, vi: string, en: string): PublishedColumn => ({
  name,
  type,
  vi,
  en,
});

/** Ranked KPIs (kpi-catalog.ts `ranked`); returned_share is ranked lowest first. */
export const RANKED_KPIS = ['on_time_rate', 'online_share', 'e_cert_ratio', 'returned_share'] as const;
export type RankedKpi = (typeof RANKED_KPIS)[number];

/** KPIs that can carry a target in the config (kpi-catalog.ts `targeted`; functions/core/config.ts). */
export const TARGETED_KPIS = ['on_time_rate', 'online_share', 'e_cert_ratio'] as const;
export type TargetedKpi = (typeof TARGETED_KPIS)[number];

const PERIOD_COLUMNS = [
  c(
    'period_type',
    'string',
    'Loại kỳ: month, quarter, half, year',
    'Period type: month, quarter, half, year',
  ),
  c('period', 'string', 'Kỳ: 2021-03, 2021-Q1, 2021-H1, 2021', 'Period: 2021-03, 2021-Q1, 2021-H1, 2021'),
  c('period_start', 'date', 'Ngày đầu kỳ', 'First day of the period'),
  c(
    'period_end',
    'date',
    'Ngày sau ngày cuối kỳ (kỳ là [đầu, cuối))',
    'Day after the last day ([start, end))',
  ),
  c(
    'is_complete',
    'boolean',
    'Kỳ đã kết thúc trước thời điểm số liệu',
    'The period ended before the as-of time',
  ),
];

/** A figure column as the KPI catalog declares it (a count or a rate). */
function figure(name: string): PublishedColumn {
  const rate = RATES.find((r) => r.name === name);
  if (rate) return c(name, 'number', rate.description_vi, rate.description_en);
  const count = countDefinition(name);
  return c(name, 'integer', count.description_vi, count.description_en);
}

/** The counts and ratios shared by unit_kpis, province_kpis and field_kpis, in the contract's
 *  order; each declared in functions/core/kpi-catalog.ts. */
export const FIGURE_COLUMN_NAMES = [
  'received_total',
  'received_online',
  'carried_over',
  'received_offline',
  'resolved_total',
  'resolved_on_time',
  'resolved_early',
  'resolved_late',
  'returned_total',
  'pending_total',
  'pending_not_due',
  'pending_overdue',
  'overdue_total',
  'on_time_rate',
  'early_rate',
  'online_share',
  'returned_share',
  'e_cert_total',
  'e_cert_electronic',
  'e_cert_ratio',
  'fee_required_total',
  'paid_online_total',
  'online_payment_share',
  'new_total',
  'digitized_total',
  'digitization_share',
  'result_electronic_total',
  'resolution_days_total',
] as const;

const FIGURE_COLUMNS = FIGURE_COLUMN_NAMES.map(figure);

const UNIT_COLUMNS = [
  c('unit_code', 'string', 'Mã đơn vị', 'Unit code'),
  c('unit_name', 'string', 'Tên đơn vị', 'Unit name'),
  c(
    'unit_level',
    'string',
    'Cấp: province (sở, ngành), district, commune',
    'Level: province, district, commune',
  ),
  c('parent_code', 'string', 'Mã huyện của xã (trống với đơn vị khác)', 'District of a commune'),
];

/** The 95% Wilson interval and the funnel band of a ranked rate (see queries/unit_kpis.sql). */
function rankedBounds(kpi: RankedKpi): PublishedColumn[] {
  const rate = RATES.find((r) => r.name === kpi);
  const vi = rate?.label_vi ?? kpi;
  return [
    c(
      `${kpi}_ci_low`,
      'number',
      `${vi}: cận dưới khoảng tin cậy 95% (Wilson)`,
      `${kpi}: 95% Wilson interval, lower bound`,
    ),
    c(
      `${kpi}_ci_high`,
      'number',
      `${vi}: cận trên khoảng tin cậy 95% (Wilson)`,
      `${kpi}: 95% Wilson interval, upper bound`,
    ),
    c(
      `${kpi}_band`,
      'string',
      `${vi} so với toàn tỉnh: above (cao hơn), within (trong giới hạn), below (thấp hơn) giới hạn kiểm soát 99,8%`,
      `${kpi} against the province: above, within or below the 99.8% funnel limits`,
    ),
  ];
}

export const UNIT_KPIS: PublishedTable = {
  name: 'unit_kpis',
  title_vi: 'Chỉ số giải quyết TTHC theo đơn vị',
  title_en: 'Dossier-handling KPIs by unit',
  primaryKey: ['period_type', 'period', 'unit_code'],
  columns: [
    ...PERIOD_COLUMNS,
    ...UNIT_COLUMNS,
    ...FIGURE_COLUMNS,
    c('ranked', 'boolean', 'Được xếp hạng (đủ số hồ sơ tối thiểu)', 'Ranked (enough resolved dossiers)'),
    c('peer_group', 'string', 'Nhóm so sánh', 'Peer group the rank is within'),
    c('rank_on_time_rate', 'integer', 'Hạng theo tỷ lệ đúng hạn', 'Rank by on_time_rate (1 = best)'),
    c('rank_online_share', 'integer', 'Hạng theo tỷ lệ trực tuyến', 'Rank by online_share (1 = best)'),
    c(
      'rank_e_cert_ratio',
      'integer',
      'Hạng theo tỷ lệ chứng thực điện tử',
      'Rank by e_cert_ratio (1 = best)',
    ),
    c(
      'rank_returned_share',
      'integer',
      'Hạng theo tỷ lệ rút/dừng (thấp là tốt)',
      'Rank by returned_share (1 = lowest)',
    ),
    c('target_on_time_rate', 'number', 'Chỉ tiêu tỷ lệ đúng hạn', 'Target for on_time_rate'),
    c('meets_on_time_rate', 'boolean', 'Đạt chỉ tiêu đúng hạn', 'Meets the on_time_rate target'),
    c('target_online_share', 'number', 'Chỉ tiêu tỷ lệ trực tuyến', 'Target for online_share'),
    c('meets_online_share', 'boolean', 'Đạt chỉ tiêu trực tuyến', 'Meets the online_share target'),
    c('target_e_cert_ratio', 'number', 'Chỉ tiêu chứng thực điện tử', 'Target for e_cert_ratio'),
    c('meets_e_cert_ratio', 'boolean', 'Đạt chỉ tiêu chứng thực điện tử', 'Meets the e_cert_ratio target'),
    ...RANKED_KPIS.flatMap(rankedBounds),
    c(
      'expected_on_time_rate',
      'number',
      'Tỷ lệ đúng hạn dự kiến theo cơ cấu thủ tục: tỷ lệ đúng hạn toàn tỉnh của từng thủ tục, gia quyền theo số hồ sơ đơn vị đã giải quyết',
      'Expected on-time rate given the unit’s procedures: the province’s rate per procedure, weighted by the unit’s resolved dossiers',
    ),
    c(
      'on_time_rate_vs_expected',
      'number',
      'Chênh lệch: tỷ lệ đúng hạn thực tế − dự kiến (dương: tốt hơn mức thủ tục cho phép)',
      'on_time_rate − expected_on_time_rate (positive: better than its procedures allow)',
    ),
  ],
};

export const PROVINCE_KPIS: PublishedTable = {
  name: 'province_kpis',
  title_vi: 'Chỉ số giải quyết TTHC toàn tỉnh',
  title_en: 'Dossier-handling KPIs, whole province',
  primaryKey: ['period_type', 'period'],
  columns: [...PERIOD_COLUMNS, ...FIGURE_COLUMNS],
};

export const FIELD_KPIS: PublishedTable = {
  name: 'field_kpis',
  title_vi: 'Chỉ số theo đơn vị và lĩnh vực',
  title_en: 'KPIs by unit and field',
  primaryKey: ['period_type', 'period', 'unit_code', 'field_code'],
  columns: [
    ...PERIOD_COLUMNS,
    c('unit_code', 'string', 'Mã đơn vị', 'Unit code'),
    c('field_code', 'string', 'Mã lĩnh vực', 'Field (sector) code'),
    c('field_name', 'string', 'Tên lĩnh vực', 'Field (sector) name'),
    ...FIGURE_COLUMNS,
  ],
};

export const OVERDUE_DOSSIERS: PublishedTable = {
  name: 'overdue_dossiers',
  title_vi: 'Hồ sơ đang quá hạn',
  title_en: 'Dossiers open past their due date',
  primaryKey: ['reference'],
  columns: [
    // Not the dossier code, which portals accept as a public lookup key (publish/overdue-reference.ts).
    c('reference', 'string', 'Số tham chiếu của hồ sơ', 'Dossier reference (keyed hash of the dossier code)'),
    c('procedure_code', 'string', 'Mã thủ tục', 'Procedure code'),
    c('procedure_name', 'string', 'Tên thủ tục', 'Procedure name'),
    c('field_name', 'string', 'Lĩnh vực', 'Field'),
    c('unit_code', 'string', 'Mã đơn vị', 'Unit code'),
    c('unit_name', 'string', 'Tên đơn vị', 'Unit name'),
    c('received_at', 'datetime', 'Ngày tiếp nhận', 'Received at (Vietnam time)'),
    c('due_at', 'datetime', 'Ngày hẹn trả', 'Due at (Vietnam time)'),
    c('days_overdue', 'integer', 'Số ngày quá hạn tại thời điểm số liệu', 'Days past due at the as-of time'),
  ],
};

export const SCORECARD_766: PublishedTable = {
  name: 'scorecard_766',
  title_vi: 'Bộ chỉ số 766: các chỉ tiêu tính được từ dữ liệu hồ sơ',
  title_en: 'The 766 index: the indicators computable from the dossier records',
  primaryKey: ['period_type', 'period', 'unit_code', 'indicator'],
  columns: [
    PERIOD_COLUMNS[0]!,
    PERIOD_COLUMNS[1]!,
    PERIOD_COLUMNS[4]!,
    c('unit_code', 'string', 'Mã đơn vị (trống: toàn tỉnh)', 'Unit code (empty: the whole province)'),
    c('unit_name', 'string', 'Tên đơn vị', 'Unit name'),
    c('unit_level', 'string', 'Cấp (trống: toàn tỉnh)', 'Level (empty: the whole province)'),
    c(
      'indicator',
      'string',
      'Mã chỉ tiêu theo Quyết định 766 (2.1, 3.3, …)',
      'Indicator code as the 766 method numbers it',
    ),
    c('indicator_group', 'string', 'Nhóm chỉ số 766 (1–6)', '766 group (1–6)'),
    c('group_max_points', 'number', 'Điểm tối đa của nhóm', 'Maximum points of the group'),
    c('value', 'number', 'Giá trị (tỷ lệ 0–1; chỉ tiêu 2.2: số ngày)', 'Value (a 0–1 share; 2.2: days)'),
    c(
      'numerator',
      'number',
      'Tử số (từ các cột đếm của unit_kpis/province_kpis)',
      'Numerator (from published counts)',
    ),
    c('denominator', 'number', 'Mẫu số', 'Denominator'),
    c('threshold', 'number', 'Ngưỡng đạt điểm tối đa', 'Threshold for full points'),
    c('points', 'number', 'Điểm đạt được (trống: không tính được)', 'Points scored (empty: not computable)'),
    c('max_points', 'number', 'Điểm tối đa của chỉ tiêu', 'Maximum points of the indicator'),
  ],
};

export const REVISIONS: PublishedTable = {
  name: 'revisions',
  title_vi: 'Số liệu đã điều chỉnh',
  title_en: 'Revised figures',
  primaryKey: ['as_of', 'table', 'period_type', 'period', 'unit_code', 'column'],
  columns: [
    c(
      'table',
      'string',
      'Bảng: province_kpis (toàn tỉnh) hoặc unit_kpis',
      'Table: province_kpis or unit_kpis',
    ),
    PERIOD_COLUMNS[0]!,
    PERIOD_COLUMNS[1]!,
    c('unit_code', 'string', 'Mã đơn vị (trống: toàn tỉnh)', 'Unit code (empty: the whole province)'),
    c('column', 'string', 'Cột số liệu đã thay đổi', 'The figure that changed'),
    c('previous_value', 'number', 'Giá trị đã công bố trước', 'Value published before'),
    c('value', 'number', 'Giá trị mới', 'New value'),
    c(
      'previous_as_of',
      'datetime',
      'Thời điểm số liệu của lần công bố trước',
      'As-of time of the previous publication',
    ),
    c(
      'as_of',
      'datetime',
      'Thời điểm số liệu của lần công bố điều chỉnh',
      'As-of time of the revising publication',
    ),
  ],
};

export const INGEST_REPORT: PublishedTable = {
  name: 'ingest_report',
  title_vi: 'Báo cáo nạp dữ liệu',
  title_en: 'Ingest report',
  primaryKey: ['snapshot_date', 'file'],
  columns: [
    c('snapshot_date', 'date', 'Ngày trích xuất', 'Snapshot date'),
    c('file', 'string', 'Tệp trích xuất', 'Extract file name'),
    c('sha256', 'string', 'Mã băm SHA-256 của tệp', 'SHA-256 of the file'),
    c('rows_read', 'integer', 'Số bản ghi đọc được', 'Records read'),
    c('rows_accepted', 'integer', 'Số bản ghi hợp lệ', 'Records accepted'),
    c('rows_quarantined', 'integer', 'Số bản ghi bị cách ly', 'Records quarantined'),
    c(
      'quarantined_by_reason',
      'string',
      'Số bị cách ly theo lý do (JSON)',
      'Quarantined by reason (JSON object)',
    ),
    c('started_at', 'datetime', 'Bắt đầu', 'Started at'),
    c('finished_at', 'datetime', 'Kết thúc', 'Finished at'),
  ],
};

// Units across the 1 July 2025 reform (docs/design.md): figures of today's units rebuilt for the
// periods before they existed, and the registry itself, so that the site can show lineage.

export const SUCCESSOR_KPIS: PublishedTable = {
  name: 'successor_kpis',
  title_vi: 'Chỉ số của đơn vị hiện nay cho các kỳ trước khi thành lập, dựng lại từ các đơn vị tiền thân',
  title_en: "Today's units' KPIs for the periods before they existed, rebuilt from their predecessors",
  primaryKey: ['period_type', 'period', 'unit_code'],
  columns: [
    ...PERIOD_COLUMNS,
    ...UNIT_COLUMNS,
    ...FIGURE_COLUMNS,
    c(
      'lineage',
      'string',
      'exact: nhận toàn bộ công việc của mọi đơn vị tiền thân; approximate: có đơn vị bị chia tách',
      'exact when every predecessor weight is 1, else approximate',
    ),
    c(
      'predecessors',
      'string',
      'Các đơn vị tiền thân và tỷ trọng, ví dụ "A-STP×1; B-STP×1"',
      'Predecessor codes with weights, e.g. "A-STP×1; B-STP×1"',
    ),
  ],
};

export const UNITS: PublishedTable = {
  name: 'units',
  title_vi: 'Danh mục đơn vị và thời gian tồn tại',
  title_en: 'Units registry with validity dates',
  primaryKey: ['unit_code'],
  columns: [
    ...UNIT_COLUMNS,
    c(
      'valid_from',
      'date',
      'Ngày bắt đầu tồn tại (trống: không rõ)',
      'First day the unit existed (empty: open)',
    ),
    c(
      'valid_to',
      'date',
      'Ngày cuối cùng tồn tại (trống: còn tồn tại)',
      'Last day the unit existed (empty: open)',
    ),
  ],
};

export const UNIT_SUCCESSORS: PublishedTable = {
  name: 'unit_successors',
  title_vi: 'Đơn vị kế thừa',
  title_en: 'Unit successions',
  primaryKey: ['predecessor_code', 'successor_code'],
  columns: [
    c('predecessor_code', 'string', 'Mã đơn vị tiền thân', 'Predecessor unit code'),
    c('successor_code', 'string', 'Mã đơn vị kế thừa', 'Successor unit code'),
    c(
      'weight',
      'number',
      'Tỷ trọng công việc của đơn vị tiền thân mà đơn vị kế thừa nhận (0–1)',
      "Share of the predecessor's work the successor took over (0–1)",
    ),
    c('effective_date', 'date', 'Ngày hiệu lực', 'Effective date'),
  ],
};

/** Published columns the publisher derives from a query column (published name → query name). */
export const DERIVED_BY_PUBLISHER: Record<string, Record<string, string>> = {
  overdue_dossiers: { reference: 'dossier_id' },
};

/** The columns a table's query returns, in order: the contract's, before the publisher's derivations. */
export const queryColumnNames = (table: PublishedTable): string[] =>
  table.columns.map((c) => DERIVED_BY_PUBLISHER[table.name]?.[c.name] ?? c.name);

export const PUBLISHED_TABLES: readonly PublishedTable[] = [
  UNIT_KPIS,
  PROVINCE_KPIS,
  FIELD_KPIS,
  OVERDUE_DOSSIERS,
  SCORECARD_766,
  REVISIONS,
  INGEST_REPORT,
  SUCCESSOR_KPIS,
  UNITS,
  UNIT_SUCCESSORS,
];

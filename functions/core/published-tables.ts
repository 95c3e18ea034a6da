// The published data, output contract version 1 (DESIGN.md "Published data").
// One declaration per table: column order, type and descriptions (Vietnamese first, then
// English). The publisher writes CSV/Parquet/JSON and datapackage.json from these; the
// site reads the same names. Adding a column is compatible; renaming one is a v2.

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

/** Ranked KPIs: higher is better, except returned_share (lower is better). */
export const RANKED_KPIS = ['on_time_rate', 'online_share', 'e_cert_ratio', 'returned_share'] as const;
export type RankedKpi = (typeof RANKED_KPIS)[number];

/** KPIs that can carry a target in the config (see functions/core/config.ts). */
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

/** The counts and ratios shared by unit_kpis and province_kpis. */
const FIGURE_COLUMNS = [
  c(
    'received_total',
    'integer',
    'Tổng số hồ sơ tiếp nhận (trực tuyến + kỳ trước chuyển qua + trực tiếp/bưu chính)',
    'Dossiers received: online + carried over + offline',
  ),
  c('received_online', 'integer', 'Hồ sơ mới tiếp nhận trực tuyến trong kỳ', 'New dossiers received online'),
  c('carried_over', 'integer', 'Hồ sơ kỳ trước chuyển qua', 'Dossiers carried over from before the period'),
  c(
    'received_offline',
    'integer',
    'Hồ sơ mới tiếp nhận trực tiếp hoặc qua bưu chính',
    'New dossiers received in person or by post',
  ),
  c('resolved_total', 'integer', 'Hồ sơ đã giải quyết trong kỳ', 'Dossiers resolved in the period'),
  c(
    'resolved_on_time',
    'integer',
    'Giải quyết đúng hạn (gồm trước hạn)',
    'Resolved on time (including early)',
  ),
  c('resolved_early', 'integer', 'Giải quyết trước hạn', 'Resolved before the due date'),
  c('resolved_late', 'integer', 'Giải quyết quá hạn', 'Resolved after the due date'),
  c(
    'returned_total',
    'integer',
    'Hồ sơ công dân rút hoặc dừng xử lý trong kỳ',
    'Dossiers withdrawn or stopped in the period',
  ),
  c(
    'pending_total',
    'integer',
    'Hồ sơ đang giải quyết cuối kỳ',
    'Dossiers still open at the end of the period',
  ),
  c('pending_not_due', 'integer', 'Đang giải quyết, chưa đến hạn', 'Open and not yet due'),
  c('pending_overdue', 'integer', 'Đang giải quyết, đã quá hạn', 'Open and past due'),
  c(
    'overdue_total',
    'integer',
    'Tổng quá hạn: giải quyết quá hạn + đang quá hạn',
    'Resolved late + open past due',
  ),
  c(
    'on_time_rate',
    'number',
    'Tỷ lệ giải quyết đúng hạn = đúng hạn / đã giải quyết (0–1)',
    'resolved_on_time / resolved_total (0–1)',
  ),
  c('early_rate', 'number', 'Tỷ lệ trước hạn = trước hạn / đã giải quyết', 'resolved_early / resolved_total'),
  c(
    'online_share',
    'number',
    'Tỷ lệ tiếp nhận trực tuyến = trực tuyến / (trực tuyến + trực tiếp)',
    'received_online / (received_online + received_offline)',
  ),
  c(
    'returned_share',
    'number',
    'Tỷ lệ rút/dừng = rút hoặc dừng / (đã giải quyết + rút hoặc dừng)',
    'returned_total / (resolved_total + returned_total)',
  ),
  c('e_cert_total', 'integer', 'Hồ sơ chứng thực đã giải quyết', 'Certification dossiers resolved'),
  c(
    'e_cert_electronic',
    'integer',
    'Hồ sơ chứng thực có kết quả điện tử',
    'Certification dossiers with an electronic result',
  ),
  c('e_cert_ratio', 'number', 'Tỷ lệ chứng thực điện tử', 'e_cert_electronic / e_cert_total'),
  c('fee_required_total', 'integer', 'Hồ sơ đã giải quyết có phí, lệ phí', 'Resolved dossiers with a fee'),
  c('paid_online_total', 'integer', 'Trong đó thanh toán trực tuyến', 'Of which paid online'),
  c(
    'online_payment_share',
    'number',
    'Tỷ lệ thanh toán trực tuyến',
    'paid_online_total / fee_required_total',
  ),
  c('new_total', 'integer', 'Hồ sơ mới tiếp nhận trong kỳ', 'New dossiers (online + offline)'),
  c('digitized_total', 'integer', 'Hồ sơ mới có thành phần số hóa', 'New dossiers with digitized components'),
  c('digitization_share', 'number', 'Tỷ lệ số hóa hồ sơ', 'digitized_total / new_total'),
];

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
  primaryKey: ['dossier_id'],
  columns: [
    c('dossier_id', 'string', 'Mã hồ sơ', 'Dossier code'),
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

// Units across the 1 July 2025 reform (DESIGN.md): figures of today's units rebuilt for the
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

export const PUBLISHED_TABLES: readonly PublishedTable[] = [
  UNIT_KPIS,
  PROVINCE_KPIS,
  FIELD_KPIS,
  OVERDUE_DOSSIERS,
  INGEST_REPORT,
  SUCCESSOR_KPIS,
  UNITS,
  UNIT_SUCCESSORS,
];

// The KPI catalog: every count and every rate congkhai publishes, declared once (in the spirit
// of dbt's metrics: a name, labels and descriptions in Vietnamese and English, a numerator and
// a denominator, a direction). Everything else derives from it or is tested against it: the
// published columns' descriptions (published-tables.ts), the reconciliation identities
// (kpi/reconcile.ts), the datapackage, the site's KPI lists and charts, the method page, and
// the SQL (tests/catalog/ checks every rate expression of queries/ against this file, both
// ways). Adding a KPI: declare it here first; the tests then say which files still lack it.

/** A count column of the figure tables. Flows count what happened in the period; stocks are
 *  a state at a period boundary, so a stock of a quarter is not the sum of its months. */
export interface CountDefinition {
  name: string;
  kind: 'flow' | 'stock';
  label_vi: string;
  label_en: string;
  description_vi: string;
  description_en: string;
}

import type { UnitLevel } from './dossier-contract.ts';

export type { UnitLevel };

/** The 766 index's groups (Quyết định 766/QĐ-TTg), as the national portal scores them. */
export const INDEX_766_GROUPS = [
  { group: '1', label_vi: 'Công khai, minh bạch', label_en: 'Openness and transparency', max_points: 18 },
  { group: '2', label_vi: 'Tiến độ giải quyết', label_en: 'Timeliness', max_points: 20 },
  { group: '3', label_vi: 'Dịch vụ công trực tuyến', label_en: 'Online public services', max_points: 12 },
  { group: '4', label_vi: 'Thanh toán trực tuyến', label_en: 'Online payment', max_points: 10 },
  { group: '5', label_vi: 'Số hóa hồ sơ', label_en: 'Digitisation', max_points: 22 },
  { group: '6', label_vi: 'Mức độ hài lòng', label_en: 'Satisfaction', max_points: 18 },
] as const;
export type Index766Group = (typeof INDEX_766_GROUPS)[number]['group'];

/** A rate: numerator / (sum of the denominator terms), null when the denominator is 0. */
export interface RateDefinition {
  name: string;
  label_vi: string;
  label_en: string;
  /** Short label for narrow places (table headers, chart titles). */
  short_vi: string;
  short_en: string;
  description_vi: string;
  description_en: string;
  numerator: string;
  /** Count columns added up to form the denominator. */
  denominator: readonly string[];
  /** Which way is better. */
  direction: 'higher' | 'lower';
  /** Units are ranked on it within their peers (with a Wilson interval and a funnel band). */
  ranked: boolean;
  /** A target per unit level may be set in the config (congkhai.config.json `targets`). */
  targeted: boolean;
  /** Slug for file names and URLs (charts). */
  slug: string;
}

/** An indicator of the 766 scorecard computed from the dossier records. */
export interface ScorecardIndicator {
  /** Coded as the method numbers it ("2.1", "3.3", …). */
  code: string;
  group: Index766Group;
  label_vi: string;
  label_en: string;
  /** How the value is computed, in words, for the method page and the datapackage. */
  formula_vi: string;
  formula_en: string;
  /** Count columns: value = sum(numerator) / sum(denominator) (for 5.4: 1 − that). */
  numerator: readonly string[];
  denominator: readonly string[];
  /** 'share': value = num/den; 'complement': value = 1 − num/den; 'mean': value = num/den in days. */
  kind: 'share' | 'complement' | 'mean';
  direction: 'higher' | 'lower';
  /** What the records cannot tell (shown beside the score), if anything. */
  caveat_vi?: string;
  caveat_en?: string;
}

const flow = (
  name: string,
  label_vi: string,
  label_en: string,
  description_vi: string,
  description_en: string,
): CountDefinition => ({ name, kind: 'flow', label_vi, label_en, description_vi, description_en });
const stock = (
  name: string,
  label_vi: string,
  label_en: string,
  description_vi: string,
  description_en: string,
): CountDefinition => ({ name, kind: 'stock', label_vi, label_en, description_vi, description_en });

/** Every count column of unit_kpis, province_kpis and field_kpis, in the contract's order. */
export const COUNTS: readonly CountDefinition[] = [
  stock(
    'received_total',
    'Tổng số hồ sơ tiếp nhận',
    'Dossiers received',
    'Tổng số hồ sơ tiếp nhận (trực tuyến + kỳ trước chuyển qua + trực tiếp/bưu chính)',
    'Dossiers received: online + carried over + offline',
  ),
  flow(
    'received_online',
    'Tiếp nhận trực tuyến',
    'Received online',
    'Hồ sơ mới tiếp nhận trực tuyến trong kỳ',
    'New dossiers received online',
  ),
  stock(
    'carried_over',
    'Kỳ trước chuyển qua',
    'Carried over',
    'Hồ sơ kỳ trước chuyển qua',
    'Dossiers carried over from before the period',
  ),
  flow(
    'received_offline',
    'Tiếp nhận trực tiếp, bưu chính',
    'Received in person or by post',
    'Hồ sơ mới tiếp nhận trực tiếp hoặc qua bưu chính',
    'New dossiers received in person or by post',
  ),
  flow(
    'resolved_total',
    'Đã giải quyết',
    'Resolved',
    'Hồ sơ đã giải quyết trong kỳ',
    'Dossiers resolved in the period',
  ),
  flow(
    'resolved_on_time',
    'Đúng hạn',
    'On time',
    'Giải quyết đúng hạn (gồm trước hạn)',
    'Resolved on time (including early)',
  ),
  flow('resolved_early', 'Trước hạn', 'Early', 'Giải quyết trước hạn', 'Resolved before the due date'),
  flow('resolved_late', 'Quá hạn', 'Late', 'Giải quyết quá hạn', 'Resolved after the due date'),
  flow(
    'returned_total',
    'Rút, dừng xử lý',
    'Withdrawn or stopped',
    'Hồ sơ công dân rút hoặc dừng xử lý trong kỳ',
    'Dossiers withdrawn or stopped in the period',
  ),
  stock(
    'pending_total',
    'Đang giải quyết',
    'Open',
    'Hồ sơ đang giải quyết cuối kỳ',
    'Dossiers still open at the end of the period',
  ),
  stock(
    'pending_not_due',
    'Đang giải quyết trong hạn',
    'Open, not yet due',
    'Đang giải quyết, chưa đến hạn',
    'Open and not yet due',
  ),
  stock(
    'pending_overdue',
    'Đang giải quyết quá hạn',
    'Open, past due',
    'Đang giải quyết, đã quá hạn',
    'Open and past due',
  ),
  stock(
    'overdue_total',
    'Tổng quá hạn',
    'Overdue in all',
    'Tổng quá hạn: giải quyết quá hạn + đang quá hạn',
    'Resolved late + open past due',
  ),
  flow(
    'e_cert_total',
    'Hồ sơ chứng thực',
    'Certification dossiers',
    'Hồ sơ chứng thực đã giải quyết',
    'Certification dossiers resolved',
  ),
  flow(
    'e_cert_electronic',
    'Chứng thực có kết quả điện tử',
    'Certification, electronic result',
    'Hồ sơ chứng thực có kết quả điện tử',
    'Certification dossiers with an electronic result',
  ),
  flow(
    'fee_required_total',
    'Có phí, lệ phí',
    'With a fee',
    'Hồ sơ đã giải quyết có phí, lệ phí',
    'Resolved dossiers with a fee',
  ),
  flow(
    'paid_online_total',
    'Thanh toán trực tuyến',
    'Paid online',
    'Trong đó thanh toán trực tuyến',
    'Of which paid online',
  ),
  flow(
    'new_total',
    'Hồ sơ mới tiếp nhận',
    'New dossiers',
    'Hồ sơ mới tiếp nhận trong kỳ',
    'New dossiers (online + offline)',
  ),
  flow(
    'result_electronic_total',
    'Có kết quả điện tử',
    'Electronic result',
    'Hồ sơ đã giải quyết có kết quả điện tử',
    'Resolved dossiers whose result was issued electronically',
  ),
  flow(
    'resolution_days_total',
    'Tổng số ngày giải quyết',
    'Days to resolve, summed',
    'Tổng số ngày (theo lịch) từ tiếp nhận đến giải quyết của các hồ sơ đã giải quyết trong kỳ',
    'Calendar days from reception to resolution, summed over the dossiers resolved in the period',
  ),
  flow(
    'digitized_total',
    'Có thành phần số hóa',
    'Digitised',
    'Hồ sơ mới có thành phần số hóa',
    'New dossiers with digitized components',
  ),
];

/** Sums that hold on every row: [left, right-hand terms]. */
export const SUM_IDENTITIES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['received_total', ['received_online', 'carried_over', 'received_offline']],
  ['received_total', ['resolved_total', 'returned_total', 'pending_total']],
  ['resolved_total', ['resolved_on_time', 'resolved_late']],
  ['pending_total', ['pending_not_due', 'pending_overdue']],
  ['overdue_total', ['resolved_late', 'pending_overdue']],
  ['new_total', ['received_online', 'received_offline']],
];

/** Subsets: [part, whole]: part ≤ whole on every row. */
export const SUBSETS: ReadonlyArray<readonly [string, string]> = [
  ['resolved_early', 'resolved_on_time'],
  ['e_cert_total', 'resolved_total'],
  ['e_cert_electronic', 'e_cert_total'],
  ['fee_required_total', 'resolved_total'],
  ['paid_online_total', 'fee_required_total'],
  ['digitized_total', 'new_total'],
  ['result_electronic_total', 'resolved_total'],
];

/** Every rate column of the figure tables, in the contract's order. */
export const RATES: readonly RateDefinition[] = [
  {
    name: 'on_time_rate',
    label_vi: 'Tỷ lệ giải quyết đúng hạn',
    label_en: 'On-time rate',
    short_vi: 'Đúng hạn',
    short_en: 'On time',
    description_vi: 'Tỷ lệ giải quyết đúng hạn = đúng hạn / đã giải quyết (0–1)',
    description_en: 'resolved_on_time / resolved_total (0–1)',
    numerator: 'resolved_on_time',
    denominator: ['resolved_total'],
    direction: 'higher',
    ranked: true,
    targeted: true,
    slug: 'dung-han',
  },
  {
    name: 'early_rate',
    label_vi: 'Tỷ lệ giải quyết trước hạn',
    label_en: 'Early rate',
    short_vi: 'Trước hạn',
    short_en: 'Early',
    description_vi: 'Tỷ lệ trước hạn = trước hạn / đã giải quyết',
    description_en: 'resolved_early / resolved_total',
    numerator: 'resolved_early',
    denominator: ['resolved_total'],
    direction: 'higher',
    ranked: false,
    targeted: false,
    slug: 'truoc-han',
  },
  {
    name: 'online_share',
    label_vi: 'Tỷ lệ tiếp nhận trực tuyến',
    label_en: 'Online share',
    short_vi: 'Trực tuyến',
    short_en: 'Online',
    description_vi: 'Tỷ lệ tiếp nhận trực tuyến = trực tuyến / (trực tuyến + trực tiếp)',
    description_en: 'received_online / (received_online + received_offline)',
    numerator: 'received_online',
    denominator: ['new_total'],
    direction: 'higher',
    ranked: true,
    targeted: true,
    slug: 'truc-tuyen',
  },
  {
    name: 'returned_share',
    label_vi: 'Tỷ lệ hồ sơ rút/dừng xử lý',
    label_en: 'Returned share',
    short_vi: 'Rút/dừng',
    short_en: 'Returned',
    description_vi: 'Tỷ lệ rút/dừng = rút hoặc dừng / (đã giải quyết + rút hoặc dừng)',
    description_en: 'returned_total / (resolved_total + returned_total)',
    numerator: 'returned_total',
    denominator: ['resolved_total', 'returned_total'],
    direction: 'lower',
    ranked: true,
    targeted: false,
    slug: 'rut-dung',
  },
  {
    name: 'e_cert_ratio',
    label_vi: 'Tỷ lệ chứng thực điện tử',
    label_en: 'Electronic certification ratio',
    short_vi: 'Chứng thực điện tử',
    short_en: 'E-certification',
    description_vi: 'Tỷ lệ chứng thực điện tử = chứng thực có kết quả điện tử / hồ sơ chứng thực',
    description_en: 'e_cert_electronic / e_cert_total',
    numerator: 'e_cert_electronic',
    denominator: ['e_cert_total'],
    direction: 'higher',
    ranked: true,
    targeted: true,
    slug: 'chung-thuc-dien-tu',
  },
  {
    name: 'online_payment_share',
    label_vi: 'Tỷ lệ thanh toán trực tuyến',
    label_en: 'Online payment share',
    short_vi: 'Thanh toán trực tuyến',
    short_en: 'Paid online',
    description_vi: 'Tỷ lệ thanh toán trực tuyến = thanh toán trực tuyến / có phí, lệ phí',
    description_en: 'paid_online_total / fee_required_total',
    numerator: 'paid_online_total',
    denominator: ['fee_required_total'],
    direction: 'higher',
    ranked: false,
    targeted: false,
    slug: 'thanh-toan-truc-tuyen',
  },
  {
    name: 'digitization_share',
    label_vi: 'Tỷ lệ số hóa hồ sơ',
    label_en: 'Digitisation share',
    short_vi: 'Số hóa',
    short_en: 'Digitised',
    description_vi: 'Tỷ lệ số hóa hồ sơ = hồ sơ mới có thành phần số hóa / hồ sơ mới',
    description_en: 'digitized_total / new_total',
    numerator: 'digitized_total',
    denominator: ['new_total'],
    direction: 'higher',
    ranked: false,
    targeted: false,
    slug: 'so-hoa',
  },
];

export const RANKED_RATES = RATES.filter((r) => r.ranked);
export const TARGETED_RATES = RATES.filter((r) => r.targeted);

/** The 766 indicators computable from the dossier records. */
export const SCORECARD_INDICATORS: readonly ScorecardIndicator[] = [
  {
    code: '2.1',
    group: '2',
    label_vi: 'Tỷ lệ hồ sơ giải quyết và đang giải quyết trong hạn',
    label_en: 'Share of dossiers resolved or open within the deadline',
    formula_vi: '(đúng hạn + đang giải quyết trong hạn) / (đã giải quyết + đang giải quyết)',
    formula_en: '(resolved_on_time + pending_not_due) / (resolved_total + pending_total)',
    numerator: ['resolved_on_time', 'pending_not_due'],
    denominator: ['resolved_total', 'pending_total'],
    kind: 'share',
    direction: 'higher',
  },
  {
    code: '2.2',
    group: '2',
    label_vi: 'Thời gian giải quyết trung bình (ngày)',
    label_en: 'Average resolution time (days)',
    formula_vi: 'tổng số ngày từ tiếp nhận đến giải quyết / số hồ sơ đã giải quyết',
    formula_en: 'sum of days from reception to resolution / resolved_total',
    numerator: ['resolution_days_total'],
    denominator: ['resolved_total'],
    kind: 'mean',
    direction: 'lower',
    caveat_vi: 'Ngày theo lịch (chưa trừ ngày nghỉ, lễ).',
    caveat_en: 'Calendar days (holidays not deducted).',
  },
  {
    code: '3.3',
    group: '3',
    label_vi: 'Tỷ lệ hồ sơ tiếp nhận trực tuyến',
    label_en: 'Share of dossiers received online',
    formula_vi: 'tiếp nhận trực tuyến / hồ sơ mới tiếp nhận',
    formula_en: 'received_online / new_total',
    numerator: ['received_online'],
    denominator: ['new_total'],
    kind: 'share',
    direction: 'higher',
  },
  {
    code: '3.6',
    group: '4',
    label_vi: 'Tỷ lệ thanh toán trực tuyến',
    label_en: 'Online payment share',
    formula_vi: 'thanh toán trực tuyến / hồ sơ đã giải quyết có phí, lệ phí',
    formula_en: 'paid_online_total / fee_required_total',
    numerator: ['paid_online_total'],
    denominator: ['fee_required_total'],
    kind: 'share',
    direction: 'higher',
  },
  {
    code: '4.1',
    group: '5',
    label_vi: 'Tỷ lệ cấp kết quả điện tử',
    label_en: 'Share of results issued electronically',
    formula_vi: 'hồ sơ đã giải quyết có kết quả điện tử / hồ sơ đã giải quyết',
    formula_en: 'result_electronic_total / resolved_total',
    numerator: ['result_electronic_total'],
    denominator: ['resolved_total'],
    kind: 'share',
    direction: 'higher',
  },
  {
    code: '4.2',
    group: '5',
    label_vi: 'Tỷ lệ số hóa hồ sơ',
    label_en: 'Digitisation share',
    formula_vi: 'hồ sơ mới có thành phần số hóa / hồ sơ mới tiếp nhận',
    formula_en: 'digitized_total / new_total',
    numerator: ['digitized_total'],
    denominator: ['new_total'],
    kind: 'share',
    direction: 'higher',
  },
  {
    code: '5.4',
    group: '6',
    label_vi: 'Mức độ hài lòng (ước tính: 1 − tỷ lệ quá hạn)',
    label_en: 'Satisfaction proxy (1 − overdue share)',
    formula_vi: '1 − tổng quá hạn / (đã giải quyết + đang giải quyết)',
    formula_en: '1 − overdue_total / (resolved_total + pending_total)',
    numerator: ['overdue_total'],
    denominator: ['resolved_total', 'pending_total'],
    kind: 'complement',
    direction: 'higher',
    caveat_vi:
      'Phần phản ánh, kiến nghị và đánh giá của người dân không có trong dữ liệu hồ sơ: chỉ tính phần quá hạn.',
    caveat_en:
      'Complaints and citizens’ ratings are not in the dossier records: only the overdue part is computed.',
  },
];

export const COUNT_NAMES: readonly string[] = COUNTS.map((c) => c.name);
export const RATE_NAMES: readonly string[] = RATES.map((r) => r.name);

export function rateDefinition(name: string): RateDefinition {
  const rate = RATES.find((r) => r.name === name);
  if (!rate) throw new Error(`${name}: not a rate of the KPI catalog`);
  return rate;
}

export function countDefinition(name: string): CountDefinition {
  const count = COUNTS.find((c) => c.name === name);
  if (!count) throw new Error(`${name}: not a count of the KPI catalog`);
  return count;
}

/** The formula in words, "numerator / (a + b)", with the catalog's Vietnamese count labels. */
export function formulaVi(rate: RateDefinition): string {
  const label = (n: string) => countDefinition(n).label_vi.toLowerCase();
  const den = rate.denominator.map(label);
  return `${label(rate.numerator)} / ${den.length > 1 ? `(${den.join(' + ')})` : den[0]}`;
}

// A small, contract-true published data set (<out>/data/v1/) for the site's tests, standing in
// for the publisher's output: units of every level, 24 complete months (2023-01 … 2024-12) plus
// the running month 2025-01 (incomplete: as-of 15/01/2025), rolled up into quarters, halves
// and years with the identities of docs/design.md; ranks within peer groups; targets; one unit under
// the ranking minimum; CSV (UTF-8 BOM), JSON, Parquet and datapackage.json; a dated archive.
// Open data beside the tables: the publisher (datapackage.json `publisher`), revised figures
// (`revisions`: one unit's and the province's figures of 2024-Q4 and 2024-11 changed by the
// latest publication, one older revision), the `.xlsx` edition of every table and the per-unit
// kits (units/<slug>/ and units/<slug>.zip), both written by the publisher's own modules.
// REFORM_SAMPLE is a merged province across the 1 July 2025 reform: two former provinces'
// agencies, districts and communes up to 30/06/2025, the merged province's agencies and
// communes (no districts) after, one commune split between two new ones; with the `units`,
// `unit_successors` and `successor_kpis` tables.
// Runnable alone: npx node tests/site/make-sample-published-data.ts OUT_DIR [reform]
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { parseConfig } from '../../functions/core/config.ts';
import { openDuckDb, sqlString } from '../../functions/core/duckdb.ts';
import type { Row } from '../../functions/core/engine.ts';
import { scorecard766 } from '../../functions/core/kpi/scorecard-766.ts';
import { citationText } from '../../functions/core/publish/citation.ts';
import { overdueReference } from '../../functions/core/publish/overdue-reference.ts';
import { tableXlsx } from '../../functions/core/publish/spreadsheet-file.ts';
import { writeUnitKits } from '../../functions/core/publish/unit-kits.ts';
import {
  FIELD_KPIS,
  INGEST_REPORT,
  OVERDUE_DOSSIERS,
  PROVINCE_KPIS,
  PUBLISHED_TABLES,
  type PublishedTable,
  REVISIONS,
  SCORECARD_766,
  SUCCESSOR_KPIS,
  UNIT_KPIS,
  UNIT_SUCCESSORS,
  UNITS,
} from '../../functions/core/published-tables.ts';
import { bandOrder, funnelBand, wilsonInterval } from '../../site/src/lib/funnel.ts';
import type { FunnelBand } from '../../site/src/lib/published-data.ts';
import { denominatorOf, KPI_KEYS, KPIS, type KpiKey, numeratorOf } from '../../site/src/lib/site-model.ts';
import { unitSlug } from '../../site/src/lib/unit-slug.ts';

type Level = 'province' | 'district' | 'commune';
interface SampleUnit {
  code: string;
  name: string;
  level: Level;
  parent: string | null;
  /** New dossiers per month. */
  volume: number;
  onlineShare: number;
  onTime: number;
  fields: [string, string][];
  /** Validity ('YYYY-MM-DD', valid_to inclusive); absent: always existed. */
  validFrom?: string;
  validTo?: string;
}

export interface SampleSuccessor {
  predecessor: string;
  successor: string;
  weight: number;
}

export interface SampleCase {
  units: SampleUnit[];
  /** Units made at the reform: their flows are their predecessors' weighted flows. */
  successors: SampleSuccessor[];
  firstYear: number;
  asOf: string;
  /** Write units.json, unit_successors.json and successor_kpis.json. */
  registry: boolean;
}

const AGENCY_FIELDS: [string, string][] = [
  ['DD', 'Đất đai'],
  ['XD', 'Xây dựng'],
];
const LOCAL_FIELDS: [string, string][] = [
  ['CT', 'Chứng thực'],
  ['HT', 'Hộ tịch'],
];

export const SAMPLE_UNITS: SampleUnit[] = [
  {
    code: 'BG-S01',
    name: 'Sở Tư pháp',
    level: 'province',
    parent: null,
    volume: 420,
    onlineShare: 0.62,
    onTime: 0.991,
    fields: AGENCY_FIELDS,
  },
  {
    code: 'BG-S02',
    name: 'Sở Tài nguyên và Môi trường',
    level: 'province',
    parent: null,
    volume: 310,
    onlineShare: 0.35,
    onTime: 0.88,
    fields: AGENCY_FIELDS,
  },
  {
    code: 'BG-S03',
    name: 'Sở Kế hoạch và Đầu tư',
    level: 'province',
    parent: null,
    volume: 650,
    onlineShare: 0.97,
    onTime: 0.999,
    fields: AGENCY_FIELDS,
  },
  {
    code: 'BG-S04',
    name: 'Sở Giao thông vận tải',
    level: 'province',
    parent: null,
    volume: 900,
    onlineShare: 0.81,
    onTime: 0.97,
    fields: AGENCY_FIELDS,
  },
  {
    code: 'BG-S05',
    name: 'Sở Xây dựng',
    level: 'province',
    parent: null,
    volume: 90,
    onlineShare: 0.22,
    onTime: 0.93,
    fields: AGENCY_FIELDS,
  },
  {
    code: 'BG-S06',
    name: 'Đài Phát thanh và Truyền hình tỉnh',
    level: 'province',
    parent: null,
    volume: 2,
    onlineShare: 0.5,
    onTime: 1,
    fields: AGENCY_FIELDS,
  },
  {
    code: 'BG-H01',
    name: 'UBND huyện Lục Nam',
    level: 'district',
    parent: null,
    volume: 1500,
    onlineShare: 0.12,
    onTime: 0.96,
    fields: LOCAL_FIELDS,
  },
  {
    code: 'BG-H02',
    name: 'UBND huyện Yên Thế',
    level: 'district',
    parent: null,
    volume: 800,
    onlineShare: 0.08,
    onTime: 0.9,
    fields: LOCAL_FIELDS,
  },
  {
    code: 'BG-H03',
    name: 'UBND thành phố Bắc Giang',
    level: 'district',
    parent: null,
    volume: 2600,
    onlineShare: 0.25,
    onTime: 0.985,
    fields: LOCAL_FIELDS,
  },
  {
    code: 'BG-H04',
    name: 'UBND huyện Hiệp Hòa',
    level: 'district',
    parent: null,
    volume: 1200,
    onlineShare: 0.05,
    onTime: 0.74,
    fields: LOCAL_FIELDS,
  },
  {
    code: 'BG-H01-X01',
    name: 'UBND xã Đông Hưng',
    level: 'commune',
    parent: 'BG-H01',
    volume: 160,
    onlineShare: 0.04,
    onTime: 0.99,
    fields: LOCAL_FIELDS,
  },
  {
    code: 'BG-H01-X02',
    name: 'UBND thị trấn Đồi Ngô',
    level: 'commune',
    parent: 'BG-H01',
    volume: 240,
    onlineShare: 0.09,
    onTime: 0.97,
    fields: LOCAL_FIELDS,
  },
  {
    code: 'BG-H01-X03',
    name: 'UBND xã Bảo Đài',
    level: 'commune',
    parent: 'BG-H01',
    volume: 110,
    onlineShare: 0.02,
    onTime: 0.86,
    fields: LOCAL_FIELDS,
  },
  {
    code: 'BG-H02-X01',
    name: 'UBND thị trấn Cầu Gồ',
    level: 'commune',
    parent: 'BG-H02',
    volume: 130,
    onlineShare: 0.06,
    onTime: 0.95,
    fields: LOCAL_FIELDS,
  },
  {
    code: 'BG-H02-X02',
    name: 'UBND xã Đồng Lạc',
    level: 'commune',
    parent: 'BG-H02',
    volume: 70,
    onlineShare: 0.03,
    onTime: 0.9,
    fields: LOCAL_FIELDS,
  },
  {
    code: 'BG-H03-X01',
    name: 'UBND phường Trần Phú',
    level: 'commune',
    parent: 'BG-H03',
    volume: 300,
    onlineShare: 0.3,
    onTime: 0.998,
    fields: LOCAL_FIELDS,
  },
  {
    code: 'BG-H03-X02',
    name: 'UBND phường Đa Mai',
    level: 'commune',
    parent: 'BG-H03',
    volume: 210,
    onlineShare: 0.18,
    onTime: 0.97,
    fields: LOCAL_FIELDS,
  },
  {
    code: 'BG-H04-X01',
    name: 'UBND thị trấn Thắng',
    level: 'commune',
    parent: 'BG-H04',
    volume: 190,
    onlineShare: 0.05,
    onTime: 0.8,
    fields: LOCAL_FIELDS,
  },
  {
    code: 'BG-H04-X02',
    name: 'UBND xã Đức Thắng',
    level: 'commune',
    parent: 'BG-H04',
    volume: 100,
    onlineShare: 0.02,
    onTime: 0.93,
    fields: LOCAL_FIELDS,
  },
];

export const SAMPLE_AS_OF = '2025-01-15T00:00:00+07:00';

/** The publisher every sample names (congkhai.config.json `publisher`). */
export const SAMPLE_PUBLISHER = {
  province: 'Tỉnh Bắc Giang',
  office: 'Văn phòng UBND tỉnh Bắc Giang',
  contact: 'congkhai@bacgiang.example.vn',
  url: 'https://congkhai.bacgiang.example.vn',
};

/** The unit whose figures of 2024-Q4 and 2024-11 the latest publication revised. */
export const SAMPLE_REVISED_UNIT = 'BG-H01';
/** The revised figures: (period, column) of SAMPLE_REVISED_UNIT, each changed by +3 (counts)
 * or +0,5 points (rates); the province's resolved_total of 2024-Q4 too. */
export const SAMPLE_REVISED: ReadonlyArray<readonly [string, string]> = [
  ['2024-Q4', 'received_total'],
  ['2024-Q4', 'on_time_rate'],
  ['2024-11', 'resolved_total'],
];

/** 'YYYY-MM-DD HH:MM:SS' (the published datetime form) of an ISO time with +07:00. */
const localTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
const dayBeforeOf = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** The `revisions` rows a nightly run would publish for the sample (see SAMPLE_REVISED). */
function sampleRevisions(
  asOf: string,
  unitKpis: Record<string, unknown>[],
  provinceKpis: Record<string, unknown>[],
): Record<string, unknown>[] {
  const now = localTime(asOf);
  const before = `${dayBeforeOf(asOf.slice(0, 10))} 00:00:00`;
  const earlier = `${dayBeforeOf(before.slice(0, 10))} 00:00:00`;
  const revision = (
    table: string,
    row: Record<string, unknown> | undefined,
    column: string,
    asOfs: [string, string],
  ) => {
    if (!row || typeof row[column] !== 'number') return [];
    const value = row[column] as number;
    const previous = column.endsWith('_rate') ? Math.max(0, value - 0.005) : value - 3;
    return [
      ordered(REVISIONS, {
        table,
        period_type: row['period_type'],
        period: row['period'],
        unit_code: table === 'unit_kpis' ? row['unit_code'] : null,
        column,
        previous_value: previous,
        value,
        previous_as_of: asOfs[0],
        as_of: asOfs[1],
      }),
    ];
  };
  const unitRow = (period: string) =>
    unitKpis.find((r) => r['unit_code'] === SAMPLE_REVISED_UNIT && r['period'] === period);
  return [
    // An older revision, from the publication before.
    ...revision('unit_kpis', unitRow('2024-10'), 'received_total', [earlier, before]),
    ...SAMPLE_REVISED.flatMap(([period, column]) =>
      revision('unit_kpis', unitRow(period), column, [before, now]),
    ),
    ...revision(
      'province_kpis',
      provinceKpis.find((r) => r['period'] === '2024-Q4'),
      'resolved_total',
      [before, now],
    ),
  ];
}

const unit = (
  code: string,
  name: string,
  level: Level,
  parent: string | null,
  volume: number,
  onTime: number,
  validity: { validFrom?: string; validTo?: string },
): SampleUnit => ({
  code,
  name,
  level,
  parent,
  volume,
  onlineShare: level === 'province' ? 0.5 : 0.1,
  onTime,
  fields: level === 'province' ? AGENCY_FIELDS : LOCAL_FIELDS,
  ...validity,
});
const BEFORE = { validTo: '2025-06-30' };
const AFTER = { validFrom: '2025-07-01' };

/** Former Bắc Giang (A-) and Bắc Ninh (B-) merged into new Bắc Ninh (N-) on 1 July 2025. */
export const REFORM_SAMPLE: SampleCase = {
  firstYear: 2024,
  asOf: '2026-01-15T00:00:00+07:00',
  registry: true,
  units: [
    unit('A-STP', 'Sở Tư pháp tỉnh Bắc Giang', 'province', null, 300, 0.97, BEFORE),
    unit('B-STP', 'Sở Tư pháp tỉnh Bắc Ninh', 'province', null, 260, 0.93, BEFORE),
    unit('A-SXD', 'Sở Xây dựng tỉnh Bắc Giang', 'province', null, 120, 0.9, BEFORE),
    unit('B-SXD', 'Sở Xây dựng tỉnh Bắc Ninh', 'province', null, 140, 0.96, BEFORE),
    unit('A-H01', 'UBND thành phố Bắc Giang', 'district', null, 900, 0.95, BEFORE),
    unit('A-H02', 'UBND huyện Yên Thế', 'district', null, 500, 0.9, BEFORE),
    unit('B-H01', 'UBND thành phố Bắc Ninh', 'district', null, 1000, 0.97, BEFORE),
    unit('A-H01-X01', 'UBND phường Trần Phú', 'commune', 'A-H01', 200, 0.99, BEFORE),
    unit('A-H01-X02', 'UBND phường Ngô Quyền', 'commune', 'A-H01', 180, 0.96, BEFORE),
    unit('A-H01-X03', 'UBND xã Song Mai', 'commune', 'A-H01', 120, 0.85, BEFORE),
    unit('A-H02-X01', 'UBND thị trấn Cầu Gồ', 'commune', 'A-H02', 130, 0.92, BEFORE),
    unit('B-H01-X01', 'UBND phường Vũ Ninh', 'commune', 'B-H01', 210, 0.98, BEFORE),
    unit('B-H01-X02', 'UBND phường Đáp Cầu', 'commune', 'B-H01', 160, 0.94, BEFORE),
    unit('N-STP', 'Sở Tư pháp', 'province', null, 0, 0, AFTER),
    unit('N-SXD', 'Sở Xây dựng', 'province', null, 0, 0, AFTER),
    unit('N-X01', 'UBND phường Bắc Giang', 'commune', null, 0, 0, AFTER),
    unit('N-X02', 'UBND xã Yên Thế', 'commune', null, 0, 0, AFTER),
    unit('N-X03', 'UBND phường Kinh Bắc', 'commune', null, 0, 0, AFTER),
  ],
  successors: [
    { predecessor: 'A-STP', successor: 'N-STP', weight: 1 },
    { predecessor: 'B-STP', successor: 'N-STP', weight: 1 },
    { predecessor: 'A-SXD', successor: 'N-SXD', weight: 1 },
    { predecessor: 'B-SXD', successor: 'N-SXD', weight: 1 },
    { predecessor: 'A-H01-X01', successor: 'N-X01', weight: 1 },
    { predecessor: 'A-H01-X02', successor: 'N-X01', weight: 1 },
    { predecessor: 'A-H01-X03', successor: 'N-X01', weight: 0.4 },
    { predecessor: 'A-H01-X03', successor: 'N-X02', weight: 0.6 },
    { predecessor: 'A-H02-X01', successor: 'N-X02', weight: 1 },
    { predecessor: 'B-H01-X01', successor: 'N-X03', weight: 1 },
    { predecessor: 'B-H01-X02', successor: 'N-X03', weight: 1 },
  ],
};

export const DEFAULT_SAMPLE: SampleCase = {
  units: SAMPLE_UNITS,
  successors: [],
  firstYear: 2023,
  asOf: SAMPLE_AS_OF,
  registry: false,
};

/** A unit existed at some time in [start, end) (valid_to is its last day). */
function existed(unit: SampleUnit, start: string, end: string): boolean {
  return (!unit.validFrom || unit.validFrom < end) && (!unit.validTo || unit.validTo >= start);
}
export const SAMPLE_MIN_RESOLVED = 20;
export const SAMPLE_TARGETS = {
  on_time_rate: { province: 0.95, district: 0.95, commune: 0.95 },
  online_share: { province: 0.3, district: 0.1, commune: 0.1 },
  e_cert_ratio: { province: 0.1, district: 0.1, commune: 0.1 },
};

type Counts = Record<(typeof COUNT_KEYS)[number], number>;
const COUNT_KEYS = [
  'received_online',
  'carried_over',
  'received_offline',
  'resolved_on_time',
  'resolved_early',
  'resolved_late',
  'returned_total',
  'pending_not_due',
  'pending_overdue',
  'e_cert_total',
  'e_cert_electronic',
  'fee_required_total',
  'paid_online_total',
  'digitized_total',
] as const;

/** Deterministic noise in [-1, 1) from a key. */
function noise(key: string): number {
  return (createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32) * 2 - 1;
}

interface Month {
  period: string;
  start: string;
  end: string;
  complete: boolean;
  /** Fraction of a month's flow (the running month is half over). */
  share: number;
}

function sampleMonths(firstYear: number): Month[] {
  const months: Month[] = [];
  for (let i = 0; i < 25; i++) {
    const year = firstYear + Math.floor(i / 12);
    const month = (i % 12) + 1;
    const next = new Date(Date.UTC(year, month, 1));
    months.push({
      period: `${year}-${String(month).padStart(2, '0')}`,
      start: `${year}-${String(month).padStart(2, '0')}-01`,
      end: next.toISOString().slice(0, 10),
      complete: i < 24,
      share: i < 24 ? 1 : 0.47,
    });
  }
  return months;
}

/** One unit's monthly flows: carried over → new → resolved / returned / pending. */
function monthlyCounts(unit: SampleUnit, months: Month[]): Counts[] {
  let pending = Math.round(unit.volume * 0.3);
  return months.map((month, index) => {
    const wobble = noise(`${unit.code}:${month.period}`);
    const newTotal = Math.max(0, Math.round(unit.volume * month.share * (1 + 0.15 * wobble)));
    const onlineShare = Math.min(1, Math.max(0, unit.onlineShare + 0.004 * index + 0.02 * wobble));
    const received_online = Math.round(newTotal * onlineShare);
    const received_offline = newTotal - received_online;
    const carried_over = pending;
    const available = carried_over + newTotal;
    const returned_total = Math.round(available * 0.012 * (1 + wobble));
    const resolved = Math.round((available - returned_total) * (0.72 + 0.05 * wobble));
    const onTime = Math.min(1, Math.max(0, unit.onTime + 0.01 * wobble));
    const resolved_on_time = Math.round(resolved * onTime);
    const resolved_late = resolved - resolved_on_time;
    const resolved_early = Math.round(resolved_on_time * 0.4);
    pending = available - resolved - returned_total;
    const pending_overdue = Math.round(pending * (1 - onTime) * 1.5);
    const e_cert_total = unit.level === 'province' ? 0 : Math.round(resolved * 0.35);
    const e_cert_electronic = Math.round(e_cert_total * Math.min(1, 0.05 + 0.015 * index));
    const fee_required_total = Math.round(resolved * 0.4);
    return {
      received_online,
      carried_over,
      received_offline,
      resolved_on_time,
      resolved_early,
      resolved_late,
      returned_total,
      pending_not_due: pending - pending_overdue,
      pending_overdue,
      e_cert_total,
      e_cert_electronic,
      fee_required_total,
      paid_online_total: Math.round(fee_required_total * onlineShare),
      digitized_total: Math.round(newTotal * 0.6),
    };
  });
}

/** A longer period from its months: flows add up, stocks come from the first/last month. */
function rollUp(parts: Counts[]): Counts {
  const total = Object.fromEntries(COUNT_KEYS.map((key) => [key, 0])) as Counts;
  for (const part of parts) for (const key of COUNT_KEYS) total[key] += part[key];
  total.carried_over = parts[0]!.carried_over;
  total.pending_not_due = parts.at(-1)!.pending_not_due;
  total.pending_overdue = parts.at(-1)!.pending_overdue;
  return total;
}

const ratio = (numerator: number, denominator: number) =>
  denominator === 0 ? null : Math.round((numerator / denominator) * 1e6) / 1e6;

function figures(c: Counts): Record<string, number | null> {
  const resolved_total = c.resolved_on_time + c.resolved_late;
  const pending_total = c.pending_not_due + c.pending_overdue;
  const new_total = c.received_online + c.received_offline;
  return {
    received_total: c.received_online + c.carried_over + c.received_offline,
    received_online: c.received_online,
    carried_over: c.carried_over,
    received_offline: c.received_offline,
    resolved_total,
    resolved_on_time: c.resolved_on_time,
    resolved_early: c.resolved_early,
    resolved_late: c.resolved_late,
    returned_total: c.returned_total,
    pending_total,
    pending_not_due: c.pending_not_due,
    pending_overdue: c.pending_overdue,
    overdue_total: c.resolved_late + c.pending_overdue,
    on_time_rate: ratio(c.resolved_on_time, resolved_total),
    early_rate: ratio(c.resolved_early, resolved_total),
    online_share: ratio(c.received_online, new_total),
    returned_share: ratio(c.returned_total, resolved_total + c.returned_total),
    e_cert_total: c.e_cert_total,
    e_cert_electronic: c.e_cert_electronic,
    e_cert_ratio: ratio(c.e_cert_electronic, c.e_cert_total),
    fee_required_total: c.fee_required_total,
    paid_online_total: c.paid_online_total,
    online_payment_share: ratio(c.paid_online_total, c.fee_required_total),
    new_total,
    digitized_total: c.digitized_total,
    digitization_share: ratio(c.digitized_total, new_total),
    // Not sample inputs of their own: derived so that the 766 indicators 2.2 and 4.1 have values.
    result_electronic_total: c.e_cert_electronic + Math.floor((resolved_total - c.e_cert_total) / 2),
    resolution_days_total: c.resolved_on_time * 5 + c.resolved_late * 14,
  };
}

interface PeriodDef {
  period_type: string;
  period: string;
  period_start: string;
  period_end: string;
  is_complete: boolean;
  months: number[];
}

function samplePeriods(months: Month[]): PeriodDef[] {
  const periods: PeriodDef[] = [];
  const add = (type: string, period: string, indexes: number[]) => {
    const first = months[indexes[0]!]!;
    const last = months[indexes.at(-1)!]!;
    // A period that has started: its end is the calendar end, complete only when every month is.
    const calendarEnd = periodEnd(type, first.start);
    periods.push({
      period_type: type,
      period,
      period_start: first.start,
      period_end: calendarEnd,
      is_complete: last.complete && last.end === calendarEnd,
      months: indexes,
    });
  };
  months.forEach((month, i) => {
    add('month', month.period, [i]);
  });
  for (const year of new Set(months.map((month) => Number(month.period.slice(0, 4))))) {
    const inYear = (from: number, to: number) =>
      months
        .map((m, i) => ({ m, i }))
        .filter(
          ({ m }) =>
            m.period.startsWith(`${year}-`) &&
            Number(m.period.slice(5)) >= from &&
            Number(m.period.slice(5)) <= to,
        )
        .map(({ i }) => i);
    for (let q = 1; q <= 4; q++) {
      const indexes = inYear(q * 3 - 2, q * 3);
      if (indexes.length) add('quarter', `${year}-Q${q}`, indexes);
    }
    for (let h = 1; h <= 2; h++) {
      const indexes = inYear(h * 6 - 5, h * 6);
      if (indexes.length) add('half', `${year}-H${h}`, indexes);
    }
    const indexes = inYear(1, 12);
    if (indexes.length) add('year', String(year), indexes);
  }
  return periods;
}

function periodEnd(type: string, start: string): string {
  const [year, month] = start.split('-').map(Number) as [number, number];
  const span = { month: 1, quarter: 3, half: 6, year: 12 }[type]!;
  return new Date(Date.UTC(year, month - 1 + span, 1)).toISOString().slice(0, 10);
}

/** Intervals, bands and ranks as queries/unit_kpis.sql makes them: band against the province
 * first (best band first), then the interval's conservative end, ties sharing a rank. */
function rankHonestly(rows: Record<string, unknown>[], kpi: KpiKey, province: Record<string, unknown>): void {
  const p0 = province[kpi] as number | null;
  for (const row of rows) {
    const x = numeratorOf(row, kpi);
    const n = denominatorOf(row, kpi);
    const interval = wilsonInterval(x, n);
    row[`${kpi}_ci_low`] = interval?.low ?? null;
    row[`${kpi}_ci_high`] = interval?.high ?? null;
    row[`${kpi}_band`] = funnelBand(x, n, p0);
  }
  const order = bandOrder(kpi);
  const lower = KPIS[kpi].lowerIsBetter;
  const key = (row: Record<string, unknown>): [number, number] => [
    order.indexOf(row[`${kpi}_band`] as FunnelBand),
    lower ? (row[`${kpi}_ci_high`] as number) : -(row[`${kpi}_ci_low`] as number),
  ];
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const row of rows) {
    if (!row.ranked || row[kpi] === null) continue;
    const group = String(row.peer_group);
    groups.set(group, [...(groups.get(group) ?? []), row]);
  }
  for (const members of groups.values()) {
    for (const row of members) {
      const [band, end] = key(row);
      const better = members.filter((other) => {
        const [otherBand, otherEnd] = key(other);
        return otherBand < band || (otherBand === band && otherEnd < end);
      }).length;
      row[`rank_${kpi}`] = better + 1;
    }
  }
}

function ordered(table: PublishedTable, row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(table.columns.map((column) => [column.name, row[column.name] ?? null]));
}

export interface SampleTables {
  asOf: string;
  tables: Record<string, Record<string, unknown>[]>;
}

/** Flows of every unit per month; a unit made at the reform gets its predecessors' weighted
 * flows (counts rounded after summing), so its series continues theirs. */
function unitMonthlyCounts(sample: SampleCase, months: Month[]): Map<string, Counts[]> {
  const perUnit = new Map<string, Counts[]>();
  for (const unit of sample.units) {
    const from = sample.successors.filter((link) => link.successor === unit.code);
    if (from.length === 0) perUnit.set(unit.code, monthlyCounts(unit, months));
  }
  for (const unit of sample.units) {
    const from = sample.successors.filter((link) => link.successor === unit.code);
    if (from.length === 0) continue;
    perUnit.set(
      unit.code,
      months.map((_, i) =>
        weighted(from.map((link) => ({ counts: perUnit.get(link.predecessor)![i]!, weight: link.weight }))),
      ),
    );
  }
  return perUnit;
}

function weighted(parts: { counts: Counts; weight: number }[]): Counts {
  return Object.fromEntries(
    COUNT_KEYS.map((key) => [
      key,
      Math.round(parts.reduce((sum, part) => sum + part.weight * part.counts[key], 0)),
    ]),
  ) as Counts;
}

export function makeSampleTables(sample: SampleCase = DEFAULT_SAMPLE): SampleTables {
  const months = sampleMonths(sample.firstYear);
  const periods = samplePeriods(months);
  const perUnit = unitMonthlyCounts(sample, months);
  const unitKpis: Record<string, unknown>[] = [];
  const provinceKpis: Record<string, unknown>[] = [];
  const fieldKpis: Record<string, unknown>[] = [];
  const successorKpis: Record<string, unknown>[] = [];
  const provinceMonthly = months.map((month, i) =>
    rollUpAll(
      sample.units
        .filter((unit) => existed(unit, month.start, month.end))
        .map((unit) => perUnit.get(unit.code)![i]!),
    ),
  );
  /** A unit's counts over the months of a period in which it existed (null: none). */
  const unitPeriodCounts = (unit: SampleUnit, p: PeriodDef): Counts | null => {
    const alive = p.months.filter((i) => existed(unit, months[i]!.start, months[i]!.end));
    return alive.length === 0 ? null : rollUp(alive.map((i) => perUnit.get(unit.code)![i]!));
  };
  for (const p of periods) {
    const periodColumns = {
      period_type: p.period_type,
      period: p.period,
      period_start: p.period_start,
      period_end: p.period_end,
      is_complete: p.is_complete,
    };
    const rows: Record<string, unknown>[] = [];
    for (const unit of sample.units) {
      const counts = unitPeriodCounts(unit, p);
      if (!counts) continue;
      const f = figures(counts);
      const ranked = (f.resolved_total as number) >= SAMPLE_MIN_RESOLVED;
      const row: Record<string, unknown> = {
        ...periodColumns,
        unit_code: unit.code,
        unit_name: unit.name,
        unit_level: unit.level,
        parent_code: unit.parent,
        ...f,
        ranked,
        peer_group:
          unit.level === 'commune' ? (unit.parent ? `commune:${unit.parent}` : 'commune') : unit.level,
      };
      for (const kpi of ['on_time_rate', 'online_share', 'e_cert_ratio'] as const) {
        const target = SAMPLE_TARGETS[kpi][unit.level];
        const value = f[kpi] as number | null;
        row[`target_${kpi}`] = target;
        row[`meets_${kpi}`] = value === null ? null : value >= target;
      }
      rows.push(row);
      unit.fields.forEach(([fieldCode, fieldName], index) => {
        const share = index === 0 ? 0.6 : 0.4;
        const split = Object.fromEntries(
          COUNT_KEYS.map((key) => [
            key,
            index === 0 ? Math.floor(counts[key] * share) : counts[key] - Math.floor(counts[key] * 0.6),
          ]),
        ) as Counts;
        if (fieldName !== 'Chứng thực') {
          split.e_cert_total = 0;
          split.e_cert_electronic = 0;
        }
        split.resolved_early = Math.min(split.resolved_early, split.resolved_on_time);
        fieldKpis.push(
          ordered(FIELD_KPIS, {
            ...periodColumns,
            unit_code: unit.code,
            field_code: fieldCode,
            field_name: fieldName,
            ...figures(split),
          }),
        );
      });
    }
    for (const unit of sample.units) {
      const from = sample.successors.filter((link) => link.successor === unit.code);
      if (from.length === 0 || existed(unit, p.period_start, p.period_end)) continue;
      const parts = from.map((link) => ({
        counts: unitPeriodCounts(sample.units.find((u) => u.code === link.predecessor)!, p),
        weight: link.weight,
      }));
      if (parts.some((part) => part.counts === null)) continue;
      successorKpis.push(
        ordered(SUCCESSOR_KPIS, {
          ...periodColumns,
          unit_code: unit.code,
          unit_name: unit.name,
          unit_level: unit.level,
          parent_code: unit.parent,
          ...figures(weighted(parts as { counts: Counts; weight: number }[])),
          lineage: from.every((link) => link.weight === 1) ? 'exact' : 'approximate',
          predecessors: from.map((link) => `${link.predecessor}×${link.weight}`).join('; '),
        }),
      );
    }
    const province = ordered(PROVINCE_KPIS, {
      ...periodColumns,
      ...figures(rollUp(p.months.map((i) => provinceMonthly[i]!))),
    });
    for (const kpi of KPI_KEYS) rankHonestly(rows, kpi, province);
    for (const row of rows) {
      // The procedure mix the sample has no procedures for: an expectation halfway between
      // the unit's rate and the province's stands in for it.
      const rate = row.on_time_rate as number | null;
      const p0 = province.on_time_rate as number | null;
      const expected = rate === null || p0 === null ? null : (rate + p0) / 2;
      row.expected_on_time_rate = expected;
      row.on_time_rate_vs_expected = expected === null ? null : (rate as number) - expected;
    }
    unitKpis.push(...rows.map((row) => ordered(UNIT_KPIS, row)));
    provinceKpis.push(province);
  }
  const overdue: Record<string, unknown>[] = [];
  const lastMonth = months.length - 1;
  const asOfDay = sample.asOf.slice(0, 10);
  for (const unit of sample.units.filter((u) => existed(u, asOfDay, asOfDay))) {
    const open = perUnit.get(unit.code)![lastMonth]!.pending_overdue;
    for (let i = 0; i < Math.min(open, 4); i++) {
      const days = 1 + ((i * 7 + unit.code.length) % 40);
      const due = new Date(Date.parse(`${asOfDay}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
      overdue.push(
        ordered(OVERDUE_DOSSIERS, {
          reference: overdueReference('sample reference key', `${unit.code}-${i + 1}`),
          procedure_code: `1.00${i}${unit.code.length}`,
          procedure_name:
            i % 2 ? 'Cấp bản sao trích lục hộ tịch' : 'Chứng thực bản sao từ bản chính giấy tờ, văn bản',
          field_name: i % 2 ? 'Hộ tịch' : 'Chứng thực',
          unit_code: unit.code,
          unit_name: unit.name,
          received_at: '2024-11-20 08:15:00',
          due_at: `${due} 17:00:00`,
          days_overdue: days,
        }),
      );
    }
  }
  const ingest = ['2025-01-12', '2025-01-13', '2025-01-14'].map((date, i) =>
    ordered(INGEST_REPORT, {
      snapshot_date: date,
      file: `dossiers-${date}.csv`,
      sha256: createHash('sha256').update(date).digest('hex'),
      rows_read: 1200 + i,
      rows_accepted: 1198 + i,
      rows_quarantined: 2,
      quarantined_by_reason: JSON.stringify({ 'unknown unit': 1, 'bad received_at': 1 }),
      started_at: `${date} 23:10:00`,
      finished_at: `${date} 23:10:04`,
    }),
  );
  const registry: Record<string, Record<string, unknown>[]> = sample.registry
    ? {
        units: sample.units.map((u) =>
          ordered(UNITS, {
            unit_code: u.code,
            unit_name: u.name,
            unit_level: u.level,
            parent_code: u.parent,
            valid_from: u.validFrom ?? null,
            valid_to: u.validTo ?? null,
          }),
        ),
        unit_successors: sample.successors.map((link) =>
          ordered(UNIT_SUCCESSORS, {
            predecessor_code: link.predecessor,
            successor_code: link.successor,
            weight: link.weight,
            effective_date: sample.units.find((u) => u.code === link.successor)?.validFrom ?? null,
          }),
        ),
        successor_kpis: successorKpis,
      }
    : {};
  return {
    asOf: sample.asOf,
    tables: {
      unit_kpis: unitKpis,
      province_kpis: provinceKpis,
      field_kpis: fieldKpis,
      overdue_dossiers: overdue,
      ingest_report: ingest,
      scorecard_766: scorecard766(
        { province_kpis: provinceKpis as Row[], unit_kpis: unitKpis as Row[] },
        parseConfig({}),
      ).map((row) => ordered(SCORECARD_766, row)),
      revisions: sampleRevisions(sample.asOf, unitKpis, provinceKpis),
      ...registry,
    },
  };
}

function rollUpAll(parts: Counts[]): Counts {
  const total = Object.fromEntries(COUNT_KEYS.map((key) => [key, 0])) as Counts;
  for (const part of parts) for (const key of COUNT_KEYS) total[key] += part[key];
  return total;
}

const csvValue = (value: unknown) => (value === null || value === undefined ? '' : String(value));

/** Writes <outDir>/data/v1/ (and its archive/<date>/ copies); returns the data/v1 path. */
export async function makeSamplePublishedData(
  outDir: string,
  sample: SampleCase = DEFAULT_SAMPLE,
): Promise<string> {
  const { asOf, tables } = makeSampleTables(sample);
  const dataDir = join(resolve(outDir), 'data', 'v1');
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  const connection = await openDuckDb({ threads: 1 });
  const resources: Record<string, unknown>[] = [];
  const accessed = asOf.slice(0, 10);
  const citation = citationText({ publisher: SAMPLE_PUBLISHER, asOf: localTime(asOf), accessed });
  try {
    for (const table of PUBLISHED_TABLES) {
      const rows = tables[table.name] ?? []; // tables without sample rows (successor_kpis, units, unit_successors): header only
      const header = table.columns.map((column) => column.name);
      const csv = stringify(
        rows.map((row) => header.map((name) => csvValue(row[name]))),
        { header: true, columns: header, bom: true },
      );
      const json = JSON.stringify(rows);
      await writeFile(join(dataDir, `${table.name}.csv`), csv);
      await writeFile(join(dataDir, `${table.name}.json`), json);
      const parquet = join(dataDir, `${table.name}.parquet`);
      await connection.run(
        `COPY (SELECT * FROM read_csv(${sqlString(join(dataDir, `${table.name}.csv`))}, header = true))
         TO ${sqlString(parquet)} (FORMAT parquet, COMPRESSION zstd)`,
      );
      const schema = {
        fields: table.columns.map((column) => ({
          name: column.name,
          type: column.type,
          title: column.vi,
          description: column.en,
        })),
        primaryKey: [...table.primaryKey],
      };
      await writeFile(
        join(dataDir, `${table.name}.xlsx`),
        await tableXlsx(table, rows as readonly Row[], {
          asOf: localTime(asOf),
          licence: 'CC BY 4.0',
          citation,
        }),
      );
      for (const [format, mediatype, body] of [
        ['csv', 'text/csv', csv],
        ['parquet', 'application/vnd.apache.parquet', undefined],
        ['json', 'application/json', json],
        ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', undefined],
      ] as const) {
        const path = `${table.name}.${format}`;
        const bytes = body === undefined ? await readFile(join(dataDir, path)) : Buffer.from(body);
        resources.push({
          name: format === 'csv' ? table.name : `${table.name}_${format}`,
          path,
          format,
          mediatype,
          encoding: 'utf-8',
          bytes: bytes.length,
          hash: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
          title: table.title_vi,
          description: table.title_en,
          schema,
        });
      }
    }
  } finally {
    connection.closeSync();
  }
  const datapackage = {
    profile: 'data-package',
    name: sample.registry ? 'congkhai-sample-reform' : 'congkhai-sample',
    title: 'Số liệu giải quyết TTHC (mẫu)',
    licenses: [
      {
        name: 'CC-BY-4.0',
        path: 'https://creativecommons.org/licenses/by/4.0/',
        title: 'Creative Commons Attribution 4.0',
      },
    ],
    created: '2025-01-15T00:05:00+07:00',
    as_of: asOf,
    targets: SAMPLE_TARGETS,
    min_resolved_for_rank: SAMPLE_MIN_RESOLVED,
    publisher: SAMPLE_PUBLISHER,
    citation,
    resources,
  };
  await writeUnitKits(dataDir, {
    tables: tables as Record<string, readonly Row[]>,
    asOf: localTime(asOf),
    publishedOn: accessed,
    config: { publisher: SAMPLE_PUBLISHER },
    slug: unitSlug,
  });
  await writeFile(join(dataDir, 'datapackage.json'), JSON.stringify(datapackage, null, 2));
  const dayBefore = dayBeforeOf(asOf.slice(0, 10));
  for (const date of [dayBefore, asOf.slice(0, 10)]) {
    const archive = join(dataDir, 'archive', date);
    await mkdir(archive, { recursive: true });
    for (const resource of resources)
      await copyFile(join(dataDir, String(resource.path)), join(archive, String(resource.path)));
    await copyFile(join(dataDir, 'datapackage.json'), join(archive, 'datapackage.json'));
  }
  return dataDir;
}

if (import.meta.main) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: make-sample-published-data.ts OUT_DIR [reform]');
    process.exit(2);
  }
  console.log(
    await makeSamplePublishedData(out, process.argv[3] === 'reform' ? REFORM_SAMPLE : DEFAULT_SAMPLE),
  );
}

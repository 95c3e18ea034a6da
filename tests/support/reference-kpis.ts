// A spec-literal reference of docs/design.md's classification, in plain TypeScript: every dossier
// against every period, with the rules written exactly as the design states them. Slow and
// obvious on purpose; the SQL in queries/ (which uses month numbers to avoid that join) is
// compared with it on random, boundary-heavy data.
import type { DossierRecord } from '../../functions/core/dossier-contract.ts';
import type { Period } from '../../functions/core/kpi/periods.ts';

export type SnapshotRecord = Pick<
  DossierRecord,
  'dossier_id' | 'unit_code' | 'channel' | 'received_at' | 'due_at' | 'resolved_at' | 'status' | 'field_name'
> & { snapshot_date: string; result_electronic?: boolean | null; digitized?: boolean | null };

export interface ReferenceCounts {
  received_online: number;
  carried_over: number;
  received_offline: number;
  resolved_total: number;
  resolved_on_time: number;
  resolved_early: number;
  resolved_late: number;
  returned_total: number;
  pending_total: number;
  pending_not_due: number;
  pending_overdue: number;
  e_cert_total: number;
  e_cert_electronic: number;
  digitized_total: number;
}

const date = (t: string) => t.slice(0, 10);

/** Each dossier's record in its latest snapshot dated on or before the as-of date. */
export function latestStates(records: readonly SnapshotRecord[], asOf: string): SnapshotRecord[] {
  const latest = new Map<string, SnapshotRecord>();
  for (const r of records) {
    if (r.snapshot_date > date(asOf)) continue;
    const seen = latest.get(r.dossier_id);
    if (!seen || r.snapshot_date > seen.snapshot_date) latest.set(r.dossier_id, r);
  }
  return [...latest.values()];
}

/** Counts of one group of dossiers for the period [start, end), classified at `end`. */
export function classify(dossiers: readonly SnapshotRecord[], start: string, end: string): ReferenceCounts {
  const c: ReferenceCounts = {
    received_online: 0,
    carried_over: 0,
    received_offline: 0,
    resolved_total: 0,
    resolved_on_time: 0,
    resolved_early: 0,
    resolved_late: 0,
    returned_total: 0,
    pending_total: 0,
    pending_not_due: 0,
    pending_overdue: 0,
    e_cert_total: 0,
    e_cert_electronic: 0,
    digitized_total: 0,
  };
  for (const d of dossiers) {
    if (d.status === 'submitted' || d.status === 'rejected_at_intake') continue;
    const closed =
      (d.status === 'resolved' || d.status === 'withdrawn' || d.status === 'stopped') &&
      d.resolved_at !== null;
    const closedBefore = (t: string) => closed && d.resolved_at! < t;
    const isNew = d.received_at >= start && d.received_at < end;
    if (isNew && d.channel === 'online') c.received_online++;
    if (isNew && d.channel !== 'online') c.received_offline++;
    if (isNew && d.digitized) c.digitized_total++;
    if (d.received_at < start && !closedBefore(start)) c.carried_over++;
    const closedInPeriod = closed && d.resolved_at! >= start && d.resolved_at! < end;
    if (closedInPeriod && d.status === 'resolved') {
      c.resolved_total++;
      const late = d.due_at !== null && date(d.resolved_at!) > date(d.due_at);
      if (late) c.resolved_late++;
      else c.resolved_on_time++;
      if (d.due_at !== null && date(d.resolved_at!) < date(d.due_at)) c.resolved_early++;
      if (d.field_name === 'Chứng thực') {
        c.e_cert_total++;
        if (d.result_electronic) c.e_cert_electronic++;
      }
    }
    if (closedInPeriod && d.status !== 'resolved') c.returned_total++;
    if (d.received_at < end && !closedBefore(end)) {
      c.pending_total++;
      if (d.due_at !== null && date(d.due_at) < date(end)) c.pending_overdue++;
      else c.pending_not_due++;
    }
  }
  return c;
}

/** A unit's validity, inclusive days ('YYYY-MM-DD'; null: open). */
export interface ReferenceUnit {
  unit_code: string;
  valid_from: string | null;
  valid_to: string | null;
}

/**
 * docs/design.md "Units across the 1 July 2025 reform", literally: whether the unit existed at some
 * day of the period [start, end) (end: the first day after it). A unit the registry does not
 * list, or any unit without a registry, always exists.
 */
export function existedDuring(
  registry: readonly ReferenceUnit[] | undefined,
  unit: string,
  period: Pick<Period, 'period_start' | 'period_end'>,
): boolean {
  const entry = registry?.find((u) => u.unit_code === unit);
  if (!entry) return true;
  const firstDay = date(period.period_start);
  const lastDay = addDays(date(period.period_end), -1);
  return (
    (entry.valid_from === null || entry.valid_from <= lastDay) &&
    (entry.valid_to === null || entry.valid_to >= firstDay)
  );
}

const addDays = (day: string, days: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/**
 * The unit a dossier counts under in a period: the unit named by its latest snapshot (up to
 * the as-of date) whose unit existed during the period; if none did, its latest snapshot's.
 */
export function attributedUnit(
  snapshots: readonly SnapshotRecord[],
  period: Pick<Period, 'period_start' | 'period_end'>,
  registry: readonly ReferenceUnit[] | undefined,
): string {
  const latestFirst = [...snapshots].sort((a, b) => b.snapshot_date.localeCompare(a.snapshot_date));
  return (latestFirst.find((s) => existedDuring(registry, s.unit_code, period)) ?? latestFirst[0]!).unit_code;
}

/** Reference counts per (period, unit) and per period for the province. */
export function referenceKpis(
  records: readonly SnapshotRecord[],
  asOf: string,
  periods: readonly Period[],
  registry?: readonly ReferenceUnit[],
) {
  const states = latestStates(records, asOf);
  const history = new Map<string, SnapshotRecord[]>();
  for (const r of records) {
    if (r.snapshot_date > date(asOf)) continue;
    history.set(r.dossier_id, [...(history.get(r.dossier_id) ?? []), r]);
  }
  const units = [...new Set(records.map((d) => d.unit_code))].sort();
  const unitRows = new Map<string, ReferenceCounts>();
  const provinceRows = new Map<string, ReferenceCounts>();
  for (const p of periods) {
    const end = p.period_end < asOf ? p.period_end : asOf;
    provinceRows.set(`${p.period_type}|${p.period}`, classify(states, p.period_start, end));
    const counted = new Map(
      states.map((d) => [d.dossier_id, attributedUnit(history.get(d.dossier_id)!, p, registry)]),
    );
    for (const unit of units) {
      unitRows.set(
        `${p.period_type}|${p.period}|${unit}`,
        classify(
          states.filter((d) => counted.get(d.dossier_id) === unit),
          p.period_start,
          end,
        ),
      );
    }
  }
  return { unitRows, provinceRows };
}

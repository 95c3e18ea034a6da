// Expands a province's published table (per-unit counts for one period) into dossier records
// whose dates make docs/design.md's classification yield exactly those counts for the period.
// The dates sit on the rules' boundaries on purpose — resolved on the due date itself, at the
// last second of the period, at the first instant of the next; due on the period's last day
// vs. the next day's; carried over from the last minute before the period; closed at the
// first instant of the period — so that a reproduction proves the rules, not just the sums.
// Noise around each unit (closed just before the period, received at its end, submitted,
// rejected, withdrawn before it) must not change any count.
import { writeFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import {
  DOSSIER_COLUMNS,
  type DossierRecord,
  type UnitLevel,
} from '../../functions/core/dossier-contract.ts';

/** One row of a published table: the counts of one unit for the period. */
export interface PublishedUnitCounts {
  unit_code: string;
  unit_name: string;
  unit_level: UnitLevel;
  parent_code?: string | null;
  received_online: number;
  carried_over: number;
  received_offline: number;
  resolved_on_time: number;
  resolved_late: number;
  pending_not_due: number;
  pending_overdue: number;
  /** withdrawn or stopped in the period (provinces' forms usually fold these into on time) */
  returned?: number;
}

export interface Period {
  /** 'YYYY-MM-DD', first day */
  start: string;
  /** 'YYYY-MM-DD', the day after the last day */
  end: string;
}

type Outcome = 'on_time' | 'late' | 'returned' | 'pending_not_due' | 'pending_overdue';
type Origin = 'carried' | 'online' | 'offline';

// --- date arithmetic on 'YYYY-MM-DD HH:MM:SS' wall-clock strings (Vietnam local, no DST) ---
const toMs = (t: string) => Date.parse(`${t.length === 10 ? `${t} 00:00:00` : t}Z`.replace(' ', 'T'));
const fromMs = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const DAY = 86_400_000;
export const addSeconds = (t: string, s: number) => fromMs(toMs(t) + s * 1000);
export const addDays = (t: string, d: number) => fromMs(toMs(t) + d * DAY);
const at = (date: string, time: string) => `${date} ${time}`;

/** Spread dossier i over the first `span` days of the period, at office hours. */
function receivedInPeriod(period: Period, i: number, span: number): string {
  const day = addDays(period.start, i % span).slice(0, 10);
  return at(day, `${String(7 + (i % 10)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`);
}

interface Dates {
  received_at: string;
  due_at: string | null;
  resolved_at: string | null;
  status: DossierRecord['status'];
}

/**
 * Dates for one dossier of the given origin and outcome; `variant` cycles through boundary
 * patterns. Every pattern was chosen to sit on a rule's edge (see the comments).
 */
function datesFor(origin: Origin, outcome: Outcome, variant: number, period: Period, i: number): Dates {
  const start = at(period.start, '00:00:00');
  const end = at(period.end, '00:00:00');
  const lastDay = addDays(period.end, -1).slice(0, 10);
  const lastSecond = addSeconds(end, -1); // e.g. 2021-03-31 23:59:59
  const days = Math.round((toMs(period.end) - toMs(period.start)) / DAY);
  if (origin === 'carried') {
    // Received before the period and still open at its start.
    const received =
      variant % 2 === 0 ? addSeconds(start, -60) : addDays(at(period.start, '09:30:00'), -20 - (i % 15));
    switch (outcome) {
      case 'on_time':
        return variant % 3 === 0
          ? // closed at the first instant of the period: not "closed before start"
            { received_at: received, due_at: addDays(start, 3), resolved_at: start, status: 'resolved' }
          : // resolved on the due date itself, last second: on time, not early
            {
              received_at: received,
              due_at: at(addDays(period.start, 4).slice(0, 10), '08:00:00'),
              resolved_at: at(addDays(period.start, 4).slice(0, 10), '23:59:59'),
              status: 'resolved',
            };
      case 'late':
        // due the last day before the period, resolved in it
        return {
          received_at: received,
          due_at: addSeconds(start, -1),
          resolved_at: at(period.start, '08:00:00'),
          status: 'resolved',
        };
      case 'returned':
        return {
          received_at: received,
          due_at: addDays(start, 5),
          resolved_at: addDays(start, 2),
          status: 'withdrawn',
        };
      case 'pending_not_due':
        return variant % 2 === 0
          ? // due the day after the period's last day: not overdue at its end
            {
              received_at: received,
              due_at: at(period.end, '00:00:00'),
              resolved_at: null,
              status: 'processing',
            }
          : // no legal deadline: never overdue
            { received_at: received, due_at: null, resolved_at: null, status: 'supplement_requested' };
      case 'pending_overdue':
        return { received_at: received, due_at: addDays(start, 9), resolved_at: null, status: 'processing' };
    }
  }
  const received = receivedInPeriod(period, i, Math.max(1, days - 12));
  const receivedDate = received.slice(0, 10);
  switch (outcome) {
    case 'on_time':
      switch (variant % 4) {
        case 0: // resolved on the due date itself: on time, not early
          return {
            received_at: received,
            due_at: at(addDays(receivedDate, 5).slice(0, 10), '17:00:00'),
            resolved_at: at(addDays(receivedDate, 5).slice(0, 10), '23:59:59'),
            status: 'resolved',
          };
        case 1: // early
          return {
            received_at: received,
            due_at: addDays(received, 10),
            resolved_at: addDays(received, 2),
            status: 'resolved',
          };
        case 2: // no due date: on time, not early
          return {
            received_at: received,
            due_at: null,
            resolved_at: addDays(received, 1),
            status: 'resolved',
          };
        default: // received and resolved in the period's last second, due that day
          return {
            received_at: addSeconds(lastSecond, -1),
            due_at: at(lastDay, '00:00:00'),
            resolved_at: lastSecond,
            status: 'resolved',
          };
      }
    case 'late':
      return variant % 2 === 0
        ? // resolved at midnight the day after the due date: late
          {
            received_at: received,
            due_at: at(addDays(receivedDate, 3).slice(0, 10), '16:00:00'),
            resolved_at: at(addDays(receivedDate, 4).slice(0, 10), '00:00:00'),
            status: 'resolved',
          }
        : // due the day before the last, resolved in the period's last second
          {
            received_at: received,
            due_at: at(addDays(lastDay, -1).slice(0, 10), '17:00:00'),
            resolved_at: lastSecond,
            status: 'resolved',
          };
    case 'returned':
      return {
        received_at: received,
        due_at: addDays(received, 7),
        resolved_at: addDays(received, 1),
        status: i % 2 ? 'withdrawn' : 'stopped',
      };
    case 'pending_not_due':
      switch (variant % 3) {
        case 0: // due the day after the period: not overdue
          return {
            received_at: received,
            due_at: at(period.end, '17:00:00'),
            resolved_at: null,
            status: 'processing',
          };
        case 1: // resolved at the first instant after the period: still open at its end
          return { received_at: received, due_at: addDays(end, 3), resolved_at: end, status: 'resolved' };
        default: // received in the last second
          return {
            received_at: lastSecond,
            due_at: addDays(end, 10),
            resolved_at: null,
            status: 'processing',
          };
      }
    case 'pending_overdue':
      return variant % 2 === 0
        ? // due the period's last day (23:59:59): overdue at its end by calendar date
          { received_at: received, due_at: lastSecond, resolved_at: null, status: 'processing' }
        : // resolved late, after the period: open and overdue at its end
          {
            received_at: received,
            due_at: at(lastDay, '08:00:00'),
            resolved_at: addDays(end, 1),
            status: 'resolved',
          };
  }
}

function baseRecord(
  unit: PublishedUnitCounts,
  id: string,
  line: number,
): Omit<DossierRecord, keyof Dates | 'channel'> {
  return {
    dossier_id: id,
    procedure_code: `1.00${line % 7}`,
    procedure_name: 'Thủ tục mẫu',
    field_code: null,
    field_name: line % 5 === 0 ? 'Chứng thực' : 'Đất đai',
    unit_code: unit.unit_code,
    unit_name: unit.unit_name,
    unit_level: unit.unit_level,
    parent_code: unit.parent_code ?? null,
    online_level: null,
    result_electronic: line % 2 === 0,
    paid_online: null,
    fee_required: null,
    digitized: line % 3 === 0,
    updated_at: null,
    source_file: 'expanded.csv',
    source_line: line,
  };
}

/** The dossiers of one unit: exactly its counts in `period`, plus noise that must not count. */
export function expandUnit(unit: PublishedUnitCounts, period: Period): DossierRecord[] {
  const outcomes: Outcome[] = [
    ...Array<Outcome>(unit.resolved_on_time).fill('on_time'),
    ...Array<Outcome>(unit.resolved_late).fill('late'),
    ...Array<Outcome>(unit.returned ?? 0).fill('returned'),
    ...Array<Outcome>(unit.pending_not_due).fill('pending_not_due'),
    ...Array<Outcome>(unit.pending_overdue).fill('pending_overdue'),
  ];
  // Interleave the origins so that every outcome meets every origin.
  const origins: Origin[] = [];
  const left = { carried: unit.carried_over, online: unit.received_online, offline: unit.received_offline };
  while (left.carried + left.online + left.offline > 0) {
    for (const origin of ['carried', 'online', 'offline'] as const) {
      if (left[origin] > 0) {
        origins.push(origin);
        left[origin]--;
      }
    }
  }
  if (origins.length !== outcomes.length) {
    throw new Error(
      `${unit.unit_code}: received (${origins.length}) ≠ resolved + returned + pending (${outcomes.length})`,
    );
  }
  const records: DossierRecord[] = [];
  const seen: Record<string, number> = {};
  origins.forEach((origin, i) => {
    const outcome = outcomes[i]!;
    const key = `${origin}/${outcome}`;
    const variant = (seen[key] ?? -1) + 1;
    seen[key] = variant;
    const channel =
      origin === 'online'
        ? 'online'
        : origin === 'offline'
          ? i % 4 === 0
            ? 'postal'
            : 'direct'
          : i % 2
            ? 'online'
            : 'direct';
    records.push({
      ...baseRecord(unit, `${unit.unit_code}-${String(i + 1).padStart(6, '0')}`, i + 1),
      channel,
      ...datesFor(origin, outcome, variant, period, i),
    });
  });
  // Noise: none of these is in any count of the period.
  const start = at(period.start, '00:00:00');
  const end = at(period.end, '00:00:00');
  const noise: Array<Dates & { channel: DossierRecord['channel'] }> = [
    // closed in the last second before the period: not carried over
    {
      received_at: addDays(start, -40),
      due_at: addDays(start, -10),
      resolved_at: addSeconds(start, -1),
      status: 'resolved',
      channel: 'direct',
    },
    // withdrawn before the period
    {
      received_at: addDays(start, -30),
      due_at: addDays(start, -5),
      resolved_at: addDays(start, -20),
      status: 'withdrawn',
      channel: 'online',
    },
    // received at the first instant after the period
    { received_at: end, due_at: addDays(end, 5), resolved_at: null, status: 'processing', channel: 'online' },
    // received in the period but never received by the office: left out
    {
      received_at: addDays(start, 10),
      due_at: addDays(start, 15),
      resolved_at: null,
      status: 'submitted',
      channel: 'online',
    },
    {
      received_at: addDays(start, 11),
      due_at: addDays(start, 16),
      resolved_at: null,
      status: 'rejected_at_intake',
      channel: 'direct',
    },
  ];
  noise.forEach((dates, k) => {
    const line = origins.length + k + 1;
    records.push({ ...baseRecord(unit, `${unit.unit_code}-N${k + 1}`, line), ...dates });
  });
  return records;
}

/**
 * The records as an extract taken at the end of `date` would show them: received by then,
 * and not yet closed if they closed later.
 */
export function stateAtEndOf(records: readonly DossierRecord[], date: string): DossierRecord[] {
  const cut = addDays(date, 1);
  return records
    .filter((r) => r.received_at < cut)
    .map((r) =>
      r.resolved_at !== null && r.resolved_at >= cut
        ? { ...r, resolved_at: null, status: 'processing' as const }
        : r,
    );
}

/** Records as a v1 CSV extract (canonical column names, UTF-8). */
export async function writeV1Csv(records: readonly DossierRecord[], path: string): Promise<void> {
  const columns = DOSSIER_COLUMNS.map((c) => c.name);
  const cell = (value: unknown) => (value === null || value === undefined ? '' : String(value));
  const body = stringify(
    records.map((r) => columns.map((c) => cell(r[c as keyof DossierRecord]))),
    { header: true, columns },
  );
  await writeFile(path, body);
}

/** A fixture table such as bac-giang-2021-q1.csv, with stable unit codes. */
export function readPublishedTable(
  csvText: string,
  codeOf: (row: number) => string,
): Array<PublishedUnitCounts & Record<string, unknown>> {
  const rows = parse(csvText, { columns: true, skip_empty_lines: true, bom: true }) as Record<
    string,
    string
  >[];
  return rows.map((row) => {
    const n = (c: string) => {
      const value = Number(row[c]);
      if (!Number.isInteger(value)) throw new Error(`row ${row['row']}: ${c} = ${row[c]}`);
      return value;
    };
    return {
      ...Object.fromEntries(Object.entries(row).map(([k, v]) => [k, /^\d+$/.test(v) ? Number(v) : v])),
      unit_code: codeOf(n('row')),
      unit_name: row['unit_name']!.normalize('NFC'),
      unit_level: row['unit_level'] as UnitLevel,
      parent_code: null,
      received_online: n('received_online'),
      carried_over: n('carried_over'),
      received_offline: n('received_offline'),
      resolved_on_time: n('resolved_on_time'),
      resolved_late: n('resolved_late'),
      pending_not_due: n('pending_not_due'),
      pending_overdue: n('pending_overdue'),
    };
  });
}

// The demo province generator: 24 months of dossiers (2023-01-01 … 2024-12-31, Vietnam
// time) for the units of units.ts, written as one full nightly extract and then incremental
// ones (see DEMO_SNAPSHOTS), plus units.csv. Deterministic for a seed.
//
// Two passes. First every dossier's unit, day, time and channel are drawn into typed arrays
// (a few bytes each) and ordered by time; then dossiers are built one by one in that order
// and streamed to the full extract, keeping only those that change in the incremental days.
import { mkdir } from 'node:fs/promises';
import type { Channel, UnitLevel } from '../dossier-contract.ts';
import {
  addWorkingDays,
  arrivalWeight,
  DAY_MS,
  dayOf,
  HOUR_S,
  isHoliday,
  isoDay,
  isWorkingDay,
  nextWorkingDay,
  weekday,
  workingDaysBetween,
} from './calendar.ts';
import { fakeApplicant } from './citizens.ts';
import { changedBetween, type DemoDossier, stateAt } from './dossier.ts';
import {
  commit,
  discard,
  EXTRACT_COLUMNS,
  extractRow,
  type PendingFile,
  UNITS_COLUMNS,
  unitRow,
  type WrittenFile,
  writeCsv,
} from './extract-csv.ts';
import { CERTIFICATION_FIELD_NAME, DEMO_FIELDS, type DemoField, type DemoProcedure } from './fields.ts';
import { cumulativeOf, pickCumulative, Random } from './prng.ts';
import { DEMO_UNITS, type DemoUnit } from './units.ts';

export const DEFAULT_DOSSIERS = 200_000;
export const DEFAULT_SEED = 1;
/** Seeds are 32-bit: sfc32 is seeded from one 32-bit word. */
export const MAX_SEED = 0xffff_ffff;

export const DEMO_FIRST_DAY = '2023-01-01';
export const DEMO_LAST_DAY = '2024-12-31';
/** The full extract's snapshot date, then the incremental ones (the extract of each night). */
export const DEMO_SNAPSHOTS = ['2024-12-28', '2024-12-29', '2024-12-30', '2024-12-31'] as const;

export function extractFileName(snapshotDate: string): string {
  return `dossiers-${snapshotDate}.csv`;
}
export const UNITS_FILE = 'units.csv';

// Lifecycle mix (shares of received dossiers).
const SUBMITTED_SHARE = 0.004; // online drafts never received (online channel only)
const REJECTED_SHARE = 0.006; // refused at intake
const WITHDRAWN_SHARE = 0.015;
const STOPPED_SHARE = 0.005;
const SUPPLEMENT_SHARE = 0.08; // among dossiers with a deadline of 3+ working days
const DUE_DAY_SHARE = 0.35; // on-time dossiers resolved on the due date itself (not early)

const S = 1000; // ms per second

const logit = (p: number) => Math.log(p / (1 - p));
const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const clampRate = (p: number) => Math.min(0.998, Math.max(0.002, p));

/** A unit's procedures flattened for drawing, and the share of its volume that has a deadline. */
interface UnitProfile {
  unit: DemoUnit;
  choices: Array<{ field: DemoField; procedure: DemoProcedure }>;
  cumulative: Float64Array;
  dueShare: number;
  onlineLogit: number;
  onTimeLogit: number;
  /** Per-day dossier sequence, for dossier ids. */
  sequence: number;
}

function profileOf(unit: DemoUnit): UnitProfile {
  const choices: UnitProfile['choices'] = [];
  const weights: number[] = [];
  for (const [key, fieldWeight] of unit.fields) {
    const field: DemoField = DEMO_FIELDS[key];
    const total = field.procedures.reduce((sum, p) => sum + p.weight, 0);
    for (const procedure of field.procedures) {
      choices.push({ field, procedure });
      weights.push((fieldWeight * procedure.weight) / total);
    }
  }
  const sum = weights.reduce((a, b) => a + b, 0);
  const dueShare = choices.reduce(
    (acc, c, i) => acc + (c.procedure.days === null ? 0 : weights[i]! / sum),
    0,
  );
  return {
    unit,
    choices,
    cumulative: cumulativeOf(weights),
    dueShare,
    onlineLogit: logit(clampRate(unit.target_online_share)),
    onTimeLogit: logit(clampRate(unit.target_on_time_rate)),
    sequence: 0,
  };
}

const CHANNEL_CODES: readonly Channel[] = ['online', 'direct', 'postal'];

/** Seconds after midnight at which an online dossier arrives: daytime peaks, some at night. */
const ONLINE_HOURS = cumulativeOf([
  0.2, 0.1, 0.05, 0.05, 0.05, 0.2, 0.6, 1.2, 2, 2.2, 2, 1.6, 1, 1.2, 2, 2.1, 1.9, 1.3, 0.9, 0.9, 1, 0.9, 0.6,
  0.4,
]);

function counterSecond(random: Random, saturday: boolean): number {
  // The one-stop desks: 7:30–11:30 and 13:30–17:00; Saturday mornings only.
  if (saturday || random.chance(0.6)) return Math.floor((7.5 + 4 * random.next()) * HOUR_S);
  return Math.floor((13.5 + 3.5 * random.next()) * HOUR_S);
}

function workingSecond(random: Random): number {
  return Math.floor((8 + 9.25 * random.next()) * HOUR_S);
}

export interface DemoDataOptions {
  out: string;
  dossiers?: number;
  seed?: number;
}

export interface DemoDataResult {
  files: WrittenFile[];
  dossiers: number;
  byLevel: Record<UnitLevel, number>;
  /** Final status (as of the end of the last snapshot day) → count. */
  byStatus: Record<string, number>;
}

export async function writeDemoData(options: DemoDataOptions): Promise<DemoDataResult> {
  const total = options.dossiers ?? DEFAULT_DOSSIERS;
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(total) || total < 1)
    throw new Error(`dossiers must be a positive integer, got ${total}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new Error(`seed must be an integer from 0 to ${MAX_SEED}, got ${seed}`);
  }
  await mkdir(options.out, { recursive: true });

  const random = new Random(seed);
  const profiles = DEMO_UNITS.map(profileOf);
  const unitCumulative = cumulativeOf(DEMO_UNITS.map((u) => u.volume_share));

  const firstDay = dayOf(DEMO_FIRST_DAY);
  const lastDay = dayOf(DEMO_LAST_DAY);
  const spanDays = lastDay - firstDay + 1;
  const dayCumulative = cumulativeOf(Array.from({ length: spanDays }, (_, i) => arrivalWeight(firstDay + i)));
  /** Progress through the 24 months, 0 → 1, for the trends. */
  const progress = (day: number) => (day - firstDay) / (spanDays - 1);
  // Trends pivot on the volume-weighted mean progress, so that over the 24 months each
  // unit's rates average out at their targets although later months are busier.
  let pivot = 0;
  for (let i = 0; i < spanDays; i++)
    pivot += (dayCumulative[i]! - (i ? dayCumulative[i - 1]! : 0)) * progress(firstDay + i);
  pivot /= dayCumulative[spanDays - 1]!;

  // Pass 1: who arrives when, through which channel.
  const arrivalDay = new Int32Array(total);
  const arrivalSecond = new Int32Array(total);
  const arrivalUnit = new Uint16Array(total);
  const arrivalChannel = new Uint8Array(total);
  const perDay = new Int32Array(spanDays + 1);
  for (let i = 0; i < total; i++) {
    const u = pickCumulative(unitCumulative, random.next());
    let day = firstDay + pickCumulative(dayCumulative, random.next());
    // Online share drifts up over the two years (about ±0.5 on the logit scale around the target).
    const online = random.chance(logistic(profiles[u]!.onlineLogit + (progress(day) - pivot)));
    let channel = online ? 0 : random.chance(0.03) ? 2 : 1;
    let second: number;
    if (online) {
      second = Math.floor((pickCumulative(ONLINE_HOURS, random.next()) + random.next()) * HOUR_S);
    } else {
      // Counters are shut on Sundays and holidays: the applicant comes on the next working day.
      if (weekday(day) === 0 || isHoliday(day)) day = nextWorkingDay(day);
      if (day > lastDay) {
        day = lastDay;
        channel = 0;
      }
      second = counterSecond(random, weekday(day) === 6);
    }
    arrivalUnit[i] = u;
    arrivalDay[i] = day;
    arrivalSecond[i] = second;
    arrivalChannel[i] = channel;
    perDay[day - firstDay + 1]! += 1;
  }
  // Order by day (counting sort), then by second within the day (stable).
  for (let d = 1; d <= spanDays; d++) perDay[d]! += perDay[d - 1]!;
  const order = new Int32Array(total);
  const cursor = perDay.slice(0, spanDays);
  for (let i = 0; i < total; i++) order[cursor[arrivalDay[i]! - firstDay]!++] = i;
  for (let d = 0; d < spanDays; d++) {
    const slice = order.subarray(perDay[d]!, perDay[d + 1]!);
    slice.sort((a, b) => arrivalSecond[a]! - arrivalSecond[b]! || a - b);
  }

  // Pass 2: build each dossier in arrival order.
  const snapshotEnds = DEMO_SNAPSHOTS.map((d) => (dayOf(d) + 1) * DAY_MS);
  const fullEnd = snapshotEnds[0]!;
  const finalEnd = snapshotEnds[snapshotEnds.length - 1]!;
  const incremental: DemoDossier[][] = DEMO_SNAPSHOTS.slice(1).map(() => []);
  const byLevel: Record<UnitLevel, number> = { province: 0, district: 0, commune: 0 };
  const byStatus: Record<string, number> = {};

  const build = (index: number): DemoDossier => {
    const profile = profiles[arrivalUnit[index]!]!;
    const unit = profile.unit;
    const day = arrivalDay[index]!;
    const second = arrivalSecond[index]!;
    const receivedAt = day * DAY_MS + second * S;
    const t = progress(day);
    const channel = CHANNEL_CODES[arrivalChannel[index]!]!;
    const { field, procedure } = profile.choices[pickCumulative(profile.cumulative, random.next())]!;
    const online = channel === 'online';
    const isWorking = isWorkingDay(day);

    // Deadline: counted in working days from the day of receipt (the next working day when
    // received after hours); same-day procedures received after 15:00 are due the next day.
    let dueAt: number | null = null;
    const workStart = isWorking && second < 17 * HOUR_S ? day : nextWorkingDay(day + 1);
    if (procedure.days === 0) {
      const dueDay = isWorking && second < 15 * HOUR_S ? day : nextWorkingDay(day + 1);
      dueAt = dueDay * DAY_MS + 17 * HOUR_S * S;
    } else if (procedure.days !== null) {
      const dueSecond = Math.min(17 * HOUR_S, Math.max(8 * HOUR_S, second));
      dueAt = addWorkingDays(workStart, procedure.days) * DAY_MS + dueSecond * S;
    }

    /** A time on `closeDay`, after receipt: within office hours, or shortly after receipt. */
    const closingTime = (closeDay: number): number => {
      if (closeDay > day) return closeDay * DAY_MS + workingSecond(random) * S;
      const room = Math.max(15 * 60, 17.5 * HOUR_S - second);
      return Math.min(receivedAt + (600 + Math.floor(random.next() * room)) * S, day * DAY_MS + (DAY_MS - S));
    };

    let kind: DemoDossier['kind'] = 'normal';
    let fate: DemoDossier['fate'] = 'resolved';
    let closeAt = Number.POSITIVE_INFINITY;
    let supplementFrom: number | null = null;
    let supplementUntil: number | null = null;
    const lifeDraw = random.next();
    const kindDraw = random.next();
    if (online && kindDraw < SUBMITTED_SHARE) {
      kind = 'submitted';
      fate = null;
    } else if (kindDraw >= SUBMITTED_SHARE && kindDraw < SUBMITTED_SHARE + REJECTED_SHARE) {
      kind = 'rejected';
      fate = null;
      closeAt = receivedAt + random.int(2 * HOUR_S, 48 * HOUR_S) * S;
    } else if (lifeDraw < WITHDRAWN_SHARE + STOPPED_SHARE) {
      fate = lifeDraw < WITHDRAWN_SHARE ? 'withdrawn' : 'stopped';
      const span = Math.max(1, Math.min(procedure.days ?? 10, 10));
      const closeDay = addWorkingDays(workStart, random.int(0, span));
      closeAt = closingTime(closeDay);
    } else if (lifeDraw < WITHDRAWN_SHARE + STOPPED_SHARE + unit.stuck_share) {
      // Stalls: never closes; some wait for a supplement that never comes.
      fate = null;
      if (random.chance(0.4)) {
        supplementFrom = receivedAt + random.int(24 * HOUR_S, 5 * 24 * HOUR_S) * S;
        supplementUntil = null;
      }
    } else if (procedure.days === null) {
      closeAt = closingTime(addWorkingDays(workStart, random.int(1, 20)));
    } else {
      const dueDay = Math.floor(dueAt! / DAY_MS);
      // Late dossiers are drawn among those with a deadline, so that with the no-deadline
      // ones (always on time) the unit's on-time rate comes out at its target.
      const onTimeRate = logistic(profile.onTimeLogit + 0.5 * (t - pivot));
      const lateChance = Math.min(1, (1 - onTimeRate) / Math.max(profile.dueShare, 1e-9));
      if (random.chance(lateChance)) {
        const daysLate = 1 + random.geometric(3) + (random.chance(0.08) ? random.int(10, 60) : 0);
        closeAt = addWorkingDays(dueDay, daysLate) * DAY_MS + workingSecond(random) * S;
      } else {
        // On time: on the due date, or early on a working day since receipt.
        const late = second >= 16.5 * HOUR_S;
        const earlier = workingDaysBetween(late ? day + 1 : day, dueDay - 1);
        const closeDay = earlier.length === 0 || random.chance(DUE_DAY_SHARE) ? dueDay : random.pick(earlier);
        closeAt = closingTime(closeDay);
        if (Math.floor(closeAt / DAY_MS) > dueDay) closeAt = dueDay * DAY_MS + (DAY_MS - S);
      }
    }
    if (kind === 'normal' && fate !== null && procedure.days !== null && procedure.days >= 3) {
      if (random.chance(SUPPLEMENT_SHARE)) {
        const from = receivedAt + random.int(12 * HOUR_S, 48 * HOUR_S) * S;
        const until = from + random.int(24 * HOUR_S, 8 * 24 * HOUR_S) * S;
        if (until < closeAt - HOUR_S * S) {
          supplementFrom = from;
          supplementUntil = until;
        }
      }
    }
    if (closeAt <= receivedAt) closeAt = receivedAt + 600 * S;

    const onlineLevel = online ? (procedure.fullOnline && random.chance(0.75) ? 'full' : 'partial') : null;
    const certification = field.name === CERTIFICATION_FIELD_NAME;
    const resultElectronic = certification
      ? random.chance(0.05 + 0.35 * t)
      : random.chance(online ? 0.05 + 0.2 * t : 0.02);
    const paidOnline = kind === 'normal' && procedure.fee && online && random.chance(0.25 + 0.4 * t);
    const digitized = random.chance(0.3 + 0.55 * t);
    const applicant = fakeApplicant(random);

    const yymmdd = isoDay(day).slice(2).replaceAll('-', '');
    profile.sequence += 1;
    return {
      id: `${unit.e_identifier}-${yymmdd}-${String(profile.sequence).padStart(5, '0')}`,
      unit,
      field,
      procedure,
      channel,
      onlineLevel,
      receivedAt,
      dueAt,
      kind,
      fate,
      closeAt,
      supplementFrom,
      supplementUntil,
      resultElectronic,
      feeRequired: procedure.fee,
      paidOnline,
      digitized,
      applicant,
    };
  };

  function* fullExtractRows(): Generator<string[]> {
    let currentDay = -1;
    for (let k = 0; k < total; k++) {
      const index = order[k]!;
      const day = arrivalDay[index]!;
      if (day !== currentDay) {
        currentDay = day;
        for (const p of profiles) p.sequence = 0;
      }
      const dossier = build(index);
      byLevel[dossier.unit.unit_level] += 1;
      const final = stateAt(dossier, finalEnd)!;
      byStatus[final.status] = (byStatus[final.status] ?? 0) + 1;
      for (let s = 1; s < snapshotEnds.length; s++) {
        if (changedBetween(dossier, snapshotEnds[s - 1]!, snapshotEnds[s]!))
          incremental[s - 1]!.push(dossier);
      }
      const state = stateAt(dossier, fullEnd);
      if (state) yield extractRow(dossier, state);
    }
  }

  const pending: PendingFile[] = [];
  try {
    pending.push(await writeCsv(options.out, UNITS_FILE, UNITS_COLUMNS, DEMO_UNITS.map(unitRow)));
    pending.push(
      await writeCsv(options.out, extractFileName(DEMO_SNAPSHOTS[0]), EXTRACT_COLUMNS, fullExtractRows()),
    );
    for (let s = 1; s < DEMO_SNAPSHOTS.length; s++) {
      const end = snapshotEnds[s]!;
      const rows = incremental[s - 1]!.map((d) => extractRow(d, stateAt(d, end)!));
      pending.push(await writeCsv(options.out, extractFileName(DEMO_SNAPSHOTS[s]!), EXTRACT_COLUMNS, rows));
    }
  } catch (error) {
    await discard(pending);
    throw error;
  }
  const files = await commit(pending);
  return { files, dossiers: total, byLevel, byStatus };
}

// The demo province generator: new Bắc Ninh (old Bắc Ninh + old Bắc Giang, merged on 1 July
// 2025), 1 January 2024 … 29 November 2026, Vietnam time. Up to 30 June 2025 its dossiers sit
// in the two former provinces' systems (Bắc Ninh's in the national portal's DongBoHoSoMC JSON,
// Bắc Giang's in the v1 CSV); from 1 July 2025 in the merged system (v1 CSV), under the units
// that exist after the reform. Dossiers still open at the reform continue in the merged system
// under a successor unit, with the same dossier id. Each system writes a full nightly extract
// and then incremental ones (see DEMO_SYSTEMS); units.csv and unit_successors.csv go beside
// them. Deterministic for a seed.
//
// Two passes. First every dossier's origin unit, day, time and channel are drawn into typed
// arrays (a few bytes each) and ordered by time; then dossiers are built one by one in that
// order and streamed to the systems' full extracts, keeping only those that change in the
// incremental days.
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
  EXTRACT_COLUMNS,
  extractRow,
  SUCCESSORS_COLUMNS,
  successorRows,
  UNITS_COLUMNS,
  unitRow,
} from './extract-csv.ts';
import { DVCQG_HEAD, DVCQG_TAIL, dvcqgRecord } from './extract-dvcqg.ts';
import { CERTIFICATION_FIELD_NAME, DEMO_FIELDS, type DemoField, type DemoProcedure } from './fields.ts';
import {
  commit,
  discard,
  openCsvSink,
  openTextSink,
  type PendingFile,
  type Sink,
  type WrittenFile,
  writeCsv,
} from './output-files.ts';
import { cumulativeOf, pickCumulative, Random } from './prng.ts';
import { REFORM_DATE } from './reform-2025.ts';
import { DEMO_UNITS, type DemoSystem, type DemoUnit, FORMER_UNITS, type FormerUnit } from './units.ts';

export const DEFAULT_DOSSIERS = 150_000;
export const DEFAULT_SEED = 1;
/** Seeds are 32-bit: sfc32 is seeded from one 32-bit word. */
export const MAX_SEED = 0xffff_ffff;

export const DEMO_FIRST_DAY = '2024-01-01';
export const DEMO_LAST_DAY = '2026-11-29';

export interface DemoSystemSpec {
  system: DemoSystem;
  format: 'csv' | 'dvcqg-json';
  /** The full extract's snapshot date, then the incremental ones (the extract of each night). */
  snapshots: readonly string[];
  fileName(snapshotDate: string): string;
}

/** The two former systems' last nights, and the merged system's latest. */
export const DEMO_SYSTEMS: readonly DemoSystemSpec[] = [
  {
    system: 'bacNinh',
    format: 'dvcqg-json',
    snapshots: ['2025-06-28', '2025-06-29', '2025-06-30'],
    fileName: (date) => `bac-ninh-cu-${date}.json`,
  },
  {
    system: 'bacGiang',
    format: 'csv',
    snapshots: ['2025-06-28', '2025-06-29', '2025-06-30'],
    fileName: (date) => `bac-giang-${date}.csv`,
  },
  {
    system: 'merged',
    format: 'csv',
    snapshots: ['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29'],
    fileName: (date) => `bac-ninh-${date}.csv`,
  },
];

/** Every extract file name, system by system, full extract first. */
export const EXTRACT_FILES: readonly string[] = DEMO_SYSTEMS.flatMap((s) => s.snapshots.map(s.fileName));
export const UNITS_FILE = 'units.csv';
export const SUCCESSORS_FILE = 'unit_successors.csv';

// Lifecycle mix (shares of received dossiers).
const SUBMITTED_SHARE = 0.004; // online drafts never received (online channel only)
const REJECTED_SHARE = 0.006; // refused at intake
const WITHDRAWN_SHARE = 0.015;
const STOPPED_SHARE = 0.005;
const SUPPLEMENT_SHARE = 0.08; // among dossiers with a deadline of 3+ working days
const DUE_DAY_SHARE = 0.35; // on-time dossiers resolved on the due date itself (not early)
/** Logit jump of the online share after the reform (online-first communes, toàn trình). */
const ONLINE_REFORM_BOOST = 0.5;

const S = 1000; // ms per second

const logit = (p: number) => Math.log(p / (1 - p));
const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const clampRate = (p: number) => Math.min(0.998, Math.max(0.002, p));

/** A former unit's procedures flattened for drawing, and the share of its volume that has a deadline. */
interface UnitProfile {
  unit: FormerUnit;
  choices: Array<{ field: DemoField; procedure: DemoProcedure }>;
  cumulative: Float64Array;
  dueShare: number;
  onlineLogit: number;
  onTimeLogit: number;
  /** Cumulative successor weights, to draw the unit that continues a dossier after the reform. */
  successorCumulative: Float64Array;
}

function profileOf(unit: FormerUnit): UnitProfile {
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
    successorCumulative: cumulativeOf(unit.successors.map((x) => x.hundredths)),
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
  /** Dossiers by the level of the unit that received them. */
  byLevel: Record<UnitLevel, number>;
  /** Dossiers by the system that received them. */
  bySystem: Record<DemoSystem, number>;
  /** Dossiers open at the reform that the merged system continued under a new unit. */
  moved: number;
  /** Final status (as of the end of the last snapshot day) → count. */
  byStatus: Record<string, number>;
}

/** Each system's extracts being written: the full one streamed, the incremental ones collected. */
interface SystemOutput {
  spec: DemoSystemSpec;
  ends: number[];
  full: Sink<DemoDossier>;
  incremental: DemoDossier[][];
}

/** One night's extract of a system: each dossier as it stood at `end`, under the system's unit for it. */
function openExtract(dir: string, spec: DemoSystemSpec, snapshot: number, end: number): Sink<DemoDossier> {
  const name = spec.fileName(spec.snapshots[snapshot]!);
  const unitOf = (d: DemoDossier) => (spec.system === 'merged' ? (d.movedTo ?? d.unit) : d.unit);
  if (spec.format === 'dvcqg-json') {
    return openTextSink<DemoDossier>(dir, name, {
      head: DVCQG_HEAD,
      encode: (d, i) => `${i ? ',' : ''}\n${JSON.stringify(dvcqgRecord(d, stateAt(d, end)!, unitOf(d)))}`,
      tail: DVCQG_TAIL,
    });
  }
  const sink = openCsvSink(dir, name, EXTRACT_COLUMNS);
  return { ...sink, write: (d: DemoDossier) => sink.write(extractRow(d, stateAt(d, end)!, unitOf(d))) };
}

async function writeIncremental(dir: string, output: SystemOutput, s: number): Promise<PendingFile> {
  const sink = openExtract(dir, output.spec, s, output.ends[s]!);
  try {
    for (const d of output.incremental[s - 1]!) await sink.write(d);
    return await sink.finish();
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

/** The options checked, with their defaults. */
function checkedOptions(options: DemoDataOptions): { total: number; seed: number } {
  const total = options.dossiers ?? DEFAULT_DOSSIERS;
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(total) || total < 1)
    throw new Error(`dossiers must be a positive integer, got ${total}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new Error(`seed must be an integer from 0 to ${MAX_SEED}, got ${seed}`);
  }
  return { total, seed };
}

/** The demo's span of days, its arrival weights and the slow trends of its rates. */
interface DemoCalendar {
  firstDay: number;
  lastDay: number;
  reformDay: number;
  reformStart: number;
  spanDays: number;
  dayCumulative: Float64Array;
  progress: (day: number) => number;
  trend: (day: number) => number;
  reformShock: (day: number) => number;
}

function demoCalendar(): DemoCalendar {
  const firstDay = dayOf(DEMO_FIRST_DAY);
  const lastDay = dayOf(DEMO_LAST_DAY);
  const reformDay = dayOf(REFORM_DATE);
  const reformStart = reformDay * DAY_MS;
  const spanDays = lastDay - firstDay + 1;
  const dayCumulative = cumulativeOf(Array.from({ length: spanDays }, (_, i) => arrivalWeight(firstDay + i)));
  /** Progress through the whole span, 0 → 1, for the slow trends (electronic results, digitization). */
  const progress = (day: number) => (day - firstDay) / (spanDays - 1);
  // Rates drift in proportion to time, pivoting on the volume-weighted mean day before the
  // reform, so that each former unit's rates average out at its targets over its own 18 months;
  // the drift goes on after the reform.
  const formerDays = reformDay - firstDay;
  let pivot = 0;
  for (let i = 0; i < formerDays; i++) pivot += (dayCumulative[i]! - (i ? dayCumulative[i - 1]! : 0)) * i;
  pivot /= dayCumulative[formerDays - 1]!;
  /** Time in units of the former era's length, 0 at the pivot (about -0.5 … 0.5 before the reform). */
  const trend = (day: number) => (day - firstDay - pivot) / formerDays;
  /** The merged system's first months: staff, procedures and software all new; deadlines slip. */
  const reformShock = (day: number) => (day < reformDay ? 0 : -0.9 * Math.exp(-(day - reformDay) / 40));
  return { firstDay, lastDay, reformDay, reformStart, spanDays, dayCumulative, progress, trend, reformShock };
}

/** Pass 1's draws, one slot per dossier: origin unit, day, second of the day and channel code. */
interface Arrivals {
  day: Int32Array;
  second: Int32Array;
  unit: Uint16Array;
  channel: Uint8Array;
  /** Dossiers per day, shifted by one (perDay[d + 1] counts day firstDay + d), for the sort. */
  perDay: Int32Array;
}

// Pass 1: who arrives when, through which channel.
function drawArrivals(
  random: Random,
  profiles: readonly UnitProfile[],
  calendar: DemoCalendar,
  total: number,
): Arrivals {
  const { firstDay, lastDay, reformDay, spanDays, dayCumulative, trend } = calendar;
  const unitCumulative = cumulativeOf(FORMER_UNITS.map((u) => u.volume_share));
  const arrivalDay = new Int32Array(total);
  const arrivalSecond = new Int32Array(total);
  const arrivalUnit = new Uint16Array(total);
  const arrivalChannel = new Uint8Array(total);
  const perDay = new Int32Array(spanDays + 1);
  for (let i = 0; i < total; i++) {
    const u = pickCumulative(unitCumulative, random.next());
    let day = firstDay + pickCumulative(dayCumulative, random.next());
    // Online share drifts up (about ±0.5 on the logit scale around the target before the
    // reform), and jumps once communes take the districts' work and go online-first.
    const boost = day < reformDay ? 0 : ONLINE_REFORM_BOOST;
    const online = random.chance(logistic(profiles[u]!.onlineLogit + trend(day) + boost));
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
  return { day: arrivalDay, second: arrivalSecond, unit: arrivalUnit, channel: arrivalChannel, perDay };
}

/** Dossier indices in arrival order. */
function arrivalOrder(arrivals: Arrivals, calendar: DemoCalendar, total: number): Int32Array {
  const { day: arrivalDay, second: arrivalSecond, perDay } = arrivals;
  const { firstDay, spanDays } = calendar;
  // Order by day (counting sort), then by second within the day (stable).
  for (let d = 1; d <= spanDays; d++) perDay[d]! += perDay[d - 1]!;
  const order = new Int32Array(total);
  const cursor = perDay.slice(0, spanDays);
  for (let i = 0; i < total; i++) order[cursor[arrivalDay[i]! - firstDay]!++] = i;
  for (let d = 0; d < spanDays; d++) {
    const slice = order.subarray(perDay[d]!, perDay[d + 1]!);
    slice.sort((a, b) => arrivalSecond[a]! - arrivalSecond[b]! || a - b);
  }
  return order;
}

/** What pass 2 needs to build dossiers: the shared draws, the profiles, the calendar, pass 1's arrays. */
interface Builder {
  random: Random;
  profiles: readonly UnitProfile[];
  calendar: DemoCalendar;
  arrivals: Arrivals;
  /** Per-day dossier sequence of each unit, for dossier ids. */
  sequences: Map<DemoUnit, number>;
}

function successorOf(random: Random, profile: UnitProfile): DemoUnit {
  return profile.unit.successors[pickCumulative(profile.successorCumulative, random.next())]!.unit;
}

/** One dossier as received: where, when, which procedure and its deadline. */
interface Intake {
  profile: UnitProfile;
  day: number;
  second: number;
  receivedAt: number;
  online: boolean;
  procedure: DemoProcedure;
  dueAt: number | null;
  /** The working day its deadline is counted from. */
  workStart: number;
}

/** Deadline: the due time, and the working day it is counted from. */
function deadlineOf(
  procedure: DemoProcedure,
  day: number,
  second: number,
): { dueAt: number | null; workStart: number } {
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
  return { dueAt, workStart };
}

/** A time on `closeDay`, after receipt: within office hours, or shortly after receipt. */
function closingTime(random: Random, intake: Intake, closeDay: number): number {
  const { day, second, receivedAt } = intake;
  if (closeDay > day) return closeDay * DAY_MS + workingSecond(random) * S;
  const room = Math.max(15 * 60, 17.5 * HOUR_S - second);
  return Math.min(receivedAt + (600 + Math.floor(random.next() * room)) * S, day * DAY_MS + (DAY_MS - S));
}

/** How a dossier's life goes: its kind, its fate, when it closes, any supplement wait. */
type Life = Pick<DemoDossier, 'kind' | 'fate' | 'closeAt' | 'supplementFrom' | 'supplementUntil'>;

function lifeOf(random: Random, calendar: DemoCalendar, intake: Intake): Life {
  const { profile, receivedAt, online, procedure, workStart } = intake;
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
    closeAt = closingTime(random, intake, closeDay);
  } else if (lifeDraw < WITHDRAWN_SHARE + STOPPED_SHARE + profile.unit.stuck_share) {
    // Stalls: never closes; some wait for a supplement that never comes.
    fate = null;
    if (random.chance(0.4)) {
      supplementFrom = receivedAt + random.int(24 * HOUR_S, 5 * 24 * HOUR_S) * S;
      supplementUntil = null;
    }
  } else if (procedure.days === null) {
    closeAt = closingTime(random, intake, addWorkingDays(workStart, random.int(1, 20)));
  } else {
    closeAt = resolvedAt(random, calendar, intake);
  }
  return { kind, fate, closeAt, supplementFrom, supplementUntil };
}

/** When a dossier with a deadline is resolved: late, or on time. */
function resolvedAt(random: Random, calendar: DemoCalendar, intake: Intake): number {
  const { profile, day, second, dueAt } = intake;
  const dueDay = Math.floor(dueAt! / DAY_MS);
  // Late dossiers are drawn among those with a deadline, so that with the no-deadline
  // ones (always on time) the unit's on-time rate comes out at its target.
  const onTimeRate = logistic(profile.onTimeLogit + 0.5 * calendar.trend(day) + calendar.reformShock(day));
  const lateChance = Math.min(1, (1 - onTimeRate) / Math.max(profile.dueShare, 1e-9));
  if (random.chance(lateChance)) {
    const daysLate = 1 + random.geometric(3) + (random.chance(0.08) ? random.int(10, 60) : 0);
    return addWorkingDays(dueDay, daysLate) * DAY_MS + workingSecond(random) * S;
  }
  // On time: on the due date, or early on a working day since receipt.
  const late = second >= 16.5 * HOUR_S;
  const earlier = workingDaysBetween(late ? day + 1 : day, dueDay - 1);
  const closeDay = earlier.length === 0 || random.chance(DUE_DAY_SHARE) ? dueDay : random.pick(earlier);
  let closeAt = closingTime(random, intake, closeDay);
  if (Math.floor(closeAt / DAY_MS) > dueDay) closeAt = dueDay * DAY_MS + (DAY_MS - S);
  return closeAt;
}

/** Some normal dossiers with a deadline of 3+ working days wait for a supplement before closing. */
function addSupplement(random: Random, intake: Intake, life: Life): void {
  const { receivedAt, procedure } = intake;
  if (life.kind === 'normal' && life.fate !== null && procedure.days !== null && procedure.days >= 3) {
    if (random.chance(SUPPLEMENT_SHARE)) {
      const from = receivedAt + random.int(12 * HOUR_S, 48 * HOUR_S) * S;
      const until = from + random.int(24 * HOUR_S, 8 * 24 * HOUR_S) * S;
      if (until < life.closeAt - HOUR_S * S) {
        life.supplementFrom = from;
        life.supplementUntil = until;
      }
    }
  }
  if (life.closeAt <= receivedAt) life.closeAt = receivedAt + 600 * S;
}

// Pass 2: build each dossier in arrival order.
function buildDossier(builder: Builder, index: number): DemoDossier {
  const { random, profiles, calendar, arrivals, sequences } = builder;
  const { reformDay, reformStart } = calendar;
  const profile = profiles[arrivals.unit[index]!]!;
  const origin = profile.unit;
  const day = arrivals.day[index]!;
  const unit = day < reformDay ? origin : successorOf(random, profile);
  const second = arrivals.second[index]!;
  const receivedAt = day * DAY_MS + second * S;
  const t = calendar.progress(day);
  const channel = CHANNEL_CODES[arrivals.channel[index]!]!;
  const { field, procedure } = profile.choices[pickCumulative(profile.cumulative, random.next())]!;
  const online = channel === 'online';
  const { dueAt, workStart } = deadlineOf(procedure, day, second);
  const intake: Intake = { profile, day, second, receivedAt, online, procedure, dueAt, workStart };

  const life = lifeOf(random, calendar, intake);
  addSupplement(random, intake, life);
  const { kind, fate, closeAt, supplementFrom, supplementUntil } = life;

  const onlineLevel = online ? (procedure.fullOnline && random.chance(0.75) ? 'full' : 'partial') : null;
  const certification = field.name === CERTIFICATION_FIELD_NAME;
  const resultElectronic = certification
    ? random.chance(0.05 + 0.35 * t)
    : random.chance(online ? 0.05 + 0.2 * t : 0.02);
  const paidOnline = kind === 'normal' && procedure.fee && online && random.chance(0.25 + 0.4 * t);
  const digitized = random.chance(0.3 + 0.55 * t);
  const applicant = fakeApplicant(random);

  const yymmdd = isoDay(day).slice(2).replaceAll('-', '');
  const sequence = (sequences.get(unit) ?? 0) + 1;
  sequences.set(unit, sequence);
  // Open at the reform (drafts aside): the merged system continues it under a successor.
  const moved = day < reformDay && kind !== 'submitted' && closeAt >= reformStart;
  return {
    id: `${unit.e_identifier}-${yymmdd}-${String(sequence).padStart(5, '0')}`,
    unit,
    origin,
    movedTo: moved ? successorOf(random, profile) : null,
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
}

/** The counts a run reports. */
type Tallies = Pick<DemoDataResult, 'byLevel' | 'bySystem' | 'moved' | 'byStatus'>;

/** The dossier in one system: in its full extract if received by then, and in the nights it changed. */
async function place(output: SystemOutput, dossier: DemoDossier): Promise<void> {
  for (let s = 1; s < output.ends.length; s++) {
    if (changedBetween(dossier, output.ends[s - 1]!, output.ends[s]!))
      output.incremental[s - 1]!.push(dossier);
  }
  if (dossier.receivedAt < output.ends[0]!) await output.full.write(dossier);
}

/** Builds every dossier in arrival order, streams it to its systems' extracts and counts it. */
async function streamDossiers(
  builder: Builder,
  order: Int32Array,
  outputs: Map<DemoSystem, SystemOutput>,
): Promise<Tallies> {
  const byLevel: Record<UnitLevel, number> = { province: 0, district: 0, commune: 0 };
  const bySystem: Record<DemoSystem, number> = { bacGiang: 0, bacNinh: 0, merged: 0 };
  const byStatus: Record<string, number> = {};
  let moved = 0;
  const lastEnd = (builder.calendar.lastDay + 1) * DAY_MS;
  let currentDay = -1;
  for (let k = 0; k < order.length; k++) {
    const index = order[k]!;
    const day = builder.arrivals.day[index]!;
    if (day !== currentDay) {
      currentDay = day;
      builder.sequences.clear();
    }
    const dossier = buildDossier(builder, index);
    byLevel[dossier.unit.unit_level] += 1;
    bySystem[dossier.unit.system] += 1;
    const final = stateAt(dossier, lastEnd)!;
    byStatus[final.status] = (byStatus[final.status] ?? 0) + 1;
    await place(outputs.get(dossier.unit.system)!, dossier);
    if (dossier.movedTo) {
      moved += 1;
      await place(outputs.get('merged')!, dossier);
    }
  }
  return { byLevel, bySystem, moved, byStatus };
}

/** Writes units.csv, unit_successors.csv and every system's extracts, all committed together or none. */
async function writeFiles(
  out: string,
  builder: Builder,
  order: Int32Array,
): Promise<{ files: WrittenFile[]; tallies: Tallies }> {
  const outputs = new Map<DemoSystem, SystemOutput>();
  const pending: PendingFile[] = [];
  let tallies: Tallies;
  try {
    pending.push(await writeCsv(out, UNITS_FILE, UNITS_COLUMNS, DEMO_UNITS.map(unitRow)));
    pending.push(
      await writeCsv(
        out,
        SUCCESSORS_FILE,
        SUCCESSORS_COLUMNS,
        FORMER_UNITS.flatMap((u) => successorRows(u, REFORM_DATE)),
      ),
    );
    for (const spec of DEMO_SYSTEMS) {
      const ends = spec.snapshots.map((d) => (dayOf(d) + 1) * DAY_MS);
      const full = openExtract(out, spec, 0, ends[0]!);
      outputs.set(spec.system, { spec, ends, full, incremental: spec.snapshots.slice(1).map(() => []) });
    }
    tallies = await streamDossiers(builder, order, outputs);
    for (const output of outputs.values()) {
      pending.push(await output.full.finish());
      for (let s = 1; s < output.ends.length; s++) pending.push(await writeIncremental(out, output, s));
    }
  } catch (error) {
    for (const output of outputs.values()) await output.full.abort();
    await discard(pending);
    throw error;
  }
  const files = await commit(pending);
  return { files, tallies };
}

export async function writeDemoData(options: DemoDataOptions): Promise<DemoDataResult> {
  const { total, seed } = checkedOptions(options);
  await mkdir(options.out, { recursive: true });
  const random = new Random(seed);
  const profiles = FORMER_UNITS.map(profileOf);
  const calendar = demoCalendar();
  const arrivals = drawArrivals(random, profiles, calendar, total);
  const order = arrivalOrder(arrivals, calendar, total);
  const builder: Builder = { random, profiles, calendar, arrivals, sequences: new Map() };
  const { files, tallies } = await writeFiles(options.out, builder, order);
  return { files, dossiers: total, ...tallies };
}

// Raw contract cells → a DossierRecord, or the reason it is quarantined. Implements the
// value rules of DESIGN.md "The dossier extract": trimming, NFC, date forms, code tables,
// the unit registry, and the cross-field checks. The first broken field decides the reason.
import { CLOSED_STATUSES, DOSSIER_COLUMNS, type DossierRecord, type Status } from '../dossier-contract.ts';
import type { RawRecord } from '../extract/raw-record.ts';
import type { UnitsRegistry } from '../extract/units-registry.ts';
import {
  hasCanonicalDateTimeShape,
  IMPOSSIBLE_DATE,
  isPlainAscii,
  isPossibleCanonicalDateTime,
  MIN_TIMESTAMP,
  parseBoolean,
  parseChannel,
  parseDateTime,
  parseOnlineLevel,
  parseStatus,
  parseUnitLevel,
  unsafeText,
  vietnamLocal,
} from './cell-values.ts';
import { DossierRecordSchema } from './record-schema.ts';

export interface QuarantineEntry {
  line: number;
  field: string;
  reason_code: string;
  reason: string;
  /** The offending contract value, at most 200 characters; '' when none applies. */
  value: string;
  dossier_id: string | null;
}

/** A record for the lake, or why it goes to quarantine (tell them apart with isQuarantined). */
export type NormalizeOutcome = DossierRecord | QuarantineEntry;

export const isQuarantined = (outcome: NormalizeOutcome): outcome is QuarantineEntry =>
  'reason_code' in outcome;

const SCHEMA_SAMPLE_HEAD = 10_000;
const SCHEMA_SAMPLE_EVERY = 64;
const CODE_MAX = 100;
const NAME_MAX = 1000;
export const QUARANTINE_VALUE_MAX = 200;
/** Distinct texts remembered per column before the cache starts over (bounds memory). */
const CLEAN_CACHE_MAX = 4096;

const NAMES = new Set(['procedure_name', 'field_name', 'unit_name']);
const COLUMN_NAMES = DOSSIER_COLUMNS.map((c) => c.name);
const I = Object.fromEntries(COLUMN_NAMES.map((n, i) => [n, i])) as Record<string, number>;
const NON_ASCII = /[^\u0000-\u007f]/;
const IS_TIMESTAMP = DOSSIER_COLUMNS.map((c) => c.type === 'timestamp');
const CLOSED = new Set<Status>(CLOSED_STATUSES);

/** A copy of a string that does not share (and so keep alive) the text it was sliced from. */
const detach = (text: string): string => JSON.parse(JSON.stringify(text)) as string;

class Reject {
  readonly field: string;
  readonly code: string;
  readonly reason: string;
  readonly value: string;
  constructor(field: string, code: string, reason: string, value: string) {
    this.field = field;
    this.code = code;
    this.reason = reason;
    this.value = value;
  }
}

export interface NormalizerOptions {
  sourceFile: string;
  registry?: UnitsRegistry;
  /** Dates later than this instant + 1 day are rejected as in the future. */
  now?: Date;
  /**
   * When the zod record schema re-checks a finished record: 'every' record, or a 'sample'
   * (the first 10,000 records, then one in 64). The cell parsers already guarantee the
   * shape; measured on 1M rows, checking every record roughly doubles the JS time.
   */
  schemaCheck?: 'every' | 'sample';
}

export class RecordNormalizer {
  private readonly sourceFile: string;
  private readonly registry: UnitsRegistry | undefined;
  private readonly maxTimestamp: string;
  private readonly schemaCheckEvery: boolean;
  private checked = 0;
  /** Cleaned cells of the record being normalized (reused: one allocation less per row). */
  private readonly text: (string | null)[] = new Array(COLUMN_NAMES.length).fill(null);
  /** Per column of the record being normalized: a date-time cell of the canonical shape. */
  private readonly canonical: boolean[] = new Array(COLUMN_NAMES.length).fill(false);
  /** Per column: non-ASCII raw cell → its accepted clean text (bounded; dossier_id is unique, not cached). */
  private readonly cleaned: Map<string, string | null>[] = COLUMN_NAMES.map(() => new Map());

  constructor(options: NormalizerOptions) {
    this.sourceFile = options.sourceFile;
    this.registry = options.registry;
    this.maxTimestamp = vietnamLocal((options.now ?? new Date()).getTime() + 24 * 3600_000);
    this.schemaCheckEvery = (options.schemaCheck ?? 'sample') === 'every';
  }

  normalize(raw: RawRecord): NormalizeOutcome {
    if (raw.problem) {
      return {
        line: raw.line,
        field: raw.problem.field,
        reason_code: raw.problem.code,
        reason: raw.problem.reason,
        value: '',
        dossier_id: null,
      };
    }
    const text = this.text;
    let dossierId: string | null = null;
    try {
      const cells = raw.cells;
      text[0] = dossierId = this.cleanText(0, cells[0]);
      for (let i = 1; i < COLUMN_NAMES.length; i++) {
        const cell = cells[i];
        // A canonical date-time is clean text as it stands (cleanText would return it as is).
        const canonical = IS_TIMESTAMP[i] === true && cell !== undefined && hasCanonicalDateTimeShape(cell);
        this.canonical[i] = canonical;
        text[i] = canonical ? cell : this.cleanText(i, cell);
      }
      const record = this.build(text, raw);
      this.checked++;
      if (
        this.schemaCheckEvery ||
        this.checked <= SCHEMA_SAMPLE_HEAD ||
        this.checked % SCHEMA_SAMPLE_EVERY === 0
      ) {
        const checked = DossierRecordSchema.safeParse(record);
        if (!checked.success) {
          const issue = checked.error.issues[0]!;
          const field = String(issue.path[0] ?? '');
          throw new Reject(
            field,
            'schema',
            issue.message,
            String(record[field as keyof DossierRecord] ?? ''),
          );
        }
      }
      return record;
    } catch (error) {
      if (!(error instanceof Reject)) throw error;
      return {
        line: raw.line,
        field: error.field,
        reason_code: error.code,
        reason: error.reason,
        value:
          error.value.length > QUARANTINE_VALUE_MAX
            ? error.value.slice(0, QUARANTINE_VALUE_MAX)
            : error.value,
        dossier_id: dossierId,
      };
    }
  }

  /** Safety checks, trim and NFC for one cell; null when empty. */
  private cleanText(index: number, cell: string | undefined): string | null {
    if (cell === undefined) return null;
    const field = COLUMN_NAMES[index]!;
    let value: string;
    if (isPlainAscii(cell)) {
      value = cell.charCodeAt(0) === 32 || cell.charCodeAt(cell.length - 1) === 32 ? cell.trim() : cell;
    } else {
      // Names and codes repeat from row to row: the verdict on a raw text is remembered.
      const cache = index === 0 ? undefined : this.cleaned[index]!;
      const known = cache?.get(cell);
      if (known !== undefined) return known;
      const problem = unsafeText(cell);
      if (problem) throw new Reject(field, problem.code, problem.reason, cell);
      value = cell.trim();
      if (NON_ASCII.test(value)) value = value.normalize('NFC');
      if (cache !== undefined) {
        const clean = this.checkLength(field, value);
        if (cache.size >= CLEAN_CACHE_MAX) cache.clear();
        // Cells are slices of a decoded chunk (about 2 MB): keep copies, not the chunks.
        const key = detach(cell);
        const kept = clean === cell ? key : clean === null ? null : detach(clean);
        cache.set(key, kept);
        return kept;
      }
    }
    return this.checkLength(field, value);
  }

  private checkLength(field: string, value: string): string | null {
    if (value === '') return null;
    const max = NAMES.has(field) ? NAME_MAX : CODE_MAX;
    if (value.length > max)
      throw new Reject(field, 'too_long', `longer than ${max} characters (${value.length})`, value);
    return value;
  }

  private timestamp(text: (string | null)[], field: string, required: boolean): string | null {
    const value = text[I[field]!]!;
    if (value === null || value === undefined) {
      if (required) throw new Reject(field, 'missing_required', `${field} is required`, '');
      return null;
    }
    let local: string;
    if (this.canonical[I[field]!]) {
      // Already 'YYYY-MM-DD HH:MM:SS' in Vietnam time: only the calendar check is left.
      if (!isPossibleCanonicalDateTime(value))
        throw new Reject(field, 'invalid_date', IMPOSSIBLE_DATE, value);
      local = value;
    } else {
      const parsed = parseDateTime(value);
      if (!parsed.ok) throw new Reject(field, parsed.code, parsed.reason, value);
      local = parsed.value;
    }
    if (local < MIN_TIMESTAMP) throw new Reject(field, 'date_before_2000', 'before the year 2000', value);
    // A deadline is normally still ahead; every other time must have happened already.
    if (field !== 'due_at' && local > this.maxTimestamp)
      throw new Reject(field, 'date_in_future', 'later than tomorrow', value);
    return local;
  }

  private boolean(text: (string | null)[], field: string, twoIsTrue = false): boolean | null {
    const value = text[I[field]!];
    if (value === null || value === undefined) return null;
    const parsed = parseBoolean(value, twoIsTrue);
    if (parsed === undefined)
      throw new Reject(field, 'invalid_boolean', 'not a boolean (1/0, true/false, có/không)', value);
    return parsed;
  }

  private build(text: (string | null)[], raw: RawRecord): DossierRecord {
    const get = (field: string) => text[I[field]!]!;
    const dossierId = get('dossier_id');
    if (dossierId === null) throw new Reject('dossier_id', 'missing_required', 'dossier_id is required', '');
    const procedureCode = get('procedure_code');
    if (procedureCode === null)
      throw new Reject('procedure_code', 'missing_required', 'procedure_code is required', '');

    const channelText = get('channel');
    let channel = channelText === null ? (raw.dvcqg ? 'direct' : undefined) : parseChannel(channelText);
    if (channel === undefined) {
      if (channelText === null) throw new Reject('channel', 'missing_required', 'channel is required', '');
      throw new Reject(
        'channel',
        'unknown_channel',
        'not a channel (online, direct, postal or 1, 2, 3)',
        channelText,
      );
    }
    channel = channel as NonNullable<typeof channel>;

    const onlineLevelText = get('online_level');
    const onlineLevel = onlineLevelText === null ? null : parseOnlineLevel(onlineLevelText);
    if (onlineLevel === undefined) {
      throw new Reject(
        'online_level',
        'unknown_online_level',
        'not an online level (2, 3, 4, full, partial)',
        onlineLevelText!,
      );
    }

    const receivedAt = this.timestamp(text, 'received_at', true)!;
    const dueAt = this.timestamp(text, 'due_at', false);
    const resolvedAt = this.timestamp(text, 'resolved_at', false);

    const statusText = get('status');
    if (statusText === null) throw new Reject('status', 'missing_required', 'status is required', '');
    const status = parseStatus(statusText);
    if (status === undefined) {
      throw new Reject(
        'status',
        'unknown_status',
        'not a status name or a DVCQG TrangThaiHoSo code 1–10',
        statusText,
      );
    }

    const resultElectronic = this.boolean(text, 'result_electronic');
    const paidOnline = this.boolean(text, 'paid_online', true);
    const feeRequired = this.boolean(text, 'fee_required');
    const digitized = this.boolean(text, 'digitized');
    const updatedAt = this.timestamp(text, 'updated_at', false);

    if (dueAt !== null && dueAt.slice(0, 10) < receivedAt.slice(0, 10)) {
      throw new Reject(
        'due_at',
        'due_before_received',
        `due date is before the received date ${receivedAt.slice(0, 10)}`,
        dueAt,
      );
    }
    if (resolvedAt !== null && resolvedAt < receivedAt) {
      throw new Reject(
        'resolved_at',
        'resolved_before_received',
        `resolved before it was received (${receivedAt})`,
        resolvedAt,
      );
    }
    if (resolvedAt === null && CLOSED.has(status)) {
      throw new Reject('resolved_at', 'missing_resolved_at', `status ${status} needs resolved_at`, '');
    }

    const unit = this.resolveUnit(get, dossierId, receivedAt.slice(0, 10));

    return {
      dossier_id: dossierId,
      procedure_code: procedureCode,
      procedure_name: get('procedure_name'),
      field_code: get('field_code'),
      field_name: get('field_name'),
      unit_code: unit.code,
      unit_name: unit.name,
      unit_level: unit.level,
      parent_code: unit.parent,
      channel,
      online_level: onlineLevel,
      received_at: receivedAt,
      due_at: dueAt,
      resolved_at: resolvedAt,
      status,
      result_electronic: resultElectronic,
      paid_online: paidOnline,
      fee_required: feeRequired,
      digitized,
      updated_at: updatedAt,
      source_file: this.sourceFile,
      source_line: raw.line,
    };
  }

  /** The record's unit_code, else the registry's match on the MaHoSo prefix, else on the unit name. */
  private resolveUnit(get: (field: string) => string | null, dossierId: string, receivedDate: string) {
    const code = get('unit_code');
    const name = get('unit_name');
    const levelText = get('unit_level');
    let level = levelText === null ? null : (parseUnitLevel(levelText) ?? undefined);
    if (level === undefined) {
      throw new Reject(
        'unit_level',
        'unknown_unit_level',
        'not a unit level (province, district, commune)',
        levelText!,
      );
    }
    const registry = this.registry;
    if (code !== null) {
      const known = registry?.byUnitCode(code, receivedDate);
      level ??= known?.unit_level ?? null;
      if (level === null) throw new Reject('unit_level', 'missing_required', 'unit_level is required', '');
      return {
        code,
        name: name ?? known?.unit_name ?? null,
        level,
        parent: get('parent_code') ?? known?.parent_code ?? null,
      };
    }
    const dash = dossierId.indexOf('-');
    const prefix = dash > 0 ? dossierId.slice(0, dash) : null;
    const match =
      (prefix !== null ? registry?.byMatchToken(prefix, receivedDate) : undefined) ??
      (name !== null ? registry?.byMatchToken(name, receivedDate) : undefined);
    if (!match) {
      throw new Reject(
        'unit_code',
        registry ? 'unknown_unit' : 'missing_required',
        registry
          ? 'no unit_code, and neither the MaHoSo prefix nor the unit name matches a unit of the registry on the received date'
          : 'unit_code is required (or give a units registry)',
        name ?? prefix ?? '',
      );
    }
    return {
      code: match.unit_code,
      name: match.unit_name,
      level: level ?? match.unit_level,
      parent: get('parent_code') ?? match.parent_code,
    };
  }
}

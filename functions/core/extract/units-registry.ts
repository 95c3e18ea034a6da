// units.csv and unit_successors.csv (docs/design.md "Units: the registry", "Units across the 1 July 2025
// reform"): every unit that ever existed, with its validity dates and the MaHoSo prefixes and
// DonViXuLy names that mean it; and which units took over which, with weights. Checked with
// zod (names by the one text-safety rule, dates in range, weights of each predecessor adding
// up to 1) and handed to the staging SQL and to the lake as tables.
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { UNIT_LEVELS, type UnitLevel } from '../dossier-contract.ts';
import { unsafeText } from './text-safety.ts';
import { readSmallText } from './text-source.ts';
import { UnreadableInputError } from './unreadable-input.ts';

/** Dates a registry may hold: the reform history, not typing slips such as 2205. */
const EARLIEST_DATE = '1945-01-01';
const LATEST_DATE = '2100-12-31';
const WEIGHT_TOLERANCE = 1e-6;

const safeText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .superRefine((value, ctx) => {
      const problem = unsafeText(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem.reason });
    });

const date = z.iso
  .date()
  .refine(
    (d) => d >= EARLIEST_DATE && d <= LATEST_DATE,
    `a date between ${EARLIEST_DATE} and ${LATEST_DATE}`,
  );
/** An absent column or an empty cell is null (zod's default() would skip the pipe). */
const emptyIsNull = z
  .string()
  .optional()
  .transform((v) => (v ?? '').trim() || null);
const optionalDate = emptyIsNull.pipe(date.nullable());
const optionalCode = emptyIsNull.pipe(safeText(100).nullable());

export const UnitRowSchema = z
  .object({
    unit_code: safeText(100),
    unit_name: safeText(1000),
    unit_level: z.enum(UNIT_LEVELS),
    parent_code: optionalCode,
    valid_from: optionalDate,
    valid_to: optionalDate,
    match: z
      .string()
      .optional()
      .transform((v) =>
        (v ?? '')
          .split(';')
          .map((t) => t.trim())
          .filter((t) => t !== ''),
      )
      .pipe(z.array(safeText(1000))),
  })
  .refine((u) => u.valid_from === null || u.valid_to === null || u.valid_from <= u.valid_to, {
    message: 'valid_from is after valid_to',
    path: ['valid_to'],
  });
export type UnitEntry = z.infer<typeof UnitRowSchema>;

export const SuccessorRowSchema = z.object({
  predecessor_code: safeText(100),
  successor_code: safeText(100),
  weight: z
    .string()
    .trim()
    .transform(Number)
    .pipe(z.number().gt(0, 'weight must be more than 0').lte(1, 'weight must be at most 1')),
  effective_date: date,
});
export type SuccessorEntry = z.infer<typeof SuccessorRowSchema>;

/** What the staging SQL and the lake get. */
export interface RegistryTables {
  units: {
    unit_code: string;
    unit_name: string;
    unit_level: UnitLevel;
    parent_code: string | null;
    valid_from: string | null;
    valid_to: string | null;
  }[];
  /** Lower-case NFC tokens (MaHoSo prefixes, DonViXuLy names, unit names) → unit code. */
  matches: { token: string; unit_code: string }[];
  successors: SuccessorEntry[];
  /** Hash of both files' bytes: part of the extract id, so a changed registry re-ingests. */
  sha256: string;
}

const token = (s: string) => s.normalize('NFC').trim().toLowerCase();

function rowsOf<T>(text: string, label: string, schema: z.ZodType<T>): T[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      relax_column_count: true,
      bom: true,
    }) as Record<string, string>[];
  } catch (error) {
    throw new UnreadableInputError(`${label}: not a readable CSV (${(error as Error).message})`);
  }
  return records.map((record, i) => {
    const parsed = schema.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UnreadableInputError(`${label}, row ${i + 2}: ${issue?.path.join('.')}: ${issue?.message}`);
    }
    return parsed.data;
  });
}

/** Weights of each predecessor add up to 1, and every code is a unit of the registry. */
function checkSuccessors(successors: SuccessorEntry[], units: UnitEntry[], label: string): void {
  const codes = new Set(units.map((u) => u.unit_code));
  const sums = new Map<string, number>();
  for (const s of successors) {
    for (const code of [s.predecessor_code, s.successor_code]) {
      if (!codes.has(code)) throw new UnreadableInputError(`${label}: unit ${code} is not in units.csv`);
    }
    sums.set(s.predecessor_code, (sums.get(s.predecessor_code) ?? 0) + s.weight);
  }
  for (const [predecessor, sum] of sums) {
    if (Math.abs(sum - 1) > WEIGHT_TOLERANCE) {
      throw new UnreadableInputError(
        `${label}: the weights of predecessor ${predecessor} add up to ${sum}, not 1`,
      );
    }
  }
}

export async function loadUnitsRegistry(unitsPath: string, successorsPath?: string): Promise<RegistryTables> {
  const unitsText = await readSmallText(unitsPath).catch((error: unknown) => {
    if (error instanceof UnreadableInputError)
      throw new UnreadableInputError(`units registry ${unitsPath}: ${error.reason}`);
    throw error;
  });
  const units = rowsOf(unitsText, `units registry ${unitsPath}`, UnitRowSchema);
  let successors: SuccessorEntry[] = [];
  let successorsText = '';
  if (successorsPath !== undefined) {
    successorsText = await readSmallText(successorsPath);
    successors = rowsOf(successorsText, `unit successors ${successorsPath}`, SuccessorRowSchema);
    checkSuccessors(successors, units, `unit successors ${successorsPath}`);
  }
  const seen = new Set<string>();
  for (const [i, unit] of units.entries()) {
    if (seen.has(unit.unit_code)) {
      throw new UnreadableInputError(
        `units registry ${unitsPath}, row ${i + 2}: unit_code ${unit.unit_code} appears twice`,
      );
    }
    seen.add(unit.unit_code);
  }
  return {
    units: units.map(({ match: _, ...unit }) => ({ ...unit, unit_name: unit.unit_name.normalize('NFC') })),
    matches: unambiguousTokens(units),
    successors,
    sha256: createHash('sha256').update(unitsText).update('\u0000').update(successorsText).digest('hex'),
  };
}

const overlaps = (a: UnitEntry, b: UnitEntry) =>
  (a.valid_from ?? '') <= (b.valid_to ?? '9999') && (b.valid_from ?? '') <= (a.valid_to ?? '9999');

/**
 * MaHoSo prefixes and names → units. A token that means two units at the same time (two
 * communes of the same name in different districts) identifies neither: it is left out, so
 * such records need their unit_code or prefix, and are quarantined as unknown otherwise.
 */
function unambiguousTokens(units: readonly UnitEntry[]): RegistryTables['matches'] {
  const byToken = new Map<string, UnitEntry[]>();
  for (const unit of units) {
    for (const t of new Set([...unit.match, unit.unit_name].map(token))) {
      const list = byToken.get(t) ?? [];
      list.push(unit);
      byToken.set(t, list);
    }
  }
  const matches: RegistryTables['matches'] = [];
  for (const [t, list] of byToken) {
    const ambiguous = list.some((a, i) => list.some((b, j) => j > i && overlaps(a, b)));
    if (!ambiguous) for (const unit of list) matches.push({ token: t, unit_code: unit.unit_code });
  }
  return matches;
}

// units.csv: the province's units, with the MaHoSo prefixes and DonViXuLy names that mean
// each one, and the dates each existed (DESIGN.md "units.csv"). DVCQG payloads name no unit
// code or level, so their records get both from here.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UNIT_LEVELS, type UnitLevel } from '../dossier-contract.ts';
import { CsvRowSplitter } from './csv-rows.ts';
import { decodeText } from './encoding.ts';
import { UnreadableInputError } from './unreadable-input.ts';

const optionalDate = z
  .string()
  .trim()
  .transform((v) => (v === '' ? null : v))
  .pipe(z.iso.date().nullable());

export const UnitRowSchema = z.object({
  unit_code: z.string().trim().min(1).max(100),
  unit_name: z.string().trim().min(1).max(1000),
  unit_level: z.enum(UNIT_LEVELS),
  parent_code: z
    .string()
    .trim()
    .transform((v) => (v === '' ? null : v)),
  valid_from: optionalDate,
  valid_to: optionalDate,
  match: z.string().default(''),
});
export type UnitEntry = z.infer<typeof UnitRowSchema>;

const key = (s: string) => s.normalize('NFC').trim().toLowerCase();

export class UnitsRegistry {
  readonly units: readonly UnitEntry[];
  private readonly byCode = new Map<string, UnitEntry[]>();
  private readonly byMatch = new Map<string, UnitEntry[]>();

  constructor(units: readonly UnitEntry[]) {
    this.units = units;
    const add = (map: Map<string, UnitEntry[]>, k: string, unit: UnitEntry) => {
      if (k === '') return;
      const list = map.get(k) ?? [];
      list.push(unit);
      map.set(k, list);
    };
    for (const unit of units) {
      add(this.byCode, key(unit.unit_code), unit);
      for (const token of unit.match.split(';')) add(this.byMatch, key(token), unit);
      add(this.byMatch, key(unit.unit_name), unit);
    }
  }

  private pick(list: UnitEntry[] | undefined, date: string | null): UnitEntry | undefined {
    if (!list) return undefined;
    if (date === null) return list[0];
    return list.find(
      (u) => (u.valid_from === null || u.valid_from <= date) && (u.valid_to === null || date <= u.valid_to),
    );
  }

  /** The unit with this code that existed on `date` (YYYY-MM-DD). */
  byUnitCode(code: string, date: string | null): UnitEntry | undefined {
    return this.pick(this.byCode.get(key(code)), date);
  }

  /** The unit a MaHoSo prefix or a DonViXuLy name means on `date`. */
  byMatchToken(token: string, date: string | null): UnitEntry | undefined {
    return this.pick(this.byMatch.get(key(token)), date);
  }
}

export async function loadUnitsRegistry(path: string): Promise<UnitsRegistry> {
  const bytes = await readFile(path);
  const { chunks } = await decodeText(
    (async function* () {
      yield bytes;
    })(),
  );
  let text = '';
  for await (const chunk of chunks) text += chunk;
  const rows: (string | undefined)[][] = [];
  new CsvRowSplitter(',').push(text, true, (row) => rows.push(row.fields));
  const header = (rows.shift() ?? []).map((h) => (h ?? '').trim().toLowerCase());
  const units: UnitEntry[] = [];
  rows.forEach((fields, i) => {
    const record = Object.fromEntries(header.map((name, j) => [name, fields[j] ?? '']));
    const parsed = UnitRowSchema.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UnreadableInputError(
        `units registry ${path}, row ${i + 2}: ${issue?.path.join('.')}: ${issue?.message}`,
      );
    }
    units.push(parsed.data);
  });
  return new UnitsRegistry(units);
}

export type { UnitLevel };

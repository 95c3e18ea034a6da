// What a reader hands to normalization: one record's contract cells as text, indexed like
// DOSSIER_COLUMNS, and nothing else. Readers drop every other column (the allow-list), so
// citizen data never reaches this object.
import { DOSSIER_COLUMNS } from '../dossier-contract.ts';
import { headerMatcher } from './vocabulary.ts';

export const COLUMN_COUNT = DOSSIER_COLUMNS.length;
export const COLUMN_INDEX: Readonly<Record<string, number>> = Object.fromEntries(
  DOSSIER_COLUMNS.map((c, i) => [c.name, i]),
);

export interface StructuralProblem {
  code: string;
  reason: string;
  field: string;
}

export interface RawRecord {
  /** 1-based line in the file (CSV, NDJSON) or 1-based record index (DVCQG JSON). */
  line: number;
  /** Cell text per contract column; undefined = column absent or empty. */
  cells: (string | undefined)[];
  /** Cells came under DVCQG names (an empty KenhThucHien means direct). */
  dvcqg: boolean;
  /** The record could not be split into cells (ragged row, broken JSON line...). */
  problem?: StructuralProblem;
}

const defaultMatcher = headerMatcher();

/**
 * A source column name (canonical, DVCQG or the portal's Vietnamese, matched folded) →
 * contract column index. Canonical names win over aliases; among aliases, the earlier one
 * wins (NgayKetThucXuLy before NgayTra).
 */
export function contractColumnOf(
  name: string,
): { index: number; priority: number; dvcqg: boolean } | undefined {
  const match = defaultMatcher(name);
  return match && { index: match.index, priority: match.priority, dvcqg: match.portal };
}

/** Source columns that carry DVCQG-only facts, derived into contract cells by the readers. */
export const DVCQG_RESULT_DOCUMENTS = 'danhsachgiaytoketqua';
export const DVCQG_FEES = 'danhsachlephi';

// The demo's CSV rows: nightly extracts in the v1 CSV shape (canonical column names) with the
// citizen columns a real export carries, the units registry (units.csv) and the successors
// (unit_successors.csv) of docs/design.md "Units across the 1 July 2025 reform".
import { DOSSIER_COLUMNS } from '../dossier-contract.ts';
import { formatLocal } from './calendar.ts';
import type { DemoDossier, DossierState } from './dossier.ts';
import type { DemoUnit, FormerUnit } from './units.ts';

/** Citizen columns of a real export. Ingest must drop them. */
export const CITIZEN_COLUMNS = ['ChuHoSo', 'SoDienThoai', 'Email'] as const;

const CANONICAL = DOSSIER_COLUMNS.map((c) => c.name);
/** Extract columns: the contract's, with the applicant's columns after the procedure, as exports have them. */
export const EXTRACT_COLUMNS: readonly string[] = [
  ...CANONICAL.slice(0, 3),
  ...CITIZEN_COLUMNS,
  ...CANONICAL.slice(3),
];

export const UNITS_COLUMNS = [
  'unit_code',
  'unit_name',
  'unit_level',
  'parent_code',
  'valid_from',
  'valid_to',
  'match',
] as const;

export const SUCCESSORS_COLUMNS = ['predecessor_code', 'successor_code', 'weight', 'effective_date'] as const;

const bool = (value: boolean) => (value ? 'true' : 'false');

/** One extract row, in EXTRACT_COLUMNS order, of the dossier as `unit` holds it. */
export function extractRow(d: DemoDossier, state: DossierState, unit: DemoUnit): string[] {
  const received = d.kind === 'normal';
  return [
    d.id,
    d.procedure.code,
    d.procedure.name,
    d.applicant.name,
    d.applicant.phone,
    d.applicant.email,
    d.field.code,
    d.field.name,
    unit.unit_code,
    unit.unit_name,
    unit.unit_level,
    unit.parent_code ?? '',
    d.channel,
    d.onlineLevel ?? '',
    formatLocal(d.receivedAt),
    d.dueAt === null || !received ? '' : formatLocal(d.dueAt),
    state.resolvedAt === null ? '' : formatLocal(state.resolvedAt),
    state.status,
    state.status === 'resolved' ? bool(d.resultElectronic) : '',
    bool(d.paidOnline && state.status !== 'submitted'),
    bool(d.feeRequired),
    bool(d.digitized && received),
    formatLocal(state.updatedAt),
  ];
}

export function unitRow(unit: DemoUnit): string[] {
  const match = [...new Set([unit.e_identifier, unit.unit_name, ...unit.match])];
  return [
    unit.unit_code,
    unit.unit_name,
    unit.unit_level,
    unit.parent_code ?? '',
    unit.valid_from ?? '',
    unit.valid_to ?? '',
    match.join(';'),
  ];
}

/** A former unit's unit_successors.csv rows: weights are its hundredths as decimals. */
export function successorRows(unit: FormerUnit, effectiveDate: string): string[][] {
  return unit.successors.map((s) => [
    unit.unit_code,
    s.unit.unit_code,
    String(s.hundredths / 100),
    effectiveDate,
  ]);
}

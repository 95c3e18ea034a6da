// One demo dossier's life: received, maybe asked for supplements, then resolved (on time,
// early or late), withdrawn, stopped, or still open; and its state at any instant, which is
// what a nightly extract shows. All times are local milliseconds (see calendar.ts).
import type { Channel, OnlineLevel, Status } from '../dossier-contract.ts';
import type { Applicant } from './citizens.ts';
import type { DemoField, DemoProcedure } from './fields.ts';
import type { DemoUnit, FormerUnit } from './units.ts';

export type DossierKind = 'normal' | 'submitted' | 'rejected';
export type DossierFate = 'resolved' | 'withdrawn' | 'stopped';

export interface DemoDossier {
  id: string;
  /** The unit that received it. */
  unit: DemoUnit;
  /** The former unit whose work it is (itself before the reform; a predecessor of `unit` after). */
  origin: FormerUnit;
  /** The new unit the merged system moved it to, for a dossier open at the reform; else null. */
  movedTo: DemoUnit | null;
  field: DemoField;
  procedure: DemoProcedure;
  channel: Channel;
  onlineLevel: OnlineLevel | null;
  receivedAt: number;
  dueAt: number | null;
  kind: DossierKind;
  /** How it closes; null for a dossier that never closes (a stalled one). */
  fate: DossierFate | null;
  /** When it closes (resolved, withdrawn, stopped, or rejected at intake); Infinity if never. */
  closeAt: number;
  /** A supplement request from supplementFrom until supplementUntil (null: still waiting). */
  supplementFrom: number | null;
  supplementUntil: number | null;
  resultElectronic: boolean;
  feeRequired: boolean;
  paidOnline: boolean;
  digitized: boolean;
  applicant: Applicant;
}

export interface DossierState {
  status: Status;
  resolvedAt: number | null;
  updatedAt: number;
}

/** The dossier as it stands at instant `at` (exclusive); null if not yet received. */
export function stateAt(d: DemoDossier, at: number): DossierState | null {
  if (d.receivedAt >= at) return null;
  if (d.kind === 'submitted') return { status: 'submitted', resolvedAt: null, updatedAt: d.receivedAt };
  if (d.kind === 'rejected') {
    return d.closeAt <= at
      ? { status: 'rejected_at_intake', resolvedAt: null, updatedAt: d.closeAt }
      : { status: 'submitted', resolvedAt: null, updatedAt: d.receivedAt };
  }
  if (d.fate && d.closeAt <= at) return { status: d.fate, resolvedAt: d.closeAt, updatedAt: d.closeAt };
  if (d.supplementFrom !== null && d.supplementFrom <= at) {
    if (d.supplementUntil === null || d.supplementUntil > at) {
      return { status: 'supplement_requested', resolvedAt: null, updatedAt: d.supplementFrom };
    }
    return { status: 'processing', resolvedAt: null, updatedAt: d.supplementUntil };
  }
  return { status: 'processing', resolvedAt: null, updatedAt: d.receivedAt };
}

/** Whether anything about the dossier changed in [from, to). */
export function changedBetween(d: DemoDossier, from: number, to: number): boolean {
  const within = (t: number | null) => t !== null && t >= from && t < to;
  return (
    within(d.receivedAt) ||
    within(d.supplementFrom) ||
    within(d.supplementUntil) ||
    (d.kind !== 'submitted' && within(d.closeAt))
  );
}

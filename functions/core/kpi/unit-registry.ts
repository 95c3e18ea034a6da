// The units registry ingest keeps in the lake (docs/design.md "Units across the 1 July 2025
// reform"): every unit that ever existed with its validity dates, and which units took over
// from which. The KPI runner binds it into the SQL (unit existence per period, lineage of
// successors) and publishes it as the `units` and `unit_successors` tables.
import { escapeGlob, openDuckDb, sqlString } from '../duckdb.ts';
import type { Row } from '../engine.ts';
import { UNIT_SUCCESSORS_KEY, UNITS_REGISTRY_KEY } from '../lake-layout.ts';
import type { Storage } from '../storage.ts';
import { withLocalLakeFile } from './lake-file.ts';

export interface RegistryUnit {
  unit_code: string;
  unit_name: string | null;
  unit_level: string | null;
  parent_code: string | null;
  /** 'YYYY-MM-DD', inclusive; null: open. */
  valid_from: string | null;
  valid_to: string | null;
}

export interface UnitSuccession {
  predecessor_code: string;
  successor_code: string;
  weight: number;
  effective_date: string | null;
}

export interface UnitRegistry {
  units: RegistryUnit[];
  successions: UnitSuccession[];
}

/** A successor's whole ancestry: every unit its work came from, with the product of the weights. */
export interface LineageLink {
  successor_code: string;
  ancestor_code: string;
  weight: number;
}

export class UnitRegistryError extends Error {
  override name = 'UnitRegistryError';
}

const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
const day = (value: unknown) => (value instanceof Date ? value.toISOString().slice(0, 10) : text(value));

async function readParquetRows(lake: Storage, key: string, columns: string): Promise<Row[] | undefined> {
  return withLocalLakeFile(lake, key, async (path) => {
    const connection = await openDuckDb({ threads: 1 });
    try {
      const reader = await connection.runAndReadAll(
        `SELECT ${columns} FROM read_parquet(${sqlString(escapeGlob(path))})`,
      );
      return reader.getRowObjectsJS() as Row[];
    } finally {
      connection.closeSync();
    }
  });
}

/** The registry of the lake, or undefined when ingest kept none (every unit then always exists). */
export async function readUnitRegistry(lake: Storage): Promise<UnitRegistry | undefined> {
  const units = await readParquetRows(
    lake,
    UNITS_REGISTRY_KEY,
    'unit_code, unit_name, unit_level, parent_code, CAST(valid_from AS DATE) AS valid_from, CAST(valid_to AS DATE) AS valid_to',
  );
  if (!units) return undefined;
  const successions =
    (await readParquetRows(
      lake,
      UNIT_SUCCESSORS_KEY,
      'predecessor_code, successor_code, CAST(weight AS DOUBLE) AS weight, CAST(effective_date AS DATE) AS effective_date',
    )) ?? [];
  return {
    units: units
      .map((u) => ({
        unit_code: String(u['unit_code']),
        unit_name: text(u['unit_name']),
        unit_level: text(u['unit_level']),
        parent_code: text(u['parent_code']) || null,
        valid_from: day(u['valid_from']),
        valid_to: day(u['valid_to']),
      }))
      .sort((a, b) => a.unit_code.localeCompare(b.unit_code)),
    successions: successions
      .map((s) => ({
        predecessor_code: String(s['predecessor_code']),
        successor_code: String(s['successor_code']),
        weight: Number(s['weight']),
        effective_date: day(s['effective_date']),
      }))
      .sort(
        (a, b) =>
          a.successor_code.localeCompare(b.successor_code) ||
          a.predecessor_code.localeCompare(b.predecessor_code),
      ),
  };
}

/**
 * Every (successor, ancestor) pair: predecessors of predecessors chain, weights multiply
 * along a path and add up over paths. A cycle (A took over from B which took over from A)
 * is refused, naming the units.
 */
export function unitLineage(successions: readonly UnitSuccession[]): LineageLink[] {
  const predecessors = new Map<string, UnitSuccession[]>();
  for (const s of successions) {
    const list = predecessors.get(s.successor_code) ?? [];
    list.push(s);
    predecessors.set(s.successor_code, list);
  }
  const ancestry = new Map<string, Map<string, number>>();
  const expand = (unit: string, path: readonly string[]): Map<string, number> => {
    const known = ancestry.get(unit);
    if (known) return known;
    if (path.includes(unit)) {
      throw new UnitRegistryError(`unit successors form a cycle: ${[...path, unit].join(' ← ')}`);
    }
    const result = new Map<string, number>();
    for (const edge of predecessors.get(unit) ?? []) {
      const add = (code: string, weight: number) => result.set(code, (result.get(code) ?? 0) + weight);
      add(edge.predecessor_code, edge.weight);
      for (const [code, weight] of expand(edge.predecessor_code, [...path, unit]))
        add(code, edge.weight * weight);
    }
    ancestry.set(unit, result);
    return result;
  };
  const links: LineageLink[] = [];
  for (const successor of [...predecessors.keys()].sort()) {
    for (const [ancestor_code, weight] of [...expand(successor, [])].sort(([a], [b]) => a.localeCompare(b))) {
      links.push({ successor_code: successor, ancestor_code, weight });
    }
  }
  return links;
}

/** 'A-STP×1; B-STP×0.5': a successor's ancestors with their weights, as published. */
export function describeAncestors(links: readonly LineageLink[]): string {
  return links.map((l) => `${l.ancestor_code}×${Number(l.weight.toFixed(4))}`).join('; ');
}

/** `exact` when the successor took over all of every ancestor's work, else `approximate`. */
export const lineageKind = (links: readonly LineageLink[]) =>
  links.every((l) => Math.abs(l.weight - 1) < 1e-9) ? 'exact' : 'approximate';

/** The published `units` and `unit_successors` rows. */
export function registryTables(registry: UnitRegistry): { units: Row[]; unit_successors: Row[] } {
  return {
    units: registry.units.map((u) => ({ ...u })),
    unit_successors: registry.successions.map((s) => ({ ...s })),
  };
}

// The 766 scorecard (Quyết định 766/QĐ-TTg) of the province and of every unit, per period,
// for the indicators the dossier records can tell (kpi-catalog.ts SCORECARD_INDICATORS).
// It is derived from the published unit_kpis and province_kpis rows alone, so anyone can
// recompute it from the open data: value = Σ numerator / Σ denominator of published counts.
// Scoring: full points at or beyond the threshold, else in proportion (value × points ÷
// threshold; for a lower-is-better indicator, points × threshold ÷ value). An indicator whose
// denominator is 0 has no value and no points: nothing is invented.
import type { CongkhaiConfig } from '../config.ts';
import type { Row } from '../engine.ts';
import { INDEX_766_GROUPS, SCORECARD_INDICATORS, type ScorecardIndicator } from '../kpi-catalog.ts';

/** The province total's unit_code in scorecard_766 (a key column cannot be null). */
export const PROVINCE_SCOPE_CODE = '';

const num = (row: Row, column: string) => {
  const value = row[column];
  return typeof value === 'number' ? value : Number(value ?? 0);
};

export function indicatorValue(
  indicator: ScorecardIndicator,
  row: Row,
): { value: number | null; numerator: number; denominator: number } {
  const numerator = indicator.numerator.reduce((s, c) => s + num(row, c), 0);
  const denominator = indicator.denominator.reduce((s, c) => s + num(row, c), 0);
  if (denominator === 0) return { value: null, numerator, denominator };
  const ratio = numerator / denominator;
  return { value: indicator.kind === 'complement' ? 1 - ratio : ratio, numerator, denominator };
}

export function indicatorPoints(
  indicator: ScorecardIndicator,
  value: number | null,
  scoring: { points: number; threshold: number },
): number | null {
  if (value === null) return null;
  const { points, threshold } = scoring;
  if (indicator.direction === 'higher') return value >= threshold ? points : (value * points) / threshold;
  return value <= threshold ? points : value === 0 ? points : (points * threshold) / value;
}

function scorecardRows(
  row: Row,
  scope: { unit_code: string; unit_name: string; unit_level: string | null },
  config: CongkhaiConfig,
): Row[] {
  return SCORECARD_INDICATORS.map((indicator) => {
    const scoring = config.index_766[indicator.code as keyof CongkhaiConfig['index_766']];
    const { value, numerator, denominator } = indicatorValue(indicator, row);
    const points = scoring ? indicatorPoints(indicator, value, scoring) : null;
    const group = INDEX_766_GROUPS.find((g) => g.group === indicator.group)!;
    return {
      period_type: row['period_type'] ?? null,
      period: row['period'] ?? null,
      is_complete: row['is_complete'] ?? null,
      unit_code: scope.unit_code,
      unit_name: scope.unit_name,
      unit_level: scope.unit_level,
      indicator: indicator.code,
      indicator_group: indicator.group,
      group_max_points: group.max_points,
      value,
      numerator,
      denominator,
      threshold: scoring?.threshold ?? null,
      points: points === null ? null : Math.round(points * 100) / 100,
      max_points: scoring?.points ?? null,
    };
  });
}

/** scorecard_766 rows: the province's, then every unit's, for every period they have. */
export function scorecard766(tables: Record<string, Row[]>, config: CongkhaiConfig): Row[] {
  const rows: Row[] = [];
  for (const row of tables['province_kpis'] ?? []) {
    rows.push(
      ...scorecardRows(
        row,
        { unit_code: PROVINCE_SCOPE_CODE, unit_name: 'Toàn tỉnh', unit_level: null },
        config,
      ),
    );
  }
  for (const row of tables['unit_kpis'] ?? []) {
    rows.push(
      ...scorecardRows(
        row,
        {
          unit_code: String(row['unit_code']),
          unit_name: String(row['unit_name'] ?? row['unit_code']),
          unit_level: (row['unit_level'] as string | null) ?? null,
        },
        config,
      ),
    );
  }
  return rows;
}

// The meeting-room screen (/man-hinh/): the province's latest complete month as a few large
// tiles (value, change against the month before, 12-month sparkline, target) and the five
// units with the lowest on-time rate that month.
import { formatInteger, formatPointChange, formatRate, formatTarget, periodLabel } from './format.ts';
import { leagueExtras, SPARKLINE_PERIODS } from './league.ts';
import type { PublishedData, UnitKpiRow } from './published-data.ts';
import { KPI_KEYS, KPIS, provinceMonths, provinceTarget, unitRows } from './site-model.ts';

export interface BigTile {
  label: string;
  value: string;
  /** "+1,25 điểm %" or "+12"; null when the month before has no value. */
  change: string | null;
  /** The change is an improvement (false: a worsening; null: no change or unknown). */
  better: boolean | null;
  target: string | null;
  /** Oldest first, the last SPARKLINE_PERIODS months. */
  history: (number | null)[];
}

export interface BigScreen {
  period: string;
  periodLabel: string;
  tiles: BigTile[];
  worst: { row: UnitKpiRow; change: string | null }[];
}

const sign = (n: number) => (n > 0 ? `+${formatInteger(n)}` : formatInteger(n));

export function bigScreen(data: PublishedData, worstCount = 5): BigScreen | null {
  const months = provinceMonths(data).filter((row) => row.is_complete);
  const current = months.at(-1);
  if (!current) return null;
  const before = months.at(-2);
  const window = months.slice(-SPARKLINE_PERIODS);
  const tiles: BigTile[] = [];
  for (const key of KPI_KEYS) {
    const kpi = KPIS[key];
    const value = current[key];
    if (value === null) continue;
    const previous = before?.[key] ?? null;
    const delta = previous === null ? null : value - previous;
    const target = provinceTarget(data, key);
    tiles.push({
      label: kpi.label,
      value: formatRate(value),
      change: previous === null ? null : formatPointChange(value, previous),
      better: delta === null || Math.abs(delta) < 1e-9 ? null : kpi.lowerIsBetter ? delta < 0 : delta > 0,
      target:
        target === null ? null : `${value >= target ? 'Đạt' : 'Chưa đạt'} chỉ tiêu ${formatTarget(target)}`,
      history: window.map((row) => row[key]),
    });
  }
  const overdueDelta = before ? current.pending_overdue - before.pending_overdue : null;
  tiles.push({
    label: 'Hồ sơ đang quá hạn cuối tháng',
    value: formatInteger(current.pending_overdue),
    change: overdueDelta === null ? null : sign(overdueDelta),
    better: overdueDelta === null || overdueDelta === 0 ? null : overdueDelta < 0,
    target: null,
    history: window.map((row) => row.pending_overdue),
  });
  const rows = unitRows(data, current.period)
    .filter((row) => row.ranked && row.on_time_rate !== null)
    .sort(
      (a, b) =>
        (a.on_time_rate ?? 0) - (b.on_time_rate ?? 0) ||
        b.resolved_total - a.resolved_total ||
        a.unit_name.localeCompare(b.unit_name, 'vi'),
    )
    .slice(0, worstCount);
  const extras = leagueExtras(data, current.period, rows);
  return {
    period: current.period,
    periodLabel: periodLabel(current.period),
    tiles,
    worst: rows.map((row) => {
      const extra = extras.get(row.unit_code);
      return {
        row,
        change:
          extra?.change == null
            ? null
            : formatPointChange(row.on_time_rate, extra.previous?.on_time_rate ?? null),
      };
    }),
  };
}

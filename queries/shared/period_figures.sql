-- period_figures: every figure of docs/design.md "KPIs" for every period, written once for the
-- three figure tables, from the monthly events of shared/dossier_events.sql. The runner binds
-- it after `periods` and `dossier_events`.
-- One row per period and grain (GROUPING SETS, so each table reads the grain it publishes):
--   'field'    (unit_code, field_key) -> field_kpis
--   'unit'     (unit_code)            -> unit_kpis
--   'province' (one row per period)   -> province_kpis
-- Counts are additive, so a coarser grain is the sum of the finer one; rates are computed
-- per row from the pooled counts (sum of numerators over sum of denominators).
WITH
period_months AS (
  -- Period bounds are month starts already; the current period's end is past the as-of time.
  SELECT p.*, p.period_start AS start_month, p.period_end AS end_month
  FROM periods AS p
),
period_events AS (
  -- Each period with the monthly events before its end: those of every period, those that
  -- apply to this period only (a dossier that changed units, shared/dossier_events.sql), and
  -- one empty row so that the province has a row for every period, even one without any dossier.
  SELECT p.*, m.unit_code, m.field_key, m.month, m.received, m.received_online, m.digitized, m.closed,
    m.resolved, m.late, m.early, m.returned, m.e_cert, m.e_cert_electronic, m.fee_required,
    m.paid_online, m.overdue_from, m.overdue_until, m.result_electronic, m.resolution_days
  FROM period_months AS p
  INNER JOIN dossier_events AS m ON m.month < p.end_month
  WHERE m.only_period IS NULL
  UNION ALL
  SELECT p.*, m.unit_code, m.field_key, m.month, m.received, m.received_online, m.digitized, m.closed,
    m.resolved, m.late, m.early, m.returned, m.e_cert, m.e_cert_electronic, m.fee_required,
    m.paid_online, m.overdue_from, m.overdue_until, m.result_electronic, m.resolution_days
  FROM period_months AS p
  INNER JOIN dossier_events AS m
    ON m.only_period_type = p.period_type AND m.only_period = p.period AND m.month < p.end_month
  UNION ALL
  SELECT p.*, CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS TIMESTAMP), 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  FROM period_months AS p
),
period_counts AS (
  -- Flows count the months from the period start; stocks every month before the period end.
  SELECT
    CASE grouping(m.unit_code, m.field_key) WHEN 0 THEN 'field' WHEN 1 THEN 'unit' ELSE 'province' END
      AS grain,
    m.period_type,
    m.period,
    m.unit_code,
    m.field_key,
    coalesce(sum(CASE WHEN m.month >= m.start_month THEN m.received_online ELSE 0 END), 0) AS received_online,
    coalesce(sum(CASE WHEN m.month < m.start_month THEN m.received - m.closed ELSE 0 END), 0) AS carried_over,
    coalesce(sum(CASE WHEN m.month >= m.start_month THEN m.received - m.received_online ELSE 0 END), 0) AS received_offline,
    coalesce(sum(CASE WHEN m.month >= m.start_month THEN m.digitized ELSE 0 END), 0) AS digitized_total,
    coalesce(sum(CASE WHEN m.month >= m.start_month THEN m.resolved ELSE 0 END), 0) AS resolved_total,
    coalesce(sum(CASE WHEN m.month >= m.start_month THEN m.late ELSE 0 END), 0) AS resolved_late,
    coalesce(sum(CASE WHEN m.month >= m.start_month THEN m.early ELSE 0 END), 0) AS resolved_early,
    coalesce(sum(CASE WHEN m.month >= m.start_month THEN m.returned ELSE 0 END), 0) AS returned_total,
    coalesce(sum(CASE WHEN m.month >= m.start_month THEN m.e_cert ELSE 0 END), 0) AS e_cert_total,
    coalesce(sum(CASE WHEN m.month >= m.start_month THEN m.e_cert_electronic ELSE 0 END), 0) AS e_cert_electronic,
    coalesce(sum(CASE WHEN m.month >= m.start_month THEN m.fee_required ELSE 0 END), 0) AS fee_required_total,
    coalesce(sum(CASE WHEN m.month >= m.start_month THEN m.paid_online ELSE 0 END), 0) AS paid_online_total,
    coalesce(sum(CASE WHEN m.month >= m.start_month THEN m.result_electronic ELSE 0 END), 0) AS result_electronic_total,
    coalesce(sum(CASE WHEN m.month >= m.start_month THEN m.resolution_days ELSE 0 END), 0) AS resolution_days_total,
    coalesce(sum(m.received - m.closed), 0) AS pending_total,
    coalesce(sum(m.overdue_from - m.overdue_until), 0) AS pending_overdue
  FROM period_events AS m
  -- Grouped by the period's key alone (its bounds are joined back in figures: fewer keys to hash).
  GROUP BY GROUPING SETS (
    (m.period_type, m.period),
    (m.period_type, m.period, m.unit_code),
    (m.period_type, m.period, m.unit_code, m.field_key)
  )
  -- A unit or field has a row in a period only when one of its events falls before the end.
  HAVING grouping(m.unit_code, m.field_key) = 3 OR count(m.month) > 0
),
figures AS (
  SELECT
    c.grain,
    c.period_type,
    c.period,
    p.period_start,
    p.period_end,
    p.is_complete,
    p.start_month,
    c.unit_code,
    c.field_key,
    c.received_online + c.carried_over + c.received_offline AS received_total,
    c.received_online,
    c.carried_over,
    c.received_offline,
    c.resolved_total,
    c.resolved_total - c.resolved_late AS resolved_on_time,
    c.resolved_early,
    c.resolved_late,
    c.returned_total,
    c.pending_total,
    c.pending_total - c.pending_overdue AS pending_not_due,
    c.pending_overdue,
    c.resolved_late + c.pending_overdue AS overdue_total,
    c.e_cert_total,
    c.e_cert_electronic,
    c.fee_required_total,
    c.paid_online_total,
    c.received_online + c.received_offline AS new_total,
    c.digitized_total,
    c.result_electronic_total,
    c.resolution_days_total
  FROM period_counts AS c
  INNER JOIN period_months AS p ON p.period_type = c.period_type AND p.period = c.period
)
-- The published figure columns, in the contract's order (functions/core/published-tables.ts),
-- after the keys; each table selects its keys and these columns.
SELECT
  f.grain,
  f.period_type,
  f.period,
  f.period_start,
  f.period_end,
  f.is_complete,
  f.start_month,
  f.unit_code,
  f.field_key,
  CAST(f.received_total AS BIGINT) AS received_total,
  CAST(f.received_online AS BIGINT) AS received_online,
  CAST(f.carried_over AS BIGINT) AS carried_over,
  CAST(f.received_offline AS BIGINT) AS received_offline,
  CAST(f.resolved_total AS BIGINT) AS resolved_total,
  CAST(f.resolved_on_time AS BIGINT) AS resolved_on_time,
  CAST(f.resolved_early AS BIGINT) AS resolved_early,
  CAST(f.resolved_late AS BIGINT) AS resolved_late,
  CAST(f.returned_total AS BIGINT) AS returned_total,
  CAST(f.pending_total AS BIGINT) AS pending_total,
  CAST(f.pending_not_due AS BIGINT) AS pending_not_due,
  CAST(f.pending_overdue AS BIGINT) AS pending_overdue,
  CAST(f.overdue_total AS BIGINT) AS overdue_total,
  CAST(f.resolved_on_time AS DOUBLE) / nullif(f.resolved_total, 0) AS on_time_rate,
  CAST(f.resolved_early AS DOUBLE) / nullif(f.resolved_total, 0) AS early_rate,
  CAST(f.received_online AS DOUBLE) / nullif(f.new_total, 0) AS online_share,
  CAST(f.returned_total AS DOUBLE) / nullif(f.resolved_total + f.returned_total, 0) AS returned_share,
  CAST(f.e_cert_total AS BIGINT) AS e_cert_total,
  CAST(f.e_cert_electronic AS BIGINT) AS e_cert_electronic,
  CAST(f.e_cert_electronic AS DOUBLE) / nullif(f.e_cert_total, 0) AS e_cert_ratio,
  CAST(f.fee_required_total AS BIGINT) AS fee_required_total,
  CAST(f.paid_online_total AS BIGINT) AS paid_online_total,
  CAST(f.paid_online_total AS DOUBLE) / nullif(f.fee_required_total, 0) AS online_payment_share,
  CAST(f.new_total AS BIGINT) AS new_total,
  CAST(f.digitized_total AS BIGINT) AS digitized_total,
  CAST(f.digitized_total AS DOUBLE) / nullif(f.new_total, 0) AS digitization_share,
  CAST(f.result_electronic_total AS BIGINT) AS result_electronic_total,
  CAST(f.resolution_days_total AS BIGINT) AS resolution_days_total
FROM figures AS f

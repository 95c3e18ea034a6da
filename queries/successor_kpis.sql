-- successor_kpis: for each unit existing at the as-of time and each period before it existed,
-- its figures rebuilt from the units it came from (docs/design.md "Units across the 1 July 2025
-- reform"): Σ weight × the ancestor's figure, counts rounded to whole dossiers after summing,
-- rates from the weighted sums. Ancestors chain (unit_lineage, bound by the runner from the
-- registry: weights multiply along a path). `lineage` is exact when every weight is 1.
-- The figures are the 'unit' grain of the shared period_figures relation (queries/shared/).
WITH
successors AS (
  SELECT r.unit_code, r.unit_name, r.unit_level, r.parent_code, r.valid_from
  FROM unit_registry AS r
  CROSS JOIN settings AS s
  WHERE r.valid_from IS NOT NULL
    AND r.valid_from <= CAST(s.as_of AS DATE)
    AND (r.valid_to IS NULL OR r.valid_to >= CAST(s.as_of AS DATE))
),
contributions AS (
  -- Each period ending on or before the successor's first day, with each ancestor's figures.
  SELECT
    p.period_type,
    p.period,
    p.period_start,
    p.period_end,
    p.is_complete,
    u.unit_code,
    u.unit_name,
    u.unit_level,
    u.parent_code,
    l.lineage,
    l.predecessors,
    l.weight,
    f.received_total,
    f.received_online,
    f.carried_over,
    f.received_offline,
    f.resolved_total,
    f.resolved_on_time,
    f.resolved_early,
    f.resolved_late,
    f.returned_total,
    f.pending_total,
    f.pending_not_due,
    f.pending_overdue,
    f.overdue_total,
    f.e_cert_total,
    f.e_cert_electronic,
    f.fee_required_total,
    f.paid_online_total,
    f.new_total,
    f.digitized_total,
    f.result_electronic_total,
    f.resolution_days_total
  FROM successors AS u
  INNER JOIN periods AS p ON CAST(p.period_end AS DATE) <= u.valid_from
  INNER JOIN unit_lineage AS l ON l.successor_code = u.unit_code
  INNER JOIN period_figures AS f
    ON f.grain = 'unit' AND f.unit_code = l.ancestor_code
    AND f.period_type = p.period_type AND f.period = p.period
),
weighted AS (
  SELECT
    c.period_type,
    c.period,
    c.period_start,
    c.period_end,
    c.is_complete,
    c.unit_code,
    c.unit_name,
    c.unit_level,
    c.parent_code,
    c.lineage,
    c.predecessors,
    sum(c.weight * c.received_total) AS received_total,
    sum(c.weight * c.received_online) AS received_online,
    sum(c.weight * c.carried_over) AS carried_over,
    sum(c.weight * c.received_offline) AS received_offline,
    sum(c.weight * c.resolved_total) AS resolved_total,
    sum(c.weight * c.resolved_on_time) AS resolved_on_time,
    sum(c.weight * c.resolved_early) AS resolved_early,
    sum(c.weight * c.resolved_late) AS resolved_late,
    sum(c.weight * c.returned_total) AS returned_total,
    sum(c.weight * c.pending_total) AS pending_total,
    sum(c.weight * c.pending_not_due) AS pending_not_due,
    sum(c.weight * c.pending_overdue) AS pending_overdue,
    sum(c.weight * c.overdue_total) AS overdue_total,
    sum(c.weight * c.e_cert_total) AS e_cert_total,
    sum(c.weight * c.e_cert_electronic) AS e_cert_electronic,
    sum(c.weight * c.fee_required_total) AS fee_required_total,
    sum(c.weight * c.paid_online_total) AS paid_online_total,
    sum(c.weight * c.new_total) AS new_total,
    sum(c.weight * c.digitized_total) AS digitized_total,
    sum(c.weight * c.result_electronic_total) AS result_electronic_total,
    sum(c.weight * c.resolution_days_total) AS resolution_days_total
  FROM contributions AS c
  GROUP BY
    c.period_type, c.period, c.period_start, c.period_end, c.is_complete, c.unit_code, c.unit_name,
    c.unit_level, c.parent_code, c.lineage, c.predecessors
)
SELECT
  w.period_type,
  w.period,
  CAST(w.period_start AS DATE) AS period_start,
  CAST(w.period_end AS DATE) AS period_end,
  w.is_complete,
  w.unit_code,
  coalesce(w.unit_name, w.unit_code) AS unit_name,
  w.unit_level,
  w.parent_code,
  CAST(round(w.received_total) AS BIGINT) AS received_total,
  CAST(round(w.received_online) AS BIGINT) AS received_online,
  CAST(round(w.carried_over) AS BIGINT) AS carried_over,
  CAST(round(w.received_offline) AS BIGINT) AS received_offline,
  CAST(round(w.resolved_total) AS BIGINT) AS resolved_total,
  CAST(round(w.resolved_on_time) AS BIGINT) AS resolved_on_time,
  CAST(round(w.resolved_early) AS BIGINT) AS resolved_early,
  CAST(round(w.resolved_late) AS BIGINT) AS resolved_late,
  CAST(round(w.returned_total) AS BIGINT) AS returned_total,
  CAST(round(w.pending_total) AS BIGINT) AS pending_total,
  CAST(round(w.pending_not_due) AS BIGINT) AS pending_not_due,
  CAST(round(w.pending_overdue) AS BIGINT) AS pending_overdue,
  CAST(round(w.overdue_total) AS BIGINT) AS overdue_total,
  w.resolved_on_time / nullif(w.resolved_total, 0) AS on_time_rate,
  w.resolved_early / nullif(w.resolved_total, 0) AS early_rate,
  w.received_online / nullif(w.new_total, 0) AS online_share,
  w.returned_total / nullif(w.resolved_total + w.returned_total, 0) AS returned_share,
  CAST(round(w.e_cert_total) AS BIGINT) AS e_cert_total,
  CAST(round(w.e_cert_electronic) AS BIGINT) AS e_cert_electronic,
  w.e_cert_electronic / nullif(w.e_cert_total, 0) AS e_cert_ratio,
  CAST(round(w.fee_required_total) AS BIGINT) AS fee_required_total,
  CAST(round(w.paid_online_total) AS BIGINT) AS paid_online_total,
  w.paid_online_total / nullif(w.fee_required_total, 0) AS online_payment_share,
  CAST(round(w.new_total) AS BIGINT) AS new_total,
  CAST(round(w.digitized_total) AS BIGINT) AS digitized_total,
  w.digitized_total / nullif(w.new_total, 0) AS digitization_share,
  CAST(round(w.result_electronic_total) AS BIGINT) AS result_electronic_total,
  CAST(round(w.resolution_days_total) AS BIGINT) AS resolution_days_total,
  w.lineage,
  w.predecessors
FROM weighted AS w
ORDER BY
  CASE w.period_type WHEN 'month' THEN 1 WHEN 'quarter' THEN 2 WHEN 'half' THEN 3 ELSE 4 END,
  w.period_start,
  w.unit_code

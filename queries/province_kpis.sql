-- province_kpis: one row per (period_type, period) for the whole province.
-- The figures are the 'province' grain of the shared period_figures relation
-- (queries/shared/), bound by the runner in front of this query: the same classification as
-- unit_kpis and field_kpis, summed over every dossier, so the province's rates are pooled
-- (sum of numerators over sum of denominators), never a mean of unit rates. Every period has
-- a row, even one without any dossier. The publisher checks that each count equals the sum
-- of the unit_kpis rows.
SELECT
  r.period_type,
  r.period,
  CAST(r.period_start AS DATE) AS period_start,
  CAST(r.period_end AS DATE) AS period_end,
  r.is_complete,
  r.received_total,
  r.received_online,
  r.carried_over,
  r.received_offline,
  r.resolved_total,
  r.resolved_on_time,
  r.resolved_early,
  r.resolved_late,
  r.returned_total,
  r.pending_total,
  r.pending_not_due,
  r.pending_overdue,
  r.overdue_total,
  r.on_time_rate,
  r.early_rate,
  r.online_share,
  r.returned_share,
  r.e_cert_total,
  r.e_cert_electronic,
  r.e_cert_ratio,
  r.fee_required_total,
  r.paid_online_total,
  r.online_payment_share,
  r.new_total,
  r.digitized_total,
  r.digitization_share,
  r.result_electronic_total,
  r.resolution_days_total
FROM period_figures AS r
WHERE r.grain = 'province'
ORDER BY
  CASE r.period_type WHEN 'month' THEN 1 WHEN 'quarter' THEN 2 WHEN 'half' THEN 3 ELSE 4 END,
  r.period_start

-- unit_kpis: one row per (period_type, period, unit_code). DESIGN.md "Classification", "KPIs".
-- Runs unchanged on DuckDB and Athena (Trino). The runner binds, in front of this WITH list:
--   settings(as_of, min_resolved_for_rank, e_cert_field_name, e_cert_field_code)
--   targets(unit_level, on_time_rate, online_share, e_cert_ratio)
--   periods(period_type, period, period_start, period_end, is_complete)
--   dossiers: each dossier's row in its latest snapshot up to the as-of date.
--   dossier_events, period_figures: the classification and the figures, shared by the three
--   figure tables (queries/shared/); this file adds what is the units' own: which periods a
--   unit is listed in, its name and level, ranks among peers and targets.
WITH
unit_spans AS (
  -- A unit is listed, even with zeros, in every period between its first received dossier
  -- and its last activity (a dossier still open at the as-of time, closed in 9999-12, keeps
  -- it active).
  SELECT unit_code, max(month) AS last_active_month
  FROM dossier_events
  WHERE closed > 0
  GROUP BY unit_code
),
unit_names AS (
  -- The unit as its most recently received dossier names it.
  SELECT
    unit_code,
    max_by(unit_name, received_at) AS unit_name,
    max_by(unit_level, received_at) AS unit_level,
    max_by(parent_code, received_at) AS parent_code
  FROM (
    SELECT unit_code, coalesce(unit_name, unit_code) AS unit_name, unit_level, coalesce(parent_code, '') AS parent_code, received_at
    FROM dossiers
    WHERE status NOT IN ('submitted', 'rejected_at_intake')
  ) AS named
  GROUP BY unit_code
),
unit_rows AS (
  SELECT
    f.*,
    n.unit_name,
    n.unit_level,
    nullif(n.parent_code, '') AS parent_code,
    f.resolved_total >= s.min_resolved_for_rank AS ranked,
    -- Peers: agencies among agencies, districts among districts, communes within their district.
    CASE WHEN n.unit_level = 'commune' THEN 'commune:' || n.parent_code ELSE n.unit_level END
      AS peer_group
  FROM period_figures AS f
  INNER JOIN unit_spans AS u ON u.unit_code = f.unit_code
  INNER JOIN unit_names AS n ON n.unit_code = f.unit_code
  CROSS JOIN settings AS s
  WHERE f.grain = 'unit'
    AND (f.received_total > 0 OR u.last_active_month >= f.start_month)
)
SELECT
  r.period_type,
  r.period,
  CAST(r.period_start AS DATE) AS period_start,
  CAST(r.period_end AS DATE) AS period_end,
  r.is_complete,
  r.unit_code,
  r.unit_name,
  r.unit_level,
  r.parent_code,
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
  r.resolution_days_total,
  r.ranked,
  r.peer_group,
  -- RANK(): ties share a rank. Only ranked units with a rate take part.
  CASE WHEN r.ranked AND r.on_time_rate IS NOT NULL THEN RANK() OVER (
    PARTITION BY r.period_type, r.period, r.peer_group, r.ranked AND r.on_time_rate IS NOT NULL
    ORDER BY r.on_time_rate DESC) END AS rank_on_time_rate,
  CASE WHEN r.ranked AND r.online_share IS NOT NULL THEN RANK() OVER (
    PARTITION BY r.period_type, r.period, r.peer_group, r.ranked AND r.online_share IS NOT NULL
    ORDER BY r.online_share DESC) END AS rank_online_share,
  CASE WHEN r.ranked AND r.e_cert_ratio IS NOT NULL THEN RANK() OVER (
    PARTITION BY r.period_type, r.period, r.peer_group, r.ranked AND r.e_cert_ratio IS NOT NULL
    ORDER BY r.e_cert_ratio DESC) END AS rank_e_cert_ratio,
  CASE WHEN r.ranked AND r.returned_share IS NOT NULL THEN RANK() OVER (
    PARTITION BY r.period_type, r.period, r.peer_group, r.ranked AND r.returned_share IS NOT NULL
    ORDER BY r.returned_share ASC) END AS rank_returned_share,
  t.on_time_rate AS target_on_time_rate,
  CASE WHEN r.on_time_rate IS NULL OR t.on_time_rate IS NULL THEN NULL
    ELSE r.on_time_rate >= t.on_time_rate END AS meets_on_time_rate,
  t.online_share AS target_online_share,
  CASE WHEN r.online_share IS NULL OR t.online_share IS NULL THEN NULL
    ELSE r.online_share >= t.online_share END AS meets_online_share,
  t.e_cert_ratio AS target_e_cert_ratio,
  CASE WHEN r.e_cert_ratio IS NULL OR t.e_cert_ratio IS NULL THEN NULL
    ELSE r.e_cert_ratio >= t.e_cert_ratio END AS meets_e_cert_ratio
FROM unit_rows AS r
LEFT JOIN targets AS t ON t.unit_level = r.unit_level
ORDER BY
  CASE r.period_type WHEN 'month' THEN 1 WHEN 'quarter' THEN 2 WHEN 'half' THEN 3 ELSE 4 END,
  r.period_start,
  CASE r.unit_level WHEN 'province' THEN 1 WHEN 'district' THEN 2 ELSE 3 END,
  r.parent_code NULLS FIRST,
  r.unit_code

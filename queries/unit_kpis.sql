-- unit_kpis: one row per (period_type, period, unit_code). docs/design.md "Classification", "KPIs".
-- Runs unchanged on DuckDB and Athena (Trino). The runner binds, in front of this WITH list:
--   settings(as_of, min_resolved_for_rank, e_cert_field_name, e_cert_field_code)
--   targets(unit_level, on_time_rate, online_share, e_cert_ratio)
--   periods(period_type, period, period_start, period_end, is_complete)
--   dossiers: each dossier's row in its latest snapshot up to the as-of date.
--   dossier_events, period_figures: the classification and the figures, shared by the three
--   figure tables, and dossier_unit_names (queries/shared/); this file adds what is the units'
--   own: which periods a unit is listed in, its name and level, ranks among peers and targets.
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
  -- The registry names its units (with the parent of their time); others as their dossiers do.
  SELECT unit_code, coalesce(unit_name, unit_code) AS unit_name, unit_level, coalesce(parent_code, '') AS parent_code
  FROM unit_registry
  UNION ALL
  SELECT n.unit_code, n.unit_name, n.unit_level, n.parent_code
  FROM dossier_unit_names AS n
  LEFT JOIN unit_registry AS r ON r.unit_code = n.unit_code
  WHERE r.unit_code IS NULL
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
  LEFT JOIN unit_registry AS e ON e.unit_code = f.unit_code
  CROSS JOIN settings AS s
  WHERE f.grain = 'unit'
    -- A unit with no figures gets no row in a period in which it did not exist.
    AND (
      f.received_total > 0
      OR (
        u.last_active_month >= f.start_month
        AND (e.valid_from IS NULL OR e.valid_from < CAST(f.period_end AS DATE))
        AND (e.valid_to IS NULL OR e.valid_to >= CAST(f.period_start AS DATE))
      )
    )
),
province_rates AS (
  -- The province's pooled rate of each ranked KPI: the centre of the funnel.
  SELECT period_type, period, on_time_rate, online_share, e_cert_ratio, returned_share
  FROM period_figures
  WHERE grain = 'province'
),
ranked_inputs AS (
  -- One row per unit, period and ranked KPI (kpi-catalog.ts `ranked`): its numerator x, its
  -- denominator n and the province's rate p0, so that each formula below is written once.
  SELECT
    r.period_type,
    r.period,
    r.unit_code,
    k.kpi,
    CAST(CASE k.kpi
      WHEN 'on_time_rate' THEN r.resolved_on_time
      WHEN 'online_share' THEN r.received_online
      WHEN 'e_cert_ratio' THEN r.e_cert_electronic
      ELSE r.returned_total END AS DOUBLE) AS x,
    CAST(CASE k.kpi
      WHEN 'on_time_rate' THEN r.resolved_total
      WHEN 'online_share' THEN r.new_total
      WHEN 'e_cert_ratio' THEN r.e_cert_total
      ELSE r.resolved_total + r.returned_total END AS DOUBLE) AS n,
    CASE k.kpi
      WHEN 'on_time_rate' THEN p.on_time_rate
      WHEN 'online_share' THEN p.online_share
      WHEN 'e_cert_ratio' THEN p.e_cert_ratio
      ELSE p.returned_share END AS p0
  FROM unit_rows AS r
  CROSS JOIN (VALUES ('on_time_rate'), ('online_share'), ('e_cert_ratio'), ('returned_share')) AS k(kpi)
  LEFT JOIN province_rates AS p ON p.period_type = r.period_type AND p.period = r.period
),
ranked_bounds AS (
  -- 95% Wilson score interval (z = 1.959964) of x/n, and the band against the province:
  -- above / below the 99.8% funnel limits p0 ± 3.090232·sqrt(p0(1 − p0)/n), else within.
  SELECT
    period_type,
    period,
    unit_code,
    kpi,
    CASE WHEN n > 0 THEN
      (x / n + 1.959964 * 1.959964 / (2 * n)
        - 1.959964 * sqrt(x / n * (1 - x / n) / n + 1.959964 * 1.959964 / (4 * n * n)))
      / (1 + 1.959964 * 1.959964 / n) END AS ci_low,
    CASE WHEN n > 0 THEN
      (x / n + 1.959964 * 1.959964 / (2 * n)
        + 1.959964 * sqrt(x / n * (1 - x / n) / n + 1.959964 * 1.959964 / (4 * n * n)))
      / (1 + 1.959964 * 1.959964 / n) END AS ci_high,
    CASE
      WHEN n = 0 OR p0 IS NULL THEN NULL
      WHEN x / n > p0 + 3.090232 * sqrt(p0 * (1 - p0) / n) THEN 'above'
      WHEN x / n < p0 - 3.090232 * sqrt(p0 * (1 - p0) / n) THEN 'below'
      ELSE 'within'
    END AS band
  FROM ranked_inputs
),
resolved_months AS (
  -- Resolved dossiers of each unit by procedure and month of closing, each dossier read once:
  -- a month lies in one period of each type, so the periods' counts are sums of months. A
  -- dossier that changed units (moved_dossiers) has a row for each period, under its unit of
  -- that period (dossier_period_units), that counts in that period only. Months are counted as
  -- in shared/dossier_events.sql (year * 12 + month - 1): cheaper than date_trunc.
  SELECT
    r.unit_code,
    r.only_period_type,
    r.only_period,
    r.procedure_code,
    year(r.closed_at) * 12 + month(r.closed_at) - 1 AS month_index,
    count(*) AS resolved,
    sum(CASE WHEN CAST(r.resolved_at AS DATE) > CAST(r.due_at AS DATE) THEN 0 ELSE 1 END) AS on_time
  FROM (
    SELECT
      d.unit_code,
      CAST(NULL AS VARCHAR) AS only_period_type,
      CAST(NULL AS VARCHAR) AS only_period,
      d.procedure_code,
      greatest(d.resolved_at, d.received_at) AS closed_at,
      d.resolved_at,
      d.due_at
    FROM dossiers AS d
    WHERE d.status = 'resolved' AND d.resolved_at IS NOT NULL AND NOT d.unit_moved
    UNION ALL
    SELECT
      a.unit_code,
      a.period_type,
      a.period,
      d.procedure_code,
      greatest(d.resolved_at, d.received_at),
      d.resolved_at,
      d.due_at
    FROM moved_dossiers AS d
    INNER JOIN dossier_period_units AS a ON a.dossier_id = d.dossier_id
    WHERE d.status = 'resolved' AND d.resolved_at IS NOT NULL
  ) AS r
  CROSS JOIN settings AS s
  WHERE r.closed_at < s.as_of
  GROUP BY
    r.unit_code, r.only_period_type, r.only_period, r.procedure_code,
    year(r.closed_at) * 12 + month(r.closed_at) - 1
),
months_of_periods AS (
  -- The months of each period (periods are whole months), to sum months into periods by an
  -- equality join rather than a range join.
  SELECT p.period_type, p.period, year(m.period_start) * 12 + month(m.period_start) - 1 AS month_index
  FROM periods AS p
  INNER JOIN periods AS m
    ON m.period_type = 'month' AND m.period_start >= p.period_start AND m.period_start < p.period_end
),
resolved_by_procedure AS (
  -- Procedure mix: resolved dossiers of each unit by procedure and period (a resolved dossier
  -- falls in one month, quarter, half and year), to compare each unit with what its work allows.
  SELECT p.period_type, p.period, m.unit_code, m.procedure_code, sum(m.resolved) AS resolved, sum(m.on_time) AS on_time
  FROM resolved_months AS m
  INNER JOIN months_of_periods AS p ON p.month_index = m.month_index
  WHERE m.only_period IS NULL OR (m.only_period_type = p.period_type AND m.only_period = p.period)
  GROUP BY p.period_type, p.period, m.unit_code, m.procedure_code
),
procedure_rates AS (
  -- The province's on-time rate of each procedure in each period.
  SELECT period_type, period, procedure_code, CAST(sum(on_time) AS DOUBLE) / sum(resolved) AS rate
  FROM resolved_by_procedure
  GROUP BY period_type, period, procedure_code
),
expected_rates AS (
  -- A unit's expected on-time rate: the province's rate of each of its procedures, weighted by
  -- how many of them the unit resolved. The weighted rates are summed as decimals: a sum of
  -- doubles comes out differently in its last digits from run to run (the engine adds in any
  -- order), and the same lake must give the same bytes.
  SELECT
    u.period_type,
    u.period,
    u.unit_code,
    CAST(sum(CAST(u.resolved * r.rate AS DECIMAL(38, 18))) AS DOUBLE) / sum(u.resolved) AS expected_on_time_rate
  FROM resolved_by_procedure AS u
  INNER JOIN procedure_rates AS r
    ON r.period_type = u.period_type AND r.period = u.period AND r.procedure_code = u.procedure_code
  GROUP BY u.period_type, u.period, u.unit_code
),
unit_bounds AS (
  SELECT
    period_type,
    period,
    unit_code,
    max(CASE WHEN kpi = 'on_time_rate' THEN ci_low END) AS on_time_rate_ci_low,
    max(CASE WHEN kpi = 'on_time_rate' THEN ci_high END) AS on_time_rate_ci_high,
    max(CASE WHEN kpi = 'on_time_rate' THEN band END) AS on_time_rate_band,
    max(CASE WHEN kpi = 'online_share' THEN ci_low END) AS online_share_ci_low,
    max(CASE WHEN kpi = 'online_share' THEN ci_high END) AS online_share_ci_high,
    max(CASE WHEN kpi = 'online_share' THEN band END) AS online_share_band,
    max(CASE WHEN kpi = 'e_cert_ratio' THEN ci_low END) AS e_cert_ratio_ci_low,
    max(CASE WHEN kpi = 'e_cert_ratio' THEN ci_high END) AS e_cert_ratio_ci_high,
    max(CASE WHEN kpi = 'e_cert_ratio' THEN band END) AS e_cert_ratio_band,
    max(CASE WHEN kpi = 'returned_share' THEN ci_low END) AS returned_share_ci_low,
    max(CASE WHEN kpi = 'returned_share' THEN ci_high END) AS returned_share_ci_high,
    max(CASE WHEN kpi = 'returned_share' THEN band END) AS returned_share_band
  FROM ranked_bounds
  GROUP BY period_type, period, unit_code
)
SELECT
  {{period_columns r}},
  r.unit_code,
  r.unit_name,
  r.unit_level,
  r.parent_code,
  {{figure_columns r}},
  r.ranked,
  r.peer_group,
  -- RANK(): ties share a rank. Only ranked units with a rate take part. Honest order: the
  -- band against the province first (a unit is better than the province only when its
  -- rate lies outside the funnel), then the end of its 95% interval that the data can vouch
  -- for (a unit with 2 of 2 on time is not ahead of one with 450 of 460), then the rate.
  CASE WHEN r.ranked AND r.on_time_rate IS NOT NULL THEN RANK() OVER (
    PARTITION BY r.period_type, r.period, r.peer_group, r.ranked AND r.on_time_rate IS NOT NULL
    ORDER BY CASE b.on_time_rate_band WHEN 'above' THEN 1 WHEN 'within' THEN 2 ELSE 3 END,
      b.on_time_rate_ci_low DESC, r.on_time_rate DESC) END AS rank_on_time_rate,
  CASE WHEN r.ranked AND r.online_share IS NOT NULL THEN RANK() OVER (
    PARTITION BY r.period_type, r.period, r.peer_group, r.ranked AND r.online_share IS NOT NULL
    ORDER BY CASE b.online_share_band WHEN 'above' THEN 1 WHEN 'within' THEN 2 ELSE 3 END,
      b.online_share_ci_low DESC, r.online_share DESC) END AS rank_online_share,
  CASE WHEN r.ranked AND r.e_cert_ratio IS NOT NULL THEN RANK() OVER (
    PARTITION BY r.period_type, r.period, r.peer_group, r.ranked AND r.e_cert_ratio IS NOT NULL
    ORDER BY CASE b.e_cert_ratio_band WHEN 'above' THEN 1 WHEN 'within' THEN 2 ELSE 3 END,
      b.e_cert_ratio_ci_low DESC, r.e_cert_ratio DESC) END AS rank_e_cert_ratio,
  CASE WHEN r.ranked AND r.returned_share IS NOT NULL THEN RANK() OVER (
    PARTITION BY r.period_type, r.period, r.peer_group, r.ranked AND r.returned_share IS NOT NULL
    ORDER BY CASE b.returned_share_band WHEN 'below' THEN 1 WHEN 'within' THEN 2 ELSE 3 END,
      b.returned_share_ci_high ASC, r.returned_share ASC) END AS rank_returned_share,
  t.on_time_rate AS target_on_time_rate,
  CASE WHEN r.on_time_rate IS NULL OR t.on_time_rate IS NULL THEN NULL
    ELSE r.on_time_rate >= t.on_time_rate END AS meets_on_time_rate,
  t.online_share AS target_online_share,
  CASE WHEN r.online_share IS NULL OR t.online_share IS NULL THEN NULL
    ELSE r.online_share >= t.online_share END AS meets_online_share,
  t.e_cert_ratio AS target_e_cert_ratio,
  CASE WHEN r.e_cert_ratio IS NULL OR t.e_cert_ratio IS NULL THEN NULL
    ELSE r.e_cert_ratio >= t.e_cert_ratio END AS meets_e_cert_ratio,
  b.on_time_rate_ci_low,
  b.on_time_rate_ci_high,
  b.on_time_rate_band,
  b.online_share_ci_low,
  b.online_share_ci_high,
  b.online_share_band,
  b.e_cert_ratio_ci_low,
  b.e_cert_ratio_ci_high,
  b.e_cert_ratio_band,
  b.returned_share_ci_low,
  b.returned_share_ci_high,
  b.returned_share_band,
  x.expected_on_time_rate,
  r.on_time_rate - x.expected_on_time_rate AS on_time_rate_vs_expected
FROM unit_rows AS r
LEFT JOIN targets AS t ON t.unit_level = r.unit_level
LEFT JOIN unit_bounds AS b
  ON b.period_type = r.period_type AND b.period = r.period AND b.unit_code = r.unit_code
LEFT JOIN expected_rates AS x
  ON x.period_type = r.period_type AND x.period = r.period AND x.unit_code = r.unit_code
ORDER BY
  {{period_order r}},
  CASE r.unit_level WHEN 'province' THEN 1 WHEN 'district' THEN 2 ELSE 3 END,
  r.parent_code NULLS FIRST,
  r.unit_code

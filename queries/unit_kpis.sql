-- unit_kpis: one row per (period_type, period, unit_code). DESIGN.md "Classification", "KPIs".
-- Runs unchanged on DuckDB and Athena (Trino). The runner binds, in front of this WITH list:
--   settings(as_of, min_resolved_for_rank, e_cert_field_name, e_cert_field_code)
--   targets(unit_level, on_time_rate, online_share, e_cert_ratio)
--   periods(period_type, period, period_start, period_end, is_complete)
--   dossiers: each dossier's row in its latest snapshot up to the as-of date.
--
-- How periods are counted without joining every dossier to every period: every period
-- boundary is the first instant of a month, except the end of the current period, which is
-- the as-of time. An event at or after the as-of time is beyond every period end, so its
-- month is 9999-12 ("not yet"); any other event is counted in its month (date_trunc). Then
-- for every period "t < end" is "month(t) < end", and "date(due) < date(end)" is
-- "month(due) < end" once a due date on or after the as-of date is "not yet" too.
-- Stocks at a boundary (carried over, pending, pending overdue) are sums of monthly
-- differences of "became open" and "closed" counts before the boundary.
WITH
counted AS (
  -- submitted and rejected_at_intake were never received: left out of every figure.
  SELECT
    d.unit_code,
    d.channel,
    d.status,
    d.received_at,
    d.due_at,
    d.digitized,
    d.result_electronic,
    d.fee_required,
    d.paid_online,
    d.field_code,
    d.field_name,
    -- Closed = resolved, withdrawn or stopped, with a closing time (never before reception).
    CASE
      WHEN d.status IN ('resolved', 'withdrawn', 'stopped') AND d.resolved_at IS NOT NULL
        THEN greatest(d.resolved_at, d.received_at)
    END AS closed_at
  FROM dossiers AS d
  WHERE d.status NOT IN ('submitted', 'rejected_at_intake')
),
dossier_months AS (
  SELECT
    c.unit_code,
    CASE WHEN c.received_at < s.as_of
      THEN date_trunc('month', c.received_at) ELSE TIMESTAMP '9999-12-01 00:00:00' END AS received_month,
    CASE WHEN c.closed_at < s.as_of
      THEN date_trunc('month', c.closed_at) ELSE TIMESTAMP '9999-12-01 00:00:00' END AS closed_month,
    -- Overdue from the day after the due date; no due date: never overdue.
    CASE WHEN CAST(c.due_at AS DATE) < CAST(s.as_of AS DATE)
      THEN date_trunc('month', c.due_at) ELSE TIMESTAMP '9999-12-01 00:00:00' END AS due_month,
    CASE WHEN c.channel = 'online' THEN 1 ELSE 0 END AS is_online,
    CASE WHEN c.digitized THEN 1 ELSE 0 END AS is_digitized,
    CASE WHEN c.status = 'resolved' THEN 1 ELSE 0 END AS is_resolved,
    CASE WHEN c.status IN ('withdrawn', 'stopped') THEN 1 ELSE 0 END AS is_returned,
    -- Deadlines are days: compare calendar dates. No due date: on time, not early.
    CASE WHEN c.status = 'resolved' AND CAST(c.closed_at AS DATE) > CAST(c.due_at AS DATE)
      THEN 1 ELSE 0 END AS is_late,
    CASE WHEN c.status = 'resolved' AND CAST(c.closed_at AS DATE) < CAST(c.due_at AS DATE)
      THEN 1 ELSE 0 END AS is_early,
    CASE WHEN c.status = 'resolved'
      AND (c.field_name = s.e_cert_field_name OR c.field_code = s.e_cert_field_code)
      THEN 1 ELSE 0 END AS is_e_cert,
    CASE WHEN c.status = 'resolved'
      AND (c.field_name = s.e_cert_field_name OR c.field_code = s.e_cert_field_code)
      AND c.result_electronic THEN 1 ELSE 0 END AS is_e_cert_electronic,
    CASE WHEN c.status = 'resolved' AND c.fee_required THEN 1 ELSE 0 END AS is_fee_required,
    CASE WHEN c.status = 'resolved' AND c.fee_required AND c.paid_online THEN 1 ELSE 0 END AS is_paid_online
  FROM counted AS c
  CROSS JOIN settings AS s
),
dossier_groups AS (
  -- Dossiers that share their months, counted once (a few rows per unit and month).
  SELECT
    unit_code,
    received_month,
    closed_month,
    greatest(received_month, due_month) AS overdue_from_month,
    count(*) AS dossiers,
    sum(is_online) AS online,
    sum(is_digitized) AS digitized,
    sum(is_resolved) AS resolved,
    sum(is_returned) AS returned,
    sum(is_late) AS late,
    sum(is_early) AS early,
    sum(is_e_cert) AS e_cert,
    sum(is_e_cert_electronic) AS e_cert_electronic,
    sum(is_fee_required) AS fee_required,
    sum(is_paid_online) AS paid_online
  FROM dossier_months
  GROUP BY unit_code, received_month, closed_month, greatest(received_month, due_month)
),
monthly AS (
  -- Four events per group, each in its own month: received, closed, became overdue while
  -- open, and stopped being open-and-overdue (closed, or became overdue after closing).
  SELECT
    g.unit_code,
    CASE e.event
      WHEN 'received' THEN g.received_month
      WHEN 'closed' THEN g.closed_month
      WHEN 'overdue_from' THEN g.overdue_from_month
      ELSE greatest(g.overdue_from_month, g.closed_month)
    END AS month,
    sum(CASE WHEN e.event = 'received' THEN g.dossiers ELSE 0 END) AS received,
    sum(CASE WHEN e.event = 'received' THEN g.online ELSE 0 END) AS received_online,
    sum(CASE WHEN e.event = 'received' THEN g.digitized ELSE 0 END) AS digitized,
    sum(CASE WHEN e.event = 'closed' THEN g.dossiers ELSE 0 END) AS closed,
    sum(CASE WHEN e.event = 'closed' THEN g.resolved ELSE 0 END) AS resolved,
    sum(CASE WHEN e.event = 'closed' THEN g.late ELSE 0 END) AS late,
    sum(CASE WHEN e.event = 'closed' THEN g.early ELSE 0 END) AS early,
    sum(CASE WHEN e.event = 'closed' THEN g.returned ELSE 0 END) AS returned,
    sum(CASE WHEN e.event = 'closed' THEN g.e_cert ELSE 0 END) AS e_cert,
    sum(CASE WHEN e.event = 'closed' THEN g.e_cert_electronic ELSE 0 END) AS e_cert_electronic,
    sum(CASE WHEN e.event = 'closed' THEN g.fee_required ELSE 0 END) AS fee_required,
    sum(CASE WHEN e.event = 'closed' THEN g.paid_online ELSE 0 END) AS paid_online,
    sum(CASE WHEN e.event = 'overdue_from' THEN g.dossiers ELSE 0 END) AS overdue_from,
    sum(CASE WHEN e.event = 'overdue_until' THEN g.dossiers ELSE 0 END) AS overdue_until
  FROM dossier_groups AS g
  CROSS JOIN (VALUES ('received'), ('closed'), ('overdue_from'), ('overdue_until')) AS e(event)
  GROUP BY 1, 2
),
period_months AS (
  -- Period bounds are month starts already; the current period's end is past the as-of time.
  SELECT p.*, p.period_start AS start_month, p.period_end AS end_month
  FROM periods AS p
),
unit_periods AS (
  SELECT
    p.period_type,
    p.period,
    p.period_start,
    p.period_end,
    p.is_complete,
    p.start_month,
    m.unit_code,
    sum(CASE WHEN m.month >= p.start_month THEN m.received_online ELSE 0 END) AS received_online,
    sum(CASE WHEN m.month < p.start_month THEN m.received - m.closed ELSE 0 END) AS carried_over,
    sum(CASE WHEN m.month >= p.start_month THEN m.received - m.received_online ELSE 0 END) AS received_offline,
    sum(CASE WHEN m.month >= p.start_month THEN m.digitized ELSE 0 END) AS digitized_total,
    sum(CASE WHEN m.month >= p.start_month THEN m.resolved ELSE 0 END) AS resolved_total,
    sum(CASE WHEN m.month >= p.start_month THEN m.late ELSE 0 END) AS resolved_late,
    sum(CASE WHEN m.month >= p.start_month THEN m.early ELSE 0 END) AS resolved_early,
    sum(CASE WHEN m.month >= p.start_month THEN m.returned ELSE 0 END) AS returned_total,
    sum(CASE WHEN m.month >= p.start_month THEN m.e_cert ELSE 0 END) AS e_cert_total,
    sum(CASE WHEN m.month >= p.start_month THEN m.e_cert_electronic ELSE 0 END) AS e_cert_electronic,
    sum(CASE WHEN m.month >= p.start_month THEN m.fee_required ELSE 0 END) AS fee_required_total,
    sum(CASE WHEN m.month >= p.start_month THEN m.paid_online ELSE 0 END) AS paid_online_total,
    sum(m.received - m.closed) AS pending_total,
    sum(m.overdue_from - m.overdue_until) AS pending_overdue
  FROM period_months AS p
  INNER JOIN monthly AS m ON m.month < p.end_month
  GROUP BY p.period_type, p.period, p.period_start, p.period_end, p.is_complete, p.start_month, m.unit_code
),
unit_spans AS (
  -- A unit is listed, even with zeros, in every period between its first received dossier
  -- and its last activity (a dossier still open at the as-of time keeps it active).
  SELECT unit_code, max(closed_month) AS last_active_month
  FROM dossier_groups
  WHERE received_month < TIMESTAMP '9999-12-01 00:00:00'
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
figures AS (
  SELECT
    u.period_type,
    u.period,
    u.period_start,
    u.period_end,
    u.is_complete,
    u.unit_code,
    n.unit_name,
    n.unit_level,
    nullif(n.parent_code, '') AS parent_code,
    u.received_online + u.carried_over + u.received_offline AS received_total,
    u.received_online,
    u.carried_over,
    u.received_offline,
    u.resolved_total,
    u.resolved_total - u.resolved_late AS resolved_on_time,
    u.resolved_early,
    u.resolved_late,
    u.returned_total,
    u.pending_total,
    u.pending_total - u.pending_overdue AS pending_not_due,
    u.pending_overdue,
    u.resolved_late + u.pending_overdue AS overdue_total,
    u.e_cert_total,
    u.e_cert_electronic,
    u.fee_required_total,
    u.paid_online_total,
    u.received_online + u.received_offline AS new_total,
    u.digitized_total
  FROM unit_periods AS u
  INNER JOIN unit_spans AS s ON s.unit_code = u.unit_code
  INNER JOIN unit_names AS n ON n.unit_code = u.unit_code
  WHERE u.received_online + u.carried_over + u.received_offline > 0
    OR s.last_active_month >= u.start_month
),
rates AS (
  SELECT
    f.*,
    CAST(f.resolved_on_time AS DOUBLE) / nullif(f.resolved_total, 0) AS on_time_rate,
    CAST(f.resolved_early AS DOUBLE) / nullif(f.resolved_total, 0) AS early_rate,
    CAST(f.received_online AS DOUBLE) / nullif(f.new_total, 0) AS online_share,
    CAST(f.returned_total AS DOUBLE) / nullif(f.resolved_total + f.returned_total, 0) AS returned_share,
    CAST(f.e_cert_electronic AS DOUBLE) / nullif(f.e_cert_total, 0) AS e_cert_ratio,
    CAST(f.paid_online_total AS DOUBLE) / nullif(f.fee_required_total, 0) AS online_payment_share,
    CAST(f.digitized_total AS DOUBLE) / nullif(f.new_total, 0) AS digitization_share,
    f.resolved_total >= s.min_resolved_for_rank AS ranked,
    -- Peers: agencies among agencies, districts among districts, communes within their district.
    CASE WHEN f.unit_level = 'commune' THEN 'commune:' || coalesce(f.parent_code, '') ELSE f.unit_level END
      AS peer_group
  FROM figures AS f
  CROSS JOIN settings AS s
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
  CAST(r.received_total AS BIGINT) AS received_total,
  CAST(r.received_online AS BIGINT) AS received_online,
  CAST(r.carried_over AS BIGINT) AS carried_over,
  CAST(r.received_offline AS BIGINT) AS received_offline,
  CAST(r.resolved_total AS BIGINT) AS resolved_total,
  CAST(r.resolved_on_time AS BIGINT) AS resolved_on_time,
  CAST(r.resolved_early AS BIGINT) AS resolved_early,
  CAST(r.resolved_late AS BIGINT) AS resolved_late,
  CAST(r.returned_total AS BIGINT) AS returned_total,
  CAST(r.pending_total AS BIGINT) AS pending_total,
  CAST(r.pending_not_due AS BIGINT) AS pending_not_due,
  CAST(r.pending_overdue AS BIGINT) AS pending_overdue,
  CAST(r.overdue_total AS BIGINT) AS overdue_total,
  r.on_time_rate,
  r.early_rate,
  r.online_share,
  r.returned_share,
  CAST(r.e_cert_total AS BIGINT) AS e_cert_total,
  CAST(r.e_cert_electronic AS BIGINT) AS e_cert_electronic,
  r.e_cert_ratio,
  CAST(r.fee_required_total AS BIGINT) AS fee_required_total,
  CAST(r.paid_online_total AS BIGINT) AS paid_online_total,
  r.online_payment_share,
  CAST(r.new_total AS BIGINT) AS new_total,
  CAST(r.digitized_total AS BIGINT) AS digitized_total,
  r.digitization_share,
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
FROM rates AS r
LEFT JOIN targets AS t ON t.unit_level = r.unit_level
ORDER BY
  CASE r.period_type WHEN 'month' THEN 1 WHEN 'quarter' THEN 2 WHEN 'half' THEN 3 ELSE 4 END,
  r.period_start,
  CASE r.unit_level WHEN 'province' THEN 1 WHEN 'district' THEN 2 ELSE 3 END,
  r.parent_code NULLS FIRST,
  r.unit_code

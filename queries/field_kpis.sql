-- field_kpis: one row per (period_type, period, unit_code, field_code) with any dossier.
-- The same classification as unit_kpis.sql (read its header for the monthly method),
-- keyed by unit and field. A dossier without a field code is keyed by its field name.
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
    coalesce(d.field_code, d.field_name, '') AS field_key,
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
    c.field_key,
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
  -- Dossiers that share their months, counted once (a few rows per unit, field and month).
  SELECT
    unit_code,
    field_key,
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
  GROUP BY unit_code, field_key, received_month, closed_month, greatest(received_month, due_month)
),
monthly AS (
  -- Four events per group, each in its own month: received, closed, became overdue while
  -- open, and stopped being open-and-overdue (closed, or became overdue after closing).
  SELECT
    g.unit_code,
    g.field_key,
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
  GROUP BY 1, 2, 3
),
period_months AS (
  -- Period bounds are month starts already; the current period's end is past the as-of time.
  SELECT p.*, p.period_start AS start_month, p.period_end AS end_month
  FROM periods AS p
),
field_periods AS (
  SELECT
    p.period_type,
    p.period,
    p.period_start,
    p.period_end,
    p.is_complete,
    p.start_month,
    m.unit_code,
    m.field_key,
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
  GROUP BY p.period_type, p.period, p.period_start, p.period_end, p.is_complete, p.start_month, m.unit_code, m.field_key
),
field_names AS (
  -- The field as its most recently received dossier names it.
  SELECT field_key, max_by(field_name, received_at) AS field_name
  FROM (
    SELECT coalesce(field_code, field_name, '') AS field_key, coalesce(field_name, '') AS field_name, received_at
    FROM dossiers
    WHERE status NOT IN ('submitted', 'rejected_at_intake')
  ) AS named
  GROUP BY field_key
),
figures AS (
  SELECT
    u.period_type,
    u.period,
    u.period_start,
    u.period_end,
    u.is_complete,
    u.unit_code,
    u.field_key AS field_code,
    nullif(n.field_name, '') AS field_name,
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
  FROM field_periods AS u
  INNER JOIN field_names AS n ON n.field_key = u.field_key
  WHERE u.received_online + u.carried_over + u.received_offline > 0
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
    CAST(f.digitized_total AS DOUBLE) / nullif(f.new_total, 0) AS digitization_share
  FROM figures AS f
)
SELECT
  r.period_type,
  r.period,
  CAST(r.period_start AS DATE) AS period_start,
  CAST(r.period_end AS DATE) AS period_end,
  r.is_complete,
  r.unit_code,
  r.field_code,
  r.field_name,
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
  r.digitization_share
FROM rates AS r
ORDER BY
  CASE r.period_type WHEN 'month' THEN 1 WHEN 'quarter' THEN 2 WHEN 'half' THEN 3 ELSE 4 END,
  r.period_start,
  r.unit_code,
  r.field_code

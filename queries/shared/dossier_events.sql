-- dossier_events: the per-dossier classification of docs/design.md "Classification", written once
-- for every figure table. One row per (unit_code, field_key, month) with the number of
-- dossiers whose events fall in that month. The runner binds it after `settings` and
-- `dossiers` (materialized once per run on DuckDB, inlined as a CTE on Athena).
--
-- How periods are counted without joining every dossier to every period: every period
-- boundary is the first instant of a month, except the end of the current period, which is
-- the as-of time. An event at or after the as-of time is beyond every period end, so its
-- month is 9999-12 ("not yet"); any other event is counted in its month. Then
-- for every period "t < end" is "month(t) < end", and "date(due) < date(end)" is
-- "month(due) < end" once a due date on or after the as-of date is "not yet" too.
-- Stocks at a boundary (carried over, pending, pending overdue) are sums of monthly
-- differences of "became open" and "closed" counts before the boundary
-- (shared/period_figures.sql).
-- A dossier whose unit changed between snapshots may count under different units in
-- different periods (shared/dossier_period_units.sql): its events carry the one period they
-- apply to (only_period_type, only_period); every other dossier's apply to every period (NULL).
-- Months are counted as year * 12 + month - 1 (as functions/core/kpi/periods.ts numbers them)
-- while grouping dossiers: far cheaper per dossier than date_trunc; the few result rows name
-- their month as a timestamp again.
WITH
attributed AS (
  -- A dossier that kept its unit counts under it in every period; one that moved has one row
  -- per period, under its unit of that period.
  SELECT
    d.unit_code AS counted_unit,
    CAST(NULL AS VARCHAR) AS only_period_type,
    CAST(NULL AS VARCHAR) AS only_period,
    d.field_code, d.field_name, d.channel, d.status, d.received_at, d.due_at, d.resolved_at,
    d.digitized, d.result_electronic, d.fee_required, d.paid_online
  FROM dossiers AS d
  WHERE NOT d.unit_moved
  UNION ALL
  SELECT
    u.unit_code AS counted_unit,
    u.period_type AS only_period_type,
    u.period AS only_period,
    d.field_code, d.field_name, d.channel, d.status, d.received_at, d.due_at, d.resolved_at,
    d.digitized, d.result_electronic, d.fee_required, d.paid_online
  FROM moved_dossiers AS d
  INNER JOIN dossier_period_units AS u ON u.dossier_id = d.dossier_id
),
counted AS (
  -- submitted and rejected_at_intake were never received: left out of every figure.
  SELECT
    d.counted_unit AS unit_code,
    d.only_period_type,
    d.only_period,
    -- The field a dossier is counted under; without a field code, its field name.
    coalesce(d.field_code, d.field_name, '') AS field_key,
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
  FROM attributed AS d
  WHERE d.status NOT IN ('submitted', 'rejected_at_intake')
),
dossier_months AS (
  SELECT
    c.unit_code,
    c.only_period_type,
    c.only_period,
    c.field_key,
    -- Received before the as-of time (the WHERE below).
    year(c.received_at) * 12 + month(c.received_at) - 1 AS received_month,
    CASE WHEN c.closed_at < s.as_of
      THEN year(c.closed_at) * 12 + month(c.closed_at) - 1 ELSE 9999 * 12 + 11 END AS closed_month,
    -- Overdue from the day after the due date; no due date: never overdue.
    CASE WHEN CAST(c.due_at AS DATE) < CAST(s.as_of AS DATE)
      THEN year(c.due_at) * 12 + month(c.due_at) - 1 ELSE 9999 * 12 + 11 END AS due_month,
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
    CASE WHEN c.status = 'resolved' AND c.fee_required AND c.paid_online THEN 1 ELSE 0 END AS is_paid_online,
    CASE WHEN c.status = 'resolved' AND c.result_electronic THEN 1 ELSE 0 END AS is_result_electronic,
    -- Calendar days from reception to resolution (766 indicator 2.2), 0 for the rest.
    CASE WHEN c.status = 'resolved'
      THEN date_diff('day', CAST(c.received_at AS DATE), CAST(c.closed_at AS DATE)) ELSE 0 END AS resolution_days
  FROM counted AS c
  CROSS JOIN settings AS s
  -- A dossier received at or after the as-of time has every event in 9999-12, past every
  -- period end: it is left out here (before its months are worked out) so that it neither
  -- counts nor keeps its unit active.
  WHERE c.received_at < s.as_of
),
dossier_groups AS (
  -- Dossiers that share their months, counted once (a few rows per unit, field and month).
  SELECT
    unit_code,
    only_period_type,
    only_period,
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
    sum(is_paid_online) AS paid_online,
    sum(is_result_electronic) AS result_electronic,
    sum(resolution_days) AS resolution_days
  FROM dossier_months
  GROUP BY
    unit_code, only_period_type, only_period, field_key, received_month, closed_month,
    greatest(received_month, due_month)
),
events AS (
  -- Four events per group, each in its own month: received, closed, became overdue while
  -- open, and stopped being open-and-overdue (closed, or became overdue after closing).
  SELECT
    g.unit_code,
    g.only_period_type,
    g.only_period,
    g.field_key,
    CASE e.event
      WHEN 'received' THEN g.received_month
      WHEN 'closed' THEN g.closed_month
      WHEN 'overdue_from' THEN g.overdue_from_month
      ELSE greatest(g.overdue_from_month, g.closed_month)
    END AS month_index,
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
    sum(CASE WHEN e.event = 'closed' THEN g.result_electronic ELSE 0 END) AS result_electronic,
    sum(CASE WHEN e.event = 'closed' THEN g.resolution_days ELSE 0 END) AS resolution_days,
    sum(CASE WHEN e.event = 'overdue_from' THEN g.dossiers ELSE 0 END) AS overdue_from,
    sum(CASE WHEN e.event = 'overdue_until' THEN g.dossiers ELSE 0 END) AS overdue_until
  FROM dossier_groups AS g
  CROSS JOIN (VALUES ('received'), ('closed'), ('overdue_from'), ('overdue_until')) AS e(event)
  GROUP BY 1, 2, 3, 4, 5
)
SELECT
  unit_code,
  only_period_type,
  only_period,
  field_key,
  TIMESTAMP '2000-01-01 00:00:00' + INTERVAL '1' MONTH * (month_index - 2000 * 12) AS month,
  received,
  received_online,
  digitized,
  closed,
  resolved,
  late,
  early,
  returned,
  e_cert,
  e_cert_electronic,
  fee_required,
  paid_online,
  result_electronic,
  resolution_days,
  overdue_from,
  overdue_until
FROM events

-- overdue_dossiers: dossiers still open at the as-of time and past their due date.
-- Open = received before the as-of time and not closed (resolved, withdrawn or stopped with a
-- closing time) before it; past due = due date (a calendar date) before the as-of date.
-- No citizen data: the lake holds none, and only procedure and unit columns are selected.
-- The runner binds settings, dossiers and the unit as its dossiers name it (dossier_unit_names,
-- queries/shared/) in front of this WITH list (see unit_kpis.sql).
WITH
open_dossiers AS (
  SELECT
    d.dossier_id,
    d.procedure_code,
    d.procedure_name,
    d.field_name,
    d.unit_code,
    d.received_at,
    d.due_at,
    s.as_of
  FROM dossiers AS d
  CROSS JOIN settings AS s
  WHERE d.status NOT IN ('submitted', 'rejected_at_intake')
    AND d.received_at < s.as_of
    AND NOT (
      d.status IN ('resolved', 'withdrawn', 'stopped')
      AND d.resolved_at IS NOT NULL
      AND greatest(d.resolved_at, d.received_at) < s.as_of
    )
)
SELECT
  o.dossier_id,
  o.procedure_code,
  o.procedure_name,
  o.field_name,
  o.unit_code,
  n.unit_name,
  o.received_at,
  o.due_at,
  date_diff('day', CAST(o.due_at AS DATE), CAST(o.as_of AS DATE)) AS days_overdue
FROM open_dossiers AS o
INNER JOIN dossier_unit_names AS n ON n.unit_code = o.unit_code
WHERE CAST(o.due_at AS DATE) < CAST(o.as_of AS DATE)
ORDER BY days_overdue DESC, o.unit_code, o.dossier_id

-- field_kpis: one row per (period_type, period, unit_code, field_code) with any dossier.
-- The figures are the 'field' grain of the shared period_figures relation (queries/shared/),
-- bound by the runner in front of this WITH list: the same classification as unit_kpis,
-- keyed by unit and field. A dossier without a field code is keyed by its field name
-- (field_key in shared/dossier_events.sql).
WITH
field_names AS (
  -- The field as its most recently received dossier names it (field_key: as
  -- shared/dossier_events.sql keys a dossier).
  SELECT field_key, max_by(field_name, received_at) AS field_name
  FROM (
    SELECT coalesce(field_code, field_name, '') AS field_key, coalesce(field_name, '') AS field_name, received_at
    FROM dossiers
    WHERE status NOT IN ('submitted', 'rejected_at_intake')
  ) AS named
  GROUP BY field_key
)
SELECT
  {{period_columns r}},
  r.unit_code,
  r.field_key AS field_code,
  nullif(n.field_name, '') AS field_name,
  {{figure_columns r}}
FROM period_figures AS r
INNER JOIN field_names AS n ON n.field_key = r.field_key
WHERE r.grain = 'field' AND r.received_total > 0
ORDER BY
  {{period_order r}},
  r.unit_code,
  r.field_key

-- dossier_unit_names: each unit as its most recently received dossier names it (name, level,
-- parent), read once for unit_kpis (the units the registry does not name) and
-- overdue_dossiers. Dossiers never received (submitted, rejected_at_intake) do not count.
-- The runner binds it after `dossiers`.
SELECT
  unit_code,
  max_by(unit_name, received_at) AS unit_name,
  max_by(unit_level, received_at) AS unit_level,
  max_by(parent_code, received_at) AS parent_code
FROM (
  SELECT
    unit_code,
    coalesce(unit_name, unit_code) AS unit_name,
    unit_level,
    coalesce(parent_code, '') AS parent_code,
    received_at
  FROM dossiers
  WHERE status NOT IN ('submitted', 'rejected_at_intake')
) AS named
GROUP BY unit_code

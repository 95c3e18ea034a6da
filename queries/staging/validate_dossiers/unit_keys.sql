-- The unit: the record's unit_code. With a units registry, what the registry adds (a unit
-- found by the MaHoSo prefix or the unit name, the checks that a unit existed at the time) is
-- queries/staging/resolve_units.sql's, run over this query's output: its joins would reorder
-- the rows. Here: the keys it needs, only when there is a registry.
unit_keys AS (
  SELECT
    t.*,
    CASE WHEN s.has_registry THEN CAST(t.v_received_at AS DATE) END AS life_start,
    CASE WHEN s.has_registry THEN greatest(CAST(t.v_received_at AS DATE), coalesce(CAST(t.v_resolved_at AS DATE), s.snapshot_date)) END AS life_end,
    CASE WHEN s.has_registry AND t.t_unit_code IS NULL AND strpos(t.t_dossier_id, '-') > 1
      THEN lower(substr(t.t_dossier_id, 1, strpos(t.t_dossier_id, '-') - 1)) END AS prefix_token,
    CASE WHEN s.has_registry AND t.t_unit_code IS NULL THEN lower(t.n_unit_name) END AS name_token,
    -- What a quarantine row of resolve_units.sql shows as the value (as below for the others).
    CASE WHEN s.has_registry THEN substr(coalesce(t.t_unit_code, t.t_unit_name, substr(t.t_dossier_id, 1, strpos(t.t_dossier_id, '-') - 1)), 1, 200) END AS unit_code_value,
    CASE WHEN s.has_registry THEN substr(t.unit_level, 1, 200) END AS unit_level_value
  FROM timestamps AS t
  CROSS JOIN staging_settings AS s
),

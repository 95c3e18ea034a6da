-- resolve_units: the units registry's part of the input contract, run when a registry is
-- given, over the output of validate_dossiers.sql (bound as validated_rows; same columns out).
-- A row without a unit_code gets its unit from the registry: by the MaHoSo prefix (before the
-- first '-'), else by the unit name. A row with one gets the registry's name, level and parent
-- where it lacks them. A registry unit counts only if it existed at some time between the
-- dossier's reception and its closing (or the snapshot date while it is open): the one
-- existing at the end of that span, else the one existing at its start. A row valid so far is
-- quarantined when its unit is unknown, did not exist at the time, or has no level. Codes are
-- unique in the registry and a token means one unit at a time (units-registry.ts makes both
-- true), so no join here can multiply a row. Engine-neutral, as validate_dossiers.sql.
--
-- Relations the runner binds before this query: validated_rows, staging_settings,
-- registry_units, registry_unit_tokens (described in validate_dossiers.sql).
WITH
units AS (
  SELECT
    v.*,
    byc.unit_code AS c_unit_code,
    CASE WHEN byc.unit_code IS NOT NULL
      AND (byc.valid_from IS NULL OR byc.valid_from <= v.life_end)
      AND (byc.valid_to IS NULL OR byc.valid_to >= v.life_start) THEN TRUE ELSE FALSE END AS c_existed,
    coalesce(byc.unit_code, pe.unit_code, ps.unit_code, ne.unit_code, ns.unit_code) AS r_unit_code,
    coalesce(byc.unit_name, pe.unit_name, ps.unit_name, ne.unit_name, ns.unit_name) AS r_unit_name,
    coalesce(byc.unit_level, pe.unit_level, ps.unit_level, ne.unit_level, ns.unit_level) AS r_unit_level,
    coalesce(byc.parent_code, pe.parent_code, ps.parent_code, ne.parent_code, ns.parent_code) AS r_parent_code
  FROM validated_rows AS v
  LEFT JOIN registry_units AS byc ON byc.unit_code = v.unit_code
  LEFT JOIN registry_unit_tokens AS pe ON pe.token = v.prefix_token
    AND (pe.valid_from IS NULL OR pe.valid_from <= v.life_end) AND (pe.valid_to IS NULL OR pe.valid_to >= v.life_end)
  LEFT JOIN registry_unit_tokens AS ps ON ps.token = v.prefix_token
    AND (ps.valid_from IS NULL OR ps.valid_from <= v.life_start) AND (ps.valid_to IS NULL OR ps.valid_to >= v.life_start)
  LEFT JOIN registry_unit_tokens AS ne ON ne.token = v.name_token
    AND (ne.valid_from IS NULL OR ne.valid_from <= v.life_end) AND (ne.valid_to IS NULL OR ne.valid_to >= v.life_end)
  LEFT JOIN registry_unit_tokens AS ns ON ns.token = v.name_token
    AND (ns.valid_from IS NULL OR ns.valid_from <= v.life_start) AND (ns.valid_to IS NULL OR ns.valid_to >= v.life_start)
),
-- Only a row the validator left valid, in the order the validator's checks would go on.
verdicts AS (
  SELECT
    u.*,
    CASE WHEN u.q_reason_code IS NULL AND s.has_registry THEN
      CASE
        WHEN u.unit_code IS NOT NULL AND u.c_unit_code IS NOT NULL AND NOT u.c_existed THEN 'unit_not_existing'
        WHEN u.unit_code IS NULL AND u.r_unit_code IS NULL THEN 'unknown_unit'
        WHEN u.unit_level IS NULL AND u.r_unit_level IS NULL THEN 'missing_level'
      END
    END AS unit_verdict
  FROM units AS u
  CROSS JOIN staging_settings AS s
)
SELECT
  v.line,
  v.dossier_id,
  v.procedure_code,
  v.procedure_name,
  v.field_code,
  v.field_name,
  coalesce(v.unit_code, v.r_unit_code) AS unit_code,
  coalesce(v.unit_name, v.r_unit_name) AS unit_name,
  coalesce(v.unit_level, v.r_unit_level) AS unit_level,
  coalesce(v.parent_code, v.r_parent_code) AS parent_code,
  v.channel,
  v.online_level,
  v.received_at,
  v.due_at,
  v.resolved_at,
  v.status,
  v.result_electronic,
  v.paid_online,
  v.fee_required,
  v.digitized,
  v.updated_at,
  CASE v.unit_verdict WHEN 'missing_level' THEN 'unit_level' WHEN 'unit_not_existing' THEN 'unit_code' WHEN 'unknown_unit' THEN 'unit_code' ELSE v.q_field END AS q_field,
  CASE v.unit_verdict WHEN 'missing_level' THEN 'missing_required' WHEN 'unit_not_existing' THEN 'unknown_unit' WHEN 'unknown_unit' THEN 'unknown_unit' ELSE v.q_reason_code END AS q_reason_code,
  CASE v.unit_verdict
    WHEN 'unit_not_existing' THEN 'the registry has this unit, but it did not exist between the reception and the closing (or the snapshot date)'
    WHEN 'unknown_unit' THEN 'no unit_code, and neither the MaHoSo prefix nor the unit name matches a unit of the registry existing between the reception and the closing (or the snapshot date)'
    WHEN 'missing_level' THEN 'unit_level is required'
    ELSE v.q_reason
  END AS q_reason,
  CASE v.unit_verdict WHEN 'missing_level' THEN v.unit_level_value WHEN 'unit_not_existing' THEN v.unit_code_value WHEN 'unknown_unit' THEN v.unit_code_value ELSE v.q_value END AS q_value,
  CASE WHEN v.unit_verdict IS NOT NULL THEN substr(v.dossier_id, 1, 200) ELSE v.q_dossier_id END AS q_dossier_id,
  v.life_start,
  v.life_end,
  v.prefix_token,
  v.name_token,
  v.unit_code_value,
  v.unit_level_value
FROM verdicts AS v

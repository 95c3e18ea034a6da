-- The first broken field decides: structure, a repeated header, text safety and length in
-- column order, then the values in the order a reader checks them.
verdicts AS (
  SELECT
    u.*,
    CASE
      WHEN u.problem_code IS NOT NULL THEN concat(coalesce(u.problem_field, ''), '|', u.problem_code)
      WHEN u.header_again THEN '|repeated_header'
      WHEN u.cell_problem IS NOT NULL THEN u.cell_problem
      WHEN u.t_dossier_id IS NULL THEN 'dossier_id|missing_required'
      WHEN u.t_procedure_code IS NULL THEN 'procedure_code|missing_required'
      WHEN u.t_channel IS NULL AND u.v_channel IS NULL THEN 'channel|missing_required'
      WHEN u.v_channel IS NULL THEN 'channel|unknown_channel'
      WHEN u.t_online_level IS NOT NULL AND u.v_online_level IS NULL THEN 'online_level|unknown_online_level'
      WHEN u.t_received_at IS NULL THEN 'received_at|missing_required'
      WHEN u.f_received_at = 'unknown' THEN 'received_at|invalid_date'
      WHEN u.m_received_at = 9999 THEN 'received_at|invalid_offset'
      WHEN u.v_received_at IS NULL THEN 'received_at|impossible_date'
      WHEN u.v_received_at < s.min_timestamp THEN 'received_at|date_before_2000'
      WHEN u.v_received_at > s.max_timestamp THEN 'received_at|date_in_future'
      WHEN u.f_due_at = 'unknown' THEN 'due_at|invalid_date'
      WHEN u.m_due_at = 9999 THEN 'due_at|invalid_offset'
      WHEN u.t_due_at IS NOT NULL AND u.v_due_at IS NULL THEN 'due_at|impossible_date'
      WHEN u.v_due_at < s.min_timestamp THEN 'due_at|date_before_2000'
      -- A deadline lies ahead of an open dossier: up to ten years, not past tomorrow only.
      WHEN u.v_due_at > s.max_timestamp + INTERVAL '3650' DAY THEN 'due_at|date_in_future'
      WHEN u.f_resolved_at = 'unknown' THEN 'resolved_at|invalid_date'
      WHEN u.m_resolved_at = 9999 THEN 'resolved_at|invalid_offset'
      WHEN u.t_resolved_at IS NOT NULL AND u.v_resolved_at IS NULL THEN 'resolved_at|impossible_date'
      WHEN u.v_resolved_at < s.min_timestamp THEN 'resolved_at|date_before_2000'
      WHEN u.v_resolved_at > s.max_timestamp THEN 'resolved_at|date_in_future'
      WHEN u.t_status IS NULL THEN 'status|missing_required'
      WHEN u.v_status IS NULL THEN 'status|unknown_status'
      WHEN u.t_result_electronic IS NOT NULL AND u.v_result_electronic IS NULL THEN 'result_electronic|invalid_boolean'
      WHEN u.t_paid_online IS NOT NULL AND u.v_paid_online IS NULL THEN 'paid_online|invalid_boolean'
      WHEN u.t_fee_required IS NOT NULL AND u.v_fee_required IS NULL THEN 'fee_required|invalid_boolean'
      WHEN u.t_digitized IS NOT NULL AND u.v_digitized IS NULL THEN 'digitized|invalid_boolean'
      WHEN u.f_updated_at = 'unknown' THEN 'updated_at|invalid_date'
      WHEN u.m_updated_at = 9999 THEN 'updated_at|invalid_offset'
      WHEN u.t_updated_at IS NOT NULL AND u.v_updated_at IS NULL THEN 'updated_at|impossible_date'
      WHEN u.v_updated_at < s.min_timestamp THEN 'updated_at|date_before_2000'
      WHEN u.v_updated_at > s.max_timestamp THEN 'updated_at|date_in_future'
      WHEN CAST(u.v_due_at AS DATE) < CAST(u.v_received_at AS DATE) THEN 'due_at|due_before_received'
      WHEN u.v_resolved_at < u.v_received_at THEN 'resolved_at|resolved_before_received'
      WHEN u.v_resolved_at IS NULL AND u.v_status IN ('resolved', 'withdrawn', 'stopped') THEN 'resolved_at|missing_resolved_at'
      WHEN u.t_unit_level IS NOT NULL AND u.v_unit_level IS NULL THEN 'unit_level|unknown_unit_level'
      -- With a units registry, the unit checks left are resolve_units.sql's.
      WHEN s.has_registry THEN NULL
      WHEN u.t_unit_code IS NULL THEN 'unit_code|missing_required'
      WHEN u.v_unit_level IS NULL THEN 'unit_level|missing_required'
    END AS verdict
  FROM unit_keys AS u
  CROSS JOIN staging_settings AS s
),
checked AS (
  SELECT
    v.*,
    nullif(substr(v.verdict, 1, strpos(v.verdict, '|') - 1), '') AS q_field,
    -- An impossible date and an invalid offset are invalid dates too (one reason code).
    CASE substr(v.verdict, strpos(v.verdict, '|') + 1)
      WHEN 'impossible_date' THEN 'invalid_date'
      WHEN 'invalid_offset' THEN 'invalid_date'
      ELSE substr(v.verdict, strpos(v.verdict, '|') + 1)
    END AS q_reason_code,
    substr(v.verdict, strpos(v.verdict, '|') + 1) AS q_detail
  FROM verdicts AS v
)

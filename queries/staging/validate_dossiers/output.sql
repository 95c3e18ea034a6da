-- One row out per row in, valid or not: the runner keeps the lake columns of valid rows and
-- the q_ columns of the others. A dossier_id repeated within the file is found after this
-- query, over its output (queries/staging/duplicate_dossiers.sql): finding it here would
-- hold every row of the file at once.
SELECT
  c.line,
  c.t_dossier_id AS dossier_id,
  c.t_procedure_code AS procedure_code,
  c.n_procedure_name AS procedure_name,
  c.t_field_code AS field_code,
  c.n_field_name AS field_name,
  c.t_unit_code AS unit_code,
  c.n_unit_name AS unit_name,
  c.v_unit_level AS unit_level,
  c.t_parent_code AS parent_code,
  c.v_channel AS channel,
  c.v_online_level AS online_level,
  c.v_received_at AS received_at,
  c.v_due_at AS due_at,
  c.v_resolved_at AS resolved_at,
  c.v_status AS status,
  c.v_result_electronic AS result_electronic,
  c.v_paid_online AS paid_online,
  c.v_fee_required AS fee_required,
  c.v_digitized AS digitized,
  c.v_updated_at AS updated_at,
  c.q_field,
  c.q_reason_code,
  CASE c.q_detail
    WHEN 'repeated_header' THEN 'the header row appears again inside the file'
    WHEN 'control_character' THEN 'contains a control or invisible formatting character'
    WHEN 'html_markup' THEN 'contains HTML markup'
    WHEN 'formula_injection' THEN 'starts with = + or @ (spreadsheet formula)'
    WHEN 'too_long' THEN concat('longer than ', CASE WHEN c.q_field IN ('procedure_name', 'field_name', 'unit_name') THEN '1000' ELSE '100' END, ' characters')
    WHEN 'missing_required' THEN concat(c.q_field, ' is required', CASE WHEN c.q_field = 'unit_code' THEN ' (or give a units registry)' ELSE '' END)
    WHEN 'unknown_channel' THEN 'not a channel (online, direct, postal, 1, 2, 3, Trực tuyến, Trực tiếp, Bưu chính công ích)'
    WHEN 'unknown_online_level' THEN 'not an online level (2, 3, 4, full, partial)'
    WHEN 'invalid_date' THEN 'not a date-time in a recognised format (slash dates are read day first: dd/MM/yyyy)'
    WHEN 'impossible_date' THEN 'impossible date or time'
    WHEN 'invalid_offset' THEN 'impossible UTC offset'
    WHEN 'date_before_2000' THEN 'before the year 2000'
    WHEN 'date_in_future' THEN 'too far in the future (after tomorrow; a due date: more than ten years ahead)'
    WHEN 'unknown_status' THEN 'not a status name or a DVCQG TrangThaiHoSo code 1–10'
    WHEN 'invalid_boolean' THEN 'not a boolean (1/0, true/false, có/không)'
    WHEN 'due_before_received' THEN concat('due date is before the received date ', CAST(CAST(c.v_received_at AS DATE) AS VARCHAR))
    WHEN 'resolved_before_received' THEN concat('resolved before it was received (', CAST(c.v_received_at AS VARCHAR), ')')
    WHEN 'missing_resolved_at' THEN concat('status ', c.v_status, ' needs resolved_at')
    WHEN 'unknown_unit_level' THEN 'not a unit level (province, district, commune)'
    ELSE coalesce(c.problem_reason, c.q_detail)
  END AS q_reason,
  substr(
    CASE c.q_field
      WHEN 'dossier_id' THEN c.dossier_id
      WHEN 'procedure_code' THEN c.procedure_code
      WHEN 'procedure_name' THEN c.procedure_name
      WHEN 'field_code' THEN c.field_code
      WHEN 'field_name' THEN c.field_name
      WHEN 'unit_code' THEN coalesce(c.t_unit_code, c.t_unit_name, substr(c.t_dossier_id, 1, strpos(c.t_dossier_id, '-') - 1))
      WHEN 'unit_name' THEN c.unit_name
      WHEN 'unit_level' THEN c.unit_level
      WHEN 'parent_code' THEN c.parent_code
      WHEN 'channel' THEN c.channel
      WHEN 'online_level' THEN c.online_level
      WHEN 'received_at' THEN c.received_at
      WHEN 'due_at' THEN CASE WHEN c.q_detail = 'due_before_received' THEN CAST(c.v_due_at AS VARCHAR) ELSE c.due_at END
      WHEN 'resolved_at' THEN CASE WHEN c.q_detail = 'resolved_before_received' THEN CAST(c.v_resolved_at AS VARCHAR) ELSE c.resolved_at END
      WHEN 'status' THEN c.status
      WHEN 'result_electronic' THEN c.result_electronic
      WHEN 'paid_online' THEN c.paid_online
      WHEN 'fee_required' THEN c.fee_required
      WHEN 'digitized' THEN c.digitized
      WHEN 'updated_at' THEN c.updated_at
    END,
    1, 200
  ) AS q_value,
  CASE WHEN c.verdict IS NOT NULL THEN substr(c.t_dossier_id, 1, 200) END AS q_dossier_id,
  -- For resolve_units.sql (NULL without a registry).
  c.life_start,
  c.life_end,
  c.prefix_token,
  c.name_token,
  c.unit_code_value,
  c.unit_level_value
FROM checked AS c

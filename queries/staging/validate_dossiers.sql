-- validate_dossiers: the one validator of the input contract (docs/design.md "The dossier extract").
-- Raw text rows in, one row out per input row: the lake columns when the row is valid, else
-- the quarantine columns (field, reason code, reason, offending value). Never a citizen
-- column: the readers select only contract columns into raw_dossiers.
--
-- Relations the runner binds before this query:
--   raw_dossiers      line, dvcqg, header_again, problem_code, problem_field, problem_reason,
--                     then one VARCHAR per contract column (NULL = absent)
--   staging_settings  one row: source_file, snapshot_date, min_timestamp, max_timestamp,
--                     month_first, has_registry, fold_from, fold_to
--   vocabulary        kind, word, value: folded words (status, channel, unit_level,
--                     online_level, boolean) and what they mean
--   registry_units    unit_code, unit_name, unit_level, parent_code, valid_from, valid_to
--   registry_unit_tokens  token (lower-case NFC: a MaHoSo prefix or a unit name) and the unit
--                     it means: unit_code, unit_name, unit_level, parent_code, valid_from, valid_to
--
-- Engine-neutral (DuckDB here, Trino/Athena for bulk loads): regexp_like, regexp_extract,
-- translate, TRY_CAST and CASE only; dates are rebuilt as 'YYYY-MM-DD HH:MM:SS' text and
-- cast. The first broken field decides the reason, in contract column order.
WITH
settings AS (
  SELECT * FROM staging_settings
),
-- The code-table words (status, channel, the two levels, the four booleans) take few values
-- in a file: each combination found is read once here (trimmed, made NFC, looked up as
-- written, else folded and looked up again) and joined back to its rows below, one join per
-- row instead of a lookup, a fold and a test per word and row. Trimming each word always is
-- the same as trimming a flagged row's cells: trim removes the spaces (Zs) the scan flags.
word_cells AS (
  SELECT DISTINCT status, channel, unit_level, online_level, result_electronic, paid_online, fee_required, digitized
  FROM raw_dossiers
),
word_keys AS (
  SELECT
    w.*,
    -- The scan below (of the other cells) for these words: once per combination here.
    regexp_like(
      concat_ws(chr(9), w.unit_level, w.channel, w.online_level, w.status, w.result_electronic, w.paid_online, w.fee_required, w.digitized),
      '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}<]|(^|\t)[\s\x{a0}]*[=+@]|(^|\t)\p{Zs}|\p{Zs}(\t|$)'
    ) AS words_suspicious,
    nullif(trim(w.status), '') AS t_status,
    nullif(trim(w.channel), '') AS t_channel,
    nullif(trim(w.unit_level), '') AS t_unit_level,
    nullif(trim(w.online_level), '') AS t_online_level,
    nullif(trim(w.result_electronic), '') AS t_result_electronic,
    nullif(trim(w.paid_online), '') AS t_paid_online,
    nullif(trim(w.fee_required), '') AS t_fee_required,
    nullif(trim(w.digitized), '') AS t_digitized
  FROM word_cells AS w
),
word_lower AS (
  SELECT
    t.*,
    lower(CASE WHEN regexp_like(t.t_status, '[\x{0300}-\x{036f}]') THEN nfc_normalize(t.t_status) ELSE t.t_status END) AS k_status,
    lower(CASE WHEN regexp_like(t.t_channel, '[\x{0300}-\x{036f}]') THEN nfc_normalize(t.t_channel) ELSE t.t_channel END) AS k_channel,
    lower(CASE WHEN regexp_like(t.t_unit_level, '[\x{0300}-\x{036f}]') THEN nfc_normalize(t.t_unit_level) ELSE t.t_unit_level END) AS k_unit_level,
    lower(CASE WHEN regexp_like(t.t_online_level, '[\x{0300}-\x{036f}]') THEN nfc_normalize(t.t_online_level) ELSE t.t_online_level END) AS k_online_level,
    lower(t.t_result_electronic) AS k_result_electronic,
    lower(t.t_paid_online) AS k_paid_online,
    lower(t.t_fee_required) AS k_fee_required,
    lower(t.t_digitized) AS k_digitized
  FROM word_keys AS t
),
word_as_written AS (
  SELECT
    w.*,
    vs.value AS w_status,
    vc.value AS w_channel,
    vl.value AS w_unit_level,
    vo.value AS w_online_level
  FROM word_lower AS w
  LEFT JOIN vocabulary AS vs ON vs.kind = 'status' AND vs.word = w.k_status
  LEFT JOIN vocabulary AS vc ON vc.kind = 'channel' AND vc.word = w.k_channel
  LEFT JOIN vocabulary AS vl ON vl.kind = 'unit_level' AND vl.word = w.k_unit_level
  LEFT JOIN vocabulary AS vo ON vo.kind = 'online_level' AND vo.word = w.k_online_level
),
word_folded AS (
  SELECT
    l.*,
    CASE
      WHEN l.w_status IS NOT NULL OR l.k_status IS NULL THEN NULL
      WHEN regexp_like(l.k_status, '^[0-9]{1,4}$') THEN CAST(CAST(l.k_status AS INTEGER) AS VARCHAR)
      ELSE translate(l.k_status, s.fold_from, s.fold_to)
    END AS f_status,
    CASE
      WHEN l.w_channel IS NOT NULL OR l.k_channel IS NULL THEN NULL
      WHEN regexp_like(l.k_channel, '^[0-9]{1,4}$') THEN CAST(CAST(l.k_channel AS INTEGER) AS VARCHAR)
      ELSE translate(l.k_channel, s.fold_from, s.fold_to)
    END AS f_channel,
    CASE WHEN l.w_unit_level IS NULL THEN translate(l.k_unit_level, s.fold_from, s.fold_to) END AS f_unit_level,
    CASE WHEN l.w_online_level IS NULL THEN translate(l.k_online_level, s.fold_from, s.fold_to) END AS f_online_level,
    CASE WHEN l.k_result_electronic NOT IN ('1', 'true', 'có', 'co', 'yes', '0', 'false', 'không', 'khong', 'no') THEN translate(l.k_result_electronic, s.fold_from, s.fold_to) END AS f_result_electronic,
    CASE WHEN l.k_paid_online NOT IN ('1', 'true', 'có', 'co', 'yes', '0', 'false', 'không', 'khong', 'no') THEN translate(l.k_paid_online, s.fold_from, s.fold_to) END AS f_paid_online,
    CASE WHEN l.k_fee_required NOT IN ('1', 'true', 'có', 'co', 'yes', '0', 'false', 'không', 'khong', 'no') THEN translate(l.k_fee_required, s.fold_from, s.fold_to) END AS f_fee_required,
    CASE WHEN l.k_digitized NOT IN ('1', 'true', 'có', 'co', 'yes', '0', 'false', 'không', 'khong', 'no') THEN translate(l.k_digitized, s.fold_from, s.fold_to) END AS f_digitized
  FROM word_as_written AS l
  CROSS JOIN settings AS s
),
word_values AS (
  SELECT
    f.*,
    coalesce(f.w_status, vs.value) AS v_status,
    coalesce(f.w_channel, vc.value) AS v_channel_word,
    coalesce(f.w_unit_level, vl.value) AS v_unit_level,
    coalesce(f.w_online_level, vo.value) AS v_online_level,
    -- Booleans: a closed list of words (vocabulary.ts's: a test holds them equal), matched as
    -- written, else folded.
    CASE
      WHEN f.k_result_electronic IN ('1', 'true', 'có', 'co', 'yes') OR f.f_result_electronic IN ('1', 'true', 'có', 'co', 'yes') THEN TRUE
      WHEN f.k_result_electronic IN ('0', 'false', 'không', 'khong', 'no') OR f.f_result_electronic IN ('0', 'false', 'không', 'khong', 'no') THEN FALSE
    END AS v_result_electronic,
    -- DVCQG's DuocThanhToanTrucTuyen: 1 or 2 = paid online.
    CASE
      WHEN f.k_paid_online = '2' THEN TRUE
      WHEN f.k_paid_online IN ('1', 'true', 'có', 'co', 'yes') OR f.f_paid_online IN ('1', 'true', 'có', 'co', 'yes') THEN TRUE
      WHEN f.k_paid_online IN ('0', 'false', 'không', 'khong', 'no') OR f.f_paid_online IN ('0', 'false', 'không', 'khong', 'no') THEN FALSE
    END AS v_paid_online,
    CASE
      WHEN f.k_fee_required IN ('1', 'true', 'có', 'co', 'yes') OR f.f_fee_required IN ('1', 'true', 'có', 'co', 'yes') THEN TRUE
      WHEN f.k_fee_required IN ('0', 'false', 'không', 'khong', 'no') OR f.f_fee_required IN ('0', 'false', 'không', 'khong', 'no') THEN FALSE
    END AS v_fee_required,
    CASE
      WHEN f.k_digitized IN ('1', 'true', 'có', 'co', 'yes') OR f.f_digitized IN ('1', 'true', 'có', 'co', 'yes') THEN TRUE
      WHEN f.k_digitized IN ('0', 'false', 'không', 'khong', 'no') OR f.f_digitized IN ('0', 'false', 'không', 'khong', 'no') THEN FALSE
    END AS v_digitized
  FROM word_folded AS f
  LEFT JOIN vocabulary AS vs ON vs.kind = 'status' AND vs.word = f.f_status
  LEFT JOIN vocabulary AS vc ON vc.kind = 'channel' AND vc.word = f.f_channel
  LEFT JOIN vocabulary AS vl ON vl.kind = 'unit_level' AND vl.word = f.f_unit_level
  LEFT JOIN vocabulary AS vo ON vo.kind = 'online_level' AND vo.word = f.f_online_level
),
-- One scan over the other cells (joined by tabs) finds the rare row that needs more than a
-- look: control and invisible characters, '<', a formula prefix (= + @) after blanks, or a
-- space at either end of a cell. Only such a row (or one whose words were flagged above) gets
-- its cells checked for safety, and only a row flagged here gets its other cells trimmed
-- (trim removes only the spaces the scan flags). Trimming or checking twenty cells of every
-- row would cost more than reading the file.
scanned AS (
  SELECT
    r.*,
    regexp_like(
      concat_ws(
        chr(9), r.dossier_id, r.procedure_code, r.procedure_name, r.field_code, r.field_name,
        r.unit_code, r.unit_name, r.parent_code, r.received_at, r.due_at, r.resolved_at, r.updated_at
      ),
      '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}<]|(^|\t)[\s\x{a0}]*[=+@]|(^|\t)\p{Zs}|\p{Zs}(\t|$)'
    ) AS cells_suspicious
  FROM raw_dossiers AS r
),
cells AS (
  SELECT
    e.*,
    nullif(CASE WHEN e.cells_suspicious THEN trim(e.dossier_id) ELSE e.dossier_id END, '') AS t_dossier_id,
    nullif(CASE WHEN e.cells_suspicious THEN trim(e.procedure_code) ELSE e.procedure_code END, '') AS t_procedure_code,
    nullif(CASE WHEN e.cells_suspicious THEN trim(e.procedure_name) ELSE e.procedure_name END, '') AS t_procedure_name,
    nullif(CASE WHEN e.cells_suspicious THEN trim(e.field_code) ELSE e.field_code END, '') AS t_field_code,
    nullif(CASE WHEN e.cells_suspicious THEN trim(e.field_name) ELSE e.field_name END, '') AS t_field_name,
    nullif(CASE WHEN e.cells_suspicious THEN trim(e.unit_code) ELSE e.unit_code END, '') AS t_unit_code,
    nullif(CASE WHEN e.cells_suspicious THEN trim(e.unit_name) ELSE e.unit_name END, '') AS t_unit_name,
    nullif(CASE WHEN e.cells_suspicious THEN trim(e.parent_code) ELSE e.parent_code END, '') AS t_parent_code,
    nullif(CASE WHEN e.cells_suspicious THEN trim(e.received_at) ELSE e.received_at END, '') AS t_received_at,
    nullif(CASE WHEN e.cells_suspicious THEN trim(e.due_at) ELSE e.due_at END, '') AS t_due_at,
    nullif(CASE WHEN e.cells_suspicious THEN trim(e.resolved_at) ELSE e.resolved_at END, '') AS t_resolved_at,
    nullif(CASE WHEN e.cells_suspicious THEN trim(e.updated_at) ELSE e.updated_at END, '') AS t_updated_at,
    e.cells_suspicious OR wv.words_suspicious AS suspicious,
    wv.t_status, wv.t_channel, wv.t_unit_level, wv.t_online_level, wv.t_result_electronic,
    wv.t_paid_online, wv.t_fee_required, wv.t_digitized,
    wv.v_status, wv.v_channel_word, wv.v_unit_level, wv.v_online_level, wv.v_result_electronic,
    wv.v_paid_online, wv.v_fee_required, wv.v_digitized
  FROM scanned AS e
  LEFT JOIN word_values AS wv
    ON wv.status IS NOT DISTINCT FROM e.status AND wv.channel IS NOT DISTINCT FROM e.channel
    AND wv.unit_level IS NOT DISTINCT FROM e.unit_level AND wv.online_level IS NOT DISTINCT FROM e.online_level
    AND wv.result_electronic IS NOT DISTINCT FROM e.result_electronic AND wv.paid_online IS NOT DISTINCT FROM e.paid_online
    AND wv.fee_required IS NOT DISTINCT FROM e.fee_required AND wv.digitized IS NOT DISTINCT FROM e.digitized
),
-- Per cell, in column order: the text-safety verdict (only on a row the scan above flagged)
-- and the length limit (codes 100 characters, names 1000; the byte length, known without
-- reading the text, is looked at first: a cell is no longer in characters than in bytes).
cell_problems AS (
  SELECT
    c.*,
    CASE WHEN c.suspicious THEN
      CASE
          WHEN regexp_like(c.dossier_id, '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}]') THEN 'dossier_id|control_character'
          WHEN regexp_like(c.dossier_id, '<\s*[a-zA-Z!/?]') THEN 'dossier_id|html_markup'
          WHEN regexp_like(c.dossier_id, '^[\s\x{a0}]*[=+@]') THEN 'dossier_id|formula_injection'
          WHEN length(c.t_dossier_id) > 100 THEN 'dossier_id|too_long'
          WHEN regexp_like(c.procedure_code, '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}]') THEN 'procedure_code|control_character'
          WHEN regexp_like(c.procedure_code, '<\s*[a-zA-Z!/?]') THEN 'procedure_code|html_markup'
          WHEN regexp_like(c.procedure_code, '^[\s\x{a0}]*[=+@]') THEN 'procedure_code|formula_injection'
          WHEN length(c.t_procedure_code) > 100 THEN 'procedure_code|too_long'
          WHEN regexp_like(c.procedure_name, '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}]') THEN 'procedure_name|control_character'
          WHEN regexp_like(c.procedure_name, '<\s*[a-zA-Z!/?]') THEN 'procedure_name|html_markup'
          WHEN regexp_like(c.procedure_name, '^[\s\x{a0}]*[=+@]') THEN 'procedure_name|formula_injection'
          WHEN length(c.t_procedure_name) > 1000 THEN 'procedure_name|too_long'
          WHEN regexp_like(c.field_code, '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}]') THEN 'field_code|control_character'
          WHEN regexp_like(c.field_code, '<\s*[a-zA-Z!/?]') THEN 'field_code|html_markup'
          WHEN regexp_like(c.field_code, '^[\s\x{a0}]*[=+@]') THEN 'field_code|formula_injection'
          WHEN length(c.t_field_code) > 100 THEN 'field_code|too_long'
          WHEN regexp_like(c.field_name, '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}]') THEN 'field_name|control_character'
          WHEN regexp_like(c.field_name, '<\s*[a-zA-Z!/?]') THEN 'field_name|html_markup'
          WHEN regexp_like(c.field_name, '^[\s\x{a0}]*[=+@]') THEN 'field_name|formula_injection'
          WHEN length(c.t_field_name) > 1000 THEN 'field_name|too_long'
          WHEN regexp_like(c.unit_code, '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}]') THEN 'unit_code|control_character'
          WHEN regexp_like(c.unit_code, '<\s*[a-zA-Z!/?]') THEN 'unit_code|html_markup'
          WHEN regexp_like(c.unit_code, '^[\s\x{a0}]*[=+@]') THEN 'unit_code|formula_injection'
          WHEN length(c.t_unit_code) > 100 THEN 'unit_code|too_long'
          WHEN regexp_like(c.unit_name, '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}]') THEN 'unit_name|control_character'
          WHEN regexp_like(c.unit_name, '<\s*[a-zA-Z!/?]') THEN 'unit_name|html_markup'
          WHEN regexp_like(c.unit_name, '^[\s\x{a0}]*[=+@]') THEN 'unit_name|formula_injection'
          WHEN length(c.t_unit_name) > 1000 THEN 'unit_name|too_long'
          WHEN regexp_like(c.unit_level, '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}]') THEN 'unit_level|control_character'
          WHEN regexp_like(c.unit_level, '<\s*[a-zA-Z!/?]') THEN 'unit_level|html_markup'
          WHEN regexp_like(c.unit_level, '^[\s\x{a0}]*[=+@]') THEN 'unit_level|formula_injection'
          WHEN length(c.t_unit_level) > 100 THEN 'unit_level|too_long'
          WHEN regexp_like(c.parent_code, '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}]') THEN 'parent_code|control_character'
          WHEN regexp_like(c.parent_code, '<\s*[a-zA-Z!/?]') THEN 'parent_code|html_markup'
          WHEN regexp_like(c.parent_code, '^[\s\x{a0}]*[=+@]') THEN 'parent_code|formula_injection'
          WHEN length(c.t_parent_code) > 100 THEN 'parent_code|too_long'
          WHEN regexp_like(c.channel, '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}]') THEN 'channel|control_character'
          WHEN regexp_like(c.channel, '<\s*[a-zA-Z!/?]') THEN 'channel|html_markup'
          WHEN regexp_like(c.channel, '^[\s\x{a0}]*[=+@]') THEN 'channel|formula_injection'
          WHEN length(c.t_channel) > 100 THEN 'channel|too_long'
          WHEN regexp_like(c.online_level, '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}]') THEN 'online_level|control_character'
          WHEN regexp_like(c.online_level, '<\s*[a-zA-Z!/?]') THEN 'online_level|html_markup'
          WHEN regexp_like(c.online_level, '^[\s\x{a0}]*[=+@]') THEN 'online_level|formula_injection'
          WHEN length(c.t_online_level) > 100 THEN 'online_level|too_long'
          WHEN regexp_like(c.received_at, '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}]') THEN 'received_at|control_character'
          WHEN regexp_like(c.received_at, '<\s*[a-zA-Z!/?]') THEN 'received_at|html_markup'
          WHEN regexp_like(c.received_at, '^[\s\x{a0}]*[=+@]') THEN 'received_at|formula_injection'
          WHEN length(c.t_received_at) > 100 THEN 'received_at|too_long'
          WHEN regexp_like(c.due_at, '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}]') THEN 'due_at|control_character'
          WHEN regexp_like(c.due_at, '<\s*[a-zA-Z!/?]') THEN 'due_at|html_markup'
          WHEN regexp_like(c.due_at, '^[\s\x{a0}]*[=+@]') THEN 'due_at|formula_injection'
          WHEN length(c.t_due_at) > 100 THEN 'due_at|too_long'
          WHEN regexp_like(c.resolved_at, '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}]') THEN 'resolved_at|control_character'
          WHEN regexp_like(c.resolved_at, '<\s*[a-zA-Z!/?]') THEN 'resolved_at|html_markup'
          WHEN regexp_like(c.resolved_at, '^[\s\x{a0}]*[=+@]') THEN 'resolved_at|formula_injection'
          WHEN length(c.t_resolved_at) > 100 THEN 'resolved_at|too_long'
          WHEN regexp_like(c.status, '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}]') THEN 'status|control_character'
          WHEN regexp_like(c.status, '<\s*[a-zA-Z!/?]') THEN 'status|html_markup'
          WHEN regexp_like(c.status, '^[\s\x{a0}]*[=+@]') THEN 'status|formula_injection'
          WHEN length(c.t_status) > 100 THEN 'status|too_long'
          WHEN regexp_like(c.result_electronic, '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}]') THEN 'result_electronic|control_character'
          WHEN regexp_like(c.result_electronic, '<\s*[a-zA-Z!/?]') THEN 'result_electronic|html_markup'
          WHEN regexp_like(c.result_electronic, '^[\s\x{a0}]*[=+@]') THEN 'result_electronic|formula_injection'
          WHEN length(c.t_result_electronic) > 100 THEN 'result_electronic|too_long'
          WHEN regexp_like(c.paid_online, '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}]') THEN 'paid_online|control_character'
          WHEN regexp_like(c.paid_online, '<\s*[a-zA-Z!/?]') THEN 'paid_online|html_markup'
          WHEN regexp_like(c.paid_online, '^[\s\x{a0}]*[=+@]') THEN 'paid_online|formula_injection'
          WHEN length(c.t_paid_online) > 100 THEN 'paid_online|too_long'
          WHEN regexp_like(c.fee_required, '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}]') THEN 'fee_required|control_character'
          WHEN regexp_like(c.fee_required, '<\s*[a-zA-Z!/?]') THEN 'fee_required|html_markup'
          WHEN regexp_like(c.fee_required, '^[\s\x{a0}]*[=+@]') THEN 'fee_required|formula_injection'
          WHEN length(c.t_fee_required) > 100 THEN 'fee_required|too_long'
          WHEN regexp_like(c.digitized, '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}]') THEN 'digitized|control_character'
          WHEN regexp_like(c.digitized, '<\s*[a-zA-Z!/?]') THEN 'digitized|html_markup'
          WHEN regexp_like(c.digitized, '^[\s\x{a0}]*[=+@]') THEN 'digitized|formula_injection'
          WHEN length(c.t_digitized) > 100 THEN 'digitized|too_long'
          WHEN regexp_like(c.updated_at, '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}]') THEN 'updated_at|control_character'
          WHEN regexp_like(c.updated_at, '<\s*[a-zA-Z!/?]') THEN 'updated_at|html_markup'
          WHEN regexp_like(c.updated_at, '^[\s\x{a0}]*[=+@]') THEN 'updated_at|formula_injection'
          WHEN length(c.t_updated_at) > 100 THEN 'updated_at|too_long'
      END
    ELSE
      CASE
          WHEN strlen(c.t_dossier_id) > 100 AND length(c.t_dossier_id) > 100 THEN 'dossier_id|too_long'
          WHEN strlen(c.t_procedure_code) > 100 AND length(c.t_procedure_code) > 100 THEN 'procedure_code|too_long'
          WHEN strlen(c.t_procedure_name) > 1000 AND length(c.t_procedure_name) > 1000 THEN 'procedure_name|too_long'
          WHEN strlen(c.t_field_code) > 100 AND length(c.t_field_code) > 100 THEN 'field_code|too_long'
          WHEN strlen(c.t_field_name) > 1000 AND length(c.t_field_name) > 1000 THEN 'field_name|too_long'
          WHEN strlen(c.t_unit_code) > 100 AND length(c.t_unit_code) > 100 THEN 'unit_code|too_long'
          WHEN strlen(c.t_unit_name) > 1000 AND length(c.t_unit_name) > 1000 THEN 'unit_name|too_long'
          WHEN strlen(c.t_unit_level) > 100 AND length(c.t_unit_level) > 100 THEN 'unit_level|too_long'
          WHEN strlen(c.t_parent_code) > 100 AND length(c.t_parent_code) > 100 THEN 'parent_code|too_long'
          WHEN strlen(c.t_channel) > 100 AND length(c.t_channel) > 100 THEN 'channel|too_long'
          WHEN strlen(c.t_online_level) > 100 AND length(c.t_online_level) > 100 THEN 'online_level|too_long'
          WHEN strlen(c.t_received_at) > 100 AND length(c.t_received_at) > 100 THEN 'received_at|too_long'
          WHEN strlen(c.t_due_at) > 100 AND length(c.t_due_at) > 100 THEN 'due_at|too_long'
          WHEN strlen(c.t_resolved_at) > 100 AND length(c.t_resolved_at) > 100 THEN 'resolved_at|too_long'
          WHEN strlen(c.t_status) > 100 AND length(c.t_status) > 100 THEN 'status|too_long'
          WHEN strlen(c.t_result_electronic) > 100 AND length(c.t_result_electronic) > 100 THEN 'result_electronic|too_long'
          WHEN strlen(c.t_paid_online) > 100 AND length(c.t_paid_online) > 100 THEN 'paid_online|too_long'
          WHEN strlen(c.t_fee_required) > 100 AND length(c.t_fee_required) > 100 THEN 'fee_required|too_long'
          WHEN strlen(c.t_digitized) > 100 AND length(c.t_digitized) > 100 THEN 'digitized|too_long'
          WHEN strlen(c.t_updated_at) > 100 AND length(c.t_updated_at) > 100 THEN 'updated_at|too_long'
      END
    END AS cell_problem,
    -- Combining marks anywhere among the names: one scan, then per cell below.
    regexp_like(
      concat_ws(chr(9), c.t_procedure_name, c.t_field_name, c.t_unit_name),
      '[\x{0300}-\x{036f}]'
    ) AS marked
  FROM cells AS c
),
-- Names with combining marks are made NFC (only those: the rest already are).
words AS (
  SELECT
    p.*,
    CASE WHEN p.marked AND regexp_like(p.t_procedure_name, '[\x{0300}-\x{036f}]') THEN nfc_normalize(p.t_procedure_name) ELSE p.t_procedure_name END AS n_procedure_name,
    CASE WHEN p.marked AND regexp_like(p.t_field_name, '[\x{0300}-\x{036f}]') THEN nfc_normalize(p.t_field_name) ELSE p.t_field_name END AS n_field_name,
    CASE WHEN p.marked AND regexp_like(p.t_unit_name, '[\x{0300}-\x{036f}]') THEN nfc_normalize(p.t_unit_name) ELSE p.t_unit_name END AS n_unit_name,
    -- DVCQG's KenhThucHien: empty means direct (DESIGN.md's field table).
    CASE WHEN p.t_channel IS NULL AND p.dvcqg THEN 'direct' ELSE p.v_channel_word END AS v_channel,
    -- Most rows give every date-time as 'YYYY-MM-DD HH:MM:SS' with a real time of day: one
    -- test for the four cells (joined by chr(1), which a row the scan did not flag cannot
    -- hold) lets such a row skip the forms and checks below.
    NOT p.cells_suspicious AND regexp_like(
      concat_ws(chr(1), p.t_received_at, p.t_due_at, p.t_resolved_at, p.t_updated_at),
      '^(\d{4}-\d{2}-\d{2} ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\x01|$))*$'
    ) AS dates_canonical
  FROM cell_problems AS p
),
-- Date-times: 'YYYY-MM-DD HH:MM:SS' as it stands; ISO 8601 (offset converted to +07:00);
-- yyyyMMdd[HHmmss]; dd/MM/yyyy[ HH:mm[:ss]] (day first, unless the profile says month
-- first for the whole file). Each form is rebuilt as canonical text and cast.
date_forms AS (
  SELECT
    l.*,
    CASE
      WHEN l.t_received_at IS NULL THEN NULL
      WHEN l.dates_canonical THEN 'canonical'
      WHEN regexp_like(l.t_received_at, '^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$') THEN 'canonical'
      WHEN regexp_like(l.t_received_at, '^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}([.,]\d{1,9})?)?)?\s*([zZ]|[+-]\d{2}(:?\d{2})?)?$') THEN 'iso'
      WHEN regexp_like(l.t_received_at, '^\d{8}(\d{6})?$') THEN 'compact'
      WHEN regexp_like(l.t_received_at, '^\d{1,2}/\d{1,2}/\d{4}(\s+\d{1,2}:\d{2}(:\d{2})?)?$') THEN 'slash'
      ELSE 'unknown'
    END AS f_received_at,
    CASE
      WHEN l.t_due_at IS NULL THEN NULL
      WHEN l.dates_canonical THEN 'canonical'
      WHEN regexp_like(l.t_due_at, '^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$') THEN 'canonical'
      WHEN regexp_like(l.t_due_at, '^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}([.,]\d{1,9})?)?)?\s*([zZ]|[+-]\d{2}(:?\d{2})?)?$') THEN 'iso'
      WHEN regexp_like(l.t_due_at, '^\d{8}(\d{6})?$') THEN 'compact'
      WHEN regexp_like(l.t_due_at, '^\d{1,2}/\d{1,2}/\d{4}(\s+\d{1,2}:\d{2}(:\d{2})?)?$') THEN 'slash'
      ELSE 'unknown'
    END AS f_due_at,
    CASE
      WHEN l.t_resolved_at IS NULL THEN NULL
      WHEN l.dates_canonical THEN 'canonical'
      WHEN regexp_like(l.t_resolved_at, '^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$') THEN 'canonical'
      WHEN regexp_like(l.t_resolved_at, '^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}([.,]\d{1,9})?)?)?\s*([zZ]|[+-]\d{2}(:?\d{2})?)?$') THEN 'iso'
      WHEN regexp_like(l.t_resolved_at, '^\d{8}(\d{6})?$') THEN 'compact'
      WHEN regexp_like(l.t_resolved_at, '^\d{1,2}/\d{1,2}/\d{4}(\s+\d{1,2}:\d{2}(:\d{2})?)?$') THEN 'slash'
      ELSE 'unknown'
    END AS f_resolved_at,
    CASE
      WHEN l.t_updated_at IS NULL THEN NULL
      WHEN l.dates_canonical THEN 'canonical'
      WHEN regexp_like(l.t_updated_at, '^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$') THEN 'canonical'
      WHEN regexp_like(l.t_updated_at, '^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}([.,]\d{1,9})?)?)?\s*([zZ]|[+-]\d{2}(:?\d{2})?)?$') THEN 'iso'
      WHEN regexp_like(l.t_updated_at, '^\d{8}(\d{6})?$') THEN 'compact'
      WHEN regexp_like(l.t_updated_at, '^\d{1,2}/\d{1,2}/\d{4}(\s+\d{1,2}:\d{2}(:\d{2})?)?$') THEN 'slash'
      ELSE 'unknown'
    END AS f_updated_at
  FROM words AS l
),
-- Canonical local text per date-time cell, and the UTC offset in minutes where one was given
-- (NULL: local time already; -1: an impossible offset such as +99:99).
date_texts AS (
  SELECT
    d.*,
    CASE d.f_received_at
      WHEN 'canonical' THEN d.t_received_at
      WHEN 'iso' THEN concat(
        regexp_extract(d.t_received_at, '^(\d{4})', 1), '-',
        lpad(regexp_extract(d.t_received_at, '^\d{4}-(\d{1,2})', 1), 2, '0'), '-',
        lpad(regexp_extract(d.t_received_at, '^\d{4}-\d{1,2}-(\d{1,2})', 1), 2, '0'), ' ',
        lpad(coalesce(nullif(regexp_extract(d.t_received_at, '^[0-9-]+[ T](\d{1,2}):', 1), ''), '0'), 2, '0'), ':',
        coalesce(nullif(regexp_extract(d.t_received_at, '^[0-9-]+[ T]\d{1,2}:(\d{2})', 1), ''), '00'), ':',
        coalesce(nullif(regexp_extract(d.t_received_at, '^[0-9-]+[ T]\d{1,2}:\d{2}:(\d{2})', 1), ''), '00'))
      WHEN 'compact' THEN concat(
        substr(d.t_received_at, 1, 4), '-', substr(d.t_received_at, 5, 2), '-', substr(d.t_received_at, 7, 2), ' ',
        coalesce(nullif(substr(d.t_received_at, 9, 2), ''), '00'), ':',
        coalesce(nullif(substr(d.t_received_at, 11, 2), ''), '00'), ':',
        coalesce(nullif(substr(d.t_received_at, 13, 2), ''), '00'))
      WHEN 'slash' THEN concat(
        regexp_extract(d.t_received_at, '^\d{1,2}/\d{1,2}/(\d{4})', 1), '-',
        lpad(regexp_extract(d.t_received_at, CASE WHEN s.month_first THEN '^(\d{1,2})/' ELSE '^\d{1,2}/(\d{1,2})/' END, 1), 2, '0'), '-',
        lpad(regexp_extract(d.t_received_at, CASE WHEN s.month_first THEN '^\d{1,2}/(\d{1,2})/' ELSE '^(\d{1,2})/' END, 1), 2, '0'), ' ',
        lpad(coalesce(nullif(regexp_extract(d.t_received_at, '\s(\d{1,2}):', 1), ''), '0'), 2, '0'), ':',
        coalesce(nullif(regexp_extract(d.t_received_at, '\s\d{1,2}:(\d{2})', 1), ''), '00'), ':',
        coalesce(nullif(regexp_extract(d.t_received_at, '\s\d{1,2}:\d{2}:(\d{2})', 1), ''), '00'))
    END AS x_received_at,
    CASE d.f_due_at
      WHEN 'canonical' THEN d.t_due_at
      WHEN 'iso' THEN concat(
        regexp_extract(d.t_due_at, '^(\d{4})', 1), '-',
        lpad(regexp_extract(d.t_due_at, '^\d{4}-(\d{1,2})', 1), 2, '0'), '-',
        lpad(regexp_extract(d.t_due_at, '^\d{4}-\d{1,2}-(\d{1,2})', 1), 2, '0'), ' ',
        lpad(coalesce(nullif(regexp_extract(d.t_due_at, '^[0-9-]+[ T](\d{1,2}):', 1), ''), '0'), 2, '0'), ':',
        coalesce(nullif(regexp_extract(d.t_due_at, '^[0-9-]+[ T]\d{1,2}:(\d{2})', 1), ''), '00'), ':',
        coalesce(nullif(regexp_extract(d.t_due_at, '^[0-9-]+[ T]\d{1,2}:\d{2}:(\d{2})', 1), ''), '00'))
      WHEN 'compact' THEN concat(
        substr(d.t_due_at, 1, 4), '-', substr(d.t_due_at, 5, 2), '-', substr(d.t_due_at, 7, 2), ' ',
        coalesce(nullif(substr(d.t_due_at, 9, 2), ''), '00'), ':',
        coalesce(nullif(substr(d.t_due_at, 11, 2), ''), '00'), ':',
        coalesce(nullif(substr(d.t_due_at, 13, 2), ''), '00'))
      WHEN 'slash' THEN concat(
        regexp_extract(d.t_due_at, '^\d{1,2}/\d{1,2}/(\d{4})', 1), '-',
        lpad(regexp_extract(d.t_due_at, CASE WHEN s.month_first THEN '^(\d{1,2})/' ELSE '^\d{1,2}/(\d{1,2})/' END, 1), 2, '0'), '-',
        lpad(regexp_extract(d.t_due_at, CASE WHEN s.month_first THEN '^\d{1,2}/(\d{1,2})/' ELSE '^(\d{1,2})/' END, 1), 2, '0'), ' ',
        lpad(coalesce(nullif(regexp_extract(d.t_due_at, '\s(\d{1,2}):', 1), ''), '0'), 2, '0'), ':',
        coalesce(nullif(regexp_extract(d.t_due_at, '\s\d{1,2}:(\d{2})', 1), ''), '00'), ':',
        coalesce(nullif(regexp_extract(d.t_due_at, '\s\d{1,2}:\d{2}:(\d{2})', 1), ''), '00'))
    END AS x_due_at,
    CASE d.f_resolved_at
      WHEN 'canonical' THEN d.t_resolved_at
      WHEN 'iso' THEN concat(
        regexp_extract(d.t_resolved_at, '^(\d{4})', 1), '-',
        lpad(regexp_extract(d.t_resolved_at, '^\d{4}-(\d{1,2})', 1), 2, '0'), '-',
        lpad(regexp_extract(d.t_resolved_at, '^\d{4}-\d{1,2}-(\d{1,2})', 1), 2, '0'), ' ',
        lpad(coalesce(nullif(regexp_extract(d.t_resolved_at, '^[0-9-]+[ T](\d{1,2}):', 1), ''), '0'), 2, '0'), ':',
        coalesce(nullif(regexp_extract(d.t_resolved_at, '^[0-9-]+[ T]\d{1,2}:(\d{2})', 1), ''), '00'), ':',
        coalesce(nullif(regexp_extract(d.t_resolved_at, '^[0-9-]+[ T]\d{1,2}:\d{2}:(\d{2})', 1), ''), '00'))
      WHEN 'compact' THEN concat(
        substr(d.t_resolved_at, 1, 4), '-', substr(d.t_resolved_at, 5, 2), '-', substr(d.t_resolved_at, 7, 2), ' ',
        coalesce(nullif(substr(d.t_resolved_at, 9, 2), ''), '00'), ':',
        coalesce(nullif(substr(d.t_resolved_at, 11, 2), ''), '00'), ':',
        coalesce(nullif(substr(d.t_resolved_at, 13, 2), ''), '00'))
      WHEN 'slash' THEN concat(
        regexp_extract(d.t_resolved_at, '^\d{1,2}/\d{1,2}/(\d{4})', 1), '-',
        lpad(regexp_extract(d.t_resolved_at, CASE WHEN s.month_first THEN '^(\d{1,2})/' ELSE '^\d{1,2}/(\d{1,2})/' END, 1), 2, '0'), '-',
        lpad(regexp_extract(d.t_resolved_at, CASE WHEN s.month_first THEN '^\d{1,2}/(\d{1,2})/' ELSE '^(\d{1,2})/' END, 1), 2, '0'), ' ',
        lpad(coalesce(nullif(regexp_extract(d.t_resolved_at, '\s(\d{1,2}):', 1), ''), '0'), 2, '0'), ':',
        coalesce(nullif(regexp_extract(d.t_resolved_at, '\s\d{1,2}:(\d{2})', 1), ''), '00'), ':',
        coalesce(nullif(regexp_extract(d.t_resolved_at, '\s\d{1,2}:\d{2}:(\d{2})', 1), ''), '00'))
    END AS x_resolved_at,
    CASE d.f_updated_at
      WHEN 'canonical' THEN d.t_updated_at
      WHEN 'iso' THEN concat(
        regexp_extract(d.t_updated_at, '^(\d{4})', 1), '-',
        lpad(regexp_extract(d.t_updated_at, '^\d{4}-(\d{1,2})', 1), 2, '0'), '-',
        lpad(regexp_extract(d.t_updated_at, '^\d{4}-\d{1,2}-(\d{1,2})', 1), 2, '0'), ' ',
        lpad(coalesce(nullif(regexp_extract(d.t_updated_at, '^[0-9-]+[ T](\d{1,2}):', 1), ''), '0'), 2, '0'), ':',
        coalesce(nullif(regexp_extract(d.t_updated_at, '^[0-9-]+[ T]\d{1,2}:(\d{2})', 1), ''), '00'), ':',
        coalesce(nullif(regexp_extract(d.t_updated_at, '^[0-9-]+[ T]\d{1,2}:\d{2}:(\d{2})', 1), ''), '00'))
      WHEN 'compact' THEN concat(
        substr(d.t_updated_at, 1, 4), '-', substr(d.t_updated_at, 5, 2), '-', substr(d.t_updated_at, 7, 2), ' ',
        coalesce(nullif(substr(d.t_updated_at, 9, 2), ''), '00'), ':',
        coalesce(nullif(substr(d.t_updated_at, 11, 2), ''), '00'), ':',
        coalesce(nullif(substr(d.t_updated_at, 13, 2), ''), '00'))
      WHEN 'slash' THEN concat(
        regexp_extract(d.t_updated_at, '^\d{1,2}/\d{1,2}/(\d{4})', 1), '-',
        lpad(regexp_extract(d.t_updated_at, CASE WHEN s.month_first THEN '^(\d{1,2})/' ELSE '^\d{1,2}/(\d{1,2})/' END, 1), 2, '0'), '-',
        lpad(regexp_extract(d.t_updated_at, CASE WHEN s.month_first THEN '^\d{1,2}/(\d{1,2})/' ELSE '^(\d{1,2})/' END, 1), 2, '0'), ' ',
        lpad(coalesce(nullif(regexp_extract(d.t_updated_at, '\s(\d{1,2}):', 1), ''), '0'), 2, '0'), ':',
        coalesce(nullif(regexp_extract(d.t_updated_at, '\s\d{1,2}:(\d{2})', 1), ''), '00'), ':',
        coalesce(nullif(regexp_extract(d.t_updated_at, '\s\d{1,2}:\d{2}:(\d{2})', 1), ''), '00'))
    END AS x_updated_at,
    CASE WHEN d.f_received_at = 'iso' THEN regexp_extract(d.t_received_at, '[ T]\d{1,2}:\d{2}(:\d{2}([.,]\d{1,9})?)?\s*([zZ]|[+-]\d{2}(:?\d{2})?)$', 3) END AS o_received_at,
    CASE WHEN d.f_due_at = 'iso' THEN regexp_extract(d.t_due_at, '[ T]\d{1,2}:\d{2}(:\d{2}([.,]\d{1,9})?)?\s*([zZ]|[+-]\d{2}(:?\d{2})?)$', 3) END AS o_due_at,
    CASE WHEN d.f_resolved_at = 'iso' THEN regexp_extract(d.t_resolved_at, '[ T]\d{1,2}:\d{2}(:\d{2}([.,]\d{1,9})?)?\s*([zZ]|[+-]\d{2}(:?\d{2})?)$', 3) END AS o_resolved_at,
    CASE WHEN d.f_updated_at = 'iso' THEN regexp_extract(d.t_updated_at, '[ T]\d{1,2}:\d{2}(:\d{2}([.,]\d{1,9})?)?\s*([zZ]|[+-]\d{2}(:?\d{2})?)$', 3) END AS o_updated_at
  FROM date_forms AS d
  CROSS JOIN settings AS s
),
-- Offset text → minutes east of UTC; NULL when none; 9999 when it cannot be a real offset.
date_offsets AS (
  SELECT
    d.*,
    CASE
      WHEN d.o_received_at IS NULL OR d.o_received_at = '' THEN NULL
      WHEN upper(d.o_received_at) = 'Z' THEN 0
      WHEN CAST(substr(d.o_received_at, 2, 2) AS INTEGER) > 14 OR CAST(coalesce(nullif(substr(replace(d.o_received_at, ':', ''), 4, 2), ''), '0') AS INTEGER) > 59 THEN 9999
      ELSE (CASE WHEN substr(d.o_received_at, 1, 1) = '-' THEN -1 ELSE 1 END)
        * (CAST(substr(d.o_received_at, 2, 2) AS INTEGER) * 60 + CAST(coalesce(nullif(substr(replace(d.o_received_at, ':', ''), 4, 2), ''), '0') AS INTEGER))
    END AS m_received_at,
    CASE
      WHEN d.o_due_at IS NULL OR d.o_due_at = '' THEN NULL
      WHEN upper(d.o_due_at) = 'Z' THEN 0
      WHEN CAST(substr(d.o_due_at, 2, 2) AS INTEGER) > 14 OR CAST(coalesce(nullif(substr(replace(d.o_due_at, ':', ''), 4, 2), ''), '0') AS INTEGER) > 59 THEN 9999
      ELSE (CASE WHEN substr(d.o_due_at, 1, 1) = '-' THEN -1 ELSE 1 END)
        * (CAST(substr(d.o_due_at, 2, 2) AS INTEGER) * 60 + CAST(coalesce(nullif(substr(replace(d.o_due_at, ':', ''), 4, 2), ''), '0') AS INTEGER))
    END AS m_due_at,
    CASE
      WHEN d.o_resolved_at IS NULL OR d.o_resolved_at = '' THEN NULL
      WHEN upper(d.o_resolved_at) = 'Z' THEN 0
      WHEN CAST(substr(d.o_resolved_at, 2, 2) AS INTEGER) > 14 OR CAST(coalesce(nullif(substr(replace(d.o_resolved_at, ':', ''), 4, 2), ''), '0') AS INTEGER) > 59 THEN 9999
      ELSE (CASE WHEN substr(d.o_resolved_at, 1, 1) = '-' THEN -1 ELSE 1 END)
        * (CAST(substr(d.o_resolved_at, 2, 2) AS INTEGER) * 60 + CAST(coalesce(nullif(substr(replace(d.o_resolved_at, ':', ''), 4, 2), ''), '0') AS INTEGER))
    END AS m_resolved_at,
    CASE
      WHEN d.o_updated_at IS NULL OR d.o_updated_at = '' THEN NULL
      WHEN upper(d.o_updated_at) = 'Z' THEN 0
      WHEN CAST(substr(d.o_updated_at, 2, 2) AS INTEGER) > 14 OR CAST(coalesce(nullif(substr(replace(d.o_updated_at, ':', ''), 4, 2), ''), '0') AS INTEGER) > 59 THEN 9999
      ELSE (CASE WHEN substr(d.o_updated_at, 1, 1) = '-' THEN -1 ELSE 1 END)
        * (CAST(substr(d.o_updated_at, 2, 2) AS INTEGER) * 60 + CAST(coalesce(nullif(substr(replace(d.o_updated_at, ':', ''), 4, 2), ''), '0') AS INTEGER))
    END AS m_updated_at
  FROM date_texts AS d
),
-- The canonical text cast to TIMESTAMP (NULL: an impossible date or time; the hour, minute
-- and second are checked as text because a cast would roll 24:00 over to the next day),
-- then moved to Vietnam time when an offset was given.
timestamps AS (
  SELECT
    d.*,
    CASE
      WHEN d.dates_canonical THEN TRY_CAST(d.t_received_at AS TIMESTAMP)
      WHEN d.x_received_at IS NULL OR d.m_received_at = 9999 THEN NULL
      WHEN substr(d.x_received_at, 12, 2) > '23' OR substr(d.x_received_at, 15, 2) > '59' OR substr(d.x_received_at, 18, 2) > '59' THEN NULL
      ELSE TRY_CAST(d.x_received_at AS TIMESTAMP) + INTERVAL '1' MINUTE * (420 - coalesce(d.m_received_at, 420))
    END AS v_received_at,
    CASE
      WHEN d.dates_canonical THEN TRY_CAST(d.t_due_at AS TIMESTAMP)
      WHEN d.x_due_at IS NULL OR d.m_due_at = 9999 THEN NULL
      WHEN substr(d.x_due_at, 12, 2) > '23' OR substr(d.x_due_at, 15, 2) > '59' OR substr(d.x_due_at, 18, 2) > '59' THEN NULL
      ELSE TRY_CAST(d.x_due_at AS TIMESTAMP) + INTERVAL '1' MINUTE * (420 - coalesce(d.m_due_at, 420))
    END AS v_due_at,
    CASE
      WHEN d.dates_canonical THEN TRY_CAST(d.t_resolved_at AS TIMESTAMP)
      WHEN d.x_resolved_at IS NULL OR d.m_resolved_at = 9999 THEN NULL
      WHEN substr(d.x_resolved_at, 12, 2) > '23' OR substr(d.x_resolved_at, 15, 2) > '59' OR substr(d.x_resolved_at, 18, 2) > '59' THEN NULL
      ELSE TRY_CAST(d.x_resolved_at AS TIMESTAMP) + INTERVAL '1' MINUTE * (420 - coalesce(d.m_resolved_at, 420))
    END AS v_resolved_at,
    CASE
      WHEN d.dates_canonical THEN TRY_CAST(d.t_updated_at AS TIMESTAMP)
      WHEN d.x_updated_at IS NULL OR d.m_updated_at = 9999 THEN NULL
      WHEN substr(d.x_updated_at, 12, 2) > '23' OR substr(d.x_updated_at, 15, 2) > '59' OR substr(d.x_updated_at, 18, 2) > '59' THEN NULL
      ELSE TRY_CAST(d.x_updated_at AS TIMESTAMP) + INTERVAL '1' MINUTE * (420 - coalesce(d.m_updated_at, 420))
    END AS v_updated_at
  FROM date_offsets AS d
),
-- The unit: the record's unit_code where present, else the registry's match on the MaHoSo
-- prefix (before the first '-'), else on the unit name. A registry unit counts only if it
-- existed at some time between the dossier's reception and its closing (or the snapshot
-- date while it is open): the one existing at the end of that span, else the one existing
-- at its start. Codes are unique in the registry and a token means one unit at a time
-- (units-registry.ts makes both true), so no join here can multiply a row.
unit_keys AS (
  SELECT
    t.*,
    CAST(t.v_received_at AS DATE) AS life_start,
    greatest(CAST(t.v_received_at AS DATE), coalesce(CAST(t.v_resolved_at AS DATE), s.snapshot_date)) AS life_end,
    CASE WHEN s.has_registry AND t.t_unit_code IS NULL AND strpos(t.t_dossier_id, '-') > 1
      THEN lower(substr(t.t_dossier_id, 1, strpos(t.t_dossier_id, '-') - 1)) END AS prefix_token,
    CASE WHEN s.has_registry AND t.t_unit_code IS NULL THEN lower(t.n_unit_name) END AS name_token
  FROM timestamps AS t
  CROSS JOIN settings AS s
),
units AS (
  SELECT
    k.*,
    byc.unit_code AS c_unit_code,
    CASE WHEN byc.unit_code IS NOT NULL
      AND (byc.valid_from IS NULL OR byc.valid_from <= k.life_end)
      AND (byc.valid_to IS NULL OR byc.valid_to >= k.life_start) THEN TRUE ELSE FALSE END AS c_existed,
    coalesce(byc.unit_code, pe.unit_code, ps.unit_code, ne.unit_code, ns.unit_code) AS r_unit_code,
    coalesce(byc.unit_name, pe.unit_name, ps.unit_name, ne.unit_name, ns.unit_name) AS r_unit_name,
    coalesce(byc.unit_level, pe.unit_level, ps.unit_level, ne.unit_level, ns.unit_level) AS r_unit_level,
    coalesce(byc.parent_code, pe.parent_code, ps.parent_code, ne.parent_code, ns.parent_code) AS r_parent_code
  FROM unit_keys AS k
  LEFT JOIN registry_units AS byc ON byc.unit_code = k.t_unit_code
  LEFT JOIN registry_unit_tokens AS pe ON pe.token = k.prefix_token
    AND (pe.valid_from IS NULL OR pe.valid_from <= k.life_end) AND (pe.valid_to IS NULL OR pe.valid_to >= k.life_end)
  LEFT JOIN registry_unit_tokens AS ps ON ps.token = k.prefix_token
    AND (ps.valid_from IS NULL OR ps.valid_from <= k.life_start) AND (ps.valid_to IS NULL OR ps.valid_to >= k.life_start)
  LEFT JOIN registry_unit_tokens AS ne ON ne.token = k.name_token
    AND (ne.valid_from IS NULL OR ne.valid_from <= k.life_end) AND (ne.valid_to IS NULL OR ne.valid_to >= k.life_end)
  LEFT JOIN registry_unit_tokens AS ns ON ns.token = k.name_token
    AND (ns.valid_from IS NULL OR ns.valid_from <= k.life_start) AND (ns.valid_to IS NULL OR ns.valid_to >= k.life_start)
),
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
      WHEN u.t_unit_code IS NOT NULL AND u.c_unit_code IS NOT NULL AND NOT u.c_existed THEN 'unit_code|unit_not_existing'
      WHEN u.t_unit_code IS NULL AND u.r_unit_code IS NULL AND s.has_registry THEN 'unit_code|unknown_unit'
      WHEN u.t_unit_code IS NULL AND u.r_unit_code IS NULL THEN 'unit_code|missing_required'
      WHEN u.v_unit_level IS NULL AND u.r_unit_level IS NULL THEN 'unit_level|missing_required'
    END AS verdict
  FROM units AS u
  CROSS JOIN settings AS s
),
checked AS (
  SELECT
    v.*,
    nullif(substr(v.verdict, 1, strpos(v.verdict, '|') - 1), '') AS q_field,
    -- An impossible date and an invalid offset are invalid dates too (one reason code).
    CASE substr(v.verdict, strpos(v.verdict, '|') + 1)
      WHEN 'impossible_date' THEN 'invalid_date'
      WHEN 'invalid_offset' THEN 'invalid_date'
      WHEN 'unit_not_existing' THEN 'unknown_unit'
      ELSE substr(v.verdict, strpos(v.verdict, '|') + 1)
    END AS q_reason_code,
    substr(v.verdict, strpos(v.verdict, '|') + 1) AS q_detail
  FROM verdicts AS v
)
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
  coalesce(c.t_unit_code, c.r_unit_code) AS unit_code,
  coalesce(c.n_unit_name, c.r_unit_name) AS unit_name,
  coalesce(c.v_unit_level, c.r_unit_level) AS unit_level,
  coalesce(c.t_parent_code, c.r_parent_code) AS parent_code,
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
    WHEN 'unit_not_existing' THEN 'the registry has this unit, but it did not exist between the reception and the closing (or the snapshot date)'
    WHEN 'unknown_unit' THEN 'no unit_code, and neither the MaHoSo prefix nor the unit name matches a unit of the registry existing between the reception and the closing (or the snapshot date)'
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
  CASE WHEN c.verdict IS NOT NULL THEN substr(c.t_dossier_id, 1, 200) END AS q_dossier_id
FROM checked AS c

-- validate_dossiers: the one validator of the input contract (docs/design.md "The dossier extract").
-- Raw text rows in, one row out per input row: the lake columns when the row is valid, else
-- the quarantine columns (field, reason code, reason, offending value). Never a citizen
-- column: the readers select only contract columns into raw_dossiers.
--
-- Relations the runner binds before this query:
--   raw_dossiers      line, dvcqg, header_again, problem_code, problem_field, problem_reason,
--                     then one VARCHAR per contract column (NULL = absent)
--   staging_settings  one row: source_file, snapshot_date, min_timestamp, max_timestamp,
--                     month_first, has_registry, fold_from, fold_to, and one map per word
--                     kind of the vocabulary (lower-case NFC and folded words → what they
--                     mean): status_words, channel_words, unit_level_words, online_level_words,
--                     boolean_words (to true or false)
--                     (VOCABULARY_MAPS in functions/core/ingest/staging-sql.ts)
--
-- Engine-neutral (DuckDB here, Trino/Athena for bulk loads): regexp_like, regexp_extract,
-- translate, contains, map lookups, TRY_CAST and CASE only; dates are rebuilt as 'YYYY-MM-DD HH:MM:SS' text and
-- cast. The first broken field decides the reason, in contract column order.
WITH
-- No join and no IN list (which DuckDB plans as a join) from here to the end: the rows leave
-- this query in the order they came, so that the runner numbers them by their place (its
-- tests: tests/ingest/validator-order.test.ts, parallel-read.test.ts). Lookups are map
-- expressions over the one-row staging_settings, read where needed rather than through a
-- CTE of its own: DuckDB would materialise that CTE, and then could not tell how far the
-- query is (the CLI's progress).
--
-- Most rows give every date-time as 'YYYY-MM-DD HH:MM:SS' with a real time of day: one test
-- of the four cells as they stand (joined by tabs; each cell 19 bytes long, so none held a
-- tab of its own) spares them the safety scan below and the date forms further down.
dated AS (
  SELECT
    r.*,
    regexp_like(
      concat_ws(chr(9), r.received_at, r.due_at, r.resolved_at, r.updated_at),
      '^(\d{4}-\d{2}-\d{2} ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\t|$))*$'
    )
    AND coalesce(strlen(r.received_at), 19) = 19 AND coalesce(strlen(r.due_at), 19) = 19
    AND coalesce(strlen(r.resolved_at), 19) = 19 AND coalesce(strlen(r.updated_at), 19) = 19 AS dates_canonical
  FROM raw_dossiers AS r
),
-- One scan over the cells (joined by tabs) finds the rare row that needs more than a look:
-- control and invisible characters, '<', a formula prefix (= + @) after blanks, a space at
-- either end of a cell, or a combining mark (text not in NFC: such names are made NFC). Only such a row gets its cells checked for safety, and only such a row
-- gets its cells other than the words trimmed (trim removes only the spaces the scan flags).
-- Trimming or checking twenty cells of every row would cost more than reading the file.
scanned AS (
  SELECT
    d.*,
    regexp_like(
      concat_ws(
        chr(9), d.dossier_id, d.procedure_code, d.procedure_name, d.field_code, d.field_name,
        d.unit_code, d.unit_name, d.unit_level, d.parent_code, d.channel, d.online_level,
        d.status, d.result_electronic, d.paid_online, d.fee_required, d.digitized
      ),
      '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}<\x{0300}-\x{036f}]|(^|\t)[\s\x{a0}]*[=+@]|(^|\t)\p{Zs}|\p{Zs}(\t|$)'
    )
    OR (NOT d.dates_canonical AND regexp_like(
      concat_ws(chr(9), d.received_at, d.due_at, d.resolved_at, d.updated_at),
      '[\x00-\x08\x0a-\x1f\x7f-\x9f\x{2028}-\x{202e}\x{2066}-\x{2069}\x{feff}<]|(^|\t)[\s\x{a0}]*[=+@]|(^|\t)\p{Zs}|\p{Zs}(\t|$)'
    )) AS cells_suspicious
  FROM dated AS d
),
-- The code-table words (status, channel, the two levels) are looked up first as they stand
-- in the vocabulary's map of their kind (staging_settings: lower-case NFC and folded words),
-- which finds most cells. Only a cell not found so is trimmed here and, below, made NFC,
-- lower-cased and looked up again, then folded and looked up once more. The four booleans:
-- 1 and 0 as they stand, else the same steps in the boolean words' map.
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
    map_extract_value(s.status_words, e.status) AS a_status,
    map_extract_value(s.channel_words, e.channel) AS a_channel,
    map_extract_value(s.unit_level_words, e.unit_level) AS a_unit_level,
    map_extract_value(s.online_level_words, e.online_level) AS a_online_level
  FROM scanned AS e
  CROSS JOIN staging_settings AS s
),
word_cells AS (
  SELECT
    c.*,
    CASE WHEN c.a_status IS NOT NULL THEN c.status ELSE nullif(trim(c.status), '') END AS t_status,
    CASE WHEN c.a_channel IS NOT NULL THEN c.channel ELSE nullif(trim(c.channel), '') END AS t_channel,
    CASE WHEN c.a_unit_level IS NOT NULL THEN c.unit_level ELSE nullif(trim(c.unit_level), '') END AS t_unit_level,
    CASE WHEN c.a_online_level IS NOT NULL THEN c.online_level ELSE nullif(trim(c.online_level), '') END AS t_online_level,
    CASE WHEN c.result_electronic = '1' OR c.result_electronic = '0' THEN c.result_electronic ELSE nullif(trim(c.result_electronic), '') END AS t_result_electronic,
    CASE WHEN c.paid_online = '1' OR c.paid_online = '0' THEN c.paid_online ELSE nullif(trim(c.paid_online), '') END AS t_paid_online,
    CASE WHEN c.fee_required = '1' OR c.fee_required = '0' THEN c.fee_required ELSE nullif(trim(c.fee_required), '') END AS t_fee_required,
    CASE WHEN c.digitized = '1' OR c.digitized = '0' THEN c.digitized ELSE nullif(trim(c.digitized), '') END AS t_digitized
  FROM cells AS c
),
word_keys AS (
  SELECT
    w.*,
    CASE WHEN w.a_status IS NULL THEN lower(CASE WHEN regexp_like(w.t_status, '[\x{0300}-\x{036f}]') THEN nfc_normalize(w.t_status) ELSE w.t_status END) END AS k_status,
    CASE WHEN w.a_channel IS NULL THEN lower(CASE WHEN regexp_like(w.t_channel, '[\x{0300}-\x{036f}]') THEN nfc_normalize(w.t_channel) ELSE w.t_channel END) END AS k_channel,
    CASE WHEN w.a_unit_level IS NULL THEN lower(CASE WHEN regexp_like(w.t_unit_level, '[\x{0300}-\x{036f}]') THEN nfc_normalize(w.t_unit_level) ELSE w.t_unit_level END) END AS k_unit_level,
    CASE WHEN w.a_online_level IS NULL THEN lower(CASE WHEN regexp_like(w.t_online_level, '[\x{0300}-\x{036f}]') THEN nfc_normalize(w.t_online_level) ELSE w.t_online_level END) END AS k_online_level
  FROM word_cells AS w
),
word_values AS (
  SELECT
    k.*,
    -- A DVCQG status or channel code: a number without its leading zeros.
    coalesce(k.a_status, map_extract_value(s.status_words, k.k_status), map_extract_value(s.status_words,
      CASE WHEN regexp_like(k.k_status, '^[0-9]{1,4}$') THEN CAST(CAST(k.k_status AS INTEGER) AS VARCHAR)
        ELSE translate(k.k_status, s.fold_from, s.fold_to) END)) AS v_status,
    coalesce(k.a_channel, map_extract_value(s.channel_words, k.k_channel), map_extract_value(s.channel_words,
      CASE WHEN regexp_like(k.k_channel, '^[0-9]{1,4}$') THEN CAST(CAST(k.k_channel AS INTEGER) AS VARCHAR)
        ELSE translate(k.k_channel, s.fold_from, s.fold_to) END)) AS v_channel_word,
    coalesce(k.a_unit_level, map_extract_value(s.unit_level_words, k.k_unit_level),
      map_extract_value(s.unit_level_words, translate(k.k_unit_level, s.fold_from, s.fold_to))) AS v_unit_level,
    coalesce(k.a_online_level, map_extract_value(s.online_level_words, k.k_online_level),
      map_extract_value(s.online_level_words, translate(k.k_online_level, s.fold_from, s.fold_to))) AS v_online_level,
    -- Booleans: 1 and 0 as they stand, else the vocabulary's words (true or false) looked up
    -- in lower case, then folded.
    CASE
      WHEN k.t_result_electronic = '1' THEN TRUE
      WHEN k.t_result_electronic = '0' THEN FALSE
      ELSE CAST(coalesce(map_extract_value(s.boolean_words, lower(k.t_result_electronic)),
        map_extract_value(s.boolean_words, translate(lower(k.t_result_electronic), s.fold_from, s.fold_to))) AS BOOLEAN)
    END AS v_result_electronic,
    CASE
      WHEN k.t_paid_online = '1' THEN TRUE
      WHEN k.t_paid_online = '0' THEN FALSE
      -- DVCQG's DuocThanhToanTrucTuyen: 1 or 2 = paid online.
      WHEN k.t_paid_online = '2' THEN TRUE
      ELSE CAST(coalesce(map_extract_value(s.boolean_words, lower(k.t_paid_online)),
        map_extract_value(s.boolean_words, translate(lower(k.t_paid_online), s.fold_from, s.fold_to))) AS BOOLEAN)
    END AS v_paid_online,
    CASE
      WHEN k.t_fee_required = '1' THEN TRUE
      WHEN k.t_fee_required = '0' THEN FALSE
      ELSE CAST(coalesce(map_extract_value(s.boolean_words, lower(k.t_fee_required)),
        map_extract_value(s.boolean_words, translate(lower(k.t_fee_required), s.fold_from, s.fold_to))) AS BOOLEAN)
    END AS v_fee_required,
    CASE
      WHEN k.t_digitized = '1' THEN TRUE
      WHEN k.t_digitized = '0' THEN FALSE
      ELSE CAST(coalesce(map_extract_value(s.boolean_words, lower(k.t_digitized)),
        map_extract_value(s.boolean_words, translate(lower(k.t_digitized), s.fold_from, s.fold_to))) AS BOOLEAN)
    END AS v_digitized
  FROM word_keys AS k
  CROSS JOIN staging_settings AS s
),
-- Per cell, in column order: the text-safety verdict (only on a row the scan above flagged)
-- and the length limit (codes 100 characters, names 1000; the byte length, known without
-- reading the text, is looked at first: a cell is no longer in characters than in bytes).
cell_problems AS (
  SELECT
    c.*,
    CASE WHEN c.cells_suspicious THEN
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
    -- Combining marks among the names (the scan flags a row holding any): one test, then per
    -- cell below.
    c.cells_suspicious AND regexp_like(
      concat_ws(chr(9), c.t_procedure_name, c.t_field_name, c.t_unit_name),
      '[\x{0300}-\x{036f}]'
    ) AS marked
  FROM word_values AS c
),
-- Names with combining marks are made NFC (only those: the rest already are).
words AS (
  SELECT
    p.*,
    CASE WHEN p.marked AND regexp_like(p.t_procedure_name, '[\x{0300}-\x{036f}]') THEN nfc_normalize(p.t_procedure_name) ELSE p.t_procedure_name END AS n_procedure_name,
    CASE WHEN p.marked AND regexp_like(p.t_field_name, '[\x{0300}-\x{036f}]') THEN nfc_normalize(p.t_field_name) ELSE p.t_field_name END AS n_field_name,
    CASE WHEN p.marked AND regexp_like(p.t_unit_name, '[\x{0300}-\x{036f}]') THEN nfc_normalize(p.t_unit_name) ELSE p.t_unit_name END AS n_unit_name,
    -- DVCQG's KenhThucHien: empty means direct (DESIGN.md's field table).
    CASE WHEN p.t_channel IS NULL AND p.dvcqg THEN 'direct' ELSE p.v_channel_word END AS v_channel
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
  CROSS JOIN staging_settings AS s
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

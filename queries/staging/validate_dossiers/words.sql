-- The code-table words (status, channel, the two levels) are looked up first as they stand
-- in the vocabulary's map of their kind (staging_settings: lower-case NFC and folded words),
-- which finds most cells. Only a cell not found so is trimmed here and, below, made NFC,
-- lower-cased and looked up again, then folded and looked up once more. The four booleans:
-- 1 and 0 as they stand, else the same steps in the boolean words' map.
cells AS (
  SELECT
    e.*,
    {{each text_column}}
    nullif(CASE WHEN e.cells_suspicious THEN trim(e.{{column}}) ELSE e.{{column}} END, '') AS t_{{column}},
    {{end}}
    {{each word_column}}
    map_extract_value(s.{{column}}_words, e.{{column}}) AS a_{{column}}{{,}}
    {{end}}
  FROM scanned AS e
  CROSS JOIN staging_settings AS s
),
word_cells AS (
  SELECT
    c.*,
    {{each word_column}}
    CASE WHEN c.a_{{column}} IS NOT NULL THEN c.{{column}} ELSE nullif(trim(c.{{column}}), '') END AS t_{{column}},
    {{end}}
    {{each boolean_column}}
    CASE WHEN c.{{column}} = '1' OR c.{{column}} = '0' THEN c.{{column}} ELSE nullif(trim(c.{{column}}), '') END AS t_{{column}}{{,}}
    {{end}}
  FROM cells AS c
),
word_keys AS (
  SELECT
    w.*,
    {{each word_column}}
    CASE WHEN w.a_{{column}} IS NULL THEN lower(CASE WHEN regexp_like(w.t_{{column}}, '[\x{0300}-\x{036f}]') THEN nfc_normalize(w.t_{{column}}) ELSE w.t_{{column}} END) END AS k_{{column}}{{,}}
    {{end}}
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
    {{each boolean_column}}
    CASE
      WHEN k.t_{{column}} = '1' THEN TRUE
      WHEN k.t_{{column}} = '0' THEN FALSE
      {{only paid_online}}-- DVCQG's DuocThanhToanTrucTuyen: 1 or 2 = paid online.
      {{only paid_online}}WHEN k.t_{{column}} = '2' THEN TRUE
      ELSE CAST(coalesce(map_extract_value(s.boolean_words, lower(k.t_{{column}})),
        map_extract_value(s.boolean_words, translate(lower(k.t_{{column}}), s.fold_from, s.fold_to))) AS BOOLEAN)
    END AS v_{{column}}{{,}}
    {{end}}
  FROM word_keys AS k
  CROSS JOIN staging_settings AS s
),

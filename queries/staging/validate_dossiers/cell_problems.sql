-- Per cell, in column order: the text-safety verdict (only on a row the scan above flagged)
-- and the length limit (codes 100 characters, names 1000; the byte length, known without
-- reading the text, is looked at first: a cell is no longer in characters than in bytes).
cell_problems AS (
  SELECT
    c.*,
    CASE WHEN c.cells_suspicious THEN
      CASE
          {{each column}}
          WHEN regexp_like(c.{{column}}, '{{unsafe control_character}}') THEN '{{column}}|control_character'
          WHEN regexp_like(c.{{column}}, '{{unsafe html_markup}}') THEN '{{column}}|html_markup'
          WHEN regexp_like(c.{{column}}, '{{unsafe formula_injection}}') THEN '{{column}}|formula_injection'
          WHEN length(c.t_{{column}}) > {{limit}} THEN '{{column}}|too_long'
          {{end}}
      END
    ELSE
      CASE
          {{each column}}
          WHEN strlen(c.t_{{column}}) > {{limit}} AND length(c.t_{{column}}) > {{limit}} THEN '{{column}}|too_long'
          {{end}}
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
    {{each name_column}}
    CASE WHEN p.marked AND regexp_like(p.t_{{column}}, '[\x{0300}-\x{036f}]') THEN nfc_normalize(p.t_{{column}}) ELSE p.t_{{column}} END AS n_{{column}},
    {{end}}
    -- DVCQG's KenhThucHien: empty means direct (DESIGN.md's field table).
    CASE WHEN p.t_channel IS NULL AND p.dvcqg THEN 'direct' ELSE p.v_channel_word END AS v_channel
  FROM cell_problems AS p
),

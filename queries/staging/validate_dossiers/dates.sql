-- Date-times: 'YYYY-MM-DD HH:MM:SS' as it stands; ISO 8601 (offset converted to +07:00);
-- yyyyMMdd[HHmmss]; dd/MM/yyyy[ HH:mm[:ss]] (day first, unless the profile says month
-- first for the whole file). Each form is rebuilt as canonical text and cast.
date_forms AS (
  SELECT
    l.*,
    {{each date_column}}
    CASE
      WHEN l.t_{{column}} IS NULL THEN NULL
      WHEN l.dates_canonical THEN 'canonical'
      WHEN regexp_like(l.t_{{column}}, '^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$') THEN 'canonical'
      WHEN regexp_like(l.t_{{column}}, '^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}([.,]\d{1,9})?)?)?\s*([zZ]|[+-]\d{2}(:?\d{2})?)?$') THEN 'iso'
      WHEN regexp_like(l.t_{{column}}, '^\d{8}(\d{6})?$') THEN 'compact'
      WHEN regexp_like(l.t_{{column}}, '^\d{1,2}/\d{1,2}/\d{4}(\s+\d{1,2}:\d{2}(:\d{2})?)?$') THEN 'slash'
      ELSE 'unknown'
    END AS f_{{column}}{{,}}
    {{end}}
  FROM words AS l
),
-- Canonical local text per date-time cell, and the UTC offset in minutes where one was given
-- (NULL: local time already; -1: an impossible offset such as +99:99).
date_texts AS (
  SELECT
    d.*,
    {{each date_column}}
    CASE d.f_{{column}}
      WHEN 'canonical' THEN d.t_{{column}}
      WHEN 'iso' THEN concat(
        regexp_extract(d.t_{{column}}, '^(\d{4})', 1), '-',
        lpad(regexp_extract(d.t_{{column}}, '^\d{4}-(\d{1,2})', 1), 2, '0'), '-',
        lpad(regexp_extract(d.t_{{column}}, '^\d{4}-\d{1,2}-(\d{1,2})', 1), 2, '0'), ' ',
        lpad(coalesce(nullif(regexp_extract(d.t_{{column}}, '^[0-9-]+[ T](\d{1,2}):', 1), ''), '0'), 2, '0'), ':',
        coalesce(nullif(regexp_extract(d.t_{{column}}, '^[0-9-]+[ T]\d{1,2}:(\d{2})', 1), ''), '00'), ':',
        coalesce(nullif(regexp_extract(d.t_{{column}}, '^[0-9-]+[ T]\d{1,2}:\d{2}:(\d{2})', 1), ''), '00'))
      WHEN 'compact' THEN concat(
        substr(d.t_{{column}}, 1, 4), '-', substr(d.t_{{column}}, 5, 2), '-', substr(d.t_{{column}}, 7, 2), ' ',
        coalesce(nullif(substr(d.t_{{column}}, 9, 2), ''), '00'), ':',
        coalesce(nullif(substr(d.t_{{column}}, 11, 2), ''), '00'), ':',
        coalesce(nullif(substr(d.t_{{column}}, 13, 2), ''), '00'))
      WHEN 'slash' THEN concat(
        regexp_extract(d.t_{{column}}, '^\d{1,2}/\d{1,2}/(\d{4})', 1), '-',
        lpad(regexp_extract(d.t_{{column}}, CASE WHEN s.month_first THEN '^(\d{1,2})/' ELSE '^\d{1,2}/(\d{1,2})/' END, 1), 2, '0'), '-',
        lpad(regexp_extract(d.t_{{column}}, CASE WHEN s.month_first THEN '^\d{1,2}/(\d{1,2})/' ELSE '^(\d{1,2})/' END, 1), 2, '0'), ' ',
        lpad(coalesce(nullif(regexp_extract(d.t_{{column}}, '\s(\d{1,2}):', 1), ''), '0'), 2, '0'), ':',
        coalesce(nullif(regexp_extract(d.t_{{column}}, '\s\d{1,2}:(\d{2})', 1), ''), '00'), ':',
        coalesce(nullif(regexp_extract(d.t_{{column}}, '\s\d{1,2}:\d{2}:(\d{2})', 1), ''), '00'))
    END AS x_{{column}},
    {{end}}
    {{each date_column}}
    CASE WHEN d.f_{{column}} = 'iso' THEN regexp_extract(d.t_{{column}}, '[ T]\d{1,2}:\d{2}(:\d{2}([.,]\d{1,9})?)?\s*([zZ]|[+-]\d{2}(:?\d{2})?)$', 3) END AS o_{{column}}{{,}}
    {{end}}
  FROM date_forms AS d
  CROSS JOIN staging_settings AS s
),

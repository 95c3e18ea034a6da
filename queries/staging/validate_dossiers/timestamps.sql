-- Offset text → minutes east of UTC; NULL when none; 9999 when it cannot be a real offset.
date_offsets AS (
  SELECT
    d.*,
    {{each date_column}}
    CASE
      WHEN d.o_{{column}} IS NULL OR d.o_{{column}} = '' THEN NULL
      WHEN upper(d.o_{{column}}) = 'Z' THEN 0
      WHEN CAST(substr(d.o_{{column}}, 2, 2) AS INTEGER) > 14 OR CAST(coalesce(nullif(substr(replace(d.o_{{column}}, ':', ''), 4, 2), ''), '0') AS INTEGER) > 59 THEN 9999
      ELSE (CASE WHEN substr(d.o_{{column}}, 1, 1) = '-' THEN -1 ELSE 1 END)
        * (CAST(substr(d.o_{{column}}, 2, 2) AS INTEGER) * 60 + CAST(coalesce(nullif(substr(replace(d.o_{{column}}, ':', ''), 4, 2), ''), '0') AS INTEGER))
    END AS m_{{column}}{{,}}
    {{end}}
  FROM date_texts AS d
),
-- The canonical text cast to TIMESTAMP (NULL: an impossible date or time; the hour, minute
-- and second are checked as text because a cast would roll 24:00 over to the next day),
-- then moved to Vietnam time when an offset was given.
timestamps AS (
  SELECT
    d.*,
    {{each date_column}}
    CASE
      WHEN d.dates_canonical THEN TRY_CAST(d.t_{{column}} AS TIMESTAMP)
      WHEN d.x_{{column}} IS NULL OR d.m_{{column}} = 9999 THEN NULL
      WHEN substr(d.x_{{column}}, 12, 2) > '23' OR substr(d.x_{{column}}, 15, 2) > '59' OR substr(d.x_{{column}}, 18, 2) > '59' THEN NULL
      ELSE TRY_CAST(d.x_{{column}} AS TIMESTAMP) + INTERVAL '1' MINUTE * (420 - coalesce(d.m_{{column}}, 420))
    END AS v_{{column}}{{,}}
    {{end}}
  FROM date_offsets AS d
),

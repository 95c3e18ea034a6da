-- successor_kpis: for each unit existing at the as-of time and each period before it existed,
-- its figures rebuilt from the units it came from (docs/design.md "Units across the 1 July 2025
-- reform"): Σ weight × the ancestor's figure, counts rounded to whole dossiers after summing,
-- rates from the weighted sums. Ancestors chain (unit_lineage, bound by the runner from the
-- registry: weights multiply along a path). `lineage` is exact when every weight is 1.
-- The figures are the 'unit' grain of the shared period_figures relation (queries/shared/).
WITH
successors AS (
  SELECT r.unit_code, r.unit_name, r.unit_level, r.parent_code, r.valid_from
  FROM unit_registry AS r
  CROSS JOIN settings AS s
  WHERE r.valid_from IS NOT NULL
    AND r.valid_from <= CAST(s.as_of AS DATE)
    AND (r.valid_to IS NULL OR r.valid_to >= CAST(s.as_of AS DATE))
),
contributions AS (
  -- Each period ending on or before the successor's first day, with each ancestor's figures.
  SELECT
    p.period_type,
    p.period,
    p.period_start,
    p.period_end,
    p.is_complete,
    u.unit_code,
    u.unit_name,
    u.unit_level,
    u.parent_code,
    l.lineage,
    l.predecessors,
    l.weight,
    {{count_columns f}}
  FROM successors AS u
  INNER JOIN periods AS p ON CAST(p.period_end AS DATE) <= u.valid_from
  INNER JOIN unit_lineage AS l ON l.successor_code = u.unit_code
  INNER JOIN period_figures AS f
    ON f.grain = 'unit' AND f.unit_code = l.ancestor_code
    AND f.period_type = p.period_type AND f.period = p.period
),
weighted AS (
  SELECT
    c.period_type,
    c.period,
    c.period_start,
    c.period_end,
    c.is_complete,
    c.unit_code,
    c.unit_name,
    c.unit_level,
    c.parent_code,
    c.lineage,
    c.predecessors,
    {{weighted_counts c}}
  FROM contributions AS c
  GROUP BY
    c.period_type, c.period, c.period_start, c.period_end, c.is_complete, c.unit_code, c.unit_name,
    c.unit_level, c.parent_code, c.lineage, c.predecessors
)
SELECT
  {{period_columns w}},
  w.unit_code,
  coalesce(w.unit_name, w.unit_code) AS unit_name,
  w.unit_level,
  w.parent_code,
  {{rounded_figures w}},
  w.lineage,
  w.predecessors
FROM weighted AS w
ORDER BY
  {{period_order w}},
  w.unit_code

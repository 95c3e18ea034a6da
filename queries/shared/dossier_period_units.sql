-- dossier_period_units: the unit a dossier counts under in each period, for the dossiers whose
-- unit changed between snapshots (unit_history); every other dossier counts under the unit of
-- its latest snapshot in every period. docs/design.md "Units across the 1 July 2025 reform": in a
-- period, a dossier counts under the unit named by its latest snapshot whose unit existed
-- during that period; if none did, under the unit of its latest snapshot. A unit exists during
-- [period_start, period_end) when its validity dates (inclusive days) overlap it; a unit the
-- registry does not list always exists. The runner binds it after `periods`, `unit_registry`,
-- `unit_history` and `moved_dossiers`.
WITH
candidates AS (
  SELECT
    h.dossier_id,
    p.period_type,
    p.period,
    h.unit_code,
    h.snapshot_date,
    CASE WHEN h.unit_code = d.unit_code THEN 1 ELSE 0 END AS is_latest_unit,
    CASE
      WHEN r.unit_code IS NULL THEN 1
      WHEN (r.valid_from IS NULL OR r.valid_from < CAST(p.period_end AS DATE))
        AND (r.valid_to IS NULL OR r.valid_to >= CAST(p.period_start AS DATE)) THEN 1
      ELSE 0
    END AS existed
  FROM unit_history AS h
  INNER JOIN moved_dossiers AS d ON d.dossier_id = h.dossier_id
  CROSS JOIN periods AS p
  LEFT JOIN unit_registry AS r ON r.unit_code = h.unit_code
),
ranked AS (
  -- Existing units first, then the latest snapshot; none existing leaves the latest unit.
  SELECT
    c.dossier_id,
    c.period_type,
    c.period,
    c.unit_code,
    ROW_NUMBER() OVER (
      PARTITION BY c.dossier_id, c.period_type, c.period
      ORDER BY c.existed DESC, c.snapshot_date DESC, c.is_latest_unit DESC, c.unit_code
    ) AS choice
  FROM candidates AS c
)
SELECT dossier_id, period_type, period, unit_code
FROM ranked
WHERE choice = 1

-- moved_dossiers: the dossiers whose unit changed between snapshots (unit_moved), the only ones
-- that may count under another unit in some period (shared/dossier_period_units.sql). Kept
-- apart so that the relations attributing dossiers to units read every other dossier without
-- its dossier_id (a unique string per dossier: the dearest column to read). The runner binds it
-- after `dossiers`.
SELECT *
FROM dossiers
WHERE unit_moved

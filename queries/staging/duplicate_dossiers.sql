-- duplicate_dossiers: a dossier_id accepted on more than one line of the same file. The first
-- line stays; each later one is quarantined as a duplicate of it. Runs over the output of
-- validate_dossiers.sql (bound as validated_dossiers), reading two of its columns only.
SELECT
  v.line,
  v.dossier_id,
  f.first_line
FROM validated_dossiers AS v
JOIN (
  SELECT dossier_id, min(line) AS first_line
  FROM validated_dossiers
  WHERE q_reason_code IS NULL
  GROUP BY dossier_id
  HAVING count(*) > 1
) AS f ON f.dossier_id = v.dossier_id
WHERE v.q_reason_code IS NULL
  AND v.line > f.first_line

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
      '[{{unsafe_characters}}<\x{0300}-\x{036f}]|(^|\t){{formula_prefix}}|(^|\t)\p{Zs}|\p{Zs}(\t|$)'
    )
    OR (NOT d.dates_canonical AND regexp_like(
      concat_ws(chr(9), d.received_at, d.due_at, d.resolved_at, d.updated_at),
      '[{{unsafe_characters}}<]|(^|\t){{formula_prefix}}|(^|\t)\p{Zs}|\p{Zs}(\t|$)'
    )) AS cells_suspicious
  FROM dated AS d
),

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
{{! Markers, expanded by functions/core/ingest/validator-template.ts as staging-sql.ts reads this: }}
{{!   {{include f}}             the part f, one layer of the query, in this order }}
{{!   {{each list}} … {{end}}   the lines between once per column of the list (COLUMN_LISTS there), }}
{{!                             with {{column}}, {{limit}} (its length limit) and {{,}} (a comma }}
{{!                             but after the last); {{only c}} keeps the rest of a line for c alone }}
{{!   {{unsafe p}}, {{unsafe_characters}}, {{formula_prefix}}: functions/core/extract/text-safety.ts's }}
{{!                             patterns (p: control_character, html_markup, formula_injection) }}
WITH
-- No join and no IN list (which DuckDB plans as a join) from here to the end: the rows leave
-- this query in the order they came, so that the runner numbers them by their place (its
-- tests: tests/ingest/validator-order.test.ts, parallel-read.test.ts). Lookups are map
-- expressions over the one-row staging_settings, read where needed rather than through a
-- CTE of its own: DuckDB would materialise that CTE, and then could not tell how far the
-- query is (the CLI's progress).
--
{{include validate_dossiers/cells.sql}}
{{include validate_dossiers/words.sql}}
{{include validate_dossiers/cell_problems.sql}}
{{include validate_dossiers/dates.sql}}
{{include validate_dossiers/timestamps.sql}}
{{include validate_dossiers/unit_keys.sql}}
{{include validate_dossiers/verdicts.sql}}
{{include validate_dossiers/output.sql}}

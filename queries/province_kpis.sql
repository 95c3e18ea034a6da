-- province_kpis: one row per (period_type, period) for the whole province.
-- The figures are the 'province' grain of the shared period_figures relation
-- (queries/shared/), bound by the runner in front of this query: the same classification as
-- unit_kpis and field_kpis, summed over every dossier, so the province's rates are pooled
-- (sum of numerators over sum of denominators), never a mean of unit rates. Every period has
-- a row, even one without any dossier. The publisher checks that each count equals the sum
-- of the unit_kpis rows.
SELECT
  {{period_columns r}},
  {{figure_columns r}}
FROM period_figures AS r
WHERE r.grain = 'province'
ORDER BY
  {{period_order r}}

// toAthenaSql: the one validator, rewritten for Athena (Trino), parses as Trino SQL, keeps no
// DuckDB-only function, and refuses a function it does not know, so that the validator cannot
// gain a DuckDB-only function without the translation (and this test) noticing.
import { TrinoSQL } from 'dt-sql-parser';
import { describe, expect, test } from 'vitest';
import { toAthenaSql, UntranslatableSqlError } from '../../functions/core/cloud/athena-sql.ts';
import { readResolveUnitsSql, readValidatorSql } from '../../functions/core/ingest/staging-sql.ts';

const trino = new TrinoSQL();
const trinoErrors = (sql: string) => trino.validate(sql).map((e) => e.message);

describe('toAthenaSql', () => {
  test('the validator, translated, parses as Trino SQL and keeps no DuckDB-only function', async () => {
    const validator = await readValidatorSql();
    const athena = toAthenaSql(validator);
    expect(trinoErrors(athena)).toEqual([]);
    expect(athena).not.toMatch(/nfc_normalize\s*\(/);
    expect(validator).toMatch(/nfc_normalize\s*\(/);
    expect(athena).toContain('normalize(p.t_procedure_name, NFC)');
    expect(athena).not.toMatch(/strlen\s*\(/);
    // A word's meaning: DuckDB's map_extract_value, Trino's element_at (NULL when absent).
    expect(athena).not.toMatch(/map_extract_value\s*\(/);
    expect(athena).toContain('element_at(s.status_words, e.status)');
    // Every regexp_extract gives '' on no match, as DuckDB does.
    const extracts = athena.match(/regexp_extract\(/g)?.length ?? 0;
    expect(extracts).toBeGreaterThan(0);
    expect(athena.match(/coalesce\(regexp_extract\(/g)?.length).toBe(extracts);
    // Comments and string literals are left as written.
    expect(athena).toContain("'not a status name or a DVCQG TrangThaiHoSo code 1–10'");
    expect(athena).toContain('-- Engine-neutral (DuckDB here, Trino/Athena for bulk loads)');
  });

  test("the registry's unit checks, translated, parse as Trino SQL", async () => {
    const resolve = await readResolveUnitsSql();
    expect(resolve).toContain('LEFT JOIN registry_unit_tokens');
    expect(trinoErrors(toAthenaSql(resolve))).toEqual([]);
  });

  test.each([
    ['nfc_normalize(x)', 'normalize(x, NFC)'],
    ["nullif(trim(r.a), '')", "nullif(regexp_replace(r.a, '^\\p{Zs}+|\\p{Zs}+$', ''), '')"],
    ['strlen(c.t_x) > 100', 'length(to_utf8(c.t_x)) > 100'],
    ['NFC_NORMALIZE( lower(x) )', 'normalize(lower(x), NFC)'],
    [
      "regexp_extract(d.t, '^(\\d{4})', 1)",
      "CASE WHEN (d.t) IS NULL THEN NULL ELSE coalesce(regexp_extract(d.t, '^(\\d{4})', 1), '') END",
    ],
    [
      "concat(a, ' (', b, ')')",
      "concat(coalesce(a, ''), coalesce(' (', ''), coalesce(b, ''), coalesce(')', ''))",
    ],
    [
      'greatest(a, coalesce(b, c))',
      'CASE WHEN (a) IS NULL THEN (coalesce(b, c)) WHEN (coalesce(b, c)) IS NULL THEN (a) ELSE greatest(a, coalesce(b, c)) END',
    ],
    [
      'lower(nfc_normalize(x)) -- nfc_normalize(y) stays in a comment',
      'lower(normalize(x, NFC)) -- nfc_normalize(y) stays in a comment',
    ],
    ["'nfc_normalize(x)'", "'nfc_normalize(x)'"],
    [
      "TRY_CAST(x AS TIMESTAMP) + INTERVAL '1' MINUTE * (420 - y)",
      "TRY_CAST(x AS TIMESTAMP) + INTERVAL '1' MINUTE * (420 - y)",
    ],
  ])('%s', (duck, athena) => {
    expect(toAthenaSql(duck)).toBe(athena);
  });

  test('a function it does not know fails the translation, naming it and its line', async () => {
    const validator = await readValidatorSql();
    const gained = validator.replace(
      'FROM raw_dossiers AS r',
      'FROM raw_dossiers AS r WHERE strip_accents(r.dossier_id) IS NOT NULL',
    );
    expect(gained).not.toBe(validator);
    const line = gained.split('\n').findIndex((l) => l.includes('strip_accents')) + 1;
    expect(() => toAthenaSql(gained)).toThrow(UntranslatableSqlError);
    expect(() => toAthenaSql(gained)).toThrow(`strip_accents() on line ${line} is unknown to toAthenaSql`);
  });

  test('a rewrite called with the wrong number of arguments fails', () => {
    expect(() => toAthenaSql('greatest(a, b, c)')).toThrow('greatest() with 3 arguments (expected 2)');
  });
});

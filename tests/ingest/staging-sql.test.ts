// The validator's SQL as the engines get it: queries/staging/validate_dossiers.sql and its
// parts, the per-cell rules written once over the contract's column lists and the
// text-safety patterns, expanded by the loader into one text.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UNSAFE_PATTERNS } from '../../functions/core/extract/text-safety.ts';
import { readValidatorSql } from '../../functions/core/ingest/staging-sql.ts';
import { COLUMN_LISTS, expandValidatorSql } from '../../functions/core/ingest/validator-template.ts';
import { queriesDir } from '../../functions/core/kpi/queries.ts';

const STAGING = join(queriesDir(), 'staging');
const PARTS = join(STAGING, 'validate_dossiers');
const noParts = async (path: string): Promise<string> => {
  throw new Error(`no part ${path}`);
};

async function validatorFiles(): Promise<[string, string][]> {
  const parts = (await readdir(PARTS))
    .filter((name) => name.endsWith('.sql'))
    .map((name) => join(PARTS, name));
  const files = [join(STAGING, 'validate_dossiers.sql'), ...parts];
  return Promise.all(files.map(async (file) => [file, await readFile(file, 'utf8')] as [string, string]));
}

describe('expandValidatorSql', () => {
  it('writes an {{each}} body once per column, with its fields', async () => {
    const sql =
      'SELECT\n  {{each date_column}}\n  length(t_{{column}}) > {{limit}} AS l_{{column}}{{,}}\n  {{end}}\nFROM r\n';
    expect(await expandValidatorSql(sql, noParts)).toBe(
      'SELECT\n' +
        '  length(t_received_at) > 100 AS l_received_at,\n' +
        '  length(t_due_at) > 100 AS l_due_at,\n' +
        '  length(t_resolved_at) > 100 AS l_resolved_at,\n' +
        '  length(t_updated_at) > 100 AS l_updated_at\n' +
        'FROM r\n',
    );
    const names = await expandValidatorSql('{{each name_column}}\n{{column}} {{limit}},\n{{end}}', noParts);
    expect(names).toBe('procedure_name 1000,\nfield_name 1000,\nunit_name 1000,\n');
  });

  it('keeps an {{only c}} line in c’s repetition alone', async () => {
    const sql = '{{each boolean_column}}\nCASE {{column}}\n  {{only paid_online}}WHEN 2\nEND\n{{end}}\n';
    expect(await expandValidatorSql(sql, noParts)).toBe(
      'CASE result_electronic\nEND\nCASE paid_online\n  WHEN 2\nEND\nCASE fee_required\nEND\nCASE digitized\nEND\n',
    );
    await expect(expandValidatorSql(sql.replace('paid_online', 'status'), noParts)).rejects.toThrow(
      'not a column of boolean_column',
    );
  });

  it('includes parts, drops {{! }} notes and writes the text-safety patterns', async () => {
    const parts: Record<string, string> = { 'a.sql': "x AS (SELECT '{{unsafe html_markup}}'),\n" };
    const read = async (path: string) => parts[path] ?? noParts(path);
    const sql = '{{! a note on {{markers}} }}\nWITH\n{{include a.sql}}\ny AS (SELECT 1)\n';
    expect(await expandValidatorSql(sql, read)).toBe(
      `WITH\nx AS (SELECT '${UNSAFE_PATTERNS.html_markup}'),\ny AS (SELECT 1)\n`,
    );
    expect(await expandValidatorSql("'[{{unsafe_characters}}<]|(^|\\t){{formula_prefix}}'", noParts)).toBe(
      `'${UNSAFE_PATTERNS.control_character.slice(0, -1)}<]|(^|\\t)${UNSAFE_PATTERNS.formula_injection.slice(1)}'`,
    );
  });

  it('refuses an unknown marker or list', async () => {
    await expect(expandValidatorSql('SELECT {{unsafe smileys}}', noParts)).rejects.toThrow(
      'unknown marker {{unsafe smileys}}',
    );
    await expect(expandValidatorSql('{{each row}}\nx\n{{end}}\n', noParts)).rejects.toThrow(
      '{{each row}}: no such column list',
    );
    await expect(expandValidatorSql('{{include missing.sql}}\n', noParts)).rejects.toThrow(
      'no part missing.sql',
    );
  });

  it('runs over the contract’s column lists', () => {
    const list = (name: string) => COLUMN_LISTS[name]?.join(' ');
    expect(COLUMN_LISTS['column']).toHaveLength(20);
    expect(list('text_column')).toBe(
      'dossier_id procedure_code procedure_name field_code field_name unit_code unit_name parent_code ' +
        'received_at due_at resolved_at updated_at',
    );
    expect(list('word_column')).toBe('status channel unit_level online_level');
    expect(list('boolean_column')).toBe('result_electronic paid_online fee_required digitized');
    expect(list('date_column')).toBe('received_at due_at resolved_at updated_at');
    expect(list('name_column')).toBe('procedure_name field_name unit_name');
  });
});

describe('the validator files', () => {
  it('fit on a few screens each (no file over 250 lines)', async () => {
    for (const [file, text] of await validatorFiles())
      expect(text.split('\n').length, file).toBeLessThanOrEqual(250);
  });

  it('write each text-safety pattern once, and the expansion applies it to every cell', async () => {
    for (const [file, text] of await validatorFiles())
      for (const pattern of Object.values(UNSAFE_PATTERNS)) expect(text, file).not.toContain(pattern);
    const sql = await readValidatorSql();
    expect(sql).not.toContain('{{');
    for (const [code, pattern] of Object.entries(UNSAFE_PATTERNS)) {
      const checks = sql.split(`'${pattern}') THEN '`).length - 1;
      expect(checks, code).toBe(COLUMN_LISTS['column']?.length);
    }
  });
});

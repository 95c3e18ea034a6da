// Every query in queries/, with the runner's bound relations in front (the exact text an
// engine receives, the shared relations of queries/shared/ inlined as on Athena), parses as
// Trino SQL (Athena's dialect) and runs on DuckDB; so does each shared relation alone, as the
// runner materializes it on DuckDB. The same check rejects DuckDB-only constructs, so it
// would catch one slipping into a query.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrinoSQL } from 'dt-sql-parser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseConfig } from '../../functions/core/config.ts';
import type { Engine } from '../../functions/core/engine.ts';
import { type Bindings, bindQuery } from '../../functions/core/kpi/bind-relations.ts';
import { openDuckDbEngine } from '../../functions/core/kpi/duckdb-engine.ts';
import { periodsUpTo } from '../../functions/core/kpi/periods.ts';
import {
  QUERY_TABLES,
  readQuery,
  readSharedRelations,
  type SharedRelation,
} from '../../functions/core/kpi/queries.ts';
import type { UnitRegistry } from '../../functions/core/kpi/unit-registry.ts';
import { writeLakeSnapshot } from '../support/write-lake.ts';

const trino = new TrinoSQL();
const trinoErrors = (sql: string) => trino.validate(sql).map((e) => e.message);

const ATHENA_SOURCE = '"congkhai"."dossiers"'; // the Glue table the Athena engine names
let shared: SharedRelation[];
// A registry in which x1's unit U0 gave way to U on 1 March, so that every relation (unit
// attribution per period, successors) has rows.
const registry: UnitRegistry = {
  units: [
    {
      unit_code: 'U0',
      unit_name: 'Cũ',
      unit_level: 'province',
      parent_code: null,
      valid_from: null,
      valid_to: '2021-02-28',
    },
    {
      unit_code: 'U',
      unit_name: 'Mới',
      unit_level: 'province',
      parent_code: null,
      valid_from: '2021-03-01',
      valid_to: null,
    },
  ],
  successions: [{ predecessor_code: 'U0', successor_code: 'U', weight: 1, effective_date: '2021-03-01' }],
};
const bindings = (dossierSource: string, upTo = shared.length): Bindings => ({
  asOf: '2021-04-10 12:00:00',
  periods: periodsUpTo('2021-01-05 08:00:00', '2021-04-10 12:00:00'),
  config: parseConfig({ targets: { province: { on_time_rate: 0.95 } }, e_cert: { field_code: 'G09' } }),
  dossierSource,
  registry,
  shared: shared.slice(0, upTo),
});

let dir: string;
let engine: Engine;
beforeAll(async () => {
  shared = await readSharedRelations();
  dir = await mkdtemp(join(tmpdir(), 'congkhai-sql-'));
  await writeLakeSnapshot(join(dir, 'lake'), '2021-02-20', [
    {
      dossier_id: 'x1',
      unit_code: 'U0',
      unit_level: 'province',
      channel: 'online',
      received_at: '2021-01-05 08:00:00',
      due_at: '2021-01-06 00:00:00',
      status: 'processing',
    },
  ]);
  await writeLakeSnapshot(join(dir, 'lake'), '2021-04-10', [
    {
      dossier_id: 'x1',
      unit_code: 'U',
      unit_level: 'province',
      channel: 'online',
      received_at: '2021-01-05 08:00:00',
      due_at: '2021-01-06 00:00:00',
      status: 'processing',
    },
  ]);
  engine = await openDuckDbEngine(join(dir, 'lake'));
});
afterAll(async () => {
  await engine?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.each(QUERY_TABLES)('queries/%s.sql', (table) => {
  test('parses as Trino SQL with the bound relations', async () => {
    const sql = bindQuery(await readQuery(table), bindings(ATHENA_SOURCE));
    expect(sql).toContain('snapshot_rank'); // the bound dossiers relation is really there
    expect(trinoErrors(sql)).toEqual([]);
  });

  test('runs on DuckDB', async () => {
    const rows = await engine.query(bindQuery(await readQuery(table), bindings(engine.dossierSource)));
    expect(rows.length).toBeGreaterThan(0);
  });
});

describe('queries/shared/', () => {
  test('holds every shared relation, bound in dependency order', async () => {
    expect(shared.map((r) => r.name)).toEqual([
      'moved_dossiers',
      'dossier_period_units',
      'dossier_unit_names',
      'dossier_events',
      'period_figures',
    ]);
    const sql = bindQuery(await readQuery('unit_kpis'), bindings(ATHENA_SOURCE));
    const at = (name: string) => sql.indexOf(`${name} AS (`);
    expect(at('dossiers')).toBeLessThan(at('dossier_events'));
    expect(at('unit_history')).toBeLessThan(at('dossier_period_units'));
    expect(at('dossiers')).toBeLessThan(at('moved_dossiers'));
    expect(at('moved_dossiers')).toBeLessThan(at('dossier_period_units'));
    expect(at('dossier_period_units')).toBeLessThan(at('dossier_events'));
    expect(at('dossiers')).toBeLessThan(at('dossier_unit_names'));
    expect(at('dossier_events')).toBeLessThan(at('period_figures'));
    expect(at('period_figures')).toBeLessThan(at('unit_spans'));
  });

  // Each relation with only the ones before it bound: the text DuckDB materializes.
  test.each([0, 1, 2, 3, 4])(
    'relation %i parses as Trino SQL and runs on DuckDB on its own',
    async (index) => {
      const relation = shared[index]!;
      const athenaSql = bindQuery(relation.sql, bindings(ATHENA_SOURCE, index));
      expect(athenaSql).toContain('snapshot_rank');
      expect(trinoErrors(athenaSql)).toEqual([]);
      const rows = await engine.query(bindQuery(relation.sql, bindings(engine.dossierSource, index)));
      expect(rows.length).toBeGreaterThan(0);
    },
  );
});

describe('the Trino check rejects DuckDB-only SQL', () => {
  test.each([
    [
      'QUALIFY',
      (sql: string) =>
        sql.replace(') AS latest\n  WHERE snapshot_rank = 1', ') AS latest\n  QUALIFY snapshot_rank = 1'),
    ],
    ['::', (sql: string) => sql.replace('CAST(r.period_start AS DATE)', 'r.period_start::DATE')],
    ['GROUP BY ALL', (sql: string) => sql.replace('GROUP BY unit_code\n', 'GROUP BY ALL\n')],
  ])('%s', async (_, mutate) => {
    const valid = bindQuery(await readQuery('unit_kpis'), bindings(ATHENA_SOURCE));
    const mutated = mutate(valid);
    expect(mutated).not.toBe(valid);
    expect(trinoErrors(mutated).length).toBeGreaterThan(0);
  });
});

describe('queries/staging/validate_dossiers.sql', () => {
  test('parses as Trino SQL (the bulk-load path runs it on Athena)', async () => {
    const { readValidatorSql } = await import('../../functions/core/ingest/staging-sql.ts');
    const sql = await readValidatorSql();
    expect(sql).toContain('FROM raw_dossiers');
    expect(trinoErrors(sql)).toEqual([]);
    // The same check catches a DuckDB-only construct slipping into it.
    expect(
      trinoErrors(
        sql.replace('CAST(CAST(k.k_status AS INTEGER) AS VARCHAR)', 'k.k_status::INTEGER::VARCHAR'),
      ),
    ).not.toEqual([]);
  });

  test('its file-level rule (repeated dossier_ids) parses as Trino SQL too', async () => {
    const { readDuplicatesSql } = await import('../../functions/core/ingest/staging-sql.ts');
    const sql = await readDuplicatesSql();
    expect(sql).toContain('FROM validated_dossiers');
    expect(trinoErrors(sql)).toEqual([]);
  });

  test('reads the boolean words from the vocabulary, as the other word kinds', async () => {
    const { readValidatorSql, VOCABULARY_MAPS } = await import('../../functions/core/ingest/staging-sql.ts');
    const { vocabularyRows } = await import('../../functions/core/extract/vocabulary.ts');
    const sql = await readValidatorSql();
    const words = (value: 'true' | 'false') =>
      vocabularyRows()
        .filter((r) => r.kind === 'boolean' && r.value === value)
        .map((r) => r.word);
    // No word list of its own: each boolean is looked up in the vocabulary's map, as written
    // (lower case), then folded.
    expect(VOCABULARY_MAPS).toContain("kind = 'boolean') AS boolean_words");
    for (const word of [...words('true'), ...words('false')].filter((w) => !/^[01]$/.test(w)))
      expect(sql).not.toContain(`'${word}'`);
    expect(sql.match(/map_extract_value\(s\.boolean_words, lower\(k\.t_[a-z_]+\)\)/g)).toHaveLength(4);
    expect(
      sql.match(
        /map_extract_value\(s\.boolean_words, translate\(lower\(k\.t_[a-z_]+\), s\.fold_from, s\.fold_to\)\)/g,
      ),
    ).toHaveLength(4);
    // The cells taken as they stand before any lookup: 1 and 0, as the vocabulary reads them.
    const asTheyStand = [...sql.matchAll(/WHEN k\.t_[a-z_]+ = '([^']*)' THEN (TRUE|FALSE)/g)];
    expect(asTheyStand.length).toBe(9); // 1 and 0 for each boolean, and paid_online's 2
    for (const [, word, verdict] of asTheyStand) {
      if (word === '2') continue; // DVCQG's DuocThanhToanTrucTuyen: 2 = paid online
      expect(words(verdict === 'TRUE' ? 'true' : 'false')).toContain(word);
    }
  });

  test('holds the one text-safety rule, pattern for pattern', async () => {
    const { readValidatorSql } = await import('../../functions/core/ingest/staging-sql.ts');
    const { UNSAFE_PATTERNS } = await import('../../functions/core/extract/text-safety.ts');
    const sql = await readValidatorSql();
    for (const pattern of Object.values(UNSAFE_PATTERNS)) expect(sql).toContain(`'${pattern}'`);
  });
});

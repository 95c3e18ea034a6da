// The staging layer's SQL (queries/staging/): the row-level validator, the units registry's
// part run over its output when a registry is given, and the file-level rule run over that
// (repeated dossier_ids). Read by the local runner (DuckDB, staging-run.ts) and by the bulk
// load (Athena, cloud/bulk-load-statements.ts); no engine is loaded here.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WORD_KINDS } from '../extract/vocabulary.ts';
import { queriesDir } from '../kpi/queries.ts';
import { expandValidatorSql } from './validator-template.ts';

/** The validator as the engines run it: its parts joined, its markers expanded. */
export async function readValidatorSql(dir = queriesDir()): Promise<string> {
  const read = (path: string) => readFile(join(dir, 'staging', path), 'utf8');
  return expandValidatorSql(await read('validate_dossiers.sql'), read);
}

/** The registry's unit checks, over the validator's output (bound as validated_rows). */
export async function readResolveUnitsSql(dir = queriesDir()): Promise<string> {
  return readFile(`${dir}/staging/resolve_units.sql`, 'utf8');
}

/** The file-level rule run over the validator's output (bound as validated_dossiers). */
export async function readDuplicatesSql(dir = queriesDir()): Promise<string> {
  return readFile(`${dir}/staging/duplicate_dossiers.sql`, 'utf8');
}

export interface StagingSql {
  validator: string;
  resolveUnits: string;
  duplicates: string;
}

export async function readStagingSql(dir = queriesDir()): Promise<StagingSql> {
  return {
    validator: await readValidatorSql(dir),
    resolveUnits: await readResolveUnitsSql(dir),
    duplicates: await readDuplicatesSql(dir),
  };
}

/**
 * staging_settings' map columns, one per word kind (`<kind>_words`: word → value), in which the
 * validator looks words up, as select items over the `vocabulary` relation. The same text on
 * DuckDB and Trino: both have map(keys, values) and array_agg. The canonical words (the word
 * is its own value) come first: a lookup reads the keys in order, and most extracts use them.
 */
export const VOCABULARY_MAPS = WORD_KINDS.map(
  (kind) =>
    `(SELECT map(array_agg(word ORDER BY word <> value, word), array_agg(value ORDER BY word <> value, word))
      FROM vocabulary WHERE kind = '${kind}') AS ${kind}_words`,
).join(',\n    ');

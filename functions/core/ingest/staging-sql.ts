// The staging layer's SQL (queries/staging/): the row-level validator and the file-level rule
// run over its output (repeated dossier_ids). Read by the local runner (DuckDB, staging-run.ts)
// and by the bulk load (Athena, cloud/bulk-load-statements.ts); no engine is loaded here.
import { readFile } from 'node:fs/promises';
import { queriesDir } from '../kpi/queries.ts';

export async function readValidatorSql(dir = queriesDir()): Promise<string> {
  return readFile(`${dir}/staging/validate_dossiers.sql`, 'utf8');
}

/** The file-level rule run over the validator's output (bound as validated_dossiers). */
export async function readDuplicatesSql(dir = queriesDir()): Promise<string> {
  return readFile(`${dir}/staging/duplicate_dossiers.sql`, 'utf8');
}

export interface StagingSql {
  validator: string;
  duplicates: string;
}

export async function readStagingSql(dir = queriesDir()): Promise<StagingSql> {
  return { validator: await readValidatorSql(dir), duplicates: await readDuplicatesSql(dir) };
}

// Writes dossier records straight into a lake folder as Parquet, in the lake layout
// (dossiers/snapshot_date=YYYY-MM-DD/part-<id>.parquet, LAKE_COLUMNS), with DuckDB — for tests
// that need states ingest would refuse or that must not depend on the ingest code.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type DossierRecord, LAKE_COLUMNS } from '../../functions/core/dossier-contract.ts';
import { openDuckDb, sqlString } from '../../functions/core/duckdb.ts';
import { dossierPartKey } from '../../functions/core/lake-layout.ts';

export type LakeRecord = Partial<DossierRecord> &
  Pick<DossierRecord, 'dossier_id' | 'unit_code' | 'unit_level' | 'channel' | 'received_at' | 'status'>;

const DEFAULTS: DossierRecord = {
  dossier_id: '',
  procedure_code: 'P-1',
  procedure_name: 'Thủ tục',
  field_code: null,
  field_name: null,
  unit_code: '',
  unit_name: null,
  unit_level: 'province',
  parent_code: null,
  channel: 'direct',
  online_level: null,
  received_at: '',
  due_at: null,
  resolved_at: null,
  status: 'processing',
  result_electronic: null,
  paid_online: null,
  fee_required: null,
  digitized: null,
  updated_at: null,
  source_file: 'test.csv',
  source_line: 0,
};

export async function writeLakeSnapshot(
  lakeDir: string,
  snapshotDate: string,
  records: readonly LakeRecord[],
  extractId = 'test',
): Promise<string> {
  const target = join(lakeDir, ...dossierPartKey(snapshotDate, extractId).split('/'));
  await mkdir(dirname(target), { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'congkhai-lake-'));
  try {
    const ndjson = join(work, 'records.ndjson');
    await writeFile(
      ndjson,
      records.map((r, i) => JSON.stringify({ ...DEFAULTS, source_line: i + 1, ...r })).join('\n') + '\n',
    );
    const columns = LAKE_COLUMNS.map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`).join(', ');
    const select = LAKE_COLUMNS.map(([name]) => name).join(', ');
    const connection = await openDuckDb({ threads: 1 });
    try {
      await connection.run(
        `COPY (SELECT ${select} FROM read_json(${sqlString(ndjson)}, format = 'newline_delimited', columns = {${columns}})) ` +
          `TO ${sqlString(target)} (FORMAT parquet, COMPRESSION zstd)`,
      );
    } finally {
      connection.closeSync();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return target;
}

// KPI benchmark: generates N dossiers straight into a lake as Parquet with DuckDB SQL (range()
// and hash-based pseudo-random columns; 2 years, 100 units, 20 fields), then times, in the same
// process and on the same files:
//   bare  — SELECT unit_code, count(*) FROM read_parquet(...) GROUP BY unit_code
//   kpis  — runKpis(): every table (unit, province, field, overdue) for every period
//   publish — publishData(): reconciliation + CSV/JSON/Parquet + datapackage
// and prints the ratio kpis / bare (target ≤ 2).
//
//   npx node scripts/bench-kpi.ts [sizes...]      e.g. 1000000 10000000 (the default)
import { mkdir, rm, stat } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../functions/core/config.ts';
import { openDuckDb, sqlString } from '../functions/core/duckdb.ts';
import { duckDbDossierSource, openDuckDbEngine } from '../functions/core/kpi/duckdb-engine.ts';
import { runKpis } from '../functions/core/kpi/run-kpis.ts';
import { dossierPartKey } from '../functions/core/lake-layout.ts';
import { publishData } from '../functions/core/publish/publish-data.ts';
import { LocalStorage } from '../functions/core/storage.ts';

const BENCH_DIR = join(import.meta.dirname, '..', '.bench', 'kpi');
const SNAPSHOT = '2024-12-31';

const FIELDS = [
  'Chứng thực',
  'Hộ tịch',
  'Đất đai',
  'Xây dựng',
  'Đăng ký kinh doanh',
  'Lao động',
  'Tư pháp',
  'Giao thông',
  'Y tế',
  'Giáo dục',
  'Nông nghiệp',
  'Môi trường',
  'Tài chính',
  'Thuế',
  'Công thương',
  'Văn hóa',
  'Nội vụ',
  'Bảo trợ xã hội',
  'Người có công',
  'Thủy lợi',
];

/** A pseudo-random integer in [0, n) from the row number and a salt. */
const rnd = (salt: number, n: number) => `(hash(i, ${salt}) % ${n})::BIGINT`;

async function generateLake(lakeDir: string, count: number): Promise<void> {
  const target = join(lakeDir, ...dossierPartKey(SNAPSHOT, 'bench').split('/'));
  await mkdir(join(target, '..'), { recursive: true });
  const fields = `[${FIELDS.map(sqlString).join(', ')}]`;
  const connection = await openDuckDb();
  try {
    await connection.run(`COPY (
      WITH base AS (
        SELECT i,
          ${rnd(1, 100)} AS u,
          TIMESTAMP '2023-01-01 00:00:00' + to_seconds(${rnd(2, 730 * 86400)}) AS received_at,
          ${rnd(3, 100)} AS status_draw,
          ${rnd(4, 20)} AS field
        FROM range(${count}) AS t(i)
      ), shaped AS (
        SELECT *,
          -- Dossiers of the last 60 days may still be open; older ones are closed (a few not).
          CASE WHEN status_draw < 70 THEN 'resolved' WHEN status_draw < 74 THEN 'withdrawn'
               WHEN status_draw < 76 THEN 'stopped' WHEN status_draw < 78 THEN 'submitted'
               WHEN status_draw < 80 THEN 'rejected_at_intake'
               WHEN received_at < TIMESTAMP '2024-11-01 00:00:00' AND status_draw < 99 THEN 'resolved'
               WHEN status_draw < 85 THEN 'supplement_requested'
               ELSE 'processing' END AS status
        FROM base
      )
      SELECT
        'D' || i AS dossier_id,
        'P.' || ${rnd(5, 500)} AS procedure_code,
        'Thủ tục ' || ${rnd(5, 500)} AS procedure_name,
        'F' || field AS field_code,
        ${fields}[field + 1] AS field_name,
        'U' || lpad(u::VARCHAR, 3, '0') AS unit_code,
        'Đơn vị ' || u AS unit_name,
        CASE WHEN u < 10 THEN 'province' WHEN u < 20 THEN 'district' ELSE 'commune' END AS unit_level,
        CASE WHEN u >= 20 THEN 'U' || lpad((10 + u % 10)::VARCHAR, 3, '0') END AS parent_code,
        CASE ${rnd(6, 10)} WHEN 0 THEN 'postal' WHEN 1 THEN 'online' WHEN 2 THEN 'online' WHEN 3 THEN 'online' ELSE 'direct' END AS channel,
        NULL::VARCHAR AS online_level,
        received_at,
        CASE WHEN ${rnd(7, 10)} = 0 THEN NULL ELSE received_at + to_days(${rnd(8, 30)}) END AS due_at,
        CASE WHEN status IN ('resolved', 'withdrawn', 'stopped')
          THEN received_at + to_seconds(${rnd(9, 40 * 86400)}) END AS resolved_at,
        status,
        ${rnd(10, 2)} = 0 AS result_electronic,
        ${rnd(11, 3)} = 0 AS paid_online,
        ${rnd(12, 2)} = 0 AS fee_required,
        ${rnd(13, 4)} = 0 AS digitized,
        NULL::TIMESTAMP AS updated_at,
        'bench.csv' AS source_file,
        i + 2 AS source_line
      FROM shaped
    ) TO ${sqlString(target)} (FORMAT parquet, COMPRESSION zstd)`);
  } finally {
    connection.closeSync();
  }
}

const seconds = (ms: number) => Number((ms / 1000).toFixed(2));

async function timed<T>(work: () => Promise<T>): Promise<[T, number, number]> {
  const start = performance.now();
  const cpu = process.cpuUsage(); // includes DuckDB's threads: they run in this process
  const value = await work();
  const used = process.cpuUsage(cpu);
  return [value, performance.now() - start, (used.user + used.system) / 1000];
}

export interface BenchKpiResult {
  dossiers: number;
  parquetBytes: number;
  generateSeconds: number;
  bareScanSeconds: number;
  kpiSeconds: number;
  ratio: number;
  distinctIdsSeconds: number;
  bareScanCpuSeconds: number;
  kpiCpuSeconds: number;
  cpuRatio: number;
  publishSeconds: number;
  rows: Record<string, number>;
}

export async function benchKpi(
  sizes: readonly number[] = [1_000_000, 10_000_000],
): Promise<BenchKpiResult[]> {
  const results: BenchKpiResult[] = [];
  const config = parseConfig({});
  for (const count of sizes) {
    const lakeDir = join(BENCH_DIR, `lake-${count}`);
    await rm(lakeDir, { recursive: true, force: true });
    const [, generateMs] = await timed(() => generateLake(lakeDir, count));
    const parquetBytes = (await stat(join(lakeDir, ...dossierPartKey(SNAPSHOT, 'bench').split('/')))).size;

    const engine = await openDuckDbEngine(lakeDir);
    try {
      const bareSql = `SELECT unit_code, count(*) AS n FROM ${duckDbDossierSource(lakeDir)} GROUP BY unit_code`;
      // For context: the least any "latest snapshot per dossier" step costs.
      const distinctSql = `SELECT count(DISTINCT dossier_id) AS n FROM ${duckDbDossierSource(lakeDir)}`;
      const [, distinctMs] = await timed(() => engine.query(distinctSql));
      // Warm the OS cache once, then take the best of three for both, alternating.
      await engine.query(bareSql);
      let [bareMs, bareCpu, kpiMs, kpiCpu] = [Infinity, Infinity, Infinity, Infinity];
      let result: Awaited<ReturnType<typeof runKpis>> | undefined;
      for (let round = 0; round < 3; round++) {
        const [, ms, cpu] = await timed(() => engine.query(bareSql));
        [bareMs, bareCpu] = [Math.min(bareMs, ms), Math.min(bareCpu, cpu)];
        const [r, kms, kcpu] = await timed(() => runKpis(engine, new LocalStorage(lakeDir), { config }));
        [kpiMs, kpiCpu] = [Math.min(kpiMs, kms), Math.min(kpiCpu, kcpu)];
        result = r;
      }
      const outDir = join(BENCH_DIR, `out-${count}`);
      const [, publishMs] = await timed(() => publishData(result!, new LocalStorage(outDir)));
      const rows = Object.fromEntries(Object.entries(result!.tables).map(([name, r]) => [name, r.length]));
      const entry: BenchKpiResult = {
        dossiers: count,
        parquetBytes,
        generateSeconds: seconds(generateMs),
        bareScanSeconds: seconds(bareMs),
        kpiSeconds: seconds(kpiMs),
        ratio: Number((kpiMs / bareMs).toFixed(1)),
        distinctIdsSeconds: seconds(distinctMs),
        bareScanCpuSeconds: seconds(bareCpu),
        kpiCpuSeconds: seconds(kpiCpu),
        cpuRatio: Number((kpiCpu / bareCpu).toFixed(1)),
        publishSeconds: seconds(publishMs),
        rows,
      };
      results.push(entry);
      console.log(
        `${count.toLocaleString('en')} dossiers (${(parquetBytes / 1e6).toFixed(0)} MB Parquet, generated in ${entry.generateSeconds} s): ` +
          `bare GROUP BY unit_code ${entry.bareScanSeconds} s | count(DISTINCT dossier_id) ${entry.distinctIdsSeconds} s | all KPI tables, all periods ${entry.kpiSeconds} s ` +
          `(ratio ${entry.ratio}×) | CPU: bare ${entry.bareScanCpuSeconds} s, KPIs ${entry.kpiCpuSeconds} s ` +
          `(ratio ${entry.cpuRatio}×) | publish ${entry.publishSeconds} s | load ${loadavg()[0]!.toFixed(1)} | rows ${JSON.stringify(rows)}`,
      );
    } finally {
      await engine.close();
    }
  }
  return results;
}

if (import.meta.main) {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  await benchKpi(sizes.length > 0 ? sizes : undefined);
}

// Ingest benchmark: generates v1 CSV extracts (1M and 5M records by default, with citizen
// columns), times `congkhai ingest` as a child process beside bare DuckDB converting the
// same CSV to Parquet, and prints rows/s, peak memory (it should stay flat as the file
// grows: DuckDB streams the CSV and spills) and the speed ratio bare DuckDB time / ingest
// time (target ≥ 0.6). Figures are wall-clock, the faster of two rounds run in turn (peak
// memory: the larger); on a shared machine, say so beside them.
//   npx node scripts/bench-ingest.ts [records...]
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '..');
const CLI = join(REPO, 'functions/cli/main.ts');

export interface BenchResult {
  records: number;
  fileBytes: number;
  ingestSeconds: number;
  ingestRowsPerSecond: number;
  ingestPeakRssMb: number;
  duckdbSeconds: number;
  duckdbRowsPerSecond: number;
  duckdbPeakRssMb: number;
  /** ingest speed / bare DuckDB speed (target ≥ 0.6). */
  ratio: number;
  /** CPU seconds (user + system, all threads): steadier than wall time on a shared machine. */
  ingestCpuSeconds: number;
  duckdbCpuSeconds: number;
  /** bare DuckDB CPU / ingest CPU. */
  cpuRatio: number;
}

const HEADER =
  'dossier_id,procedure_code,procedure_name,ChuHoSo,field_code,field_name,unit_code,unit_name,unit_level,parent_code,' +
  'channel,online_level,received_at,due_at,resolved_at,status,result_electronic,paid_online,fee_required,digitized,' +
  'updated_at,SoDienThoai,Email\n';
const PROCEDURES = [
  ['1.001766', '"Chứng thực bản sao từ bản chính giấy tờ, văn bản"', 'G13-TP05', 'Chứng thực'],
  ['1.003005', 'Đăng ký biến động quyền sử dụng đất', 'G13-TN01', 'Đất đai'],
  ['1.000894', 'Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam', 'G13-TP04', 'Lý lịch tư pháp'],
  ['2.000528', 'Đăng ký hộ kinh doanh', 'G13-KH01', 'Thành lập và hoạt động của hộ kinh doanh'],
] as const;
const CHANNELS = ['online', 'direct', 'postal', 'online', 'direct'] as const;
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Writes `records` v1 rows quickly (string building, 1 MB writes with back-pressure). */
export async function generateV1Csv(path: string, records: number): Promise<void> {
  const out = createWriteStream(path);
  let buffer = HEADER;
  for (let i = 0; i < records; i++) {
    const p = PROCEDURES[i % PROCEDURES.length]!;
    const month = 1 + (i % 12);
    const day = 1 + (i % 20);
    const unit = i % 40;
    const kind = i % 10;
    const status = kind === 0 ? 'withdrawn' : kind < 3 ? 'processing' : 'resolved';
    const received = `2023-${pad2(month)}-${pad2(day)} ${pad2(7 + (i % 10))}:${pad2(i % 60)}:00`;
    const due = `2023-${pad2(month)}-${pad2(day + 5)} 17:00:00`;
    const resolved = status === 'processing' ? '' : `2023-${pad2(month)}-${pad2(day + 1 + (i % 7))} 10:30:00`;
    buffer +=
      `000.00.${pad2(unit)}.H22-23${pad2(month)}${pad2(day)}-${i},${p[0]},${p[1]},Nguyễn Văn Công Dân ${i},${p[2]},${p[3]},` +
      `U${unit},Đơn vị số ${unit},${unit < 25 ? 'province' : 'district'},,${CHANNELS[i % 5]},${i % 2 ? '4' : ''},` +
      `${received},${due},${resolved},${status},${i % 3 === 0 ? 1 : 0},${i % 2},1,${i % 4 === 0 ? 1 : 0},,` +
      `09${String(i).padStart(8, '0')},cd${i}@example.vn\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((r) => out.once('drain', () => r()));
      buffer = '';
    }
  }
  await new Promise<void>((r, reject) => {
    out.once('error', reject);
    out.once('finish', () => r());
    out.end(buffer);
  });
}

interface Timed {
  seconds: number;
  peakRssMb: number;
  cpuSeconds: number;
}

/** Runs a command, timing it; peak RSS from GNU time when present, else from the child's rusage. */
function timed(command: string, args: string[]): Promise<Timed> {
  const gnuTime = existsSync('/usr/bin/time');
  const [cmd, cmdArgs] = gnuTime
    ? ['/usr/bin/time', ['-f', 'PEAK_RSS_KB=%M CPU_S=%U+%S', command, ...args]]
    : [command, args];
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(cmd, cmdArgs as string[], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0)
        return reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
      const kb = Number(/PEAK_RSS_KB=(\d+)/.exec(stderr)?.[1] ?? Number.NaN);
      const cpu = /CPU_S=([\d.]+)\+([\d.]+)/.exec(stderr);
      resolvePromise({
        seconds,
        peakRssMb: kb / 1024,
        cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : Number.NaN,
      });
    });
  });
}

const DUCKDB_SCRIPT = (csv: string, parquet: string) => `
import { DuckDBInstance } from '@duckdb/node-api';
const db = await (await DuckDBInstance.create(':memory:')).connect();
await db.run(\`COPY (SELECT * FROM read_csv(${JSON.stringify(csv)})) TO ${JSON.stringify(parquet)} (FORMAT parquet, COMPRESSION zstd)\`);
`;

/** Rounds of bare DuckDB and ingest, in turn, per size. */
const ROUNDS = 2;

export async function benchIngest(sizes: number[] = [1_000_000, 5_000_000]): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const records of sizes) {
    const dir = await mkdtemp(join(tmpdir(), 'congkhai-bench-'));
    try {
      const csv = join(dir, `extract-2024-01-31-${records}.csv`);
      await generateV1Csv(csv, records);
      const fileBytes = (await stat(csv)).size;
      // Two rounds, bare DuckDB and ingest in turn, the faster of each kept: this virtual
      // machine's speed drifts within minutes, and a drift then weighs on both sides alike.
      const bare: Timed[] = [];
      const ingests: Timed[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        bare.push(
          await timed(process.execPath, [
            '--input-type=module',
            '-e',
            DUCKDB_SCRIPT(csv, join(dir, `bare-${round}.parquet`)),
          ]),
        );
        ingests.push(
          await timed(process.execPath, [CLI, 'ingest', csv, '--lake', join(dir, `lake-${round}`)]),
        );
      }
      const fastest = (runs: Timed[]) => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
      const duck = fastest(bare);
      const ingest = fastest(ingests);
      console.log(
        `  rounds (s): bare ${bare.map((t) => n2.format(t.seconds)).join(', ')}; ingest ${ingests.map((t) => n2.format(t.seconds)).join(', ')}`,
      );
      const result: BenchResult = {
        records,
        fileBytes,
        ingestSeconds: ingest.seconds,
        ingestRowsPerSecond: records / ingest.seconds,
        ingestPeakRssMb: Math.max(...ingests.map((t) => t.peakRssMb)),
        duckdbSeconds: duck.seconds,
        duckdbRowsPerSecond: records / duck.seconds,
        duckdbPeakRssMb: Math.max(...bare.map((t) => t.peakRssMb)),
        ratio: duck.seconds / ingest.seconds,
        ingestCpuSeconds: ingest.cpuSeconds,
        duckdbCpuSeconds: duck.cpuSeconds,
        cpuRatio: duck.cpuSeconds / ingest.cpuSeconds,
      };
      results.push(result);
      printResult(result);
      if (results.length > 1) {
        const first = results[0]!;
        console.log(
          `peak RSS ${n0.format(first.ingestPeakRssMb)} MB at ${n0.format(first.records)} records, ` +
            `${n0.format(result.ingestPeakRssMb)} MB at ${n0.format(records)} (×${n2.format(result.ingestPeakRssMb / first.ingestPeakRssMb)} for ×${n2.format(records / first.records)} rows)`,
        );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return results;
}

const n0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const n2 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

function printResult(r: BenchResult): void {
  console.log(
    `${n0.format(r.records)} records (${n0.format(r.fileBytes / 1e6)} MB CSV): ` +
      `congkhai ingest ${n2.format(r.ingestSeconds)} s, ${n0.format(r.ingestRowsPerSecond)} rows/s, peak RSS ${n0.format(r.ingestPeakRssMb)} MB | ` +
      `bare DuckDB CSV→Parquet ${n2.format(r.duckdbSeconds)} s, ${n0.format(r.duckdbRowsPerSecond)} rows/s, peak RSS ${n0.format(r.duckdbPeakRssMb)} MB | ` +
      `ratio ${n2.format(r.ratio)} (target ≥ 0.6) | ` +
      `CPU s (user+sys, all threads) ingest ${n2.format(r.ingestCpuSeconds)}, bare ${n2.format(r.duckdbCpuSeconds)}, ratio ${n2.format(r.cpuRatio)}`,
  );
}

if (import.meta.main) {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  await benchIngest(sizes.length > 0 ? sizes : undefined);
}

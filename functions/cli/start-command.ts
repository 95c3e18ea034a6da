// congkhai start — the whole demo in one command (README's first command):
// demo merged province (two former systems and the merged one, units.csv, unit_successors.csv)
// → ingest → KPIs → published data → site build → serve on localhost.
import { join } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_DOSSIERS, DEFAULT_SEED, UNITS_FILE, writeDemoData } from '../core/demo/generate.ts';
import { serveUntilStopped } from '../core/site/static-server.ts';
import { runCommand } from './run-command.ts';

interface StartOptions {
  dir: string;
  dossiers: string;
  seed: string;
  port: string;
  serve: boolean;
}

export async function startCommand(options: StartOptions): Promise<number> {
  const extracts = join(options.dir, 'demo-extracts');
  const lake = join(options.dir, 'lake');
  const out = join(options.dir, 'public');
  console.error(`congkhai start: demo province → ${extracts}`);
  // Same seed, same bytes: a second start re-ingests nothing (ingest skips known extracts).
  await writeDemoData({ out: extracts, dossiers: Number(options.dossiers), seed: Number(options.seed) });
  // The folder stands for its extracts; the registry (and its successors beside it) is named.
  const code = await runCommand([extracts], { lake, out, units: join(extracts, UNITS_FILE) });
  if (code !== 0) return code;
  if (!options.serve) return 0;
  const server = await serveUntilStopped(out, Number(options.port));
  console.log(`\ncongkhai: trang công khai đang chạy tại ${server.url}  (Ctrl+C để dừng)`);
  return 0;
}

export function register(program: Command): void {
  program
    .command('start')
    .description('Chạy thử toàn bộ: dữ liệu mẫu → nạp → chỉ số → trang — the whole demo, served on localhost')
    .option('--dir <dir>', 'working folder (extracts, lake, public)', '.congkhai')
    .option('--dossiers <n>', 'demo dossiers', String(DEFAULT_DOSSIERS))
    .option('--seed <n>', 'demo seed', String(DEFAULT_SEED))
    .option('--port <port>', 'port', '4321')
    .option('--no-serve', 'build everything, do not serve')
    .action(async (options: StartOptions) => {
      process.exitCode = await startCommand(options);
    });
}

// `congkhai demo-data`: write a realistic demo merged province (nightly extracts of three
// systems, units.csv, unit_successors.csv).
import { type Command, InvalidArgumentError } from 'commander';
import { DEFAULT_DOSSIERS, DEFAULT_SEED, MAX_SEED, writeDemoData } from '../core/demo/generate.ts';

function integer(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    }
    return n;
  };
}

export function register(program: Command): void {
  program
    .command('demo-data')
    .description(
      'write a demo merged province (new Bắc Ninh, 2024-01 … 2026-11): two former systems’ nightly extracts up to 30 June 2025 (DVCQG JSON, CSV), the merged system’s after, units.csv and unit_successors.csv',
    )
    .requiredOption('--out <dir>', 'folder to write into (created if missing)')
    .option('--dossiers <n>', 'number of dossiers', integer(1, 100_000_000), DEFAULT_DOSSIERS)
    .option(
      '--seed <s>',
      'random seed: the same seed writes the same files',
      integer(0, MAX_SEED),
      DEFAULT_SEED,
    )
    .action(async (options: { out: string; dossiers: number; seed: number }) => {
      const started = performance.now();
      const result = await writeDemoData(options);
      for (const file of result.files) {
        console.log(
          `wrote ${file.name}: ${file.rows.toLocaleString('en')} rows, ${file.bytes.toLocaleString('en')} bytes`,
        );
      }
      const levels = Object.entries(result.byLevel)
        .map(([level, n]) => `${level} ${n.toLocaleString('en')}`)
        .join(', ');
      const statuses = Object.entries(result.byStatus)
        .sort()
        .map(([status, n]) => `${status} ${n.toLocaleString('en')}`)
        .join(', ');
      console.log(
        `${result.dossiers.toLocaleString('en')} dossiers (seed ${options.seed}) in ${options.out}`,
      );
      const systems = Object.entries(result.bySystem)
        .map(([system, n]) => `${system} ${n.toLocaleString('en')}`)
        .join(', ');
      console.log(
        `  received by system: ${systems}; open at the reform and moved: ${result.moved.toLocaleString('en')}`,
      );
      console.log(`  by level: ${levels}`);
      console.log(`  final status: ${statuses}`);
      console.log(`  took ${((performance.now() - started) / 1000).toFixed(1)} s`);
    });
}

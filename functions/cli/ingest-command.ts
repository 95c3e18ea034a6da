import type { Command } from 'commander';

// Placeholder until the 'ingest' command lands.
export function register(program: Command): void {
  program.command('ingest').description('(not yet available)').action(() => {
    console.error('congkhai ingest: not yet available');
    process.exitCode = 1;
  });
}

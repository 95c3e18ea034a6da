import type { Command } from 'commander';

// Placeholder until the 'demo-data' command lands.
export function register(program: Command): void {
  program.command('demo-data').description('(not yet available)').action(() => {
    console.error('congkhai demo-data: not yet available');
    process.exitCode = 1;
  });
}

import type { Command } from 'commander';

// Placeholder until the 'kpi' command lands.
export function register(program: Command): void {
  program.command('kpi').description('(not yet available)').action(() => {
    console.error('congkhai kpi: not yet available');
    process.exitCode = 1;
  });
}

import type { Command } from 'commander';

// Placeholder until the 'start' command lands.
export function register(program: Command): void {
  program.command('start').description('(not yet available)').action(() => {
    console.error('congkhai start: not yet available');
    process.exitCode = 1;
  });
}

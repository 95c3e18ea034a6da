import type { Command } from 'commander';

// Placeholder until the 'run' command lands.
export function register(program: Command): void {
  program.command('run').description('(not yet available)').action(() => {
    console.error('congkhai run: not yet available');
    process.exitCode = 1;
  });
}

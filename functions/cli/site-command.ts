import type { Command } from 'commander';

// Placeholder until the 'site' command lands.
export function register(program: Command): void {
  program.command('site').description('(not yet available)').action(() => {
    console.error('congkhai site: not yet available');
    process.exitCode = 1;
  });
}

// congkhai site build | serve — a thin shell over functions/core/site.
import type { Command } from 'commander';

const DEFAULT_OUT = '.congkhai/public';

export function register(program: Command): void {
  const site = program
    .command('site')
    .description('Trang công khai: dựng (build) và phục vụ (serve) / the public site');
  site
    .command('build')
    .description('build the site into DIR, beside the published data in DIR/data/v1')
    .option('--out <dir>', 'folder holding data/v1; the site is written into it', DEFAULT_OUT)
    .option('--site-url <url>', 'absolute URL of the site, used in citation lines')
    .option('--verbose', 'print every page Astro builds')
    .action(async (options: { out: string; siteUrl?: string; verbose?: boolean }) => {
      const { buildSite } = await import('../core/site/build-site.ts');
      try {
        const result = await buildSite({
          outDir: options.out,
          siteUrl: options.siteUrl,
          logLevel: options.verbose ? 'info' : 'warn',
        });
        const seconds = result.totalMs / 1000;
        console.log(
          `congkhai site: ${result.pages} pages (${result.files} files) in ${seconds.toFixed(1)} s ` +
            `(${(result.pages / seconds).toFixed(1)} pages/s) → ${result.outDir}`,
        );
      } catch (error) {
        console.error(error instanceof Error ? error.message : error);
        process.exitCode = 1;
      }
    });
  site
    .command('serve')
    .description('serve DIR on http://localhost:PORT (127.0.0.1)')
    .option('--out <dir>', 'the built site folder', DEFAULT_OUT)
    .option('--port <port>', 'port', '4321')
    .action(async (options: { out: string; port: string }) => {
      const { serveUntilStopped } = await import('../core/site/static-server.ts');
      const { existsSync } = await import('node:fs');
      const { join } = await import('node:path');
      if (!existsSync(join(options.out, 'index.html'))) {
        console.error(
          `congkhai site serve: ${options.out} has no index.html — run \`congkhai site build --out ${options.out}\` first`,
        );
        process.exitCode = 1;
        return;
      }
      const server = await serveUntilStopped(options.out, Number(options.port));
      console.log(server.url);
    });
}

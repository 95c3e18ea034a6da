import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { extractsInFolder } from '../core/ingest/folder-inputs.ts';
import { ExtractUnreadableError, fetchToTempFile, ingestExtract } from '../core/ingest/ingest-extract.ts';
import { LocalStorage } from '../core/storage.ts';
import { lakeWorkFolder, releaseWorkFolder } from '../core/work-folder.ts';
import { kpiCommand } from './kpi-command.ts';

interface RunOptions {
  lake: string;
  out: string;
  asOf?: string;
  config?: string;
  units?: string;
  snapshot?: string;
  /** Build the site into `out` after publishing (commander's --no-site sets false). */
  site?: boolean;
  allowEmpty?: boolean;
}

/** A folder stands for its extracts (folder-inputs.ts), in name order; skipped entries are named. */
async function expandInputs(inputs: readonly string[]): Promise<string[]> {
  const paths: string[] = [];
  for (const input of inputs) {
    if (/^https?:\/\//i.test(input)) {
      paths.push(input);
      continue;
    }
    const info = await stat(input).catch(() => undefined);
    if (!info) throw new ExtractUnreadableError(input, 'no such file or folder');
    if (info.isDirectory()) {
      const { files, skipped } = await extractsInFolder(input);
      for (const s of skipped) console.error(`congkhai run: ${s.path}: skipped: ${s.reason}`);
      paths.push(...files);
    } else paths.push(input);
  }
  return paths;
}

/** ingest every input, then kpi, then the site build. Exit 2 if an input cannot be read (the others are still ingested). */
export async function runCommand(inputs: readonly string[], options: RunOptions): Promise<0 | 1 | 2> {
  const lake = new LocalStorage(options.lake);
  let unreadable = false;
  let paths: string[] = [];
  try {
    paths = await expandInputs(inputs);
  } catch (error) {
    if (!(error instanceof ExtractUnreadableError)) throw error;
    console.error(`congkhai run: ${error.message}`);
    return 2;
  }
  const workDir = await lakeWorkFolder(options.lake);
  for (const input of paths) {
    let fetched: Awaited<ReturnType<typeof fetchToTempFile>> | undefined;
    try {
      if (/^https?:\/\//i.test(input)) fetched = await fetchToTempFile(input, workDir);
      const summary = await ingestExtract({
        path: fetched ? fetched.path : input,
        ...(fetched ? { name: fetched.name } : {}),
        lake,
        workDir,
        ...(options.snapshot ? { snapshotDate: options.snapshot } : {}),
        ...(options.units ? { unitsPath: options.units } : {}),
      });
      const outcome = summary.skipped
        ? 'already in the lake'
        : `${summary.rowsAccepted} accepted, ${summary.rowsQuarantined} quarantined`;
      console.error(`congkhai run: ${summary.file}: ${outcome}`);
    } catch (error) {
      if (!(error instanceof ExtractUnreadableError)) throw error;
      console.error(`congkhai run: ${error.message}`);
      unreadable = true;
    } finally {
      await fetched?.cleanup();
    }
  }
  await releaseWorkFolder(workDir);
  const kpi = await kpiCommand({
    lake: options.lake,
    out: options.out,
    ...(options.asOf ? { asOf: options.asOf } : {}),
    ...(options.config ? { config: options.config } : {}),
    ...(options.allowEmpty ? { allowEmpty: true } : {}),
  });
  if (kpi !== 0) return kpi;
  if (options.site !== false) {
    const { buildSite } = await import('../core/site/build-site.ts');
    const site = await buildSite({ outDir: options.out });
    console.error(
      `congkhai run: site: ${site.pages} pages in ${(site.totalMs / 1000).toFixed(1)} s → ${site.outDir}`,
    );
  }
  return unreadable ? 2 : 0;
}

export function register(program: Command): void {
  program
    .command('run')
    .description(
      'Nạp trích xuất, tính chỉ số, công bố và dựng trang — ingest, compute, publish, build the site',
    )
    .argument('<inputs...>', 'extract files, folders of extracts, or https URLs')
    .option('--lake <dir>', 'the lake folder', '.congkhai/lake')
    .option('--out <dir>', 'output folder; data goes to <out>/data/v1', '.congkhai/public')
    .option('--as-of <time>', "'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS' (Vietnam time)")
    .option('--config <file>', 'targets and ranking threshold (default: ./congkhai.config.json if present)')
    .option('--units <file>', 'units registry (default: units.csv beside each extract)')
    .option('--snapshot <date>', 'snapshot date YYYY-MM-DD for every input')
    .option('--no-site', 'publish the data only; do not build the site')
    .option(
      '--allow-empty',
      'publish even if the result is empty or covers fewer units or periods than the live data',
    )
    .action(async (inputs: string[], options: RunOptions) => {
      process.exitCode = await runCommand(inputs, options);
    });
}

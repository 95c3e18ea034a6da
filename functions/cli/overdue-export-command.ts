// congkhai overdue-export — internal only: overdue dossiers' public references → dossier codes,
// for the province office (functions/core/publish/overdue-export.ts).
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../core/config.ts';
import { AsOfError } from '../core/kpi/as-of.ts';
import { openDuckDbEngine } from '../core/kpi/duckdb-engine.ts';
import { EmptyLakeError, runKpis } from '../core/kpi/run-kpis.ts';
import {
  checkExportPlace,
  ExportPlaceError,
  overdueExportCsv,
  writePrivateFile,
} from '../core/publish/overdue-export.ts';
import { loadReferenceKey, ReferenceKeyError } from '../core/publish/overdue-reference.ts';
import { LocalStorage } from '../core/storage.ts';
import { withWorkFolder } from '../core/work-folder.ts';

interface OverdueExportOptions {
  lake: string;
  out: string;
  asOf?: string;
  config?: string;
}

/** Exit codes: 0 written, 2 unreadable input or a destination inside the published data. */
export async function overdueExportCommand(options: OverdueExportOptions): Promise<0 | 2> {
  try {
    if (!(await stat(options.lake).catch(() => undefined))?.isDirectory())
      throw new EmptyLakeError(`lake folder not found: ${options.lake}`);
    await checkExportPlace(options.out);
    const config = await loadConfig(options.config);
    const lake = new LocalStorage(options.lake);
    // DuckDB spills inside the lake's work folder, never into the working directory.
    return await withWorkFolder(options.lake, 'congkhai-duckdb-', async (spill) => {
      const engine = await openDuckDbEngine(options.lake, { tempDirectory: spill });
      try {
        const result = await runKpis(engine, lake, {
          config,
          ...(options.asOf ? { asOf: options.asOf } : {}),
        });
        const rows = result.tables['overdue_dossiers'] ?? [];
        await writePrivateFile(options.out, overdueExportCsv(rows, await loadReferenceKey(lake)));
        console.error(
          `congkhai overdue-export: as of ${result.asOf}: ${rows.length} dossiers → ${options.out}`,
        );
        return 0 as const;
      } finally {
        await engine.close();
      }
    });
  } catch (error) {
    if (
      error instanceof EmptyLakeError ||
      error instanceof ConfigError ||
      error instanceof AsOfError ||
      error instanceof ExportPlaceError ||
      error instanceof ReferenceKeyError
    ) {
      console.error(`congkhai overdue-export: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

export function register(program: Command): void {
  program
    .command('overdue-export')
    .description(
      'Nội bộ: số tham chiếu → mã hồ sơ của hồ sơ quá hạn — internal only: overdue references → dossier codes',
    )
    .requiredOption(
      '--lake <dir>',
      'the lake folder (holds the reference key unless CONGKHAI_REFERENCE_KEY is set)',
    )
    .requiredOption('--out <file>', 'CSV file to write, outside the published data')
    .option('--as-of <time>', "'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS' (Vietnam time); default as for `kpi`")
    .option('--config <file>', 'the config `kpi` uses (default: ./congkhai.config.json if present)')
    .action(async (options: OverdueExportOptions) => {
      process.exitCode = await overdueExportCommand(options);
    });
}

import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../core/config.ts';
import { AsOfError } from '../core/kpi/as-of.ts';
import { refreshCurrentState } from '../core/kpi/current-state.ts';
import { openDuckDbEngine } from '../core/kpi/duckdb-engine.ts';
import { ReconciliationError } from '../core/kpi/reconcile.ts';
import { EmptyLakeError, runKpis } from '../core/kpi/run-kpis.ts';
import { UnitRegistryError } from '../core/kpi/unit-registry.ts';
import { loadReferenceKey, ReferenceKeyError } from '../core/publish/overdue-reference.ts';
import { publishData } from '../core/publish/publish-data.ts';
import { PublishPool } from '../core/publish/publish-pool.ts';
import { ShrinkError } from '../core/publish/scope.ts';
import { LocalStorage } from '../core/storage.ts';
import { lakeWorkFolder, releaseWorkFolder, withWorkFolder } from '../core/work-folder.ts';

export interface KpiCommandOptions {
  lake: string;
  out: string;
  asOf?: string;
  config?: string;
  /** Publish even an empty version, or one smaller in scope than the live data. */
  allowEmpty?: boolean;
}

/**
 * Exit codes: 0 published, 1 reconciliation failure (rows named), 2 unreadable input or a new
 * version smaller than the live one (what shrank named; --allow-empty publishes it anyway).
 */
export async function kpiCommand(options: KpiCommandOptions): Promise<0 | 1 | 2> {
  let pool: PublishPool | undefined;
  try {
    if (!(await stat(options.lake).catch(() => undefined))?.isDirectory()) {
      throw new EmptyLakeError(`lake folder not found: ${options.lake}`);
    }
    // The spreadsheets and kit zips are written on worker threads, one per core (this thread's
    // own share is short), started now so that they are loaded while the queries run.
    pool = new PublishPool(availableParallelism());
    const config = await loadConfig(options.config);
    const lake = new LocalStorage(options.lake);
    // Whoever ingested last, the current-state table is brought up to date first (a no-op
    // when it already is).
    const work = await lakeWorkFolder(options.lake);
    await refreshCurrentState(lake, { tempDirectory: work });
    await releaseWorkFolder(work);
    // DuckDB spills inside the lake's work folder, never into the working directory.
    return await withWorkFolder(options.lake, 'congkhai-duckdb-', async (spill) => {
      const engine = await openDuckDbEngine(options.lake, { tempDirectory: spill });
      try {
        const started = performance.now();
        const result = await runKpis(engine, lake, {
          config,
          ...(options.asOf ? { asOf: options.asOf } : {}),
        });
        const { files } = await publishData(result, new LocalStorage(options.out), {
          allowSmaller: options.allowEmpty === true,
          referenceKey: await loadReferenceKey(new LocalStorage(options.lake)),
          pool,
        });
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        const units = result.tables['unit_kpis']?.length ?? 0;
        const periods = result.tables['province_kpis']?.length ?? 0;
        console.error(
          `congkhai kpi: as of ${result.asOf}: ${periods} periods, ${units} unit rows, ` +
            `${files.length} files under ${options.out}/data/v1 (${seconds} s)`,
        );
        return 0 as const;
      } finally {
        await engine.close();
      }
    });
  } catch (error) {
    if (error instanceof ReconciliationError) {
      console.error(`congkhai kpi: ${error.message}`);
      return 1;
    }
    if (
      error instanceof EmptyLakeError ||
      error instanceof ConfigError ||
      error instanceof AsOfError ||
      error instanceof UnitRegistryError ||
      error instanceof ShrinkError ||
      error instanceof ReferenceKeyError
    ) {
      console.error(`congkhai kpi: ${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    await pool?.close();
  }
}

export function register(program: Command): void {
  program
    .command('kpi')
    .description(
      'Tính các chỉ số từ kho dữ liệu và công bố dữ liệu mở — compute the KPIs and publish data/v1',
    )
    .requiredOption('--lake <dir>', 'the lake folder written by `congkhai ingest`')
    .requiredOption('--out <dir>', 'output folder; data goes to <out>/data/v1')
    .option(
      '--as-of <time>',
      "'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS' (Vietnam time); default: the day after the latest snapshot",
    )
    .option('--config <file>', 'targets and ranking threshold (default: ./congkhai.config.json if present)')
    .option(
      '--allow-empty',
      'publish even if the result is empty or covers fewer units or periods than the live data',
    )
    .action(async (options: KpiCommandOptions) => {
      process.exitCode = await kpiCommand(options);
    });
}

// One way to open DuckDB, with the settings every stage needs.
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export interface DuckDbOptions {
  /**
   * Folder where DuckDB may spill when a sort or join outgrows memory: a folder inside one the
   * command was given (its `.work`). Without it spilling is off (an out-of-memory error, never
   * DuckDB's default `./.tmp` in whatever the working directory happens to be).
   */
  tempDirectory?: string;
  memoryLimit?: string;
  threads?: number;
}

export async function openDuckDb(options: DuckDbOptions = {}): Promise<DuckDBConnection> {
  const settings: Record<string, string> = {
    // Offline machines: a missing extension must fail at once, not try to download.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'true',
    temp_directory: options.tempDirectory ?? '',
  };
  if (options.memoryLimit) settings['memory_limit'] = options.memoryLimit;
  if (options.threads) settings['threads'] = String(options.threads);
  const instance = await DuckDBInstance.create(':memory:', settings);
  const connection = await instance.connect();
  // TimeZone needs the icu extension, which is loaded only after the instance exists: a
  // TimeZone entry in the create() settings fails ("icu extension needs to be loaded").
  await connection.run(`SET TimeZone = 'Asia/Ho_Chi_Minh'`);
  return connection;
}

/** Quote a string as a SQL literal (paths and values we put into DuckDB statements). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * A file path as DuckDB's file readers match it literally: they expand `*`, `?` and `[…]`
 * in every path they are given, so each is wrapped in a one-character class (`lake[1]` →
 * `lake[[]1]`, `lake*` → `lake[*]`). Glob patterns of our own go after it.
 */
export function escapeGlob(path: string): string {
  return path.replace(/[[*?]/g, '[$&]');
}

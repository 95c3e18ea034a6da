// `congkhai ingest <file|dir|https-url>... --lake DIR`: a thin shell over ingestExtract.
// Exit 0 when every input was read (even with quarantined rows), 2 when any input could not
// be read at all (named on stderr; nothing of it is written; the other inputs still go in).
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { extractsInFolder } from '../core/ingest/folder-inputs.ts';
import {
  ExtractUnreadableError,
  fetchToTempFile,
  type IngestSummary,
  ingestExtract,
} from '../core/ingest/ingest-extract.ts';
import { LocalStorage } from '../core/storage.ts';
import { lakeWorkFolder, releaseWorkFolder } from '../core/work-folder.ts';

interface IngestOptions {
  lake: string;
  snapshot?: string;
  encoding?: string;
  units?: string;
  successors?: string;
  profile?: string;
}

const number = new Intl.NumberFormat('vi-VN');

function summaryLine(s: IngestSummary): string {
  const reasons = Object.entries(s.quarantinedByReason)
    .map(([reason, count]) => `${reason}: ${number.format(count)}`)
    .join(', ');
  const head = `${s.file} [${s.format}, ${s.encoding}, snapshot ${s.snapshotDate}]`;
  if (s.skipped) return `${head}: already in the lake (identical extract), skipped`;
  return `${head}: read ${number.format(s.rowsRead)}, accepted ${number.format(s.rowsAccepted)}, quarantined ${number.format(
    s.rowsQuarantined,
  )}${reasons ? ` (${reasons})` : ''}`;
}

export async function runIngest(inputs: string[], options: IngestOptions): Promise<number> {
  const lake = new LocalStorage(options.lake);
  const workDir = await lakeWorkFolder(options.lake);
  const tty = process.stderr.isTTY;
  let failures = 0;
  const summaries: IngestSummary[] = [];
  const ingestOne = async (path: string, name?: string) => {
    const label = name ?? path;
    try {
      const summary = await ingestExtract({
        path,
        name,
        lake,
        snapshotDate: options.snapshot,
        encoding: options.encoding,
        unitsPath: options.units,
        successorsPath: options.successors,
        profilePath: options.profile,
        workDir,
        onProgress: tty
          ? (progress) =>
              process.stderr.write(
                `\r\x1b[K${label}: ${
                  'percent' in progress
                    ? `${progress.percent}% read and checked…`
                    : `${number.format(progress.rowsRead)} records read, writing the lake…`
                }`,
              )
          : undefined,
      });
      if (tty) process.stderr.write('\r\x1b[K');
      summaries.push(summary);
      console.log(summaryLine(summary));
    } catch (error) {
      if (tty) process.stderr.write('\r\x1b[K');
      if (!(error instanceof ExtractUnreadableError)) throw error;
      failures++;
      console.error(`congkhai ingest: ${label}: refused, nothing written: ${error.reason}`);
    }
  };
  for (const input of inputs) {
    if (/^https?:\/\//i.test(input)) {
      try {
        const fetched = await fetchToTempFile(input, workDir);
        try {
          await ingestOne(fetched.path, fetched.name);
        } finally {
          await fetched.cleanup();
        }
      } catch (error) {
        if (!(error instanceof ExtractUnreadableError)) throw error;
        failures++;
        console.error(`congkhai ingest: ${input}: refused, nothing written: ${error.reason}`);
      }
      continue;
    }
    const info = await stat(input).catch(() => undefined);
    if (info?.isDirectory()) {
      const { files, skipped } = await extractsInFolder(input);
      for (const s of skipped) console.log(`${s.path}: skipped: ${s.reason}`);
      if (files.length === 0) console.error(`congkhai ingest: ${input}: no extract files in this folder`);
      for (const file of files) await ingestOne(file);
    } else {
      await ingestOne(input);
    }
  }
  const total = summaries.reduce(
    (t, s) => ({
      read: t.read + s.rowsRead,
      accepted: t.accepted + s.rowsAccepted,
      quarantined: t.quarantined + s.rowsQuarantined,
    }),
    { read: 0, accepted: 0, quarantined: 0 },
  );
  console.log(
    `${summaries.length} extract(s) into ${lake.location}: read ${number.format(total.read)}, accepted ${number.format(
      total.accepted,
    )}, quarantined ${number.format(total.quarantined)}${failures ? `; ${failures} refused` : ''}`,
  );
  await releaseWorkFolder(workDir);
  return failures > 0 ? 2 : 0;
}

export function register(program: Command): void {
  program
    .command('ingest')
    .description('Nạp trích xuất hồ sơ vào kho dữ liệu — read dossier extracts into the Parquet lake')
    .argument('<inputs...>', 'extract files, folders of extracts, or https URLs')
    .requiredOption('--lake <dir>', 'lake folder')
    .option(
      '--snapshot <date>',
      'snapshot date YYYY-MM-DD (default: a date in the file name, else today in Vietnam)',
    )
    .option('--encoding <name>', 'text encoding: utf-8, windows-1258, utf-16le (default: detect)')
    .option('--units <file>', 'units registry CSV (default: units.csv beside the extract)')
    .option('--successors <file>', 'unit successors CSV (default: unit_successors.csv beside units.csv)')
    .option('--profile <file>', 'vendor profile JSON: header names, words, date order, delimiter')
    .action(async (inputs: string[], options: IngestOptions) => {
      try {
        process.exitCode = await runIngest(inputs, options);
      } catch (error) {
        console.error(`congkhai ingest: ${(error as Error).message}`);
        process.exitCode = 1;
      }
    });
}

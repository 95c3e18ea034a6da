// `congkhai profile check PROFILE EXTRACT`: shows, before an ingest, which headers and words
// of an extract the reader understands with this profile and which it does not.
// Exit 0 when everything needed is understood, 2 when not (or the files cannot be read).
import type { Command } from 'commander';
import { ExtractUnreadableError } from '../core/ingest/ingest-extract.ts';
import { checkProfile } from '../core/ingest/profile-check.ts';

export async function profileCheckCommand(profilePath: string, extractPath: string): Promise<number> {
  try {
    const check = await checkProfile(profilePath, extractPath);
    if (check.headers.length > 0) {
      console.log('Headers:');
      for (const h of check.headers)
        console.log(`  ${JSON.stringify(h.name)} → ${h.column ?? 'dropped (not a contract column)'}`);
    }
    console.log(
      check.missingRequired.length === 0
        ? 'Required columns: all present'
        : `Required columns missing: ${check.missingRequired.join(', ')} (unit_code and unit_level may come from units.csv)`,
    );
    console.log('Words:');
    for (const w of check.words) {
      console.log(
        `  ${w.kind} ${JSON.stringify(w.word)} (${w.rows} rows) → ${w.meaning ?? 'NOT UNDERSTOOD: add it to the profile'}`,
      );
    }
    const unknown = check.words.filter((w) => w.meaning === null);
    console.log(
      unknown.length === 0
        ? 'Every word is understood.'
        : `${unknown.length} word(s) not understood: their rows would be quarantined.`,
    );
    return unknown.length === 0 && check.missingRequired.every((c) => c === 'unit_code' || c === 'unit_level')
      ? 0
      : 2;
  } catch (error) {
    if (!(error instanceof ExtractUnreadableError)) throw error;
    console.error(`congkhai profile check: ${error.message}`);
    return 2;
  }
}

export function register(program: Command): void {
  const profile = program
    .command('profile')
    .description('Hồ sơ định dạng của nhà cung cấp — vendor export profiles');
  profile
    .command('check')
    .description('show which headers and words of an extract are understood with this profile')
    .argument('<profile>', 'profile JSON file')
    .argument('<extract>', 'an extract (CSV, TSV, XLSX, NDJSON, JSON)')
    .action(async (profilePath: string, extractPath: string) => {
      process.exitCode = await profileCheckCommand(profilePath, extractPath);
    });
}

// `congkhai profile check`: before an ingest, what the reader understands of an extract
// with a given profile: which header went to which contract column (and which were dropped
// as not contract columns), which required columns are missing, and each distinct status,
// channel, level and online-level word with its meaning, or "not understood".
import { rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DOSSIER_COLUMNS } from '../dossier-contract.ts';
import { openDuckDb } from '../duckdb.ts';
import { loadProfile, profileWords } from '../extract/profile.ts';
import { UnreadableInputError } from '../extract/unreadable-input.ts';
import { knownWord, vocabularyRows, type WordKind } from '../extract/vocabulary.ts';
import { ownWorkFolder, releaseWorkFolder } from '../work-folder.ts';
import { ExtractUnreadableError, prepareSource } from './ingest-extract.ts';
import { csvRawRelation, stagedRawRelation } from './staging-run.ts';

export interface ProfileCheck {
  headers: { name: string; column: string | null }[];
  missingRequired: string[];
  words: { kind: WordKind; word: string; rows: number; meaning: string | null }[];
}

const WORD_COLUMNS: WordKind[] = ['status', 'channel', 'unit_level', 'online_level'];

export async function checkProfile(profilePath: string, extractPath: string): Promise<ProfileCheck> {
  const name = basename(extractPath);
  // Decoded copies and DuckDB's spill go beside the extract (its folder's .work), the only
  // folder this command is given.
  const work = await ownWorkFolder(dirname(extractPath), 'congkhai-profile-');
  try {
    const profile = await loadProfile(profilePath);
    const prepared = await prepareSource(
      { path: extractPath, lake: undefined as never },
      name,
      work,
      profile,
      true,
    );
    const vocabulary = vocabularyRows(profileWords(profile));
    const headers =
      prepared.source.kind === 'csv'
        ? prepared.source.head.header.map((header, position) => {
            const index =
              prepared.source.kind === 'csv' ? prepared.source.head.positions.indexOf(position) : -1;
            return { name: header, column: index >= 0 ? DOSSIER_COLUMNS[index]!.name : null };
          })
        : [];
    const positions = prepared.source.kind === 'csv' ? prepared.source.head.positions : [];
    const missingRequired = DOSSIER_COLUMNS.filter((c, i) => c.required && positions[i] === -1).map(
      (c) => c.name,
    );
    const db = await openDuckDb({ tempDirectory: join(work, 'duckdb') });
    try {
      const raw =
        prepared.source.kind === 'csv'
          ? csvRawRelation(prepared.source)
          : stagedRawRelation(prepared.source.path);
      const words: ProfileCheck['words'] = [];
      for (const kind of WORD_COLUMNS) {
        const rows = (
          await db.runAndReadAll(
            `SELECT trim(${kind}) AS word, count(*) FROM (${raw}) WHERE nullif(trim(${kind}), '') IS NOT NULL
             GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 200`,
          )
        ).getRows();
        for (const [word, count] of rows) {
          words.push({
            kind,
            word: String(word),
            rows: Number(count),
            meaning: knownWord(vocabulary, kind, String(word)) ?? null,
          });
        }
      }
      return { headers, missingRequired, words };
    } finally {
      db.closeSync();
    }
  } catch (error) {
    if (error instanceof UnreadableInputError) throw new ExtractUnreadableError(name, error.reason);
    throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
    await releaseWorkFolder(dirname(work));
  }
}

// NDJSON / JSON Lines: one JSON object per line. A line that is not JSON is a broken
// record (quarantined); the rest of the file goes on.

import { rawRecordFromJson } from './json-record.ts';
import type { RawRecord } from './raw-record.ts';
import { COLUMN_COUNT } from './raw-record.ts';
import { MAX_LINE_CHARS } from './text-source.ts';
import { UnreadableInputError } from './unreadable-input.ts';

/** Numbers kept as the text that was sent: an identifier above 2^53 must not be rounded. */
const numbersAsSent = (_key: string, value: unknown, context?: { source?: string }) =>
  typeof value === 'number' && context?.source !== undefined ? context.source : value;

export async function* readNdjson(text: AsyncIterable<string>): AsyncGenerator<RawRecord[]> {
  let carry = '';
  let line = 0;
  let sawRecord = false;
  const parseLine = (raw: string, batch: RawRecord[]) => {
    line++;
    const trimmed = raw.trim();
    if (trimmed === '') return;
    sawRecord = true;
    let value: unknown;
    try {
      value = JSON.parse(trimmed, numbersAsSent as (key: string, value: unknown) => unknown);
    } catch {
      batch.push({
        line,
        cells: new Array(COLUMN_COUNT),
        dvcqg: false,
        problem: { code: 'invalid_json', field: '', reason: 'the line is not valid JSON' },
      });
      return;
    }
    batch.push(rawRecordFromJson(value, line, false));
  };
  for await (const chunk of text) {
    const s = carry + chunk;
    const batch: RawRecord[] = [];
    let start = 0;
    for (let nl = s.indexOf('\n'); nl !== -1; nl = s.indexOf('\n', start)) {
      parseLine(s.slice(start, nl), batch);
      start = nl + 1;
    }
    carry = s.slice(start);
    if (carry.length > MAX_LINE_CHARS) {
      throw new UnreadableInputError(`line ${line + 1} is longer than ${MAX_LINE_CHARS} characters`);
    }
    if (batch.length > 0) yield batch;
  }
  const batch: RawRecord[] = [];
  if (carry.trim() !== '') parseLine(carry, batch);
  if (batch.length > 0) yield batch;
  if (!sawRecord) throw new UnreadableInputError('the file is empty (no JSON records)');
}

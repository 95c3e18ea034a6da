// The national portal's sync payload (DongBoHoSoMC): a JSON array of dossiers, or an object
// whose "data" member is that array. Streamed with stream-json, so a large payload is never
// whole in memory. `line` of a record is its 1-based index in the array.
import { pipeline, Readable } from 'node:stream';
import pick from 'stream-json/filters/pick.js';
import parser from 'stream-json/parser.js';
import streamArray from 'stream-json/streamers/stream-array.js';
import { rawRecordFromJson } from './json-record.ts';
import type { RawRecord } from './raw-record.ts';
import { UnreadableInputError } from './unreadable-input.ts';

const BATCH = 1000;

async function* withFirstChar(
  text: AsyncIterable<string>,
  onFirst: (c: string) => void,
): AsyncGenerator<string> {
  let seen = false;
  for await (const chunk of text) {
    if (!seen) {
      const match = /\S/.exec(chunk);
      if (match) {
        seen = true;
        onFirst(match[0]);
      }
    }
    yield chunk;
  }
  if (!seen) onFirst('');
}

export async function* readDvcqgJson(text: AsyncIterable<string>): AsyncGenerator<RawRecord[]> {
  let first: string | undefined;
  const source = withFirstChar(text, (c) => {
    first = c;
  });
  // Peek the first chunk to choose the shape (array vs {"data": [...]}).
  const iterator = source[Symbol.asyncIterator]();
  const head = await iterator.next();
  if (first === '' || first === undefined) throw new UnreadableInputError('the file is empty (no JSON)');
  if (first !== '[' && first !== '{') {
    throw new UnreadableInputError(
      'the JSON is neither an array of dossiers nor an object with a "data" array',
    );
  }
  async function* rest(): AsyncGenerator<string> {
    if (!head.done) yield head.value;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  let sawArray = first === '[';
  const stages: NodeJS.ReadWriteStream[] = [parser.asStream()];
  if (first === '{') {
    const picker = pick.asStream({ filter: 'data' });
    picker.on('data', (token: { name: string }) => {
      if (token.name === 'startArray') sawArray = true;
    });
    stages.push(picker);
  }
  // Numbers as the text that was sent: an identifier above 2^53 must not be rounded.
  stages.push(streamArray.asStream({ numberAsString: true } as Parameters<typeof streamArray.asStream>[0]));
  const items = pipeline([Readable.from(rest()), ...stages], () => {}) as unknown as Readable;
  let batch: RawRecord[] = [];
  try {
    for await (const item of items) {
      const { key, value } = item as { key: number; value: unknown };
      batch.push(rawRecordFromJson(value, key + 1, true));
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    if (error instanceof UnreadableInputError) throw error;
    const message = (error as Error).message;
    if (/should be an array/i.test(message)) {
      throw new UnreadableInputError('the "data" member is not an array of dossiers');
    }
    throw new UnreadableInputError(`the JSON is malformed or truncated (${message})`);
  }
  if (!sawArray) {
    throw new UnreadableInputError('the JSON object has no "data" array of dossiers');
  }
  if (batch.length > 0) yield batch;
}

// The one bounded reader of text inputs. Every extract, registry and profile is read
// through here: gunzipped when gzip, decoded (detected or declared encoding), and refused
// as soon as a line grows past MAX_LINE_CHARS, so a file without line breaks (or a gzip
// bomb expanding to one) costs at most that much memory, never the whole file.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { readBytes } from './byte-source.ts';
import { decodeText } from './encoding.ts';
import { UnreadableInputError } from './unreadable-input.ts';

/** Longest line (record) accepted: 16 Mi characters. */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;
/** The head of a CSV searched for its header row. */
export const HEAD_BYTES = 1024 * 1024;

export const tooLongLine = (max: number) =>
  new UnreadableInputError(
    `a line is longer than ${max.toLocaleString('en-US')} characters (no line breaks: not a readable extract)`,
  );

/** Passes text chunks on, refusing the input once a line exceeds `max` characters. */
export async function* boundedLines(
  chunks: AsyncIterable<string>,
  max = MAX_LINE_CHARS,
): AsyncGenerator<string> {
  let run = 0;
  for await (const chunk of chunks) {
    const last = Math.max(chunk.lastIndexOf('\n'), chunk.lastIndexOf('\r'));
    if (last === -1) run += chunk.length;
    else {
      // The text before the first break also belongs to the current line.
      const first = chunk.search(/[\r\n]/);
      if (run + first > max) throw tooLongLine(max);
      run = chunk.length - last - 1;
    }
    if (run > max) throw tooLongLine(max);
    yield chunk;
  }
}

/** A file's decoded, bounded text chunks, and the encoding they were decoded from. */
export async function readText(
  path: string,
  declaredEncoding?: string,
  max = MAX_LINE_CHARS,
): Promise<{ encoding: string; chunks: AsyncGenerator<string> }> {
  const decoded = await decodeText(readBytes(path), declaredEncoding);
  return { encoding: decoded.encoding, chunks: boundedLines(decoded.chunks, max) };
}

/** A small text file (registry, profile) whole, through the same bounded reader. */
export async function readSmallText(path: string, maxChars = 64 * 1024 * 1024): Promise<string> {
  const { chunks } = await readText(path);
  let text = '';
  for await (const chunk of chunks) {
    text += chunk;
    if (text.length > maxChars) throw new UnreadableInputError(`larger than ${maxChars} characters`);
  }
  return text.replace(/^\uFEFF/, '');
}

/** Writes the decoded text of `path` to `out` as UTF-8 (streamed; back-pressure respected). */
export async function transcodeToUtf8(path: string, out: string, declaredEncoding?: string): Promise<string> {
  const { encoding, chunks } = await readText(path, declaredEncoding);
  const stream = createWriteStream(out);
  try {
    for await (const chunk of chunks) {
      if (!stream.write(chunk)) await once(stream, 'drain');
    }
  } finally {
    stream.end();
    await once(stream, 'close');
  }
  return encoding;
}

/**
 * The first whole lines of a UTF-8 file (at most HEAD_BYTES). A first line longer than that
 * holds no header row a person could have written: refused.
 */
export async function readHead(path: string, maxBytes = HEAD_BYTES): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(maxBytes);
    const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
    const bytes = buffer.subarray(0, bytesRead);
    if (bytesRead < maxBytes) return new TextDecoder('utf-8').decode(bytes);
    const last = Math.max(bytes.lastIndexOf(0x0a), bytes.lastIndexOf(0x0d));
    if (last === -1) throw tooLongLine(maxBytes);
    return new TextDecoder('utf-8').decode(bytes.subarray(0, last + 1));
  } finally {
    await handle.close();
  }
}

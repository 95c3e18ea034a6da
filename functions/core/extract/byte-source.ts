// The raw bytes of an extract, gunzipped on the fly when the file is gzip (by its magic
// bytes, whatever its name). A truncated gzip surfaces as an UnreadableInputError.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { UnreadableInputError } from './unreadable-input.ts';

const CHUNK_BYTES = 1 << 20;

export async function isGzipFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** Streams the (decompressed) bytes of a file. */
export async function* readBytes(path: string): AsyncGenerator<Buffer> {
  const gzip = await isGzipFile(path);
  const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const stream: Readable = gzip ? pipeline(file, createGunzip({ chunkSize: CHUNK_BYTES }), () => {}) : file;
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (gzip && (code.startsWith('Z_') || /unexpected end of file/i.test(String(error)))) {
      throw new UnreadableInputError(`gzip data is truncated or corrupt (${(error as Error).message})`);
    }
    throw error;
  }
}

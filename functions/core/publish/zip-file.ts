// Zip archives for the publisher (unit kits, spreadsheets): fflate writes the zip container and
// Node's zlib (native code) deflates the entries, several times faster than fflate's own
// deflate in JavaScript. Entries are deflated chunk by chunk as they are written, so a sheet
// of a million rows never has to sit in memory uncompressed. Same input, same bytes: every
// entry carries one fixed time and nothing else varies.
import { constants, crc32, deflateRawSync } from 'node:zlib';
import { Zip, ZipPassThrough } from 'fflate';

/**
 * Every entry's time inside a zip: fixed, so a zip is byte-identical for the same data. Zip
 * times are local wall-clock fields: a local midnight gives the same fields in any time zone.
 */
const ZIP_MTIME = new Date(2000, 0, 1);

const MAX_ENTRY_BYTES = 0xffff_ffff;

/** Bytes gathered before a chunk is deflated (fewer, larger zlib calls; bounded memory). */
const CHUNK_BYTES = 1 << 20;

/**
 * A zip entry deflated by zlib as its chunks arrive. Each chunk is its own raw deflate run
 * ended by a sync flush (byte-aligned, not final), the last one by a finish: runs so made
 * concatenate into one valid deflate stream.
 */
class ZlibEntry extends ZipPassThrough {
  private readonly level: number;

  constructor(name: string, level: number) {
    super(name);
    this.level = level;
    this.compression = 8; // deflate
    this.mtime = ZIP_MTIME;
    this.crc = 0;
  }

  // The checksum by zlib too (fflate's own runs in JavaScript).
  override push(chunk: Uint8Array, final = false): void {
    this.crc = crc32(chunk, this.crc);
    this.size += chunk.length;
    // fflate writes 32-bit sizes (no ZIP64): refuse rather than write a broken zip.
    if (this.size > MAX_ENTRY_BYTES)
      throw new Error(`zip entry ${this.filename} is over 4 GiB (ZIP64 is not written)`);
    this.process(chunk, final);
  }

  protected override process(chunk: Uint8Array, final: boolean): void {
    const flush = final ? constants.Z_FINISH : constants.Z_SYNC_FLUSH;
    this.ondata(null, deflateRawSync(chunk, { level: this.level, finishFlush: flush }), final);
  }
}

/** An entry being written: its text in order, then `end()`. */
export interface ZipEntryWriter {
  write(text: string): void;
  end(): void;
}

/** A zip built in memory, one entry after another; `bytes()` once every entry has ended. */
export class ZipBuilder {
  private readonly chunks: Uint8Array[] = [];
  private readonly zip = new Zip((error, data) => {
    if (error) throw error;
    this.chunks.push(data);
  });

  private readonly level: number;

  /** `level`: zlib's 0 (store) to 9. */
  constructor(level: number) {
    this.level = level;
  }

  private start(name: string): ZlibEntry {
    const entry = new ZlibEntry(name, this.level);
    this.zip.add(entry);
    return entry;
  }

  /** Starts the text entry `name`, written in parts; the previous entry must have ended. */
  entry(name: string): ZipEntryWriter {
    const entry = this.start(name);
    // The text is encoded straight into one chunk buffer, deflated each time it fills.
    // (zlib and the checksum consume a chunk at once: the buffer is reused.)
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let used = 0;
    const flush = (final: boolean) => {
      entry.push(chunk.subarray(0, used), final);
      used = 0;
    };
    return {
      write(text) {
        // A UTF-16 unit takes at most 3 UTF-8 bytes.
        if (used + text.length * 3 > CHUNK_BYTES) {
          if (used > 0) flush(false);
          if (text.length * 3 > CHUNK_BYTES) {
            entry.push(Buffer.from(text, 'utf8'), false);
            return;
          }
        }
        used += chunk.write(text, used, 'utf8');
      },
      end: () => flush(true),
    };
  }

  /** Adds a whole entry at once. */
  add(name: string, content: string | Uint8Array): void {
    this.start(name).push(typeof content === 'string' ? Buffer.from(content, 'utf8') : content, true);
  }

  /** The finished archive. */
  bytes(): Buffer {
    this.zip.end();
    return Buffer.concat(this.chunks);
  }
}

/** A zip of `entries` (name → bytes), in that order. */
export function zipBytes(entries: ReadonlyArray<readonly [string, Uint8Array]>, level: number): Buffer {
  const zip = new ZipBuilder(level);
  for (const [name, bytes] of entries) zip.add(name, bytes);
  return zip.bytes();
}

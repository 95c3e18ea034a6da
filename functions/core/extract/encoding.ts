// Text encodings of extracts: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1258
// (Vietnamese Windows exports). Detected from the first bytes unless declared; bytes that
// the encoding cannot decode make the file unreadable (never silently replaced).
import iconv from 'iconv-lite';
import { UnreadableInputError } from './unreadable-input.ts';

const SAMPLE_BYTES = 64 * 1024;

const ALIASES: Record<string, string> = {
  utf8: 'utf-8',
  'utf-8': 'utf-8',
  'utf-8-sig': 'utf-8',
  utf16le: 'utf-16le',
  'utf-16le': 'utf-16le',
  'utf-16': 'utf-16le',
  ucs2: 'utf-16le',
  'ucs-2': 'utf-16le',
  utf16be: 'utf-16be',
  'utf-16be': 'utf-16be',
  cp1258: 'windows-1258',
  'windows-1258': 'windows-1258',
  windows1258: 'windows-1258',
};

/** Canonical name of a declared encoding, or an UnreadableInputError if unknown. */
export function canonicalEncoding(name: string): string {
  const key = name.trim().toLowerCase();
  const known = ALIASES[key];
  if (known) return known;
  if (iconv.encodingExists(key)) return key;
  throw new UnreadableInputError(`unknown encoding "${name}"`);
}

function isValidUtf8Prefix(sample: Uint8Array): boolean {
  try {
    // stream: true tolerates a multi-byte character cut at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Guess the encoding from the first bytes of the (decompressed) file. */
export function detectEncoding(sample: Uint8Array): string {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  // UTF-16LE without BOM: ASCII text has a zero in every odd byte.
  let oddZeros = 0;
  const pairs = Math.min(sample.length >> 1, 512);
  for (let i = 0; i < pairs; i++) if (sample[2 * i + 1] === 0 && sample[2 * i] !== 0) oddZeros++;
  if (pairs >= 4 && oddZeros / pairs > 0.6) return 'utf-16le';
  return isValidUtf8Prefix(sample) ? 'utf-8' : 'windows-1258';
}

interface Decoder {
  write(bytes: Uint8Array): string;
  end(): string;
}

function makeDecoder(encoding: string): Decoder {
  if (encoding === 'utf-8') {
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
    const fail = () => {
      throw new UnreadableInputError('bytes that are not valid UTF-8 (declare or fix the encoding)');
    };
    return {
      write: (bytes) => {
        try {
          return decoder.decode(bytes, { stream: true });
        } catch {
          return fail();
        }
      },
      end: () => {
        try {
          return decoder.decode();
        } catch {
          return fail();
        }
      },
    };
  }
  const decoder = iconv.getDecoder(encoding, { stripBOM: true });
  // iconv-lite maps undecodable bytes to U+FFFD; such a file is refused, not guessed at.
  const check = (text: string) => {
    if (text.includes('\uFFFD')) {
      throw new UnreadableInputError(`bytes that are not valid ${encoding} (declare or fix the encoding)`);
    }
    return text;
  };
  return {
    write: (bytes) => check(decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))),
    end: () => check(decoder.end() ?? ''),
  };
}

export interface DecodedText {
  encoding: string;
  chunks: AsyncGenerator<string>;
}

/** Decode a byte stream to text chunks, detecting the encoding unless it is declared. */
export async function decodeText(bytes: AsyncIterable<Buffer>, declared?: string): Promise<DecodedText> {
  const iterator = bytes[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLength = 0;
  let done = false;
  while (headLength < SAMPLE_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    headLength += next.value.length;
  }
  const sample = Buffer.concat(head);
  const encoding = declared ? canonicalEncoding(declared) : detectEncoding(sample.subarray(0, SAMPLE_BYTES));
  const decoder = makeDecoder(encoding);
  async function* chunks(): AsyncGenerator<string> {
    if (sample.length > 0) yield decoder.write(sample);
    while (!done) {
      const next = await iterator.next();
      if (next.done) break;
      yield decoder.write(next.value);
    }
    const tail = decoder.end();
    if (tail) yield tail;
  }
  return { encoding, chunks: chunks() };
}

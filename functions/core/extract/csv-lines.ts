// Physical line numbers of the records DuckDB read from a CSV. DuckDB keeps the rows in file
// order (a row's place in the file it is validated into is its ordinal among the kept rows) and
// gives the byte position of each row it rejects, but not the
// line where a kept row starts; that differs from its ordinal after a blank line, a quoted
// cell holding line breaks, or a rejected row. One pass over the bytes finds record starts
// (a line starts a record when the quotes before it are balanced) and returns, as a few
// intervals, the offset to add to each kept row's ordinal. No cell is parsed or kept.
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { MAX_LINE_CHARS, tooLongLine } from './text-source.ts';
import { UnreadableInputError } from './unreadable-input.ts';

const QUOTE = 0x22;
const CR = 0x0d;

export interface LineOffset {
  /** First ordinal (1-based, among kept rows) this offset applies to. */
  fromOrdinal: number;
  /** physical line = ordinal + offset. */
  offset: number;
}

export interface RecordLines {
  offsets: LineOffset[];
  /** Physical line of each rejected row, by the byte position DuckDB reported for it. */
  rejectedLines: Map<number, number>;
  keptRows: number;
  /** The line of a quoted cell still open at the end of the file. */
  unclosedQuoteLine?: number;
}

/** Bytes at the end of `chunk` that may be the start of a character cut by the chunk end. */
function incompleteTail(chunk: Buffer): number {
  let i = chunk.length - 1;
  let continuation = 0;
  while (i >= 0 && continuation < 3 && (chunk[i]! & 0xc0) === 0x80) {
    i--;
    continuation++;
  }
  if (i < 0) return 0;
  const lead = chunk[i]!;
  const needed = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
  return needed > continuation ? continuation + 1 : 0;
}

/**
 * @param headerLine the 1-based line of the header: records start on the line after it.
 * @param newline the byte that ends a line (LF, or CR for CR-only files).
 * @param rejectedPositions byte positions DuckDB gave for its rejected rows (a position in or
 *   at the start of the row), ascending.
 * The pass also checks that the bytes are UTF-8 (DuckDB checks only the columns it selects).
 */
export async function recordLines(
  path: string,
  headerLine: number,
  newline: number,
  rejectedPositions: readonly number[],
): Promise<RecordLines> {
  const offsets: LineOffset[] = [];
  const rejectedLines = new Map<number, number>();
  let line = 1;
  let byte = 0;
  let kept = 0;
  // State of the line being read.
  let lineStart = 0;
  let lineHasContent = false;
  let quotesOdd = false;
  let inRecord = false;
  let recordLine = 0;
  let recordStart = 0;

  let nextReject = 0;
  let carry: Buffer | undefined;
  const endLine = (lineEnd: number) => {
    if (line > headerLine) {
      if (!inRecord && lineHasContent) {
        inRecord = true;
        recordLine = line;
        recordStart = lineStart;
      }
      if (inRecord && !quotesOdd) {
        inRecord = false;
        while (nextReject < rejectedPositions.length && rejectedPositions[nextReject]! < recordStart)
          nextReject++;
        const position = rejectedPositions[nextReject];
        if (position !== undefined && position <= lineEnd) {
          for (
            ;
            rejectedPositions[nextReject] !== undefined && rejectedPositions[nextReject]! <= lineEnd;
            nextReject++
          ) {
            rejectedLines.set(rejectedPositions[nextReject]!, recordLine);
          }
        } else {
          kept++;
          const offset = recordLine - kept;
          if (offsets.length === 0 || offsets[offsets.length - 1]!.offset !== offset) {
            offsets.push({ fromOrdinal: kept, offset });
          }
        }
      }
    }
    line++;
    lineHasContent = false;
  };

  for await (const read of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const whole = carry ? Buffer.concat([carry, read]) : read;
    const tail = incompleteTail(whole);
    if (!isUtf8(whole.subarray(0, whole.length - tail))) {
      throw new UnreadableInputError('bytes that are not valid UTF-8 (declare or fix the encoding)');
    }
    // A character cut by the chunk end is checked with the next chunk.
    carry = tail > 0 ? Buffer.from(whole.subarray(whole.length - tail)) : undefined;
    const chunk = read;
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(newline, pos);
      const end = nl === -1 ? chunk.length : nl;
      // One bounded reader: no line may outgrow the limit, whoever reads it.
      if (end - lineStart + byte > MAX_LINE_CHARS) throw tooLongLine(MAX_LINE_CHARS);
      if (line > headerLine && end > pos) {
        // A line holding only the CR of a CRLF is blank.
        if (!lineHasContent && !(end - pos === 1 && chunk[pos] === CR)) lineHasContent = true;
        for (let q = chunk.indexOf(QUOTE, pos); q !== -1 && q < end; q = chunk.indexOf(QUOTE, q + 1)) {
          quotesOdd = !quotesOdd;
        }
      }
      if (nl === -1) break;
      pos = nl + 1;
      endLine(byte + nl);
      lineStart = byte + pos;
    }
    byte += chunk.length;
  }
  if (carry) throw new UnreadableInputError('bytes that are not valid UTF-8 (declare or fix the encoding)');
  const unclosedQuoteLine = inRecord && quotesOdd ? recordLine : undefined;
  if (lineHasContent || inRecord) {
    quotesOdd = false;
    endLine(byte);
  }
  return { offsets, rejectedLines, keptRows: kept, ...(unclosedQuoteLine ? { unclosedQuoteLine } : {}) };
}

/** SQL for `ordinal → physical line` over the intervals (a CASE: there are few). */
export function lineExpression(ordinal: string, offsets: readonly LineOffset[]): string {
  if (offsets.length === 0) return ordinal;
  if (offsets.length === 1) return `(${ordinal} + ${offsets[0]!.offset})`;
  const branches = offsets
    .slice(1)
    .reverse()
    .map((o) => `WHEN ${ordinal} >= ${o.fromOrdinal} THEN ${o.offset}`)
    .join(' ');
  return `(${ordinal} + CASE ${branches} ELSE ${offsets[0]!.offset} END)`;
}

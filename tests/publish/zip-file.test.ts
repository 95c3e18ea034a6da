// The publisher's zips (unit kits, spreadsheets): zlib-deflated entries in fflate's container.
// Every entry reads back exactly, its recorded checksum and sizes are right (also for an entry
// deflated in many chunks), and the same entries give the same bytes.
import { crc32 } from 'node:zlib';
import { unzipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { ZipBuilder, zipBytes } from '../../functions/core/publish/zip-file.ts';

/** The central directory's records: name, CRC-32, compressed and uncompressed size, method. */
function centralDirectory(zip: Buffer) {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const records = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    records.push({
      name: zip.subarray(at + 46, at + 46 + nameLength).toString('utf8'),
      method: zip.readUInt16LE(at + 10),
      time: zip.readUInt16LE(at + 12),
      date: zip.readUInt16LE(at + 14),
      crc: zip.readUInt32LE(at + 16),
      size: zip.readUInt32LE(at + 24),
    });
    at += 46 + nameLength + extra;
  }
  return records;
}

/** Several megabytes of varied text: deflated in several chunks. */
const bigText = Array.from({ length: 120_000 }, (_, i) => `<row r="${i}">Đà Nẵng ${i * 7919}</row>`);

describe('zip-file', () => {
  test('entries read back exactly, with their checksums and sizes, at one fixed time', () => {
    const entries: Array<[string, Uint8Array]> = [
      ['kit/a.csv', Buffer.from('\uFEFFunit_code,unit_name\r\nU1,Sở Tư pháp\r\n')],
      ['kit/empty.txt', new Uint8Array(0)],
      ['kit/big.txt', Buffer.from(bigText.join('\n'))],
    ];
    const zip = zipBytes(entries, 6);
    const read = unzipSync(zip);
    expect(Object.keys(read)).toEqual(entries.map(([name]) => name));
    const directory = centralDirectory(zip);
    for (const [i, [name, bytes]] of entries.entries()) {
      expect(Buffer.from(read[name]!).equals(Buffer.from(bytes)), name).toBe(true);
      expect(directory[i]).toMatchObject({ name, method: 8, crc: crc32(bytes), size: bytes.length });
      // 2000-01-01 00:00 in DOS time (local time of the zip: the same on every machine).
      expect([directory[i]!.date, directory[i]!.time]).toEqual([(20 << 9) | (1 << 5) | 1, 0]);
    }
    expect(zipBytes(entries, 6).equals(zip)).toBe(true);
  });

  test('a text entry written in parts, across many chunks, is the text joined', () => {
    const zip = new ZipBuilder(1);
    const entry = zip.entry('sheet.xml');
    for (const line of bigText) entry.write(line);
    entry.write('x'.repeat(3_000_000)); // larger than a chunk on its own
    entry.write('cuối');
    entry.end();
    zip.add('after.txt', 'sau');
    const bytes = zip.bytes();
    const expected = Buffer.from(`${bigText.join('')}${'x'.repeat(3_000_000)}cuối`);
    const read = unzipSync(bytes);
    expect(Buffer.from(read['sheet.xml']!).equals(expected)).toBe(true);
    expect(Buffer.from(read['after.txt']!).toString()).toBe('sau');
    expect(centralDirectory(bytes)[0]).toMatchObject({ crc: crc32(expected), size: expected.length });
  });
});

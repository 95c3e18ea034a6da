// The bad-input suite: each case is a file with valid records around the broken one. A
// broken record is quarantined with file, line, field and reason while the valid records
// of the same file still reach the lake; a file that cannot be read at all is refused
// with its name and a reason, and nothing of it is written.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ExtractUnreadableError, ingestExtract } from '../../functions/core/ingest/ingest-extract.ts';
import { LocalStorage } from '../../functions/core/storage.ts';
import {
  csvCell,
  FIXTURES,
  filesUnder,
  lakeDossiers,
  lakeQuarantine,
  tempDir,
  toWindows1258,
  type V1Row,
  v1Csv,
  validRow,
} from './helpers.ts';

const good = [validRow(1), validRow(2), validRow(3)];
const goodIds = good.map((r) => r.dossier_id);

/** header, good[0] (line 2), good[1] (line 3), the bad row (line 4), good[2] (line 5). */
function withBadRow(overrides: Partial<V1Row>): string {
  return v1Csv([good[0]!, good[1]!, validRow(4, overrides), good[2]!]);
}

function withRawLine(rawLine: string): string {
  const csv = v1Csv(good).split('\n');
  return [...csv.slice(0, 3), rawLine, csv[3], ''].join('\n');
}

const header = v1Csv([]).trim();
const lineOf = (row: V1Row) => v1Csv([row]).split('\n')[1]!;

interface QuarantineCase {
  name: string;
  file?: string;
  content: string | Buffer;
  units?: string;
  encoding?: string;
  quarantined: { line: number; field: string | null; reason_code: string; reason?: RegExp }[];
  /** Valid dossier ids of the file that must be in the lake (default: the 3 good rows). */
  accepted?: string[];
}

interface RefusedCase {
  name: string;
  file?: string;
  content: string | Buffer;
  encoding?: string;
  refused: RegExp;
}

const dvcqgRecord = (i: number, extra: Record<string, unknown> = {}) => ({
  MaHoSo: `000.00.01.H22-210105-0000${i}`,
  MaTTHC: '1.001766',
  TenTTHC: 'Chứng thực bản sao',
  KenhThucHien: '2',
  ChuHoSo: `Công dân ${i}`,
  NgayTiepNhan: '20210105081530',
  NgayHenTra: '20210105163000',
  TrangThaiHoSo: '4',
  DonViXuLy: 'Sở Tư pháp',
  ...extra,
});
const dvcqgIds = [1, 2, 3].map((i) => dvcqgRecord(i).MaHoSo);

const bigValid = Array.from({ length: 400 }, (_, i) => validRow(100 + i));

const quarantineCases: QuarantineCase[] = [
  {
    name: 'unknown channel',
    content: withBadRow({ channel: 'fax' }),
    quarantined: [{ line: 4, field: 'channel', reason_code: 'unknown_channel' }],
  },
  {
    name: 'unknown DVCQG channel code 9',
    content: withBadRow({ channel: '9' }),
    quarantined: [{ line: 4, field: 'channel', reason_code: 'unknown_channel' }],
  },
  {
    name: 'impossible date 2021-02-30',
    content: withBadRow({ received_at: '2021-02-30 08:00:00' }),
    quarantined: [{ line: 4, field: 'received_at', reason_code: 'invalid_date' }],
  },
  {
    name: 'impossible time 25:61',
    content: withBadRow({ due_at: '2023-05-20 25:61:00' }),
    quarantined: [{ line: 4, field: 'due_at', reason_code: 'invalid_date' }],
  },
  {
    name: 'unparseable date text',
    content: withBadRow({ received_at: 'hôm qua' }),
    quarantined: [{ line: 4, field: 'received_at', reason_code: 'invalid_date' }],
  },
  {
    name: 'date before 2000',
    content: withBadRow({ received_at: '1999-12-31 10:00:00' }),
    quarantined: [{ line: 4, field: 'received_at', reason_code: 'date_before_2000' }],
  },
  {
    name: 'date in the future',
    content: withBadRow({ resolved_at: '2099-01-01 08:00:00' }),
    quarantined: [{ line: 4, field: 'resolved_at', reason_code: 'date_in_future' }],
  },
  {
    name: 'due before received (calendar date)',
    content: withBadRow({ received_at: '2023-05-10 08:00:00', due_at: '2023-05-09 17:00:00' }),
    quarantined: [{ line: 4, field: 'due_at', reason_code: 'due_before_received' }],
  },
  {
    name: 'resolved before received',
    content: withBadRow({
      received_at: '2023-05-10 08:00:00',
      due_at: '2023-05-12 17:00:00',
      resolved_at: '2023-05-10 07:59:00',
      status: 'resolved',
    }),
    quarantined: [{ line: 4, field: 'resolved_at', reason_code: 'resolved_before_received' }],
  },
  {
    name: 'resolved status without resolved_at',
    content: withBadRow({ status: 'resolved', resolved_at: '' }),
    quarantined: [{ line: 4, field: 'resolved_at', reason_code: 'missing_resolved_at' }],
  },
  {
    name: 'withdrawn (DVCQG 7) without resolved_at',
    content: withBadRow({ status: '7', resolved_at: '' }),
    quarantined: [{ line: 4, field: 'resolved_at', reason_code: 'missing_resolved_at' }],
  },
  {
    name: 'unknown status code 11',
    content: withBadRow({ status: '11' }),
    quarantined: [{ line: 4, field: 'status', reason_code: 'unknown_status' }],
  },
  {
    name: 'unknown status word',
    content: withBadRow({ status: 'finished' }),
    quarantined: [{ line: 4, field: 'status', reason_code: 'unknown_status' }],
  },
  {
    name: '=HYPERLINK formula in a name',
    content: withBadRow({ procedure_name: '=HYPERLINK("http://evil.example","bấm")' }),
    quarantined: [{ line: 4, field: 'procedure_name', reason_code: 'formula_injection' }],
  },
  {
    name: '+ and @ formula prefixes',
    content: v1Csv([
      good[0]!,
      good[1]!,
      validRow(4, { unit_name: '+cmd|calc' }),
      validRow(5, { field_name: '@SUM(A1)' }),
      good[2]!,
    ]),
    quarantined: [
      { line: 4, field: 'unit_name', reason_code: 'formula_injection' },
      { line: 5, field: 'field_name', reason_code: 'formula_injection' },
    ],
  },
  {
    name: 'HTML <script> in a name',
    content: withBadRow({ unit_name: 'Sở <script>alert(1)</script>' }),
    quarantined: [{ line: 4, field: 'unit_name', reason_code: 'html_markup' }],
  },
  {
    name: 'HTML <b> in a name',
    content: withBadRow({ field_name: '<b>Đất đai</b>' }),
    quarantined: [{ line: 4, field: 'field_name', reason_code: 'html_markup' }],
  },
  {
    name: 'control character (BEL) in a name',
    content: withBadRow({ procedure_name: 'Chứng thực\u0007' }),
    quarantined: [{ line: 4, field: 'procedure_name', reason_code: 'control_character' }],
  },
  {
    name: 'bidi override character in a code',
    content: withBadRow({ procedure_code: '1.00\u202e123' }),
    quarantined: [{ line: 4, field: 'procedure_code', reason_code: 'control_character' }],
  },
  {
    name: 'a 1 MB cell in a name',
    content: withBadRow({ procedure_name: 'Đ'.repeat(1 << 20) }),
    quarantined: [{ line: 4, field: 'procedure_name', reason_code: 'too_long' }],
  },
  {
    name: 'a code longer than 100 characters',
    content: withBadRow({ dossier_id: `H22-${'9'.repeat(150)}` }),
    quarantined: [{ line: 4, field: 'dossier_id', reason_code: 'too_long' }],
  },
  {
    name: 'empty dossier_id',
    content: withBadRow({ dossier_id: '' }),
    quarantined: [{ line: 4, field: 'dossier_id', reason_code: 'missing_required' }],
  },
  {
    name: 'empty procedure_code',
    content: withBadRow({ procedure_code: '   ' }),
    quarantined: [{ line: 4, field: 'procedure_code', reason_code: 'missing_required' }],
  },
  {
    name: 'invalid boolean',
    content: withBadRow({ paid_online: 'maybe' }),
    quarantined: [{ line: 4, field: 'paid_online', reason_code: 'invalid_boolean' }],
  },
  {
    name: 'unknown unit level',
    content: withBadRow({ unit_level: 'galaxy' }),
    quarantined: [{ line: 4, field: 'unit_level', reason_code: 'unknown_unit_level' }],
  },
  {
    name: 'unknown online level',
    content: withBadRow({ online_level: '7' }),
    quarantined: [{ line: 4, field: 'online_level', reason_code: 'unknown_online_level' }],
  },
  {
    name: 'duplicate dossier_id in one file (first kept)',
    content: v1Csv([good[0]!, good[1]!, validRow(9, { dossier_id: good[0]!.dossier_id }), good[2]!]),
    quarantined: [
      { line: 4, field: 'dossier_id', reason_code: 'duplicate_dossier_id', reason: /duplicate of line 2/ },
    ],
  },
  {
    name: 'ragged row: too few fields',
    content: withRawLine('H22-X,1.0001,short row'),
    quarantined: [{ line: 4, field: null, reason_code: 'ragged_row', reason: /3 fields/ }],
  },
  {
    name: 'ragged row: too many fields',
    content: withRawLine(`${lineOf(validRow(4))},extra,cells`),
    quarantined: [{ line: 4, field: null, reason_code: 'ragged_row' }],
  },
  {
    name: 'text after a closing quote',
    content: withRawLine(lineOf(validRow(4)).replace(/^/, '"H22-Q"x')),
    quarantined: [{ line: 4, field: null, reason_code: 'csv_syntax' }],
  },
  {
    name: 'a quoted cell spanning lines (line numbers stay right after it)',
    content: v1Csv([
      good[0]!,
      good[1]!,
      validRow(4, { procedure_name: 'dòng một\ndòng hai\ndòng ba' }),
      good[2]!,
      validRow(5, { channel: 'fax' }),
    ]),
    quarantined: [
      { line: 4, field: 'procedure_name', reason_code: 'control_character' },
      { line: 8, field: 'channel', reason_code: 'unknown_channel' },
    ],
  },
  {
    name: 'a BOM in the middle (two exports concatenated)',
    content: `${v1Csv(good.slice(0, 2))}\uFEFF${v1Csv([good[2]!])}`,
    quarantined: [{ line: 4, field: null, reason_code: 'repeated_header' }],
  },
  {
    name: 'the header again, in capitals after a space',
    content: `${v1Csv(good.slice(0, 2))} ${v1Csv([good[2]!]).replace(/^[^\n]*/, (header) => header.toUpperCase())}`,
    quarantined: [{ line: 4, field: null, reason_code: 'repeated_header' }],
  },
  {
    name: 'a stray BOM inside a cell',
    content: withBadRow({ dossier_id: '\uFEFFH22-BOM-1' }),
    quarantined: [{ line: 4, field: 'dossier_id', reason_code: 'control_character' }],
  },
  {
    name: 'invalid JSON line in NDJSON',
    file: 'extract.ndjson',
    content: [
      JSON.stringify(dvcqgRecord(1)),
      '{"MaHoSo": "000.00.01.H22-1", "ChuHoSo": "Lộ Lọt"',
      JSON.stringify(dvcqgRecord(2)),
      '',
      JSON.stringify(dvcqgRecord(3)),
      '',
    ].join('\n'),
    units: join(FIXTURES, 'dvcqg-sample-units.csv'),
    quarantined: [{ line: 2, field: null, reason_code: 'invalid_json' }],
    accepted: dvcqgIds,
  },
  {
    name: 'a JSON object where a value belongs',
    file: 'sync.json',
    content: JSON.stringify({
      data: [dvcqgRecord(1), dvcqgRecord(4, { MaTTHC: { ma: '1.001766' } }), dvcqgRecord(2), dvcqgRecord(3)],
    }),
    units: join(FIXTURES, 'dvcqg-sample-units.csv'),
    quarantined: [{ line: 2, field: 'MaTTHC', reason_code: 'invalid_type' }],
    accepted: dvcqgIds,
  },
  {
    name: 'a unit the registry does not know',
    file: 'sync.json',
    content: JSON.stringify([
      dvcqgRecord(1),
      dvcqgRecord(2),
      { ...dvcqgRecord(4), MaHoSo: '999.99.99.H99-210105-00004', DonViXuLy: 'Sở Không Tồn Tại' },
      dvcqgRecord(3),
    ]),
    units: join(FIXTURES, 'dvcqg-sample-units.csv'),
    quarantined: [{ line: 3, field: 'unit_code', reason_code: 'unknown_unit' }],
    accepted: dvcqgIds,
  },
  {
    name: 'a record outside its unit validity dates',
    file: 'sync.json',
    content: JSON.stringify([
      dvcqgRecord(1),
      dvcqgRecord(2),
      dvcqgRecord(4, { NgayTiepNhan: '20250801080000', NgayHenTra: '20250805170000' }),
      dvcqgRecord(3),
    ]),
    units: join(FIXTURES, 'dvcqg-sample-units.csv'),
    quarantined: [{ line: 3, field: 'unit_code', reason_code: 'unknown_unit' }],
    accepted: dvcqgIds,
  },
  // Hardening (issue 10): each class at its root.
  {
    name: 'a formula after leading whitespace',
    content: withBadRow({ procedure_name: ' =HYPERLINK("http://evil.example","bấm")' }),
    quarantined: [{ line: 4, field: 'procedure_name', reason_code: 'formula_injection' }],
  },
  {
    name: 'a formula after a leading tab',
    content: withBadRow({ unit_name: '\t@SUM(A1)' }),
    quarantined: [{ line: 4, field: 'unit_name', reason_code: 'formula_injection' }],
  },
  {
    name: 'a UTC offset of +99:99',
    content: withBadRow({ received_at: '2023-05-10T08:00:00+99:99' }),
    quarantined: [{ line: 4, field: 'received_at', reason_code: 'invalid_date' }],
  },
  {
    // A live system always holds open dossiers due after today: a deadline is not a date of the past.
    name: 'an open dossier due next year is accepted',
    content: withBadRow({
      status: 'processing',
      resolved_at: '',
      due_at: `${new Date().getUTCFullYear() + 1}-03-10 17:00:00`,
    }),
    quarantined: [],
  },
  {
    name: 'a record date in the year 9999',
    content: withBadRow({ due_at: '9999-12-31 23:59:59' }),
    quarantined: [{ line: 4, field: 'due_at', reason_code: 'date_in_future' }],
  },
  {
    name: 'a month-first slash date',
    content: withBadRow({ received_at: '10/25/2023 08:00:00' }),
    quarantined: [{ line: 4, field: 'received_at', reason_code: 'invalid_date' }],
  },
  {
    name: 'CR-only line endings',
    content: withBadRow({ channel: 'fax' }).replaceAll('\n', '\r'),
    quarantined: [{ line: 4, field: 'channel', reason_code: 'unknown_channel' }],
  },
  {
    name: 'a blank line before a semicolon header',
    content: `\n${withBadRow({ channel: 'fax' }).replace(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/gm, ';')}`,
    quarantined: [{ line: 5, field: 'channel', reason_code: 'unknown_channel' }],
  },
  {
    name: 'a blank line before a tab header',
    file: 'extract.tsv',
    content: `\r\n${withBadRow({ channel: 'fax' })
      .replace(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/gm, '\t')
      .replaceAll('\n', '\r\n')}`,
    quarantined: [{ line: 5, field: 'channel', reason_code: 'unknown_channel' }],
  },
  {
    name: 'numeric JSON identifiers above 2^53 kept as the text sent',
    file: 'big-ids.ndjson',
    content: [9007199254740993n, 9007199254740995n, 12345678901234567890n]
      .map(
        (id) =>
          `{"dossier_id": ${id}, "procedure_code": 1.0, "unit_code": "U1", "unit_level": "province", "channel": 2, "received_at": "2023-05-10 08:00:00", "status": 4}`,
      )
      .join('\n'),
    quarantined: [],
    accepted: ['9007199254740993', '9007199254740995', '12345678901234567890'],
  },
  {
    name: 'a DVCQG array with identifiers above 2^53',
    file: 'sync.json',
    content: `[${[9007199254740993n, 9007199254740995n]
      .map(
        (id) =>
          `{"MaHoSo": ${id}, "MaTTHC": "1.0", "MaDonVi": "U1", "CapThucHien": "Cấp tỉnh", "KenhThucHien": 2, "NgayTiepNhan": "20230510080000", "TrangThaiHoSo": 4}`,
      )
      .join(',')}]`,
    quarantined: [],
    accepted: ['9007199254740993', '9007199254740995'],
  },
];

const truncatedGzip = (() => {
  const gz = gzipSync(Buffer.from(v1Csv(bigValid)));
  return gz.subarray(0, Math.floor(gz.length / 2));
})();

const invalidUtf8Late = Buffer.concat([
  Buffer.from(v1Csv(bigValid)),
  Buffer.from(`${lineOf(validRow(999)).slice(0, 20)}`),
  Buffer.from([0xc3, 0x28]),
  Buffer.from(',x\n'),
]);

const refusedCases: RefusedCase[] = [
  { name: 'a 0-byte file', content: '', refused: /empty/ },
  { name: 'only blank lines', content: '\n\n  \n', refused: /empty/ },
  {
    name: 'header missing a required column',
    content: v1Csv(good, ['dossier_id', 'procedure_code', 'unit_code', 'unit_level', 'channel', 'status']),
    refused: /required column.*received_at/,
  },
  {
    name: 'a header with no contract column at all',
    content: 'ChuHoSo,SoDienThoai\nAn,0912\n',
    refused: /required column/,
  },
  {
    name: 'an unclosed quote at the end swallowing the file',
    content: `${v1Csv(good)}"H22-OPEN,1.0,never closed\n${lineOf(validRow(7))}\n`,
    refused: /never closed/,
  },
  { name: 'a truncated gzip', file: 'extract.csv.gz', content: truncatedGzip, refused: /gzip/ },
  {
    name: 'gzip of an empty file',
    file: 'extract.csv.gz',
    content: gzipSync(Buffer.alloc(0)),
    refused: /empty/,
  },
  {
    name: 'JSON object without data',
    file: 'sync.json',
    content: '{"service":"DongBoHoSoMC","isUpdating":false}',
    refused: /no "data" array/,
  },
  {
    name: 'JSON whose data is not an array',
    file: 'sync.json',
    content: '{"data":{"MaHoSo":"x"}}',
    refused: /not an array/,
  },
  { name: 'a JSON scalar', file: 'sync.json', content: '"hello"', refused: /neither an array/ },
  {
    name: 'a truncated JSON array',
    file: 'sync.json',
    content: JSON.stringify([dvcqgRecord(1), dvcqgRecord(2)]).slice(0, 150),
    refused: /malformed or truncated/,
  },
  { name: 'an empty NDJSON file', file: 'extract.ndjson', content: '\n\n', refused: /empty/ },
  {
    name: 'Windows-1258 bytes declared as UTF-8',
    encoding: 'utf-8',
    content: toWindows1258(v1Csv(good)),
    refused: /not valid UTF-8/,
  },
  { name: 'invalid UTF-8 after the detection sample', content: invalidUtf8Late, refused: /not valid UTF-8/ },
  {
    name: 'UTF-16LE declared as Windows-1258',
    encoding: 'windows-1258',
    content: Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(v1Csv(good), 'utf-16le')]),
    refused: /required column|not valid/,
  },
  {
    name: 'an unknown declared encoding',
    encoding: 'klingon-8',
    content: v1Csv(good),
    refused: /unknown encoding/,
  },
  {
    name: 'a gzip expanding to one line without breaks',
    file: 'extract.csv.gz',
    content: gzipSync(Buffer.alloc(40 << 20, 'a')),
    refused: /line is longer than/,
  },
  {
    name: 'a header without a line break',
    content: `dossier_id,${'x'.repeat(2 << 20)}`,
    refused: /line is longer than/,
  },
  {
    name: 'a data row of 20 MB without a line break',
    content: `${v1Csv(good)}${'y'.repeat(20 << 20)}`,
    refused: /line is longer than/,
  },
  {
    name: 'a snapshot date far in the future in the file name',
    file: 'extract-2099-12-31.csv',
    content: v1Csv(good),
    refused: /snapshot date 2099-12-31 \(from the file name\) is outside/,
  },
  {
    name: 'a snapshot date before 2000 in the file name',
    file: 'extract-1999-12-31.csv',
    content: v1Csv(good),
    refused: /snapshot date 1999-12-31/,
  },
];

async function ingestCase(
  fileName: string,
  content: string | Buffer,
  options: { units?: string; encoding?: string },
) {
  const dir = await tempDir('ck-bad-');
  const path = join(dir, fileName);
  await writeFile(path, content);
  const lake = join(dir, 'lake');
  const summary = await ingestExtract({
    path,
    lake: new LocalStorage(lake),
    snapshotDate: '2024-06-30',
    unitsPath: options.units,
    encoding: options.encoding,
  });
  return { lake, summary };
}

describe('bad input: broken records are quarantined, the rest of the file goes on', () => {
  it.each(quarantineCases)('$name', async (c) => {
    const { lake, summary } = await ingestCase(c.file ?? 'extract.csv', c.content, c);
    // A case without a broken record has no quarantine part.
    const quarantined = c.quarantined.length > 0 ? await lakeQuarantine(lake) : [];
    expect(quarantined.map((q) => ({ line: q.line, field: q.field, reason_code: q.reason_code }))).toEqual(
      c.quarantined.map(({ line, field, reason_code }) => ({ line, field, reason_code })),
    );
    for (const [i, q] of quarantined.entries()) {
      expect(q.source_file).toBe(c.file ?? 'extract.csv');
      expect(String(q.reason).length).toBeGreaterThan(0);
      if (c.quarantined[i]!.reason) expect(q.reason).toMatch(c.quarantined[i]!.reason!);
      expect(String(q.value ?? '').length).toBeLessThanOrEqual(200);
    }
    const ids = (await lakeDossiers(lake)).map((r) => r.dossier_id);
    for (const id of c.accepted ?? goodIds) expect(ids).toContain(id);
    expect(summary.rowsQuarantined).toBe(c.quarantined.length);
    expect(summary.rowsAccepted).toBe(ids.length);
  });
});

describe('bad input: unreadable files are refused whole, nothing written', () => {
  it.each(refusedCases)('$name', async (c) => {
    const dir = await tempDir('ck-bad-');
    const fileName = c.file ?? 'extract.csv';
    const path = join(dir, fileName);
    await writeFile(path, c.content);
    const lake = join(dir, 'lake');
    const error = await ingestExtract({ path, lake: new LocalStorage(lake), encoding: c.encoding }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ExtractUnreadableError);
    expect(error.file).toBe(fileName);
    expect(error.reason).toMatch(c.refused);
    expect(await filesUnder(lake)).toEqual([]);
  });

  it('a missing file is refused by name', async () => {
    const dir = await tempDir('ck-bad-');
    const error = await ingestExtract({
      path: join(dir, 'nope.csv'),
      lake: new LocalStorage(join(dir, 'lake')),
    }).catch((e) => e);
    expect(error).toBeInstanceOf(ExtractUnreadableError);
    expect(error.file).toBe('nope.csv');
  });
});

describe('bad input: the suite is wide enough', () => {
  it('has at least 30 distinct cases', () => {
    const names = new Set([...quarantineCases, ...refusedCases].map((c) => c.name));
    expect(names.size).toBeGreaterThanOrEqual(30);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(header.startsWith('dossier_id')).toBe(true);
  });
});

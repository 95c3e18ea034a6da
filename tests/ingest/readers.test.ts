// Each reader and encoding, end to end into real Parquet: UTF-8 with and without BOM,
// Windows-1258 and UTF-16LE (made with iconv-lite), gzip, semicolon CSV, DVCQG column names
// in a CSV, NDJSON, the DVCQG JSON array and {"data": [...]} shapes, and the date forms.
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ingestExtract } from '../../functions/core/ingest/ingest-extract.ts';
import { LocalStorage } from '../../functions/core/storage.ts';
import {
  FIXTURES,
  findPlantedValues,
  lakeDossiers,
  lakeQuarantine,
  tempDir,
  toWindows1258,
  v1Csv,
  validRow,
} from './helpers.ts';

const rows = [validRow(0), validRow(1), validRow(2), validRow(3)];
const csv = v1Csv(rows);

async function ingest(
  fileName: string,
  content: string | Buffer,
  options: { encoding?: string; units?: string } = {},
) {
  const dir = await tempDir('ck-read-');
  const path = join(dir, fileName);
  await writeFile(path, content);
  const lake = join(dir, 'lake');
  const summary = await ingestExtract({
    path,
    lake: new LocalStorage(lake),
    encoding: options.encoding,
    unitsPath: options.units,
  });
  return { summary, lake, records: await lakeDossiers(lake) };
}

function expectSameRecords(records: Record<string, unknown>[]) {
  expect(
    records.map((r) => [r.dossier_id, r.procedure_name, r.field_name, r.unit_name, r.received_at, r.status]),
  ).toEqual(
    rows.map((r) => [r.dossier_id, r.procedure_name, r.field_name, r.unit_name, r.received_at, r.status]),
  );
}

describe('CSV encodings', () => {
  it('UTF-8 without BOM', async () => {
    const { summary, records } = await ingest('a.csv', csv);
    expect(summary).toMatchObject({ format: 'csv', encoding: 'utf-8', rowsRead: 4, rowsAccepted: 4 });
    expectSameRecords(records);
  });

  it('UTF-8 with BOM (header still recognised)', async () => {
    const { summary, records } = await ingest('a.csv', `\uFEFF${csv}`);
    expect(summary).toMatchObject({ encoding: 'utf-8', rowsAccepted: 4 });
    expectSameRecords(records);
  });

  it('Windows-1258, detected; Vietnamese text comes out NFC', async () => {
    const bytes = toWindows1258(csv);
    expect(bytes.includes(Buffer.from('Chứng', 'utf8'))).toBe(false);
    const { summary, records } = await ingest('a.csv', bytes);
    expect(summary).toMatchObject({ encoding: 'windows-1258', rowsAccepted: 4 });
    expectSameRecords(records);
    expect(records[0]!.field_name).toBe('Chứng thực'.normalize('NFC'));
  });

  it('Windows-1258, declared as cp1258', async () => {
    const { summary, records } = await ingest('a.csv', toWindows1258(csv), { encoding: 'cp1258' });
    expect(summary.encoding).toBe('windows-1258');
    expectSameRecords(records);
  });

  it('UTF-16LE with BOM, detected', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(csv, 'utf-16le')]);
    const { summary, records } = await ingest('a.csv', bytes);
    expect(summary).toMatchObject({ encoding: 'utf-16le', rowsAccepted: 4 });
    expectSameRecords(records);
  });

  it('UTF-16LE declared, CRLF line ends', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      iconv.encode(csv.replaceAll('\n', '\r\n'), 'utf-16le'),
    ]);
    const { summary, records } = await ingest('a.csv', bytes, { encoding: 'utf-16le' });
    expect(summary.rowsAccepted).toBe(4);
    expectSameRecords(records);
  });

  it('gzip-compressed CSV', async () => {
    const { summary, records } = await ingest('a.csv.gz', gzipSync(Buffer.from(csv)));
    expect(summary).toMatchObject({ format: 'csv', rowsAccepted: 4 });
    expectSameRecords(records);
  });

  it('semicolon-separated CSV with upper-case and DVCQG column names', async () => {
    const semicolon = csv
      .split('\n')
      .map((line, i) =>
        i === 0
          ? line.toUpperCase().replace('DOSSIER_ID', 'MaHoSo').replace('STATUS', 'TrangThaiHoSo')
          : line,
      )
      .join('\n')
      .replace(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/gm, ';');
    const { summary, records } = await ingest('a.csv', semicolon);
    expect(summary.rowsAccepted).toBe(4);
    expectSameRecords(records);
  });
});

describe('JSON readers', () => {
  const units = join(FIXTURES, 'dvcqg-sample-units.csv');
  const records = [
    {
      MaHoSo: '000.00.01.H22-210105-00001',
      MaTTHC: '1.001766',
      KenhThucHien: 2,
      NgayTiepNhan: '20210105081530',
      TrangThaiHoSo: 4,
      DonViXuLy: 'Sở Tư pháp',
      ChuHoSo: 'Bí Mật A',
    },
    {
      mahoso: '000.20.31.H22-210107-00003',
      matthc: '1.003005',
      kenhthuchien: '3',
      ngaytiepnhan: '2021-01-07T02:00:00Z',
      trangthaihoso: '2',
      ChuHoSo: 'Bí Mật B',
    },
    {
      dossier_id: 'X-1',
      procedure_code: '1.0',
      unit_code: 'BG-STP',
      channel: 'online',
      received_at: '07/01/2021 09:30:00',
      status: 'processing',
      Email: 'bi.mat@example.vn',
    },
  ];

  it('NDJSON with DVCQG names, canonical names and any case', async () => {
    const text = `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
    const { summary, lake, records: lakeRows } = await ingest('sync.ndjson', text, { units });
    expect(summary).toMatchObject({ format: 'ndjson', rowsAccepted: 3, rowsQuarantined: 0 });
    expect(
      lakeRows.map((r) => [r.dossier_id, r.unit_code, r.unit_level, r.channel, r.received_at, r.source_line]),
    ).toEqual([
      ['000.00.01.H22-210105-00001', 'BG-STP', 'province', 'online', '2021-01-05 08:15:30', 1],
      ['000.20.31.H22-210107-00003', 'BG-LG', 'district', 'postal', '2021-01-07 09:00:00', 2],
      ['X-1', 'BG-STP', 'province', 'online', '2021-01-07 09:30:00', 3],
    ]);
    expect(await findPlantedValues(lake, ['Bí Mật', 'bi.mat@example.vn'])).toEqual([]);
  });

  it('DVCQG JSON as a bare array', async () => {
    const { summary, records: lakeRows } = await ingest('sync.json', JSON.stringify(records.slice(0, 2)), {
      units,
    });
    expect(summary).toMatchObject({ format: 'dvcqg-json', rowsAccepted: 2 });
    expect(lakeRows.map((r) => r.source_line)).toEqual([1, 2]);
  });
});

describe('the DVCQG fixture (dvcqg-sample.json + units)', () => {
  it('gives exactly the 5 records the fixture README describes, without citizen data', async () => {
    const dir = await tempDir('ck-dvcqg-');
    await copyFile(join(FIXTURES, 'dvcqg-sample.json'), join(dir, 'dvcqg-sample.json'));
    // units.csv beside the extract is picked up without --units.
    await copyFile(join(FIXTURES, 'dvcqg-sample-units.csv'), join(dir, 'units.csv'));
    const lake = join(dir, 'lake');
    const summary = await ingestExtract({
      path: join(dir, 'dvcqg-sample.json'),
      lake: new LocalStorage(lake),
      snapshotDate: '2021-01-20',
    });
    expect(summary).toMatchObject({
      format: 'dvcqg-json',
      rowsRead: 5,
      rowsAccepted: 5,
      rowsQuarantined: 0,
      skipped: false,
    });
    const r = await lakeDossiers(lake);
    expect(r).toHaveLength(5);
    expect(r.map((x) => [x.unit_code, x.channel, x.status])).toEqual([
      ['BG-STP', 'online', 'resolved'],
      ['BG-STP', 'direct', 'resolved'],
      ['BG-LG', 'postal', 'processing'],
      ['BG-LG', 'direct', 'withdrawn'],
      ['BG-STP', 'online', 'submitted'],
    ]);
    // 1: online, resolved on its due date, e-result, paid online, field "Chứng thực".
    expect(r[0]).toMatchObject({
      field_name: 'Chứng thực',
      result_electronic: true,
      paid_online: true,
      fee_required: true,
      digitized: true,
    });
    expect(String(r[0]!.resolved_at).slice(0, 10)).toBe(String(r[0]!.due_at).slice(0, 10));
    // 2: direct and late by one day.
    expect(r[1]).toMatchObject({
      due_at: '2021-01-18 17:00:00',
      resolved_at: '2021-01-19 09:00:00',
      result_electronic: false,
      paid_online: false,
    });
    // 3: postal and pending; 4: empty channel → direct, withdrawn (returned), closed at NgayKetThucXuLy.
    expect(r[2]).toMatchObject({ resolved_at: null });
    expect(r[3]).toMatchObject({ resolved_at: '2021-01-12 15:00:00' });
    expect(await lakeQuarantine(lake).catch(() => [])).toEqual([]);
    expect(
      await findPlantedValues(lake, [
        'Trần Thị Mẫu',
        'Lê Văn Thử',
        'Phạm Quốc Dữ',
        'Vũ Thị Liệu',
        'Đỗ Văn Mẫu',
        '024190000123',
        '024085000456',
        '0912345678',
        '0987654321',
        'mau.tran@example.vn',
        'Chứng thực bản sao giấy khai sinh',
      ]),
    ).toEqual([]);
  });
});

describe('quoted cells across the file', () => {
  it('keeps commas, doubled quotes and line breaks inside quotes, and every line number right', async () => {
    const quoted = [
      validRow(0, { procedure_name: 'x, "quoted"' }),
      validRow(1),
      validRow(2, { field_name: 'multi\r\nline' }),
      validRow(3),
    ];
    const text = v1Csv(quoted)
      .replaceAll('\n', '\r\n')
      .replace(/\r\n(?=000\.00\.01\.H22-230404)/, '\r\n\r\n');
    const { records, lake } = await ingest('a.csv', text);
    expect(records.map((r) => [r.source_line, r.procedure_name])).toEqual([
      [2, 'x, "quoted"'],
      [3, quoted[1]!.procedure_name],
      [7, quoted[3]!.procedure_name],
    ]);
    expect((await lakeQuarantine(lake)).map((q) => [q.line, q.field, q.reason_code])).toEqual([
      [4, 'field_name', 'control_character'],
    ]);
  });
});

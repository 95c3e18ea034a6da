// Vendor exports (docs/design.md "Vendor exports"): semicolon and tab exports, Vietnamese headers,
// the portal's status and channel names in any case or without diacritics, dd/MM/yyyy dates
// (month first quarantined), title rows above the header, XLSX, unknown words quarantined
// with their value, a profile mapping a vendor word, `congkhai profile check`, and the
// vendor sample through the real CLI and `congkhai kpi` against the same dossiers in v1.
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ingestExtract } from '../../functions/core/ingest/ingest-extract.ts';
import { LocalStorage } from '../../functions/core/storage.ts';
import { FIXTURES, findPlantedValues, lakeDossiers, lakeQuarantine, runCli, tempDir } from './helpers.ts';

const VN_HEADER = [
  'Mã hồ sơ',
  'Mã thủ tục',
  'Tên thủ tục',
  'Lĩnh vực',
  'Mã đơn vị',
  'Đơn vị xử lý',
  'Cấp thực hiện',
  'Kênh thực hiện',
  'Chủ hồ sơ',
  'Số điện thoại',
  'Ngày tiếp nhận',
  'Ngày hẹn trả',
  'Ngày kết thúc xử lý',
  'Trạng thái',
];
type VnRow = [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];
const vnRows: VnRow[] = [
  [
    'V-1',
    '1.001',
    'Đăng ký khai sinh',
    'Hộ tịch',
    'X-01',
    'UBND xã Một',
    'Cấp xã',
    'Trực tiếp',
    'Bí Mật Một',
    '0911000001',
    '02/10/2025 08:15:00',
    '03/10/2025 17:00:00',
    '',
    'ĐANG XỬ LÝ',
  ],
  [
    'V-2',
    '1.002',
    'Chứng thực',
    'Chứng thực',
    'X-01',
    'UBND xã Một',
    'cap xa',
    'truc tuyen',
    'Bí Mật Hai',
    '0911000002',
    '02/10/2025 09:00',
    '02/10/2025',
    '02/10/2025 10:30',
    'da tra ket qua',
  ],
  [
    'V-3',
    '1.003',
    'Lý lịch',
    'Lý lịch',
    'P-STP',
    'Sở Tư pháp',
    'Cấp tỉnh',
    'Bưu chính công ích',
    'Bí Mật Ba',
    '0911000003',
    '1/10/2025 14:00:00',
    '10/10/2025 17:00:00',
    '9/10/2025 16:00:00',
    'Đã xử lý xong',
  ],
  [
    'V-4',
    '1.003',
    'Lý lịch',
    'Lý lịch',
    'P-STP',
    'Sở Tư pháp',
    'Cấp tỉnh',
    'Trực tiếp',
    'Bí Mật Bốn',
    '0911000004',
    '10/25/2025 10:00:00',
    '',
    '',
    'Đang xử lý',
  ],
  [
    'V-5',
    '1.003',
    'Lý lịch',
    'Lý lịch',
    'P-STP',
    'Sở Tư pháp',
    'Cấp tỉnh',
    'Trực tiếp',
    'Bí Mật Năm',
    '0911000005',
    '03/10/2025 11:00:00',
    '',
    '',
    'Chờ duyệt',
  ],
];
const citizen = vnRows.flatMap((r) => [r[8], r[9]]);

function delimited(delimiter: string, rows: VnRow[] = vnRows, newline = '\r\n'): string {
  return [VN_HEADER, ...rows].map((r) => r.join(delimiter)).join(newline) + newline;
}

async function ingest(fileName: string, content: string | Buffer, profile?: object) {
  const dir = await tempDir('ck-vendor-');
  const path = join(dir, fileName);
  await writeFile(path, content);
  let profilePath: string | undefined;
  if (profile) {
    profilePath = join(dir, 'profile.json');
    await writeFile(profilePath, JSON.stringify(profile));
  }
  const lake = join(dir, 'lake');
  const summary = await ingestExtract({
    path,
    lake: new LocalStorage(lake),
    snapshotDate: '2025-10-05',
    ...(profilePath ? { profilePath } : {}),
  });
  return {
    dir,
    lake,
    summary,
    rows: await lakeDossiers(lake),
    quarantine: await lakeQuarantine(lake).catch(() => []),
  };
}

/** The expected reading of vnRows 1–3 (4: month-first date; 5: unknown status word). */
function expectReadAsVendorMeant(rows: Record<string, unknown>[], firstLine = 2) {
  expect(
    rows.map((r) => [
      r.dossier_id,
      r.unit_level,
      r.channel,
      r.status,
      r.received_at,
      r.resolved_at,
      r.source_line,
    ]),
  ).toEqual([
    ['V-1', 'commune', 'direct', 'processing', '2025-10-02 08:15:00', null, firstLine],
    ['V-2', 'commune', 'online', 'resolved', '2025-10-02 09:00:00', '2025-10-02 10:30:00', firstLine + 1],
    ['V-3', 'province', 'postal', 'resolved', '2025-10-01 14:00:00', '2025-10-09 16:00:00', firstLine + 2],
  ]);
}

function expectQuarantinedMonthFirstAndUnknownWord(quarantine: Record<string, unknown>[], firstLine = 2) {
  expect(quarantine.map((q) => [q.line, q.field, q.reason_code, q.value])).toEqual([
    [firstLine + 3, 'received_at', 'invalid_date', '10/25/2025 10:00:00'],
    [firstLine + 4, 'status', 'unknown_status', 'Chờ duyệt'],
  ]);
}

describe('vendor exports without a profile', () => {
  it('a semicolon export with a BOM, CRLF, Vietnamese headers, words in any case or without diacritics', async () => {
    const { rows, quarantine, lake } = await ingest('bao-cao.csv', `\uFEFF${delimited(';')}`);
    expectReadAsVendorMeant(rows);
    expectQuarantinedMonthFirstAndUnknownWord(quarantine);
    expect(await findPlantedValues(lake, citizen)).toEqual([]);
  });

  it('a tab export with a blank line and title rows above the header', async () => {
    const text = `\r\nBÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ\r\nTừ ngày 01/10/2025 đến ngày 05/10/2025\r\n${delimited('\t')}`;
    const { rows, quarantine } = await ingest('bao-cao.tsv', text);
    expectReadAsVendorMeant(rows, 5);
    expectQuarantinedMonthFirstAndUnknownWord(quarantine, 5);
  });

  it('a pipe export with CR-only line ends', async () => {
    const { rows, quarantine } = await ingest('bao-cao.txt', delimited('|', vnRows, '\r'));
    expectReadAsVendorMeant(rows);
    expectQuarantinedMonthFirstAndUnknownWord(quarantine);
  });

  it('an XLSX export: first sheet, a title row above the header, date cells', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Báo cáo');
    sheet.addRow(['BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ']);
    sheet.addRow(VN_HEADER);
    for (const row of vnRows) sheet.addRow(row);
    // A real date cell (Excel serial), read as the wall time it shows.
    sheet.getCell('K3').value = new Date(Date.UTC(2025, 9, 2, 8, 15, 0));
    workbook.addWorksheet('Khác').addRow(['not read']);
    const dir = await tempDir('ck-xlsx-');
    const path = join(dir, 'bao-cao.xlsx');
    await workbook.xlsx.writeFile(path);
    const { rows, quarantine, lake, summary } = await ingest('bao-cao.xlsx', await readFile(path));
    expect(summary.format).toBe('xlsx');
    expectReadAsVendorMeant(rows, 3);
    expectQuarantinedMonthFirstAndUnknownWord(quarantine, 3);
    expect(await findPlantedValues(lake, citizen)).toEqual([]);
  });

  it("an XLSX export's escaped characters (_xHHHH_) are read as a spreadsheet shows them", async () => {
    // Excel writes a carriage return in a cell as _x000D_ and a literal "_x0041_" as
    // _x005F_x0041_; exceljs, which writes the sheet here, writes the text as it is.
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Báo cáo');
    sheet.addRow(VN_HEADER);
    const rows = vnRows.slice(0, 2).map((r) => [...r] as VnRow);
    rows[0]![2] = 'Đăng ký _x005F_x0041_ khai sinh';
    rows[1]![2] = 'Đăng ký_x0020_kết hôn';
    for (const row of rows) sheet.addRow(row);
    const dir = await tempDir('ck-xlsx-');
    const path = join(dir, 'bao-cao.xlsx');
    await workbook.xlsx.writeFile(path);
    const { rows: lake } = await ingest('bao-cao.xlsx', await readFile(path));
    expect(lake.map((r) => r.procedure_name)).toEqual(['Đăng ký _x0041_ khai sinh', 'Đăng ký kết hôn']);
  });
});

describe('a profile', () => {
  const profile = {
    headers: { 'Số HS': 'dossier_id' },
    status: { 'Chờ duyệt': 'processing' },
    channel: { 'Qua mạng': 'online' },
  };

  it('maps a vendor word and a vendor header', async () => {
    const rows = vnRows.map((r) => [...r] as VnRow);
    rows[0]![7] = 'QUA MANG';
    const text = delimited(';', rows).replace('Mã hồ sơ', 'Số HS');
    const { rows: lake, quarantine } = await ingest('export.csv', text, profile);
    expect(lake.map((r) => [r.dossier_id, r.channel, r.status])).toEqual([
      ['V-1', 'online', 'processing'],
      ['V-2', 'online', 'resolved'],
      ['V-3', 'postal', 'resolved'],
      ['V-5', 'direct', 'processing'],
    ]);
    expect(quarantine.map((q) => [q.line, q.reason_code])).toEqual([[5, 'invalid_date']]);
  });

  it('may declare month-first dates for the whole file', async () => {
    const rows: VnRow[] = [[...vnRows[3]!]];
    const { rows: lake } = await ingest('us.csv', delimited(';', rows), {
      date_formats: ['MM/dd/yyyy HH:mm:ss'],
    });
    expect(lake.map((r) => r.received_at)).toEqual(['2025-10-25 10:00:00']);
  });

  it('is refused with the reason when it breaks its schema or holds a formula', async () => {
    for (const bad of [
      { status: { x: 'finished' } },
      { headers: { '=cmd()': 'dossier_id' } },
      { colour: 'red' },
    ]) {
      const error = await ingest('export.csv', delimited(';'), bad).catch((e) => e);
      expect(error.reason).toMatch(/profile .*profile\.json: /);
    }
  });

  it('`congkhai profile check` names what it understood and what not', async () => {
    const dir = await tempDir('ck-profile-');
    await writeFile(join(dir, 'export.csv'), `\uFEFF${delimited(';')}`);
    await writeFile(join(dir, 'profile.json'), JSON.stringify({ channel: { 'Qua mạng': 'online' } }));
    const result = await runCli(['profile', 'check', join(dir, 'profile.json'), join(dir, 'export.csv')]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('"Mã hồ sơ" → dossier_id');
    expect(result.stdout).toContain('"Chủ hồ sơ" → dropped (not a contract column)');
    expect(result.stdout).toContain('status "da tra ket qua" (1 rows) → resolved');
    expect(result.stdout).toContain('status "Chờ duyệt" (1 rows) → NOT UNDERSTOOD');
    expect(result.stdout).not.toContain('Bí Mật');
    await writeFile(join(dir, 'profile.json'), JSON.stringify({ status: { 'Chờ duyệt': 'processing' } }));
    const fixed = await runCli(['profile', 'check', join(dir, 'profile.json'), join(dir, 'export.csv')]);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain('Every word is understood.');
  });
});

describe('must show: the vendor sample through the CLI and kpi, as its v1 twin', () => {
  const V1_HEADER =
    'dossier_id,procedure_code,procedure_name,field_name,unit_code,unit_name,unit_level,channel,received_at,due_at,resolved_at,status';
  const V1 = [
    'V-0001,1.001,Đăng ký khai sinh,Hộ tịch,X-01,UBND xã Một,commune,direct,2025-10-02 08:15:00,2025-10-03 17:00:00,,processing',
    'V-0002,1.002,Chứng thực bản sao,Chứng thực,X-01,UBND xã Một,commune,online,2025-10-02 09:00:00,2025-10-02 17:00:00,2025-10-02 10:30:00,resolved',
    'V-0003,1.003,Cấp phiếu lý lịch tư pháp,Lý lịch tư pháp,P-STP,Sở Tư pháp,province,postal,2025-10-01 14:00:00,2025-10-10 17:00:00,2025-10-09 16:00:00,resolved',
    'V-0004,1.001,Đăng ký khai sinh,Hộ tịch,X-01,UBND xã Một,commune,online,2025-10-03 08:00:00,2025-10-04 17:00:00,2025-10-03 15:00:00,withdrawn',
    'V-0005,1.003,Cấp phiếu lý lịch tư pháp,Lý lịch tư pháp,P-STP,Sở Tư pháp,province,direct,2025-10-03 10:00:00,2025-10-13 17:00:00,,supplement_requested',
  ];

  it('ingests 5 records, quarantines 1, and publishes the same province figures', async () => {
    const dir = await tempDir('ck-vendor-sample-');
    const vendor = join(dir, 'vendor-export-sample.csv');
    await copyFile(join(FIXTURES, 'vendor-export-sample.csv'), vendor);
    const v1 = join(dir, 'v1.csv');
    await writeFile(v1, `${[V1_HEADER, ...V1].join('\n')}\n`);
    const run = async (file: string, name: string) => {
      const lake = join(dir, `lake-${name}`);
      const out = join(dir, `out-${name}`);
      const ingest = await runCli(['ingest', file, '--snapshot', '2025-10-05', '--lake', lake]);
      expect(ingest.code).toBe(0);
      const kpi = await runCli(['kpi', '--lake', lake, '--out', out, '--as-of', '2025-10-05']);
      expect(kpi.code).toBe(0);
      return { lake, out, ingest };
    };
    const vendorRun = await run(vendor, 'vendor');
    expect(vendorRun.ingest.stdout).toContain('read 6, accepted 5, quarantined 1 (unknown_status: 1)');
    const rows = await lakeDossiers(vendorRun.lake);
    expect(rows.map((r) => [r.status, r.channel])).toEqual([
      ['processing', 'direct'],
      ['resolved', 'online'],
      ['resolved', 'postal'],
      ['withdrawn', 'online'],
      ['supplement_requested', 'direct'],
    ]);
    const v1Run = await run(v1, 'v1');
    const province = (out: string) => readFile(join(out, 'data/v1/province_kpis.csv'), 'utf8');
    expect(await province(vendorRun.out)).toBe(await province(v1Run.out));
    const names = ['Trần Thị Mẫu', 'Lê Văn Mẫu', 'Phạm Văn Mẫu', 'Đỗ Thị Mẫu', 'Vũ Văn Mẫu', 'Hồ Văn Mẫu'];
    const phones = ['0900000001', '0900000002', '0900000003', '0900000004', '0900000005', '0900000006'];
    for (const place of [vendorRun.lake, vendorRun.out])
      expect(await findPlantedValues(place, [...names, ...phones])).toEqual([]);
    expect(vendorRun.ingest.stdout + vendorRun.ingest.stderr).not.toMatch(/Mẫu|09000000/);
  });
});

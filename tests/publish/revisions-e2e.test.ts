// Must-show of issue 13 through the real CLI: publishing twice, the second time after a later
// snapshot corrects some dossiers of one unit in a past year, `revisions` lists exactly the
// changed figures of that unit and of the province (previous and new values), nothing else;
// the spreadsheet edition opens as a workbook with Vietnamese headers; every unit has a kit;
// the citation names the configured publisher and the dated archive.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Row } from '../../functions/core/engine.ts';
import { congkhai } from '../support/congkhai-cli.ts';
import { type LakeRecord, writeLakeSnapshot } from '../support/write-lake.ts';

const resolvedIn2024 = (unit: string, i: number, late: boolean): LakeRecord => ({
  dossier_id: `${unit}-${i}`,
  unit_code: unit,
  unit_name: unit === 'A' ? 'Sở Tư pháp' : 'UBND xã Hòa Bình',
  unit_level: unit === 'A' ? 'province' : 'commune',
  channel: 'direct',
  received_at: '2024-03-04 08:00:00',
  due_at: '2024-03-08 17:00:00',
  resolved_at: late ? '2024-03-12 10:00:00' : '2024-03-07 10:00:00',
  status: 'resolved',
});

let dir: string;
let revisions: Row[];
let pkg: { publisher: { office: string }; citation: { text: string } };
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'congkhai-revisions-'));
  const lake = join(dir, 'lake');
  const out = join(dir, 'out');
  const config = join(dir, 'config.json');
  await writeFile(
    config,
    JSON.stringify({
      publisher: {
        province: 'Tỉnh Hà Tĩnh',
        office: 'Văn phòng UBND tỉnh Hà Tĩnh',
        contact: 'dulieu@hatinh.gov.vn',
      },
    }),
  );
  const base = [
    ...Array.from({ length: 30 }, (_, i) => resolvedIn2024('A', i, i < 3)),
    ...Array.from({ length: 20 }, (_, i) => resolvedIn2024('B', i, false)),
  ];
  await writeLakeSnapshot(lake, '2025-01-10', base, 'first');
  const first = await congkhai(['kpi', '--lake', lake, '--out', out, '--config', config]);
  expect(first.code, first.stderr).toBe(0);
  // A later snapshot corrects three of unit A's dossiers: they were resolved late after all.
  const corrected = [3, 4, 5].map((i) => resolvedIn2024('A', i, true));
  await writeLakeSnapshot(lake, '2025-01-11', corrected, 'second');
  const second = await congkhai(['kpi', '--lake', lake, '--out', out, '--config', config]);
  expect(second.code, second.stderr).toBe(0);
  revisions = JSON.parse(await readFile(join(out, 'data', 'v1', 'revisions.json'), 'utf8')) as Row[];
  pkg = JSON.parse(await readFile(join(out, 'data', 'v1', 'datapackage.json'), 'utf8'));
}, 240_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('publishing twice after a correction', () => {
  test('revisions lists exactly the changed figures of that unit and of the province', () => {
    expect(revisions.length).toBeGreaterThan(0);
    expect(new Set(revisions.map((r) => r['unit_code'] ?? 'province'))).toEqual(new Set(['A', 'province']));
    for (const r of revisions) {
      expect(r['previous_as_of']).toBe('2025-01-11 00:00:00');
      expect(r['as_of']).toBe('2025-01-12 00:00:00');
      expect([
        'resolved_on_time',
        'resolved_late',
        'overdue_total',
        'on_time_rate',
        'early_rate',
        'resolved_early',
        'resolution_days_total',
      ]).toContain(r['column']);
    }
    const quarter = (table: string, column: string) =>
      revisions.find(
        (r) =>
          r['table'] === table &&
          r['period_type'] === 'quarter' &&
          r['period'] === '2024-Q1' &&
          r['column'] === column,
      );
    expect(quarter('unit_kpis', 'resolved_late')).toMatchObject({ previous_value: 3, value: 6 });
    expect(quarter('unit_kpis', 'resolved_on_time')).toMatchObject({ previous_value: 27, value: 24 });
    expect(quarter('province_kpis', 'resolved_late')).toMatchObject({ previous_value: 3, value: 6 });
    expect(Number(quarter('province_kpis', 'on_time_rate')!['value'])).toBeCloseTo(44 / 50, 12);
    // The year and the month changed too; the untouched unit B never appears.
    expect(revisions.some((r) => r['period'] === '2024' && r['column'] === 'resolved_late')).toBe(true);
    expect(revisions.some((r) => r['unit_code'] === 'B')).toBe(false);
  });

  test('the spreadsheet edition is a valid workbook with Vietnamese headers and rates as percentages', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(dir, 'out', 'data', 'v1', 'unit_kpis.xlsx'));
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      'Theo tháng',
      'Theo quý',
      'Theo 6 tháng',
      'Theo năm',
      'Ghi chú',
    ]);
    const headers = (workbook.getWorksheet('Theo quý')!.getRow(1).values as unknown[]).slice(1);
    expect(headers).toContain('Tỷ lệ giải quyết đúng hạn');
    expect(headers).toContain('Tên đơn vị');
  });

  test('every unit has a kit, and the citation names the publisher and the dated archive', async () => {
    const kits = await readdir(join(dir, 'out', 'data', 'v1', 'units'));
    expect(kits.sort()).toEqual(['A', 'A.zip', 'B', 'B.zip']);
    expect(pkg.publisher.office).toBe('Văn phòng UBND tỉnh Hà Tĩnh');
    expect(pkg.citation.text).toContain('Văn phòng UBND tỉnh Hà Tĩnh (2025)');
    expect(pkg.citation.text).toContain('/data/v1/archive/2025-01-12/');
    const readme = await readFile(join(dir, 'out', 'data', 'v1', 'units', 'A', 'README.md'), 'utf8');
    expect(readme).toContain('Văn phòng UBND tỉnh Hà Tĩnh');
  });
});

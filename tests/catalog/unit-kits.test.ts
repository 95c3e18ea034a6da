// One folder and one zip per unit, its rows split by period type, a README that warns about
// stocks and names the publisher, and its citation.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, test } from 'vitest';
import { parseConfig } from '../../functions/core/config.ts';
import { writeUnitKits } from '../../functions/core/publish/unit-kits.ts';

let dir: string;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('writeUnitKits', () => {
  test('every unit gets a folder and a zip with its own rows only', async () => {
    dir = await mkdtemp(join(tmpdir(), 'congkhai-kits-'));
    const config = parseConfig({
      publisher: { province: 'Tỉnh Ninh Bình', office: 'Văn phòng UBND tỉnh Ninh Bình', contact: 'a@b.vn' },
    });
    const unitRow = (unit: string, type: string, period: string) => ({
      period_type: type,
      period,
      unit_code: unit,
      unit_name: unit === 'X/1' ? 'UBND xã Gia Viễn' : 'Sở Tư pháp',
      received_total: 3,
    });
    const written = await writeUnitKits(dir, {
      tables: {
        unit_kpis: [
          unitRow('X/1', 'month', '2025-08'),
          unitRow('X/1', 'quarter', '2025-Q3'),
          unitRow('STP', 'month', '2025-08'),
        ],
        overdue_dossiers: [{ reference: '7KQ2-M9XD-4T', unit_code: 'X/1', days_overdue: 3 }],
      },
      asOf: '2025-09-01 00:00:00',
      publishedOn: '2025-09-01',
      config,
      slug: (code) => code.replace('/', '_2f_'),
    });
    expect(await readdir(join(dir, 'units'))).toEqual(['STP', 'STP.zip', 'X_2f_1', 'X_2f_1.zip']);
    const files = await readdir(join(dir, 'units', 'X_2f_1'));
    expect(files.sort()).toEqual(
      [
        'CITATION.txt',
        'README.md',
        'citation.bib',
        'overdue_dossiers.csv',
        'unit_kpis_month.csv',
        'unit_kpis_quarter.csv',
      ].sort(),
    );
    const months = await readFile(join(dir, 'units', 'X_2f_1', 'unit_kpis_month.csv'), 'utf8');
    expect(months).toContain('2025-08');
    expect(months).not.toContain('2025-Q3');
    expect(months).not.toContain('Sở Tư pháp');
    const readme = await readFile(join(dir, 'units', 'X_2f_1', 'README.md'), 'utf8');
    expect(readme).toContain('UBND xã Gia Viễn');
    expect(readme).toContain('Văn phòng UBND tỉnh Ninh Bình');
    expect(readme).toContain('không cộng các tháng');
    expect(readme).toContain('`carried_over`');
    expect(readme).toContain('CC BY 4.0');
    const zip = unzipSync(await readFile(join(dir, 'units', 'X_2f_1.zip')));
    expect(Object.keys(zip).sort()).toEqual(files.map((f) => `X_2f_1/${f}`).sort());
    expect(Buffer.from(zip['X_2f_1/README.md']!).toString('utf8')).toBe(readme);
    expect(written).toContain('units/X_2f_1.zip');
    const citation = await readFile(join(dir, 'units', 'X_2f_1', 'CITATION.txt'), 'utf8');
    expect(citation).toContain('/data/v1/archive/2025-09-01/units/X_2f_1/');
  });
});

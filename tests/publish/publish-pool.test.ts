// The publisher's worker threads: a job's failure names the file, and the pool keeps working.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PublishPool } from '../../functions/core/publish/publish-pool.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'congkhai-pool-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const notes = { asOf: '2025-01-01 00:00:00', licence: 'CC BY 4.0', citation: 'Trích dẫn' };

describe.each([0, 1])('a publish pool of %i workers', (size) => {
  test('writes zips and spreadsheets; a failing job names its file and the next one still runs', async () => {
    const pool = new PublishPool(size);
    try {
      const missing = join(dir, `missing-${size}`, 'units.xlsx');
      const failed = pool.run({ kind: 'xlsx', path: missing, table: 'units', notes, rows: [] });
      await expect(failed).rejects.toThrow(`writing ${missing}`);
      const unknown = pool.run({ kind: 'xlsx', path: join(dir, 'x.xlsx'), table: 'nope', notes, rows: [] });
      await expect(unknown).rejects.toThrow(/no published table named nope/);
      const zip = join(dir, `kit-${size}.zip`);
      const xlsx = join(dir, `units-${size}.xlsx`);
      const rows = [{ unit_code: 'U1', unit_name: 'Sở Tư pháp' }];
      await Promise.all([
        pool.run({ kind: 'zip', path: zip, entries: [['kit/a.txt', Buffer.from('Đà Nẵng')]] }),
        pool.run({ kind: 'xlsx', path: xlsx, table: 'units', notes, rows }),
      ]);
      const entries = unzipSync(await readFile(zip));
      expect(Buffer.from(entries['kit/a.txt']!).toString('utf8')).toBe('Đà Nẵng');
      const sheet = Buffer.from(unzipSync(await readFile(xlsx))['xl/worksheets/sheet1.xml']!).toString();
      expect(sheet).toContain('Sở Tư pháp');
    } finally {
      await pool.close();
    }
  });
});

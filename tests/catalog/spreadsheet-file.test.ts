// The .xlsx edition opens as a valid workbook: Vietnamese headers, one sheet per period type,
// rates as percentages over exact 0–1 values, and a notes sheet that warns about stocks.
import ExcelJS from 'exceljs';
import { describe, expect, test } from 'vitest';
import type { Row } from '../../functions/core/engine.ts';
import { tableXlsx } from '../../functions/core/publish/spreadsheet-file.ts';
import { PROVINCE_KPIS } from '../../functions/core/published-tables.ts';

const rows: Row[] = [
  {
    period_type: 'month',
    period: '2025-01',
    is_complete: true,
    received_total: 113048,
    on_time_rate: 0.8687,
  },
  { period_type: 'month', period: '2025-02', is_complete: true, received_total: 1000, on_time_rate: 0.5 },
  {
    period_type: 'quarter',
    period: '2025-Q1',
    is_complete: true,
    received_total: 114048,
    on_time_rate: 0.86,
  },
];

describe('tableXlsx', () => {
  test('a valid workbook with Vietnamese headers, a sheet per period type and notes', async () => {
    const bytes = await tableXlsx(PROVINCE_KPIS, rows, {
      asOf: '2025-04-01 00:00:00',
      licence: 'CC BY 4.0',
      citation: 'Văn phòng UBND tỉnh Bắc Ninh (2025)',
    });
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Theo tháng', 'Theo quý', 'Ghi chú']);
    const months = workbook.getWorksheet('Theo tháng')!;
    const headers = (months.getRow(1).values as unknown[]).slice(1);
    expect(headers).toContain('Tỷ lệ giải quyết đúng hạn');
    expect(headers).toContain('Tổng số hồ sơ tiếp nhận');
    expect(months.rowCount).toBe(3);
    const rateColumn = headers.indexOf('Tỷ lệ giải quyết đúng hạn') + 1;
    const cell = months.getRow(2).getCell(rateColumn);
    expect(cell.value).toBe(0.8687);
    expect(cell.numFmt).toBe('0.00%');
    const notes = workbook.getWorksheet('Ghi chú')!;
    const text = notes
      .getSheetValues()
      .flat()
      .filter((v) => typeof v === 'string')
      .join('\n');
    expect(text).toContain('KHÔNG cộng dồn');
    expect(text).toContain('2025-04-01 00:00:00');
    expect(text).toContain('Văn phòng UBND tỉnh Bắc Ninh');
  });
});

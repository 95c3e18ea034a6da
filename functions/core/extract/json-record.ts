// One JSON object (an NDJSON line or a DVCQG array item) → contract cells. Only contract
// names (canonical or DVCQG, any case) are read; the DVCQG result and fee lists become the
// result_electronic and fee_required cells. Everything else in the object is ignored.
import { COLUMN_COUNT, COLUMN_INDEX, contractColumnOf, type RawRecord } from './raw-record.ts';

const RESULT_ELECTRONIC = COLUMN_INDEX['result_electronic']!;
const FEE_REQUIRED = COLUMN_INDEX['fee_required']!;

/** A DVCQG result document with a file path or link means an electronic result. */
function hasResultFile(list: unknown[]): boolean {
  return list.some(
    (item) =>
      item !== null &&
      typeof item === 'object' &&
      Object.entries(item as Record<string, unknown>).some(
        ([key, value]) =>
          /duongdan|teptin|file|url|link/i.test(key) && typeof value === 'string' && value.trim() !== '',
      ),
  );
}

export function rawRecordFromJson(value: unknown, line: number, dvcqgDefault: boolean): RawRecord {
  const cells = new Array<string | undefined>(COLUMN_COUNT);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      line,
      cells,
      dvcqg: dvcqgDefault,
      problem: { code: 'invalid_json', field: '', reason: 'the record is not a JSON object' },
    };
  }
  const priorities = new Array<number>(COLUMN_COUNT).fill(Number.POSITIVE_INFINITY);
  let dvcqg = dvcqgDefault;
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    const lower = key.toLowerCase();
    if (lower === 'danhsachgiaytoketqua' && Array.isArray(raw) && priorities[RESULT_ELECTRONIC]! > 5) {
      cells[RESULT_ELECTRONIC] = hasResultFile(raw) ? '1' : '0';
      priorities[RESULT_ELECTRONIC] = 5;
      dvcqg = true;
      continue;
    }
    if (lower === 'danhsachlephi' && Array.isArray(raw) && priorities[FEE_REQUIRED]! > 5) {
      cells[FEE_REQUIRED] = raw.length > 0 ? '1' : '0';
      priorities[FEE_REQUIRED] = 5;
      dvcqg = true;
      continue;
    }
    const column = contractColumnOf(key);
    if (!column || column.priority >= priorities[column.index]!) continue;
    if (column.dvcqg) dvcqg = true;
    let text: string | undefined;
    if (raw === null || raw === undefined) text = undefined;
    else if (typeof raw === 'string') text = raw;
    else if (typeof raw === 'number' || typeof raw === 'boolean') text = String(raw);
    else {
      return {
        line,
        cells: new Array(COLUMN_COUNT),
        dvcqg,
        problem: {
          code: 'invalid_type',
          field: key,
          reason: `${key} holds a JSON ${Array.isArray(raw) ? 'array' : 'object'}, not a value`,
        },
      };
    }
    // An empty NgayKetThucXuLy must not hide a filled NgayTra.
    if (text === undefined || text.trim() === '') continue;
    cells[column.index] = text;
    priorities[column.index] = column.priority;
  }
  return { line, cells, dvcqg };
}

// The speed paths of the ingest keep its behaviour: the canonical date-time shortcut, the
// plain-ASCII test, the per-column cache of cleaned names, the hand-written staged CSV line,
// and the FIFO that DuckDB reads while JS parses (same Parquet bytes as a plain staged file).
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAKE_COLUMNS } from '../../functions/core/dossier-contract.ts';
import { COLUMN_INDEX } from '../../functions/core/extract/raw-record.ts';
import {
  hasCanonicalDateTimeShape,
  isPlainAscii,
  parseDateTime,
} from '../../functions/core/ingest/cell-values.ts';
import { isQuarantined, RecordNormalizer } from '../../functions/core/ingest/normalize-record.ts';
import { PartsWriter } from '../../functions/core/ingest/parquet-parts.ts';
import { createStagingPipe, StagingWriter } from '../../functions/core/ingest/staging-files.ts';
import { query, tempDir, type V1Row, validRow } from './helpers.ts';

describe('the canonical date-time fast path', () => {
  it.each([
    ['2024-02-29 00:00:00', true], // leap year
    ['2000-02-29 23:59:59', true], // divisible by 400
    ['2021-02-28 12:00:00', true],
    ['2021-12-31 23:59:59', true],
    ['2021-02-30 08:00:00', false],
    ['2023-02-29 08:00:00', false],
    ['2100-02-29 08:00:00', false], // divisible by 100, not by 400
    ['2021-04-31 08:00:00', false],
    ['2021-00-10 08:00:00', false],
    ['2021-13-10 08:00:00', false],
    ['2021-03-00 08:00:00', false],
    ['2024-02-29 25:61:00', false],
    ['2024-02-29 24:00:00', false],
    ['2024-02-29 23:60:00', false],
    ['2024-02-29 23:59:60', false],
  ])('%s → valid %s', (text, valid) => {
    expect(hasCanonicalDateTimeShape(text)).toBe(true);
    const parsed = parseDateTime(text);
    expect(parsed.ok).toBe(valid);
    if (parsed.ok) expect(parsed.value).toBe(text);
    else expect(parsed.reason).toBe('impossible date or time');
  });

  it.each([
    '2024-02-29T10:00:00',
    ' 2024-02-29 10:00:00',
    '2024-02-29 10:00:00 ',
    '2024-2-29 10:00:00',
    '2024/02/29 10:00:00',
    '２０２４-02-29 10:00:00', // full-width digits are not \d
    '2024-02-29 10:00',
    '',
  ])('leaves %j to the general parser', (text) => {
    expect(hasCanonicalDateTimeShape(text)).toBe(false);
  });
});

describe('isPlainAscii', () => {
  // The former charCodeAt loop, as the reference.
  const reference = (raw: string) => {
    if (raw === '') return true;
    const first = raw.charCodeAt(0);
    if (first === 61 || first === 43 || first === 64) return false;
    for (let i = 0; i < raw.length; i++) {
      const c = raw.charCodeAt(i);
      if (c < 32 || c > 126 || c === 60) return false;
    }
    return true;
  };
  it('agrees with a character loop on every ASCII and some other characters', () => {
    const samples = ['', 'G13-TP05', 'a b', ' x ', '=1', '+1', '@a', 'a=b', 'a<b', 'a>b', 'Đất', 'x\n'];
    for (let c = 0; c < 256; c++) {
      const ch = String.fromCharCode(c);
      samples.push(ch, `a${ch}`, `${ch}a`, `ab${ch}cd`);
    }
    samples.push('a\u2028b', 'a\ufeff', '\u00a0', 'x\u007f');
    for (const s of samples) expect([s, isPlainAscii(s)]).toEqual([s, reference(s)]);
  });
});

const cellsOf = (row: V1Row) =>
  Object.keys(COLUMN_INDEX).map((name) => row[name as keyof V1Row] || undefined);

describe('the normalizer with its shortcuts', () => {
  it('trims a padded date-time and still rejects an impossible one', () => {
    const normalizer = new RecordNormalizer({ sourceFile: 'x.csv', schemaCheck: 'every' });
    const padded = normalizer.normalize({
      line: 2,
      cells: cellsOf(validRow(0, { received_at: ' 2023-01-01 08:00:00 ' })),
      dvcqg: false,
    });
    expect(isQuarantined(padded)).toBe(false);
    expect((padded as { received_at: string }).received_at).toBe('2023-01-01 08:00:00');
    const impossible = normalizer.normalize({
      line: 3,
      cells: cellsOf(validRow(1, { due_at: '2023-02-30 17:00:00' })),
      dvcqg: false,
    });
    expect(impossible).toMatchObject({ field: 'due_at', reason_code: 'invalid_date', line: 3 });
  });

  it('gives the same verdict for a repeated name, per column, cached or not', () => {
    const normalizer = new RecordNormalizer({ sourceFile: 'x.csv' });
    const decomposed = 'Chu\u031bng thu\u031b\u0323c'; // NFD: must come out NFC every time
    const long = `Tên ${'đ'.repeat(150)}`; // fine as a name (≤ 1000), too long as a code (> 100)
    for (let round = 0; round < 3; round++) {
      const ok = normalizer.normalize({
        line: 2,
        cells: cellsOf(validRow(round, { procedure_name: decomposed, unit_name: long })),
        dvcqg: false,
      });
      expect(isQuarantined(ok)).toBe(false);
      expect((ok as { procedure_name: string }).procedure_name).toBe(decomposed.normalize('NFC'));
      expect((ok as { unit_name: string }).unit_name).toBe(long);
      const tooLong = normalizer.normalize({
        line: 3,
        cells: cellsOf(validRow(round, { field_code: long })),
        dvcqg: false,
      });
      expect(tooLong).toMatchObject({ field: 'field_code', reason_code: 'too_long' });
      const markup = normalizer.normalize({
        line: 4,
        cells: cellsOf(validRow(round, { unit_name: `<b>Đơn vị</b>` })),
        dvcqg: false,
      });
      expect(markup).toMatchObject({ field: 'unit_name', reason_code: 'html_markup' });
    }
  });
});

describe('staged rows into Parquet', () => {
  const tricky = [
    validRow(0, { procedure_name: 'Cấp "giấy phép", lần đầu', unit_name: 'Đơn vị, số 1' }),
    validRow(1, { dossier_id: 'A,"B"', field_name: 'tab\there' }),
    validRow(2),
  ];

  async function stageAndConvert(dir: string, asPipe: boolean) {
    const staged = join(dir, `dossiers-${asPipe}.csv`);
    const out = join(dir, `out-${asPipe}.parquet`);
    const writer = await PartsWriter.open(join(dir, 'duckdb'));
    try {
      const piped = asPipe && createStagingPipe(staged);
      if (asPipe) expect(piped).toBe(process.platform !== 'win32');
      const conversion = piped ? writer.convertStaged(staged, out, 'x.csv') : undefined;
      const staging = new StagingWriter(staged, join(dir, `q-${asPipe}.csv`), 'x.csv');
      const normalizer = new RecordNormalizer({ sourceFile: 'x.csv', schemaCheck: 'every' });
      tricky.forEach((row, i) => {
        const outcome = normalizer.normalize({ line: i + 2, cells: cellsOf(row), dvcqg: false });
        if (isQuarantined(outcome)) throw new Error(JSON.stringify(outcome));
        staging.addRecord(outcome);
      });
      await staging.close();
      if (conversion) await conversion;
      else await writer.convertStaged(staged, out, 'x.csv');
      expect((await stat(staged)).isFIFO()).toBe(piped);
    } finally {
      writer.close();
    }
    return out;
  }

  it('round-trips quotes, commas and tabs, with the same bytes through a FIFO or a file', async () => {
    const dir = await tempDir('ck-fast-');
    const viaPipe = await stageAndConvert(dir, true);
    const viaFile = await stageAndConvert(dir, false);
    expect(await readFile(viaPipe)).toEqual(await readFile(viaFile));
    const rows = await query(`SELECT * FROM read_parquet('${viaPipe}')`);
    expect(Object.keys(rows[0]!)).toEqual(LAKE_COLUMNS.map(([name]) => name));
    expect(
      rows.map((r) => [r.dossier_id, r.procedure_name, r.unit_name, r.field_name, r.source_file]),
    ).toEqual([
      [tricky[0]!.dossier_id, 'Cấp "giấy phép", lần đầu', 'Đơn vị, số 1', tricky[0]!.field_name, 'x.csv'],
      ['A,"B"', tricky[1]!.procedure_name, tricky[1]!.unit_name, 'tab\there', 'x.csv'],
      [
        tricky[2]!.dossier_id,
        tricky[2]!.procedure_name,
        tricky[2]!.unit_name,
        tricky[2]!.field_name,
        'x.csv',
      ],
    ]);
    expect(rows.map((r) => r.source_line)).toEqual([2, 3, 4]);
  });
});

describe('a conversion that fails while JS writes the FIFO', () => {
  it('fails the staging writer instead of leaving it blocked on the pipe', async () => {
    const { releaseStagingPipe } = await import('../../functions/core/ingest/staging-files.ts');
    const dir = await tempDir('ck-fast-');
    const staged = join(dir, 'dossiers.csv');
    if (!createStagingPipe(staged)) return; // no FIFOs here: nothing to block on
    const writer = await PartsWriter.open(join(dir, 'duckdb'));
    try {
      // DuckDB cannot write into a missing folder: the COPY fails, maybe before opening the FIFO.
      const conversion = writer.convertStaged(staged, join(dir, 'missing', 'out.parquet'), 'x.csv').then(
        () => null,
        (error: Error) => {
          releaseStagingPipe(staged);
          return error;
        },
      );
      const staging = new StagingWriter(staged, join(dir, 'q.csv'), 'x.csv');
      const normalizer = new RecordNormalizer({ sourceFile: 'x.csv' });
      const record = normalizer.normalize({ line: 2, cells: cellsOf(validRow(0)), dvcqg: false });
      if (isQuarantined(record)) throw new Error('valid row quarantined');
      const writing = (async () => {
        // Far more than the pipe and the stream queue hold.
        for (let i = 0; i < 400_000; i++) {
          staging.addRecord(record);
          if (i % 1000 === 0) await staging.flush();
        }
        await staging.close();
      })();
      await expect(writing).rejects.toThrow();
      staging.destroy();
      expect(await conversion).toBeInstanceOf(Error);
    } finally {
      writer.close();
    }
  }, 30_000);
});

describe('the cleaned-name cache', () => {
  it('does not keep the decoded chunks its cells were sliced from alive', async () => {
    const { setFlagsFromString } = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const normalizer = new RecordNormalizer({ sourceFile: 'x.csv' });
    gc();
    const before = process.memoryUsage().heapUsed;
    // 300 "chunks" of 2 MB (two-byte text), each giving one new non-ASCII unit name.
    for (let chunk = 0; chunk < 300; chunk++) {
      const decoded = `Đơn vị số ${String(chunk).padStart(4, '0')},${'x'.repeat(1_000_000)}`;
      const cell = decoded.slice(0, decoded.indexOf(','));
      const outcome = normalizer.normalize({
        line: chunk + 2,
        cells: cellsOf(validRow(chunk, { unit_name: cell })),
        dvcqg: false,
      });
      expect((outcome as { unit_name: string }).unit_name).toBe(cell);
    }
    gc();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(100e6);
  });
});

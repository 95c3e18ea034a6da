// Per-unit open data: for every unit, a folder `units/<slug>/` of the published version (and
// `units/<slug>.zip`, the same files) with the unit's rows of every table, split by period
// type so that months, quarters and years are never mixed, a README in Vietnamese (what each
// column means, which counts are stocks that must not be added up across periods, the as-of
// time, the licence, the publisher), and its citation as text and BibTeX. A journalist
// covering one commune downloads one zip and needs nothing else.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CongkhaiConfig } from '../config.ts';
import type { Row } from '../engine.ts';
import { COUNTS } from '../kpi-catalog.ts';
import { PUBLISHED_TABLES, type PublishedTable } from '../published-tables.ts';
import { citationBibtex, citationText } from './citation.ts';
import { PublishPool } from './publish-pool.ts';
import { type CsvText, csvFile, tableCsvText } from './table-files.ts';

/** The folder of the kits inside a published version. */
export const UNIT_KITS_FOLDER = 'units';

/** Tables a unit kit holds, by the column naming the unit. */
const KIT_TABLES: ReadonlyArray<readonly [string, string]> = [
  ['unit_kpis', 'unit_code'],
  ['field_kpis', 'unit_code'],
  ['scorecard_766', 'unit_code'],
  ['successor_kpis', 'unit_code'],
  ['overdue_dossiers', 'unit_code'],
  ['revisions', 'unit_code'],
];

const PERIOD_TYPES = ['month', 'quarter', 'half', 'year'] as const;
const PERIOD_WORDS: Record<string, string> = {
  month: 'theo tháng',
  quarter: 'theo quý',
  half: 'theo 6 tháng',
  year: 'theo năm',
};

export interface UnitKitInput {
  tables: Record<string, readonly Row[] | undefined>;
  asOf: string;
  /** 'YYYY-MM-DD' */
  publishedOn: string;
  config: Pick<CongkhaiConfig, 'publisher'>;
  /** The site's unit slug (one injective function for pages and downloads). */
  slug: (unitCode: string) => string;
  /** The tables' CSV already serialised for their own files (tableCsvText), reused here. */
  csv?: Record<string, CsvText | undefined>;
  /** Where the zips are made (default: in this thread). */
  pool?: PublishPool;
}

/** A unit's CSV files of one table: `indexes` are its rows' positions in the whole table. */
function kitFiles(
  table: PublishedTable,
  rows: readonly Row[],
  indexes: readonly number[],
  csv: CsvText,
): Array<[string, string]> {
  const byPeriod = table.columns.some((c) => c.name === 'period_type');
  if (!byPeriod) return indexes.length > 0 ? [[`${table.name}.csv`, csvFile(csv, indexes)]] : [];
  return PERIOD_TYPES.flatMap((type): Array<[string, string]> => {
    const part = indexes.filter((i) => rows[i]!['period_type'] === type);
    return part.length > 0 ? [[`${table.name}_${type}.csv`, csvFile(csv, part)]] : [];
  });
}

function readme(unitCode: string, unitName: string, files: readonly string[], input: UnitKitInput): string {
  const stocks = COUNTS.filter((c) => c.kind === 'stock').map((c) => `\`${c.name}\``);
  const citation = citationText(
    { publisher: input.config.publisher, asOf: input.asOf, accessed: input.publishedOn, subject: unitName },
    `${UNIT_KITS_FOLDER}/${input.slug(unitCode)}/`,
  );
  const tables = [...new Set(files.map((f) => f.replace(/(_(month|quarter|half|year))?\.csv$/, '')))];
  const lines = [
    `# ${unitName} (${unitCode}) — dữ liệu mở`,
    '',
    `Công bố bởi: ${input.config.publisher.office}, ${input.config.publisher.province}. Liên hệ: ${input.config.publisher.contact}.`,
    `Thời điểm số liệu: ${input.asOf} (giờ Việt Nam). Giấy phép: CC BY 4.0 (ghi nguồn khi dùng lại).`,
    '',
    '## Các tệp',
    '',
    ...files.map((f) => {
      const type = /_(month|quarter|half|year)\.csv$/.exec(f)?.[1];
      const table = PUBLISHED_TABLES.find((t) => f.startsWith(t.name));
      return `- \`${f}\`: ${table?.title_vi ?? f}${type ? `, ${PERIOD_WORDS[type]}` : ''}.`;
    }),
    '',
    'Tệp CSV mã hóa UTF-8 có BOM, phân cách bằng dấu phẩy, số thập phân dùng dấu chấm; tỷ lệ là số từ 0 đến 1.',
    '',
    '## Lưu ý khi cộng dồn',
    '',
    `Các cột ${stocks.join(', ')} là số tồn tại một thời điểm (đầu kỳ hoặc cuối kỳ): không cộng các tháng để ra quý hay năm — dùng tệp theo quý, theo năm. Các cột còn lại là số phát sinh trong kỳ và cộng được.`,
    'Tỷ lệ của nhiều kỳ hay nhiều đơn vị tính lại bằng tổng tử số chia tổng mẫu số, không lấy trung bình các tỷ lệ.',
    '',
    '## Ý nghĩa các cột',
    '',
    ...tables.flatMap((name) => {
      const table = PUBLISHED_TABLES.find((t) => t.name === name);
      if (!table) return [];
      return [
        `### ${name} — ${table.title_vi}`,
        '',
        ...table.columns.map((c) => `- \`${c.name}\`: ${c.vi}`),
        '',
      ];
    }),
    '## Trích dẫn',
    '',
    citation,
    '',
    'BibTeX: xem `citation.bib`.',
    '',
  ];
  return lines.join('\n');
}

/** The units a kit is made for: every unit with a row in unit_kpis or successor_kpis. */
function kitUnits(tables: UnitKitInput['tables']): Map<string, string> {
  const units = new Map<string, string>();
  for (const name of ['units', 'unit_kpis', 'successor_kpis']) {
    for (const row of tables[name] ?? []) {
      const code = String(row['unit_code']);
      if (!units.has(code) || name !== 'units') units.set(code, String(row['unit_name'] ?? code));
    }
  }
  return units;
}

/** Writes `units/<slug>/…` and `units/<slug>.zip` into `dir`; returns the relative file names. */
export async function writeUnitKits(dir: string, input: UnitKitInput): Promise<string[]> {
  const written: string[] = [];
  const zips: Array<Promise<void>> = [];
  const pool = input.pool ?? new PublishPool(0); // size 0: the zips are made in this thread
  // Per table: its contract, rows and CSV; per unit, per table: the positions of its rows.
  const kitTables: Array<{ table: PublishedTable; rows: readonly Row[]; csv: CsvText }> = [];
  const byUnit = new Map<string, Map<string, number[]>>();
  for (const [tableName, column] of KIT_TABLES) {
    const rows = input.tables[tableName] ?? [];
    const table = PUBLISHED_TABLES.find((t) => t.name === tableName);
    if (table) kitTables.push({ table, rows, csv: input.csv?.[tableName] ?? tableCsvText(table, rows) });
    rows.forEach((row, index) => {
      const code = String(row[column]);
      const tables = byUnit.get(code) ?? new Map<string, number[]>();
      const indexes = tables.get(tableName) ?? [];
      indexes.push(index);
      tables.set(tableName, indexes);
      byUnit.set(code, tables);
    });
  }
  for (const [code, name] of kitUnits(input.tables)) {
    const slug = input.slug(code);
    const folder = join(dir, UNIT_KITS_FOLDER, slug);
    await mkdir(folder, { recursive: true });
    const files: Array<[string, string]> = [];
    for (const { table, rows, csv } of kitTables) {
      files.push(...kitFiles(table, rows, byUnit.get(code)?.get(table.name) ?? [], csv));
    }
    const citationInput = {
      publisher: input.config.publisher,
      asOf: input.asOf,
      accessed: input.publishedOn,
      subject: name,
    };
    const kitPath = `${UNIT_KITS_FOLDER}/${slug}/`;
    files.push(
      [
        'README.md',
        readme(
          code,
          name,
          files.map(([f]) => f),
          input,
        ),
      ],
      ['CITATION.txt', `${citationText(citationInput, kitPath)}\n`],
      ['citation.bib', citationBibtex(citationInput, kitPath)],
    );
    const entries = files.map(([file, text]): [string, Uint8Array] => [
      `${slug}/${file}`,
      Buffer.from(text, 'utf8'),
    ]);
    // The kit's files written together: the file system's thread pool works on several at once.
    await Promise.all(files.map(([file], i) => writeFile(join(folder, file), entries[i]![1])));
    written.push(...files.map(([file]) => `${UNIT_KITS_FOLDER}/${slug}/${file}`));
    const zip = `${UNIT_KITS_FOLDER}/${slug}.zip`;
    zips.push(pool.run({ kind: 'zip', path: join(dir, zip), entries }));
    zips.at(-1)?.catch(() => {}); // awaited below: never an unhandled rejection meanwhile
    written.push(zip);
  }
  await Promise.all(zips);
  return written;
}

// Per-unit open data: for every unit, a folder `units/<slug>/` of the published version (and
// `units/<slug>.zip`, the same files) with the unit's rows of every table, split by period
// type so that months, quarters and years are never mixed, a README in Vietnamese (what each
// column means, which counts are stocks that must not be added up across periods, the as-of
// time, the licence, the publisher), and its citation as text and BibTeX. A journalist
// covering one commune downloads one zip and needs nothing else.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import type { CongkhaiConfig } from '../config.ts';
import type { Row } from '../engine.ts';
import { COUNTS } from '../kpi-catalog.ts';
import { PUBLISHED_TABLES, type PublishedTable } from '../published-tables.ts';
import { citationBibtex, citationText } from './citation.ts';
import { tableCsv } from './table-files.ts';

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
}

function kitFiles(table: PublishedTable, rows: readonly Row[]): Array<[string, string]> {
  const byPeriod = table.columns.some((c) => c.name === 'period_type');
  if (!byPeriod) return rows.length > 0 ? [[`${table.name}.csv`, tableCsv(table, rows)]] : [];
  return PERIOD_TYPES.flatMap((type): Array<[string, string]> => {
    const part = rows.filter((r) => r['period_type'] === type);
    return part.length > 0 ? [[`${table.name}_${type}.csv`, tableCsv(table, part)]] : [];
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
  const byUnit = new Map<string, Map<string, Row[]>>();
  for (const [table, column] of KIT_TABLES) {
    for (const row of input.tables[table] ?? []) {
      const code = String(row[column]);
      const tables = byUnit.get(code) ?? new Map<string, Row[]>();
      const rows = tables.get(table) ?? [];
      rows.push(row);
      tables.set(table, rows);
      byUnit.set(code, tables);
    }
  }
  for (const [code, name] of kitUnits(input.tables)) {
    const slug = input.slug(code);
    const folder = join(dir, UNIT_KITS_FOLDER, slug);
    await mkdir(folder, { recursive: true });
    const files: Array<[string, string]> = [];
    for (const [tableName] of KIT_TABLES) {
      const table = PUBLISHED_TABLES.find((t) => t.name === tableName);
      const rows = byUnit.get(code)?.get(tableName) ?? [];
      if (table) files.push(...kitFiles(table, rows));
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
    const zipEntries: Record<string, [Uint8Array, { mtime: Date }]> = {};
    for (const [file, text] of files) {
      await writeFile(join(folder, file), text);
      written.push(`${UNIT_KITS_FOLDER}/${slug}/${file}`);
      // A fixed time inside the zip keeps it byte-identical for the same data.
      zipEntries[`${slug}/${file}`] = [
        Buffer.from(text, 'utf8'),
        { mtime: new Date('2000-01-01T00:00:00Z') },
      ];
    }
    await writeFile(join(dir, UNIT_KITS_FOLDER, `${slug}.zip`), zipSync(zipEntries, { level: 6 }));
    written.push(`${UNIT_KITS_FOLDER}/${slug}.zip`);
  }
  return written;
}

// datapackage.json: a Frictionless Data Package describing the published files — column
// types, Vietnamese titles and English descriptions, sizes, sha256 hashes, licence — plus the
// as-of time, targets and ranking threshold the figures were computed with.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CongkhaiConfig } from '../config.ts';
import type { PublishedTable } from '../published-tables.ts';
import { archiveUrl, citationBibtex, citationText } from './citation.ts';
import type { PublishedScope } from './scope.ts';

const FORMATS = {
  csv: { mediatype: 'text/csv', suffix: '' },
  json: { mediatype: 'application/json', suffix: '-json' },
  parquet: { mediatype: 'application/vnd.apache.parquet', suffix: '-parquet' },
  xlsx: { mediatype: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', suffix: '-xlsx' },
} as const;
type Format = keyof typeof FORMATS;

export const LICENSE = {
  name: 'CC-BY-4.0',
  path: 'https://creativecommons.org/licenses/by/4.0/',
  title: 'Creative Commons Attribution 4.0 International',
};

function tableSchema(table: PublishedTable) {
  return {
    fields: table.columns.map((c) => ({
      name: c.name,
      type: c.type,
      ...(c.type === 'datetime' ? { format: '%Y-%m-%d %H:%M:%S' } : {}),
      title: c.vi,
      description: c.en,
    })),
    primaryKey: [...table.primaryKey],
  };
}

export interface DataPackageInput {
  tables: readonly PublishedTable[];
  /** Folder holding `<table>.<format>` files. */
  dir: string;
  asOfIso: string;
  createdIso: string;
  config: Pick<CongkhaiConfig, 'targets' | 'min_resolved_for_rank' | 'e_cert' | 'publisher'>;
  /** What the version covers; the next run compares with it (scope.ts). */
  scope?: PublishedScope;
  /** 'YYYY-MM-DD HH:MM:SS', Vietnam time (for the citation). */
  asOf: string;
  /** Other files of the version (relative paths, e.g. the per-unit zips), listed with their hashes. */
  files?: readonly { path: string; title: string; mediatype: string }[];
}

export async function buildDataPackage(input: DataPackageInput) {
  const resources = [];
  for (const table of input.tables) {
    for (const format of Object.keys(FORMATS) as Format[]) {
      const path = `${table.name}.${format}`;
      const bytes = await readFile(join(input.dir, path));
      resources.push({
        name: `${table.name}${FORMATS[format].suffix}`,
        /** congkhai: the published table this file holds (one table, three formats). */
        table: table.name,
        path,
        format,
        mediatype: FORMATS[format].mediatype,
        ...(format === 'parquet' || format === 'xlsx' ? {} : { encoding: 'utf-8' }),
        bytes: bytes.byteLength,
        hash: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
        title: table.title_vi,
        description: table.title_en,
        ...(format === 'csv' ? { dialect: { header: true, delimiter: ',', lineTerminator: '\r\n' } } : {}),
        schema: tableSchema(table),
      });
    }
  }
  for (const file of input.files ?? []) {
    const bytes = await readFile(join(input.dir, file.path));
    resources.push({
      name: file.path.replace(/[^a-z0-9._-]+/gi, '-').toLowerCase(),
      path: file.path,
      format: file.path.split('.').pop(),
      mediatype: file.mediatype,
      bytes: bytes.byteLength,
      hash: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      title: file.title,
    });
  }
  const citation = {
    publisher: input.config.publisher,
    asOf: input.asOf,
    accessed: input.createdIso.slice(0, 10),
  };
  return {
    $schema: 'https://datapackage.org/profiles/2.0/datapackage.json',
    name: 'congkhai-tthc',
    title: 'Công khai kết quả giải quyết thủ tục hành chính',
    description:
      'Dossier-handling KPIs of the province’s administrative procedures, computed from the dossier records (congkhai, output contract v1).',
    version: '1',
    licenses: [LICENSE],
    publisher: input.config.publisher,
    contributors: [{ title: input.config.publisher.office, roles: ['publisher'] }],
    homepage: input.config.publisher.url ?? undefined,
    citation: {
      text: citationText(citation),
      bibtex: citationBibtex(citation),
      archive: archiveUrl(input.config.publisher, input.asOf),
    },
    created: input.createdIso,
    as_of: input.asOfIso,
    targets: input.config.targets,
    min_resolved_for_rank: input.config.min_resolved_for_rank,
    e_cert: input.config.e_cert,
    ...(input.scope ? { scope: input.scope } : {}),
    resources,
  };
}

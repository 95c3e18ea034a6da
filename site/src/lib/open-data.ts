// What the site says about the published data itself: who publishes it (datapackage.json
// `publisher`), how to cite it (the publisher's own citation functions, with the build date as
// the access date), which figures were revised, which per-unit kit exists, and which dated
// publications the archive holds. The site reads only the published data.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PUBLISHER } from '../../../functions/core/config.ts';
import { COUNTS, RATES } from '../../../functions/core/kpi-catalog.ts';
import { archiveUrl, citationBibtex, citationText } from '../../../functions/core/publish/citation.ts';
import { chartPngPath, unitChartKpis, unitTrendChart } from './chart-catalog.ts';
import { formatInteger, formatPointChange, formatRate, parseVietnamTime } from './format.ts';
import type { PublishedData, Publisher, RevisionRow } from './published-data.ts';
import { unitPath, unitSlug } from './unit-slug.ts';

export function publisherOf(data: PublishedData): Publisher {
  return { ...DEFAULT_PUBLISHER, ...data.datapackage.publisher };
}

/** 'YYYY-MM-DD HH:MM:SS' in Vietnam time, from any as-of form ('…T…+07:00' or already local). */
export function localAsOf(asOf: string): string {
  const date = new Date(parseVietnamTime(asOf).getTime() + 7 * 3_600_000);
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** Today in Vietnam ('YYYY-MM-DD'): a citation's access date is the day the site was built. */
export function buildDate(now = new Date()): string {
  return localAsOf(now.toISOString()).slice(0, 10);
}

/** A path of this site as an absolute URL when the publisher's URL is known, else as given. */
export function siteUrl(data: PublishedData, path: string): string {
  const base = publisherOf(data).url?.replace(/\/+$/, '') ?? '';
  return `${base}${path}`;
}

export interface SiteCitation {
  text: string;
  bibtex: string;
  /** The dated archive version cited. */
  url: string;
}

/** The citation of the whole publication, or of one subject (a unit) at `path` in the archive. */
export function siteCitation(data: PublishedData, subject?: string, path = ''): SiteCitation {
  const input = {
    publisher: publisherOf(data),
    asOf: localAsOf(data.asOf),
    accessed: buildDate(),
    ...(subject ? { subject } : {}),
  };
  return {
    text: citationText(input, path),
    bibtex: citationBibtex(input, path),
    url: archiveUrl(input.publisher, input.asOf, path),
  };
}

/** The per-unit kit (data/v1/units/<slug>.zip and its folder's README), when published. */
export function unitKit(
  data: PublishedData,
  unitCode: string,
): { zip: string; zipBytes: number; readme: string | null } | null {
  const slug = unitSlug(unitCode);
  const zip = join(data.dataDir, 'units', `${slug}.zip`);
  if (!existsSync(zip)) return null;
  const readme = existsSync(join(data.dataDir, 'units', slug, 'README.md'))
    ? `/data/v1/units/${slug}/README.md`
    : null;
  return { zip: `/data/v1/units/${slug}.zip`, zipBytes: statSync(zip).size, readme };
}

const RATE_COLUMNS = new Set(RATES.map((r) => r.name));

/** The Vietnamese name of a published figure (the KPI catalog's label). */
export function figureLabel(column: string): string {
  return (
    RATES.find((r) => r.name === column)?.label_vi ??
    COUNTS.find((c) => c.name === column)?.label_vi ??
    column
  );
}

/** A figure's value as the site prints it: a rate as 86,87%, a count as 113.048. */
export function formatFigure(column: string, value: number | null): string {
  return RATE_COLUMNS.has(column) ? formatRate(value) : formatInteger(value);
}

/** Revisions, newest publication first, then by period (latest first), unit and column. */
export function sortedRevisions(rows: readonly RevisionRow[]): RevisionRow[] {
  return [...rows].sort(
    (a, b) =>
      b.as_of.localeCompare(a.as_of) ||
      b.period.localeCompare(a.period) ||
      (a.unit_code ?? '').localeCompare(b.unit_code ?? '') ||
      a.column.localeCompare(b.column),
  );
}

export function unitRevisions(data: PublishedData, unitCode: string): RevisionRow[] {
  return sortedRevisions(data.revisions.filter((r) => r.table === 'unit_kpis' && r.unit_code === unitCode));
}

/** Whether any of `columns` of this unit's `period` was revised. */
export function isRevised(
  data: PublishedData,
  unitCode: string,
  period: string,
  columns: readonly string[],
): boolean {
  return data.revisions.some(
    (r) =>
      r.table === 'unit_kpis' &&
      r.unit_code === unitCode &&
      r.period === period &&
      columns.includes(r.column),
  );
}

/** How much a figure changed: +3 for a count, +0,50 điểm % for a rate. */
export function formatRevisionChange(row: RevisionRow): string {
  if (RATE_COLUMNS.has(row.column)) return formatPointChange(row.value, row.previous_value);
  if (row.value === null || row.previous_value === null) return '—';
  const change = row.value - row.previous_value;
  return `${change > 0 ? '+' : ''}${formatInteger(change)}`;
}

/** Revisions grouped by the publication that made them, newest first. */
export function revisionsByPublication(rows: readonly RevisionRow[]): [string, RevisionRow[]][] {
  const groups = new Map<string, RevisionRow[]>();
  for (const row of sortedRevisions(rows)) {
    const group = groups.get(row.as_of) ?? [];
    group.push(row);
    groups.set(row.as_of, group);
  }
  return [...groups];
}

/** Every publication the archive holds, newest first, as 'YYYY-MM-DD HH:MM:SS' (the archived
 * datapackage.json's as-of when present, else the folder's date at midnight). */
export function publications(data: PublishedData): string[] {
  const current = localAsOf(data.asOf);
  const found = data.archive.map((entry) => {
    if (entry.date === current.slice(0, 10)) return current;
    const file = join(data.dataDir, 'archive', entry.date, 'datapackage.json');
    try {
      const asOf = (JSON.parse(readFileSync(file, 'utf8')) as { as_of?: unknown }).as_of;
      if (typeof asOf === 'string' && asOf.startsWith(entry.date.slice(0, 10))) return localAsOf(asOf);
    } catch {
      // No readable datapackage.json in that folder: the folder's date stands for it.
    }
    return `${entry.date.slice(0, 10)} 00:00:00`;
  });
  return [...new Set([current, ...found])].sort((a, b) => b.localeCompare(a));
}

/** The embeddable page of a chart, pinned to the publication's archived version. */
export function chartEmbedPath(data: PublishedData, chartId: string): string {
  return `/nhung/${chartId}/?v=${localAsOf(data.asOf).slice(0, 10)}`;
}

/** The <iframe> snippet a newsroom pastes to embed a chart. */
export function chartEmbedSnippet(data: PublishedData, chartId: string, title: string): string {
  const src = siteUrl(data, chartEmbedPath(data, chartId));
  const escaped = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<iframe src="${src}" title="${escaped}" width="100%" height="460" style="border:0" loading="lazy"></iframe>`;
}

export function unitFeedPath(unitCode: string): string {
  return `${unitPath(unitCode)}feed.xml`;
}

/** What a unit page hands its layout for sharing: its first trend chart as the preview
 * picture, and its own Atom feed. */
export function unitShareMeta(data: PublishedData, unitCode: string, unitName: string) {
  const kpi = unitChartKpis(data, unitCode)[0];
  const chart = kpi ? unitTrendChart(data, unitCode, kpi) : undefined;
  return {
    image: chart ? { path: chartPngPath(chart.id), alt: `${chart.title}: ${chart.summary}` } : undefined,
    feeds: [{ path: unitFeedPath(unitCode), title: `Số liệu mới — ${unitName}` }],
  };
}

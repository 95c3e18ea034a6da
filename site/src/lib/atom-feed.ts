// The Atom feeds (`/feed.xml` for the province, `/don-vi/<slug>/feed.xml` per unit), written
// with the `feed` library: one entry per publication — what is new (the latest complete
// month), what was revised (the `revisions` table), and which units crossed a target that
// month. Feed readers and newsrooms follow a unit without visiting the site every night.
import { Feed } from 'feed';

type Row = Record<string, unknown>;

export interface FeedInput {
  /** Absolute base URL of the site (the feed library and Atom ids need absolute addresses). */
  siteUrl: string;
  /** Path of the page the feed belongs to ('/' or '/don-vi/<slug>/'). */
  pagePath: string;
  /** Path of this feed. */
  feedPath: string;
  title: string;
  publisher: { province: string; office: string; contact: string };
  /** 'YYYY-MM-DD HH:MM:SS' of the current publication. */
  asOf: string;
  /** Every publication's as-of time, newest first (the dated archive's versions). */
  publications: readonly string[];
  /** revisions rows (already filtered to the unit for a unit feed). */
  revisions: readonly Row[];
  /** unit_kpis month rows (already filtered to the unit for a unit feed). */
  monthRows: readonly Row[];
  /** The province's month rows (province feed) — for "what is new". */
  provinceMonths?: readonly Row[];
}

const TARGETS = [
  ['on_time_rate', 'tỷ lệ đúng hạn'],
  ['online_share', 'tỷ lệ trực tuyến'],
  ['e_cert_ratio', 'tỷ lệ chứng thực điện tử'],
] as const;

const viDate = (asOf: string) => `${asOf.slice(8, 10)}/${asOf.slice(5, 7)}/${asOf.slice(0, 4)}`;
const percent = (v: unknown) =>
  typeof v === 'number'
    ? `${new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v * 100)}%`
    : '–';
/** 'YYYY-MM-DD HH:MM:SS' from either published form ('… …' or '…T…+07:00'). */
const localTime = (asOf: unknown) => String(asOf).slice(0, 19).replace('T', ' ');
const integer = (v: unknown) => new Intl.NumberFormat('vi-VN').format(Number(v ?? 0));
const isoOf = (asOf: string) => new Date(`${localTime(asOf).replace(' ', 'T')}+07:00`);
const complete = (r: Row) => r['is_complete'] === true || r['is_complete'] === 'true';
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Units whose meets_<kpi> changed between the two latest complete months. */
export function targetCrossings(monthRows: readonly Row[]): string[] {
  const months = [...new Set(monthRows.filter(complete).map((r) => String(r['period'])))].sort();
  const [previous, latest] = months.slice(-2);
  if (!previous || !latest) return [];
  const lines: string[] = [];
  for (const row of monthRows.filter((r) => r['period'] === latest)) {
    const before = monthRows.find((r) => r['period'] === previous && r['unit_code'] === row['unit_code']);
    if (!before) continue;
    for (const [kpi, words] of TARGETS) {
      const was = before[`meets_${kpi}`];
      const now = row[`meets_${kpi}`];
      if (was === now || was === null || now === null || was === undefined || now === undefined) continue;
      const verb = now === true || now === 'true' ? 'đạt' : 'không còn đạt';
      lines.push(
        `${row['unit_name'] ?? row['unit_code']} ${verb} chỉ tiêu ${words} tháng ${latest} (${percent(row[kpi])}).`,
      );
    }
  }
  return lines;
}

export function buildAtomFeed(input: FeedInput): string {
  const base = input.siteUrl.replace(/\/+$/, '');
  const feed = new Feed({
    id: `${base}${input.feedPath}`,
    title: input.title,
    link: `${base}${input.pagePath}`,
    language: 'vi',
    copyright: `CC BY 4.0 — ${input.publisher.office}`,
    updated: isoOf(input.asOf),
    author: {
      name: input.publisher.office,
      email: input.publisher.contact.includes('@') ? input.publisher.contact : undefined,
    },
    feedLinks: { atom: `${base}${input.feedPath}` },
  });
  for (const asOf of input.publications) {
    const revised = input.revisions.filter((r) => localTime(r['as_of']) === localTime(asOf));
    const paragraphs: string[] = [];
    if (localTime(asOf) === localTime(input.asOf)) {
      const rows = input.provinceMonths ?? input.monthRows;
      const latest = [...rows]
        .filter(complete)
        .sort((a, b) => String(a['period']).localeCompare(String(b['period'])))
        .at(-1);
      if (latest) {
        paragraphs.push(
          `Tháng ${latest['period']}: ${integer(latest['resolved_total'])} hồ sơ đã giải quyết, đúng hạn ${percent(latest['on_time_rate'])}; trực tuyến ${percent(latest['online_share'])}.`,
        );
      }
      paragraphs.push(...targetCrossings(input.monthRows));
    }
    paragraphs.push(
      revised.length === 0
        ? 'Không có số liệu của kỳ đã kết thúc bị điều chỉnh.'
        : `${revised.length} số liệu của các kỳ đã kết thúc được điều chỉnh (xem mục “Số liệu đã điều chỉnh”).`,
    );
    feed.addItem({
      id: `${base}${input.pagePath}#so-lieu-${asOf.slice(0, 10)}`,
      title: `Số liệu đến ${viDate(asOf)}`,
      link: `${base}${input.pagePath}`,
      date: isoOf(asOf),
      content: paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join(''),
    });
  }
  return feed.atom1();
}

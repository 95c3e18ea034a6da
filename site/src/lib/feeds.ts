// The Atom feeds' inputs from the published data: the province's (/feed.xml) and one unit's
// (/don-vi/<slug>/feed.xml). One entry per publication of the dated archive.
import { buildAtomFeed } from './atom-feed.ts';
import { localAsOf, publications, publisherOf, unitFeedPath } from './open-data.ts';
import type { PublishedData } from './published-data.ts';
import { unitPath } from './unit-slug.ts';

type Row = Record<string, unknown>;

/** Atom wants absolute addresses: the publisher's URL, else the build's site URL. */
function feedBase(data: PublishedData, buildSite: string) {
  const publisher = publisherOf(data);
  return {
    siteUrl: publisher.url ?? buildSite,
    publisher,
    asOf: localAsOf(data.asOf),
    publications: publications(data),
  };
}

export function provinceFeed(data: PublishedData, buildSite: string): string {
  const base = feedBase(data, buildSite);
  return buildAtomFeed({
    ...base,
    pagePath: '/',
    feedPath: '/feed.xml',
    title: `Công khai kết quả giải quyết TTHC — ${base.publisher.province}`,
    revisions: data.revisions as unknown as Row[],
    monthRows: data.unitKpis.filter((r) => r.period_type === 'month') as unknown as Row[],
    provinceMonths: data.provinceKpis.filter((r) => r.period_type === 'month') as unknown as Row[],
  });
}

export function unitFeed(data: PublishedData, unitCode: string, unitName: string, buildSite: string): string {
  const base = feedBase(data, buildSite);
  return buildAtomFeed({
    ...base,
    pagePath: unitPath(unitCode),
    feedPath: unitFeedPath(unitCode),
    title: `${unitName} — kết quả giải quyết TTHC, ${base.publisher.province}`,
    revisions: data.revisions.filter(
      (r) => r.table === 'unit_kpis' && r.unit_code === unitCode,
    ) as unknown as Row[],
    monthRows: data.unitKpis.filter(
      (r) => r.unit_code === unitCode && r.period_type === 'month',
    ) as unknown as Row[],
  });
}

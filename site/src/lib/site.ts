// What the pages import: the site's own modules (data model, formatting, charts) and the one
// published data set of this build, read from the folder astro.config.mjs names.
import { loadPublishedData, type PublishedData } from './published-data.ts';

export * from './big-screen.ts';
export * from './chart-catalog.ts';
export * from './feeds.ts';
export * from './format.ts';
export * from './funnel.ts';
export * from './league.ts';
export * from './open-data.ts';
export * from './published-data.ts';
export * from './reform.ts';
export { renderSparkline } from './render-chart.ts';
export * from './scorecard.ts';
export * from './site-model.ts';
export * from './unit-slug.ts';

const loaded = new Map<string, PublishedData>();

/** The build's published data, read once per folder (every page of a build sees one snapshot). */
export function siteData(): PublishedData {
  const outDir = __CONGKHAI_OUT__;
  let data = loaded.get(outDir);
  if (!data) {
    data = loadPublishedData(outDir);
    loaded.set(outDir, data);
  }
  return data;
}
export * from './i18n.ts';

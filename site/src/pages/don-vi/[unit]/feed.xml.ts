// One unit's Atom feed: its publications, its revised figures, its target crossings.
import type { APIRoute } from 'astro';
import { listUnits, siteData, type UnitInfo, unitFeed, unitSlug } from '../../../lib/site.ts';

export function getStaticPaths() {
  return listUnits(siteData()).map((unit) => ({ params: { unit: unitSlug(unit.code) }, props: { unit } }));
}

export const GET: APIRoute = ({ props, site }) => {
  const { unit } = props as { unit: UnitInfo };
  return new Response(unitFeed(siteData(), unit.code, unit.name, site?.href ?? 'http://localhost:4321/'), {
    headers: { 'Content-Type': 'application/atom+xml; charset=utf-8' },
  });
};

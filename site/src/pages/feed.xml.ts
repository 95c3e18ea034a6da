// The province's Atom feed: one entry per publication (what is new, what was revised, which
// units crossed a target).
import type { APIRoute } from 'astro';
import { provinceFeed, siteData } from '../lib/site.ts';

export const GET: APIRoute = ({ site }) =>
  new Response(provinceFeed(siteData(), site?.href ?? 'http://localhost:4321/'), {
    headers: { 'Content-Type': 'application/atom+xml; charset=utf-8' },
  });

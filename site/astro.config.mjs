// The public site. Built by functions/core/site/build-site.ts (buildSite) into the folder that
// holds the published data (data/v1). That folder is fixed here, once per build, and handed to
// the pages as the constant __CONGKHAI_OUT__ (site/src/lib/site.ts reads it): env CONGKHAI_OUT
// as buildSite sets it, else .congkhai/public.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';

export default defineConfig({
  // Absolute URLs (the citation line) use it; relative links work on any host.
  site: process.env.CONGKHAI_SITE_URL || 'http://localhost:4321',
  trailingSlash: 'always',
  build: { format: 'directory', inlineStylesheets: 'always' },
  compressHTML: true,
  // Every page also in English under /en/ (same Vietnamese slugs): with no page files under
  // src/pages/en/, the fallback renders each Vietnamese page again at /en/… with
  // Astro.currentLocale 'en', and the pages take their words and formats from that
  // (site/src/lib/i18n.ts). Endpoints (feeds, chart files) exist once, language-neutral.
  i18n: {
    locales: ['vi', 'en'],
    defaultLocale: 'vi',
    fallback: { en: 'vi' },
    routing: { prefixDefaultLocale: false, fallbackType: 'rewrite' },
  },
  devToolbar: { enabled: false },
  // Keep Vite's cache with the root node_modules, not in a site/node_modules of its own.
  cacheDir: fileURLToPath(new URL('../node_modules/.astro-site/', import.meta.url)),
  vite: {
    define: { __CONGKHAI_OUT__: JSON.stringify(resolve(process.env.CONGKHAI_OUT || '.congkhai/public')) },
    logLevel: 'warn',
    build: { assetsInlineLimit: 0 },
  },
});

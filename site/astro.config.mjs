// The public site. Built by functions/core/site/build-site.ts (buildSite), which passes the
// output folder; the published data folder comes from env CONGKHAI_OUT (see published-data.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';

export default defineConfig({
  // Absolute URLs (the citation line) use it; relative links work on any host.
  site: process.env.CONGKHAI_SITE_URL || 'http://localhost:4321',
  trailingSlash: 'always',
  build: { format: 'directory', inlineStylesheets: 'always' },
  compressHTML: true,
  devToolbar: { enabled: false },
  // Keep Vite's cache with the root node_modules, not in a site/node_modules of its own.
  cacheDir: fileURLToPath(new URL('../node_modules/.astro-site/', import.meta.url)),
  vite: {
    logLevel: 'warn',
    build: { assetsInlineLimit: 0 },
  },
});

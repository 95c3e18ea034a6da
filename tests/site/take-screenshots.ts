// Screenshots of a built site at a phone's and a desktop's width, to look at what was built:
//   npx node tests/site/take-screenshots.ts OUT_DIR PREFIX /path/ [/path/ ...]
// writes test-results/site/<PREFIX>-<path>-<width>.png and prints console errors per page.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startStaticServer } from '../../functions/core/site/static-server.ts';
import { launchChromium } from './site-fixture.ts';

const WIDTHS = [390, 1366];
const [out, prefix, ...paths] = process.argv.slice(2);
if (!out || !prefix || paths.length === 0) {
  console.error('usage: take-screenshots.ts OUT_DIR PREFIX /path/ [/path/ ...]');
  process.exit(2);
}
const folder = join(process.cwd(), 'test-results', 'site');
await mkdir(folder, { recursive: true });
const server = await startStaticServer(out, 0);
const browser = await launchChromium();
try {
  for (const path of paths) {
    for (const width of WIDTHS) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      const response = await page.goto(new URL(path, server.url).href, { waitUntil: 'load' });
      const name = path.replace(/[^A-Za-z0-9-]+/g, '_').replace(/^_|_$/g, '') || 'home';
      await page.screenshot({ path: join(folder, `${prefix}-${name}-${width}.png`), fullPage: true });
      console.log(
        `${response?.status()} ${path} at ${width}px${errors.length ? `: ${errors.join(' | ')}` : ''}`,
      );
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}

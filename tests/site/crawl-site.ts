// Follows every internal link, stylesheet, script and image from a start page (plain HTTP,
// linkedom for parsing) and reports each URL's status, so a test can demand 200 everywhere,
// downloads included.
import { parseHTML } from 'linkedom';

export interface CrawlResult {
  /** url → HTTP status */
  statuses: Map<string, number>;
  /** url → a page that links to it */
  referrers: Map<string, string>;
  /** HTML pages visited */
  pages: string[];
}

/** `follow`: which same-origin URLs to visit (default all); the others are not requested. */
export async function crawlSite(
  startUrl: string,
  concurrency = 8,
  follow: (url: URL) => boolean = () => true,
): Promise<CrawlResult> {
  const origin = new URL(startUrl).origin;
  const statuses = new Map<string, number>();
  const referrers = new Map<string, string>();
  const pages: string[] = [];
  const queue: string[] = [startUrl];
  const seen = new Set(queue);

  const enqueue = (raw: string, from: string) => {
    let url: URL;
    try {
      url = new URL(raw, from);
    } catch {
      statuses.set(raw, -1);
      referrers.set(raw, from);
      return;
    }
    if (url.origin !== origin || !follow(url)) return;
    url.hash = '';
    const key = url.href;
    if (seen.has(key)) return;
    seen.add(key);
    referrers.set(key, from);
    queue.push(key);
  };

  const visit = async (url: string) => {
    const response = await fetchRetryingResets(url);
    statuses.set(url, response.status);
    const type = response.headers.get('content-type') ?? '';
    if (response.status !== 200 || !type.startsWith('text/html')) {
      await response.arrayBuffer();
      return;
    }
    pages.push(url);
    const { document } = parseHTML(await response.text());
    for (const element of Array.from(document.querySelectorAll('a[href], link[href]')))
      enqueue(element.getAttribute('href')!, url);
    for (const element of Array.from(document.querySelectorAll('script[src], img[src]')))
      enqueue(element.getAttribute('src')!, url);
  };

  let busy = 0;
  const workers = Array.from({ length: concurrency }, async () => {
    // Workers share the queue; a worker ends when the queue is empty and nobody is busy.
    while (true) {
      const next = queue.shift();
      if (next === undefined) {
        if (busy === 0) return;
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      busy += 1;
      try {
        await visit(next);
      } finally {
        busy -= 1;
      }
    }
  });
  await Promise.all(workers);
  return { statuses, referrers, pages };
}

/** A keep-alive socket the server closes just as the client reuses it ends in ECONNRESET (a
 * race that a loaded machine makes likely); such a request is sent again, twice at most. Any
 * HTTP status, and any other error, is returned or thrown as it is. */
async function fetchRetryingResets(url: string, attempts = 3): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, { redirect: 'manual' });
    } catch (error) {
      const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
      const reset = code === 'ECONNRESET' || code === 'UND_ERR_SOCKET';
      if (!reset || attempt >= attempts) throw error;
    }
  }
}

// A small static file server for a built site folder on 127.0.0.1: directory → index.html,
// content types by extension, the site's own 404 page. Hidden entries (a path segment starting
// with '.': staging folders of a build or a publish in progress or killed, the site manifest)
// are never served: they answer 404 like a missing file. For `congkhai site serve` and tests;
// production serves the same folder from S3 + CloudFront.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.parquet': 'application/vnd.apache.parquet',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/atom+xml; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.bib': 'application/x-bibtex; charset=utf-8',
  '.zip': 'application/zip',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.wasm': 'application/wasm',
  // Pagefind's index fragments.
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pagefind': 'application/octet-stream',
};

export interface StaticServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

async function fileAt(path: string): Promise<{ path: string; size: number } | undefined> {
  try {
    const info = await stat(path);
    if (info.isFile()) return { path, size: info.size };
    if (info.isDirectory()) return fileAt(join(path, 'index.html'));
  } catch {
    // Missing: the caller answers 404.
  }
  return undefined;
}

export async function startStaticServer(
  rootDir: string,
  port = 4321,
  host = '127.0.0.1',
): Promise<StaticServer> {
  const root = resolve(rootDir);
  const server = createServer(async (request, response) => {
    // One request per connection: on a loaded machine a kept-alive socket that the server closes
    // as idle while the client reuses it makes the client fail with ECONNRESET.
    response.shouldKeepAlive = false;
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      const url = new URL(request.url ?? '/', 'http://localhost');
      let pathname: string;
      try {
        pathname = decodeURIComponent(url.pathname);
      } catch {
        response.writeHead(400).end();
        return;
      }
      const target = normalize(join(root, pathname));
      if (target !== root && !target.startsWith(root + sep)) {
        response.writeHead(403).end();
        return;
      }
      const hidden = pathname.split('/').some((segment) => segment.startsWith('.'));
      const file = hidden ? undefined : await fileAt(target);
      if (file && pathname.endsWith('/') === false && !extname(target) && file.path.endsWith('index.html')) {
        // /co-quan → /co-quan/ so that relative links resolve as the site expects.
        response.writeHead(301, { Location: `${url.pathname}/${url.search}` }).end();
        return;
      }
      const found = file ?? (await fileAt(join(root, '404.html')));
      const status = file ? 200 : 404;
      if (!found) {
        response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Không tìm thấy\n');
        return;
      }
      response.writeHead(status, {
        'Content-Type': CONTENT_TYPES[extname(found.path).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': found.size,
        'Cache-Control': 'no-cache',
      });
      if (request.method === 'HEAD') response.end();
      else createReadStream(found.path).pipe(response);
    } catch (error) {
      response.writeHead(500).end(String(error));
    }
  });
  // Keep idle connections well past what a client's pool assumes (undici reuses a socket until
  // 1 s before the server's 5 s default): on a loaded machine a slowed client otherwise reuses
  // a socket the server is closing and gets ECONNRESET (the e2e crawl fetches ~2,600 URLs).
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolveListen());
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    server,
    port: actualPort,
    url: `http://localhost:${actualPort}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** Serve `rootDir` until Ctrl+C or SIGTERM (the `site serve` and `start` commands). */
export async function serveUntilStopped(rootDir: string, port: number): Promise<StaticServer> {
  const server = await startStaticServer(rootDir, port);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}

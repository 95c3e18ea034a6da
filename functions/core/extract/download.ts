// One HTTP(S) download to a local file, streamed (extracts can be large). Used by the CLI for
// https inputs and by the cloud's scheduled pull, which adds a credential header and a timeout.
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';

/** Why a download failed, without the URL (callers name it their own way, e.g. without secrets). */
export class DownloadError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.name = 'DownloadError';
    this.reason = reason;
  }
}

export interface DownloadOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

export async function downloadToFile(
  url: string,
  path: string,
  options: DownloadOptions = {},
): Promise<void> {
  const fetchImpl = options.fetchImpl ?? fetch;
  let response: Response;
  try {
    response = await fetchImpl(url, {
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.timeoutMs ? { signal: AbortSignal.timeout(options.timeoutMs) } : {}),
    });
  } catch (error) {
    throw new DownloadError((error as Error).message);
  }
  if (!response.ok || !response.body) throw new DownloadError(`HTTP ${response.status}`);
  try {
    await pipeline(Readable.fromWeb(response.body as ReadableStream), createWriteStream(path));
  } catch (error) {
    throw new DownloadError((error as Error).message);
  }
}

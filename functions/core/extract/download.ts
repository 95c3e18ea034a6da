// One HTTP(S) download to a local file, streamed (extracts can be large). Used by the CLI for
// https inputs and by the cloud's scheduled pull, which adds a credential header and a timeout.
//
// What a download refuses, whoever calls it:
// - redirects: a 3xx is an error, never followed (a followed redirect would carry the
//   credential header to another host);
// - private, loopback, link-local and other non-public addresses: the host is resolved and
//   EVERY address checked, IPv4 and IPv6, at connection time (so a DNS answer that changes
//   between a check and the connection changes nothing). `allowPrivateHosts` lifts this; the
//   CLI sets it (its URL comes from the operator's own command line), tests set it to use a
//   server on 127.0.0.1, the cloud pull never does;
// - bodies over `maxBytes`: a larger Content-Length is refused before reading, and a body
//   that grows past it is cut and its partial file removed.
// The local file is named by downloadFileName: one path segment inside the target folder,
// whatever the URL holds (`..%2F`, a malformed escape, an empty path).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { join, resolve, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Why a download failed, without the URL (callers name it their own way, e.g. without secrets). */
export class DownloadError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.name = 'DownloadError';
    this.reason = reason;
  }
}

/** Default body limit when the caller sets none: no download is unbounded. */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 4 * 1024 ** 3;

export interface DownloadOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Largest body accepted, in bytes (default DEFAULT_MAX_DOWNLOAD_BYTES). */
  maxBytes?: number;
  /** Connect to private, loopback and link-local addresses too. Off by default. */
  allowPrivateHosts?: boolean;
}

// Addresses that are not the public Internet (IANA special-purpose registries). One list per
// family: BlockList matches an IPv4 address against IPv6 rules as ::ffff:a.b.c.d.
const NON_PUBLIC_V4 = new BlockList();
const NON_PUBLIC_V6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (instance metadata lives here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  NON_PUBLIC_V4.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::', 96], // IPv4-compatible (deprecated)
  ['::ffff:0:0', 96], // IPv4-mapped: would reach any IPv4 address, private ones included
  ['64:ff9b::', 96], // NAT64 (embeds an IPv4 address)
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001::', 32], // Teredo (embeds an IPv4 address)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4 (embeds an IPv4 address)
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const)
  NON_PUBLIC_V6.addSubnet(net, prefix, 'ipv6');

/** True for any address that is not a public unicast Internet address. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true; // not an address at all: never treat as public
  return family === 4 ? NON_PUBLIC_V4.check(address, 'ipv4') : NON_PUBLIC_V6.check(address, 'ipv6');
}

/** The first private or local address of a host's addresses, if any: the host is refused. */
export function refusedAddress(addresses: readonly LookupAddress[]): string | undefined {
  return addresses.find((a) => isPrivateAddress(a.address))?.address;
}

/** A DNS lookup for http(s).request that refuses a host if ANY of its addresses is private. */
function publicOnlyLookup(allowPrivateHosts: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = allowPrivateHosts ? undefined : refusedAddress(addresses);
      if (refused) {
        return callback(
          new DownloadError(`${hostname} resolves to ${refused}, a private or local address: refused`),
          '',
          0,
        );
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const [first] = addresses;
      if (!first) return callback(new DownloadError(`${hostname} has no address`), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

/** Stops the body at `maxBytes`. */
function byteLimit(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(new DownloadError(`the body is larger than ${maxBytes} bytes: refused`));
      else done(null, chunk);
    },
  });
}

/** Open the response, refusing what the rules above refuse before any byte is written. */
function open(url: URL, options: DownloadOptions, maxBytes: number): Promise<IncomingMessage> {
  const allowPrivate = options.allowPrivateHosts ?? false;
  // A literal address is connected to without a lookup: check it here.
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) && !allowPrivate && isPrivateAddress(literal)) {
    return Promise.reject(new DownloadError(`${literal} is a private or local address: refused`));
  }
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const requestOptions: RequestOptions = {
    method: 'GET',
    headers: options.headers ?? {},
    lookup: publicOnlyLookup(allowPrivate),
    ...(options.timeoutMs ? { signal: AbortSignal.timeout(options.timeoutMs) } : {}),
  };
  return new Promise((resolvePromise, reject) => {
    const req = request(url, requestOptions, (response) => {
      const status = response.statusCode ?? 0;
      const fail = (reason: string) => {
        response.resume();
        reject(new DownloadError(reason));
      };
      if (status >= 300 && status < 400) {
        return fail(`HTTP ${status} redirect to ${response.headers.location ?? '(no location)'} refused`);
      }
      if (status < 200 || status >= 300) return fail(`HTTP ${status}`);
      const length = Number(response.headers['content-length']);
      if (Number.isFinite(length) && length > maxBytes) {
        return fail(`the body is ${length} bytes, larger than ${maxBytes}: refused`);
      }
      resolvePromise(response);
    });
    req.on('error', (error) =>
      reject(error instanceof DownloadError ? error : new DownloadError(error.message)),
    );
    req.end();
  });
}

export async function downloadToFile(
  url: string,
  path: string,
  options: DownloadOptions = {},
): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DownloadError('not a valid URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new DownloadError(`only http(s) URLs can be downloaded, not ${parsed.protocol}`);
  }
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES;
  const response = await open(parsed, options, maxBytes);
  try {
    await pipeline(response, byteLimit(maxBytes), createWriteStream(path));
  } catch (error) {
    await rm(path, { force: true });
    throw error instanceof DownloadError ? error : new DownloadError((error as Error).message);
  }
}

const SAFE_NAME_MAX = 200;

/**
 * `text` as one safe file name: separators and anything but letters, digits, '.', '_', '-'
 * and spaces become '_', leading dots too (no '.', '..' or hidden file); an empty result
 * becomes `fallback`. Long names are cut to 200 characters, keeping the extension.
 */
export function safeFileName(text: string, fallback = 'extract'): string {
  let name = text
    .normalize('NFC')
    .replace(/[^\p{L}\p{M}\p{N}._ -]/gu, '_')
    .replace(/^[.\s]+/, (lead) => '_'.repeat(lead.length))
    .trim();
  if (name.length > SAFE_NAME_MAX) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = name.slice(0, SAFE_NAME_MAX - ext.length) + ext;
  }
  return /^[_\s]*$/.test(name) ? fallback : name;
}

/** The local file name for a URL: its last path segment, decoded (a malformed escape is kept
 * as written), made one safe name by safeFileName. */
export function downloadFileName(url: string, fallback = 'extract'): string {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return fallback;
  }
  const segment = pathname.slice(pathname.lastIndexOf('/') + 1);
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    decoded = segment; // a malformed escape ('%E0%A4%A'): the raw text, made safe
  }
  return safeFileName(decoded, fallback);
}

/** Download `url` into `dir` under its safe name (or `name`); the path never leaves `dir`. */
export async function downloadToFolder(
  url: string,
  dir: string,
  options: DownloadOptions & { name?: string } = {},
): Promise<{ path: string; name: string }> {
  const name = options.name ?? downloadFileName(url);
  const path = join(dir, name);
  if (!resolve(path).startsWith(resolve(dir) + sep)) {
    throw new DownloadError(`the file name ${JSON.stringify(name)} would leave the download folder`);
  }
  await downloadToFile(url, path, options);
  return { path, name };
}

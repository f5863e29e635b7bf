// Where a request goes: endpoint normalisation, region handling and the three addressing styles
// (path, virtual-hosted, custom domain). The signed resource always names the bucket; only the
// URL differs between styles.
import { isIP } from 'node:net';
import { encodeKeyForPath, rfc3986Encode } from './signing/uriEncode.js';

export type AddressingStyle = 'path' | 'virtual' | 'cname';

export interface Endpoint {
  protocol: 'http:' | 'https:';
  /** Host name without port, lower case; IPv6 without brackets. */
  hostname: string;
  /** '' for the protocol's default port. */
  port: string;
  /** `https://oss-cn-hangzhou.aliyuncs.com`, `http://127.0.0.1:9000` */
  origin: string;
}

/** Region as OSS V4 names it: `cn-hangzhou` (an `oss-` prefix is stripped). Throws on junk. */
export function normalizeRegion(region: string): string {
  const r = region.trim().toLowerCase().replace(/^oss-/, '');
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(r)) {
    throw new TypeError(`invalid OSS region ${JSON.stringify(region)}; expected something like cn-hangzhou`);
  }
  return r;
}

/** `cn-hangzhou` -> `https://oss-cn-hangzhou.aliyuncs.com` */
export function regionEndpoint(region: string): string {
  return `https://oss-${normalizeRegion(region)}.aliyuncs.com`;
}

/**
 * Parses `https://host[:port]`, `http://host:port` or a bare `host[:port]` (https assumed).
 * A path other than '/', a query, or credentials in the URL are rejected: they would be silently lost.
 */
export function parseEndpoint(endpointOrHost: string): Endpoint {
  const raw = endpointOrHost.trim();
  if (raw === '') throw new TypeError('endpoint is empty');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new TypeError(`invalid endpoint ${JSON.stringify(endpointOrHost)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`endpoint ${JSON.stringify(endpointOrHost)} must use http or https`);
  }
  if (url.username || url.password) throw new TypeError('endpoint must not contain credentials');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new TypeError(`endpoint ${JSON.stringify(endpointOrHost)} must be an origin without a path or query`);
  }
  if (!url.hostname) throw new TypeError(`endpoint ${JSON.stringify(endpointOrHost)} has no host`);
  const hostname = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return { protocol: url.protocol, hostname, port: url.port, origin: url.origin };
}

/** IP literals and localhost cannot carry a bucket sub-domain, so they get path style. */
export function isIpOrLocalhost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return isIP(h) !== 0 || h === 'localhost' || h.endsWith('.localhost');
}

/** A real Alibaba Cloud OSS service host (as opposed to a test server, proxy or custom domain). */
export function isOssServiceHost(hostname: string): boolean {
  return /(^|\.)aliyuncs\.com$/.test(hostname.toLowerCase());
}

/** `oss-cn-hangzhou.aliyuncs.com` / `oss-cn-hangzhou-internal.aliyuncs.com` -> `cn-hangzhou`. */
export function regionFromHost(hostname: string): string | undefined {
  const m = /(?:^|\.)oss-([a-z0-9-]+?)(?:-internal)?\.aliyuncs\.com$/.exec(hostname.toLowerCase());
  if (!m) return undefined;
  // `oss-accelerate` / `oss-accelerate-overseas` are global endpoints, not regions.
  if (m[1]!.startsWith('accelerate')) return undefined;
  return m[1];
}

// The host forms OSS itself names in a listing (oss-protocol.md section 3): `oss-<region>`,
// `oss-<region>-internal`, `oss-accelerate[-overseas]` and dual stack `<region>[-internal].oss`,
// all directly under aliyuncs.com. A bucket sub-domain or any other aliyuncs.com host is not one.
const LISTED_OSS_HOST = /^(?:oss-[a-z0-9]+(?:-[a-z0-9]+)*|[a-z0-9]+(?:-[a-z0-9]+)*\.oss)\.aliyuncs\.com$/;

/** An OSS service endpoint host of the form a bucket listing names (lower-case host, no port). */
export function isListedOssHost(hostname: string): boolean {
  return LISTED_OSS_HOST.test(hostname);
}

/** Where a listed endpoint may send a bucket's requests, or why it may not. */
export type ListedEndpoint = { origin: string } | { refused: string };

/**
 * Judges an endpoint that a server's own answer (ListBuckets, GetBucketInfo) names for a bucket.
 * Signed requests (with an STS token) follow it, so over plain HTTP anyone on the path could
 * otherwise send them elsewhere: it is taken only when it is an OSS host of the expected form or
 * the client's own host, and always with the client's scheme (never https -> http).
 */
export function checkListedEndpoint(client: Endpoint, listed: string): ListedEndpoint {
  const raw = listed.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw)?.[1]?.toLowerCase();
  if (scheme !== undefined && `${scheme}:` !== client.protocol) {
    return { refused: `it says ${scheme} where this connection uses ${client.protocol.slice(0, -1)}` };
  }
  let ep: Endpoint;
  try {
    ep = parseEndpoint(scheme !== undefined ? raw : `${client.protocol}//${raw}`);
  } catch {
    return { refused: 'it is not a host name' };
  }
  if (ep.hostname === client.hostname && ep.port === client.port) return { origin: client.origin };
  if (ep.port !== '') return { refused: 'OSS names its endpoints without a port' };
  if (!isListedOssHost(ep.hostname)) return { refused: 'it is not an Alibaba Cloud OSS endpoint' };
  return { origin: ep.origin };
}

/**
 * The endpoint a bucket listing names for this bucket, judged (checkListedEndpoint); undefined
 * when there is nothing to follow. Only against real OSS: a test server or proxy reports hosts the
 * client may not reach. A client on an internal endpoint stays internal.
 */
export function listedBucketRoute(
  client: Endpoint,
  bucket: { extranetEndpoint?: string; intranetEndpoint?: string },
): (ListedEndpoint & { listed: string }) | undefined {
  if (!isOssServiceHost(client.hostname)) return undefined;
  const listed = client.hostname.includes('-internal.') ? bucket.intranetEndpoint : bucket.extranetEndpoint;
  return listed ? { listed, ...checkListedEndpoint(client, listed) } : undefined;
}

/** The origin to use for a listed bucket, or undefined to keep the client's (see listedBucketRoute). */
export function listedBucketHost(
  client: Endpoint,
  bucket: { extranetEndpoint?: string; intranetEndpoint?: string },
): string | undefined {
  const r = listedBucketRoute(client, bucket);
  return r && 'origin' in r ? r.origin : undefined;
}

export function defaultStyle(ep: Endpoint, opts: { pathStyle?: boolean; cname?: boolean }): AddressingStyle {
  if (opts.cname) return 'cname';
  if (opts.pathStyle !== undefined) return opts.pathStyle ? 'path' : 'virtual';
  return isIpOrLocalhost(ep.hostname) ? 'path' : 'virtual';
}

// DNS labels: a bucket name that cannot be one must not be glued onto a host name.
const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export function isValidBucketName(bucket: string): boolean {
  return BUCKET_NAME.test(bucket);
}

export interface RequestTarget {
  /** scheme://host[:port] the connection goes to (its host is the Host header). */
  origin: string;
  /** Encoded path, starting with '/'. */
  path: string;
}

/** URL origin and path for a bucket/key under an endpoint and style. */
export function requestTarget(ep: Endpoint, style: AddressingStyle, bucket?: string, key?: string): RequestTarget {
  const keyPath = key === undefined ? '' : encodeKeyForPath(key);
  if (bucket === undefined) return { origin: ep.origin, path: '/' };
  switch (style) {
    case 'path':
      return { origin: ep.origin, path: `/${rfc3986Encode(bucket)}/${keyPath}` };
    case 'cname':
      return { origin: ep.origin, path: `/${keyPath}` };
    case 'virtual': {
      if (!isValidBucketName(bucket)) {
        throw new TypeError(`invalid bucket name ${JSON.stringify(bucket)}: 3-63 characters a-z, 0-9 and '-'`);
      }
      const port = ep.port ? `:${ep.port}` : '';
      return { origin: `${ep.protocol}//${bucket}.${ep.hostname}${port}`, path: `/${keyPath}` };
    }
  }
}

/** Appends an encoded query string; '' values are valueless (`?uploads`). */
export function withQuery(path: string, query: Record<string, string>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) parts.push(v === '' ? rfc3986Encode(k) : `${rfc3986Encode(k)}=${rfc3986Encode(v)}`);
  return parts.length === 0 ? path : `${path}?${parts.join('&')}`;
}

// Works out bucket, key and query from a request. Path style (`/bucket/key`) when the Host is an IP
// address or localhost; virtual-hosted (`<bucket>.<host>`, path `/key`) otherwise. ali-oss given an
// IP endpoint connects to the IP but sends `Host: <bucket>.oss-<region>.aliyuncs.com` and the path
// `/key` (and `Host: .oss-<region>.aliyuncs.com` for ListBuckets), which the virtual-hosted rule covers.
import { isIP } from 'node:net';
import { invalidArgument } from './ossServerError.js';

export interface Address {
  bucket?: string;
  key?: string;
  /** decoded names and values; '' for a valueless parameter (`?uploads`); the last one wins */
  query: Record<string, string>;
}

function hostName(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']')); // [::1]:port
  const colon = host.lastIndexOf(':');
  return colon >= 0 ? host.slice(0, colon) : host;
}

/** The bucket named by a virtual-hosted Host header, or undefined for a bare endpoint. */
export function bucketFromHost(hostHeader: string | undefined): { pathStyle: boolean; bucket?: string } {
  const name = hostName((hostHeader ?? '').trim().toLowerCase());
  if (name === '' || isIP(name) !== 0 || name === 'localhost') return { pathStyle: true };
  const dot = name.indexOf('.');
  if (dot < 0) return { pathStyle: true }; // a bare single-label host name: treat like localhost
  const label = name.slice(0, dot);
  // The bare service endpoint (oss-cn-hangzhou.aliyuncs.com) names no bucket.
  if (label === '' || (label.startsWith('oss-') && name.endsWith('.aliyuncs.com'))) return { pathStyle: false };
  return { pathStyle: false, bucket: label };
}

function decode(s: string, what: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw invalidArgument(`The ${what} is not valid percent-encoding.`, what, s);
  }
}

export function parseQuery(raw: string): Record<string, string> {
  const query: Record<string, string> = {};
  if (raw === '') return query;
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    // '+' means space in a query string (form encoding); clients that mean '+' send %2B
    const name = decode((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, ' '), 'query parameter');
    const value = eq < 0 ? '' : decode(part.slice(eq + 1).replace(/\+/g, ' '), 'query parameter');
    query[name] = value;
  }
  return query;
}

export function resolveAddress(url: string, hostHeader: string | undefined): Address {
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const query = parseQuery(q < 0 ? '' : url.slice(q + 1));
  if (!rawPath.startsWith('/')) throw invalidArgument('The request path must start with "/".');
  const path = decode(rawPath, 'request path');
  const host = bucketFromHost(hostHeader);
  if (!host.pathStyle) {
    const key = path.slice(1);
    return { bucket: host.bucket, key: host.bucket !== undefined && key !== '' ? key : undefined, query };
  }
  const rest = path.slice(1);
  if (rest === '') return { query };
  const slash = rest.indexOf('/');
  if (slash < 0) return { bucket: rest, query };
  const key = rest.slice(slash + 1);
  return { bucket: rest.slice(0, slash), key: key === '' ? undefined : key, query };
}

// Signature V4: OSS4-HMAC-SHA256 (oss-protocol.md §2).
import { createHash, createHmac } from 'node:crypto';
import { headerValue, type SigningCredentials, type SigningRequest } from './signingRequest.js';
import { encodeKeyForPath, rfc3986Encode } from './uriEncode.js';

const ALGORITHM = 'OSS4-HMAC-SHA256';
const ISO_BASIC = /^\d{8}T\d{6}Z$/;

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0; // only used on ASCII (encoded or lower-cased names)
}

/** Region as V4 signs it: 'cn-hangzhou' (an 'oss-' prefix is stripped). */
export function normalizeV4Region(region: string): string {
  const r = region.startsWith('oss-') ? region.slice(4) : region;
  if (!r) throw new TypeError('V4 signing needs a region such as cn-hangzhou');
  return r;
}

/** '/', '/bucket/' or '/bucket/<key encoded, slashes kept>' */
export function v4CanonicalUri(bucket?: string, key?: string): string {
  if (bucket === undefined || bucket === '') {
    if (key !== undefined && key !== '') throw new TypeError('an object key needs a bucket to be signed');
    return '/';
  }
  return `/${rfc3986Encode(bucket)}/${key === undefined ? '' : encodeKeyForPath(key)}`;
}

/** Every parameter, name and value RFC 3986-encoded, sorted by encoded name; '' values bare. */
export function v4CanonicalQuery(query: Record<string, string>): string {
  return Object.entries(query)
    .map(([k, v]) => [rfc3986Encode(k), v === '' ? '' : rfc3986Encode(String(v))] as const)
    .sort((a, b) => byteOrder(a[0], b[0]) || byteOrder(a[1], b[1]))
    .map(([k, v]) => (v === '' ? k : `${k}=${v}`))
    .join('&');
}

function isDefaultSigned(lowerName: string): boolean {
  return lowerName === 'content-type' || lowerName === 'content-md5' || lowerName.startsWith('x-oss-');
}

/** Lower-cased, de-duplicated, sorted; content-type, content-md5 and x-oss-* dropped (always signed). */
export function normalizeAdditionalHeaders(names: readonly string[] | undefined): string[] {
  if (!names) return [];
  const set = new Set<string>();
  for (const n of names) {
    const lower = n.trim().toLowerCase();
    if (lower && !isDefaultSigned(lower)) set.add(lower);
  }
  return [...set].sort(byteOrder);
}

/**
 * The six-line canonical request. Additional headers must be present in req.headers (as in
 * ali-oss): signing a header that is not sent could never verify, so that throws.
 */
export function v4CanonicalRequest(req: SigningRequest, additionalHeaders?: string[]): string {
  const extra = normalizeAdditionalHeaders(additionalHeaders);
  const merged = new Map<string, string>();
  for (const [name, value] of Object.entries(req.headers)) {
    const lower = name.toLowerCase();
    if (!isDefaultSigned(lower) && !extra.includes(lower)) continue;
    const v = String(value).trim();
    const prev = merged.get(lower);
    merged.set(lower, prev === undefined ? v : `${prev},${v}`);
  }
  for (const name of extra) {
    if (!merged.has(name)) throw new TypeError(`additional header '${name}' is not among the request headers`);
  }
  const canonicalHeaders = [...merged.keys()].sort(byteOrder).map((k) => `${k}:${merged.get(k)}\n`).join('');
  return [
    req.method.toUpperCase(),
    v4CanonicalUri(req.bucket, req.key),
    v4CanonicalQuery(req.query),
    canonicalHeaders,
    extra.join(';'),
    headerValue(req.headers, 'x-oss-content-sha256')?.trim() || 'UNSIGNED-PAYLOAD',
  ].join('\n');
}

function dayOf(isoDate: string): string {
  if (!ISO_BASIC.test(isoDate)) throw new TypeError(`x-oss-date must look like 20231216T162057Z, got ${JSON.stringify(isoDate)}`);
  return isoDate.slice(0, 8);
}

/** 'yyyymmdd/region/oss/aliyun_v4_request' */
export function v4Scope(day: string, region: string): string {
  return `${day}/${normalizeV4Region(region)}/oss/aliyun_v4_request`;
}

export function v4StringToSign(canonicalRequest: string, isoDate: string, region: string): string {
  const hash = createHash('sha256').update(canonicalRequest, 'utf8').digest('hex');
  return `${ALGORITHM}\n${isoDate}\n${v4Scope(dayOf(isoDate), region)}\n${hash}`;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** k4 of the HMAC chain: 'aliyun_v4'+secret -> day -> region -> 'oss' -> 'aliyun_v4_request'. */
export function v4SigningKey(secret: string, day: string, region: string): Buffer {
  const k1 = hmac(`aliyun_v4${secret}`, day);
  const k2 = hmac(k1, normalizeV4Region(region));
  const k3 = hmac(k2, 'oss');
  return hmac(k3, 'aliyun_v4_request');
}

/** Lowercase hex HMAC-SHA256 of the string to sign under the day's signing key. */
export function v4Signature(secret: string, stringToSign: string, isoDate: string, region: string): string {
  return createHmac('sha256', v4SigningKey(secret, dayOf(isoDate), region)).update(stringToSign, 'utf8').digest('hex');
}

/** The Authorization header value. req.headers must hold x-oss-date (yyyymmddTHHMMSSZ). */
export function v4Authorization(
  req: SigningRequest,
  creds: SigningCredentials,
  region: string,
  additionalHeaders?: string[],
): string {
  if (!creds.accessKeyId || !creds.accessKeySecret) throw new TypeError('V4 signing needs an AccessKey ID and secret');
  const isoDate = headerValue(req.headers, 'x-oss-date')?.trim();
  if (!isoDate) throw new TypeError('V4 signing needs an x-oss-date header');
  const r = normalizeV4Region(region);
  const extra = normalizeAdditionalHeaders(additionalHeaders);
  const sts = v4StringToSign(v4CanonicalRequest(req, extra), isoDate, r);
  const sig = v4Signature(creds.accessKeySecret, sts, isoDate, r);
  const extraPart = extra.length > 0 ? `AdditionalHeaders=${extra.join(';')},` : '';
  return `${ALGORITHM} Credential=${creds.accessKeyId}/${v4Scope(dayOf(isoDate), r)},${extraPart}Signature=${sig}`;
}

/** Lenient parse (split on ',', trim); undefined when any required piece is missing or malformed. */
export function parseV4Authorization(v: string):
  | { accessKeyId: string; day: string; region: string; additionalHeaders: string[]; signature: string }
  | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  if (!t.startsWith(`${ALGORITHM} `)) return undefined;
  const fields = new Map<string, string>();
  for (const part of t.slice(ALGORITHM.length + 1).split(',')) {
    const p = part.trim();
    if (!p) continue;
    const eq = p.indexOf('=');
    if (eq <= 0) return undefined;
    const name = p.slice(0, eq).trim();
    if (fields.has(name)) return undefined;
    fields.set(name, p.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signature = fields.get('Signature');
  if (!credential || !signature || !/^[0-9a-f]{64}$/.test(signature)) return undefined;
  const c = credential.split('/');
  if (c.length !== 5 || !c[0] || !/^\d{8}$/.test(c[1]) || !c[2] || c[3] !== 'oss' || c[4] !== 'aliyun_v4_request') {
    return undefined;
  }
  const extraRaw = fields.get('AdditionalHeaders');
  const additionalHeaders = extraRaw ? extraRaw.split(';').map((h) => h.trim().toLowerCase()).filter(Boolean) : [];
  return { accessKeyId: c[0], day: c[1], region: c[2], additionalHeaders, signature };
}

// Signature V1: `Authorization: OSS <AccessKeyId>:<base64 HMAC-SHA1>` (oss-protocol.md §1).
import { createHmac } from 'node:crypto';
import { headerValue, type SigningCredentials, type SigningRequest } from './signingRequest.js';

// Query names that OSS includes in the V1 canonical resource. Taken from the SDKs' lists;
// anything else (prefix, marker, max-keys...) is left out, and so must be by the verifier too.
const SIGNED_SUBRESOURCES: ReadonlySet<string> = new Set([
  'acl', 'uploads', 'uploadId', 'partNumber', 'delete', 'append', 'position', 'objectMeta',
  'tagging', 'symlink', 'restore', 'versionId', 'versions', 'versioning', 'security-token',
  'continuation-token', 'response-content-type', 'response-content-language', 'response-expires',
  'response-cache-control', 'response-content-disposition', 'response-content-encoding',
  'callback', 'callback-var', 'location', 'bucketInfo', 'stat', 'cors', 'lifecycle', 'logging',
  'website', 'referer', 'cname', 'qos', 'worm', 'wormId', 'wormExtend', 'inventory', 'inventoryId',
  'resourceGroup', 'policy', 'encryption', 'replication', 'replicationProgress',
  'replicationLocation', 'requestPayment', 'img', 'style', 'styleName', 'live', 'status', 'comp',
  'vod', 'startTime', 'endTime', 'udf', 'sequential', 'asyncFetch', 'transferAcceleration',
  'regionList', 'accessPoint', 'accessPointPolicy', 'metaQuery', 'publicAccessBlock', 'policyStatus',
]);

/** True when the query parameter `name` is part of the V1 canonical resource. */
export function isV1SignedSubresource(name: string): boolean {
  return SIGNED_SUBRESOURCES.has(name) || name.startsWith('x-oss-');
}

function byteOrder(a: string, b: string): number {
  // Compare as UTF-8 bytes: JS '<' compares UTF-16 units, which differs above U+FFFF.
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Every x-oss-* header, lower-cased and trimmed, sorted, as `name:value\n` lines ('' if none). */
export function v1CanonicalizedOssHeaders(headers: Record<string, string>): string {
  const merged = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!lower.startsWith('x-oss-')) continue;
    const v = String(value).trim();
    const prev = merged.get(lower);
    merged.set(lower, prev === undefined ? v : `${prev},${v}`);
  }
  return [...merged.keys()].sort(byteOrder).map((k) => `${k}:${merged.get(k)}\n`).join('');
}

/** '/', '/bucket/' or '/bucket/<raw key>', then '?' + signed sub-resources (raw values). */
export function v1CanonicalizedResource(req: SigningRequest): string {
  let resource = '/';
  if (req.bucket !== undefined && req.bucket !== '') {
    resource += `${req.bucket}/`;
    if (req.key !== undefined) resource += req.key;
  } else if (req.key !== undefined && req.key !== '') {
    throw new TypeError('an object key needs a bucket to be signed');
  }
  const names = Object.keys(req.query).filter(isV1SignedSubresource).sort(byteOrder);
  if (names.length === 0) return resource;
  const parts = names.map((n) => (req.query[n] === '' ? n : `${n}=${req.query[n]}`));
  return `${resource}?${parts.join('&')}`;
}

/**
 * VERB, Content-MD5, Content-Type, date line, x-oss headers, resource. The date line defaults to
 * the Date header, else x-oss-date (ali-oss sends only the latter); presigned URLs pass Expires.
 */
export function v1StringToSign(req: SigningRequest, dateLine?: string): string {
  const date = dateLine ?? headerValue(req.headers, 'date') ?? headerValue(req.headers, 'x-oss-date') ?? '';
  return [
    req.method.toUpperCase(),
    headerValue(req.headers, 'content-md5') ?? '',
    headerValue(req.headers, 'content-type') ?? '',
    date,
    v1CanonicalizedOssHeaders(req.headers) + v1CanonicalizedResource(req),
  ].join('\n');
}

/** base64(HMAC-SHA1(secret, utf8(stringToSign))) */
export function v1Signature(secret: string, stringToSign: string): string {
  return createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64');
}

/** 'OSS <ak>:<signature>' */
export function v1Authorization(req: SigningRequest, creds: SigningCredentials): string {
  if (!creds.accessKeyId || !creds.accessKeySecret) throw new TypeError('V1 signing needs an AccessKey ID and secret');
  return `OSS ${creds.accessKeyId}:${v1Signature(creds.accessKeySecret, v1StringToSign(req))}`;
}

/** Splits 'OSS ak:sig'; undefined when the value does not have that shape. */
export function parseV1Authorization(v: string): { accessKeyId: string; signature: string } | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^OSS ([^:\s]+):(\S+)$/.exec(v.trim());
  if (!m) return undefined;
  return { accessKeyId: m[1], signature: m[2] };
}

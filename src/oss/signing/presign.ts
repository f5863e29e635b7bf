// Presigned URLs (V1 and V4). Both return only the query parameters to add, decoded; the caller
// builds the URL and percent-encodes them like any other query value.
import type { SigningCredentials, SigningRequest } from './signingRequest.js';
import { v1Signature, v1StringToSign } from './signV1.js';
import { normalizeAdditionalHeaders, normalizeV4Region, v4CanonicalRequest, v4Scope, v4Signature, v4StringToSign } from './signV4.js';

const MAX_V4_EXPIRES = 604800; // 7 days, the V4 limit

function checkCreds(creds: SigningCredentials): void {
  if (!creds.accessKeyId || !creds.accessKeySecret) throw new TypeError('presigning needs an AccessKey ID and secret');
}

/** -> { OSSAccessKeyId, Expires, Signature, [security-token] }. `expires` is absolute Unix seconds. */
export function presignV1(p: {
  method: string;
  bucket: string;
  key: string;
  expires: number;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  creds: SigningCredentials;
}): Record<string, string> {
  checkCreds(p.creds);
  if (!Number.isSafeInteger(p.expires) || p.expires <= 0) {
    throw new RangeError(`Expires must be a positive whole number of Unix seconds, got ${p.expires}`);
  }
  const query: Record<string, string> = { ...(p.query ?? {}) };
  // The STS token is a signed sub-resource in V1, so it goes in before signing.
  if (p.creds.securityToken) query['security-token'] = p.creds.securityToken;
  const req: SigningRequest = { method: p.method.toUpperCase(), bucket: p.bucket, key: p.key, query, headers: p.headers ?? {} };
  const signature = v1Signature(p.creds.accessKeySecret, v1StringToSign(req, String(p.expires)));
  const out: Record<string, string> = { OSSAccessKeyId: p.creds.accessKeyId, Expires: String(p.expires), Signature: signature };
  if (p.creds.securityToken) out['security-token'] = p.creds.securityToken;
  return out;
}

/**
 * -> x-oss-signature-version, x-oss-credential, x-oss-date, x-oss-expires,
 * [x-oss-additional-headers], [x-oss-security-token], x-oss-signature. `expiresSeconds` counts from isoDate.
 */
export function presignV4(p: {
  method: string;
  bucket: string;
  key: string;
  isoDate: string;
  expiresSeconds: number;
  region: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  additionalHeaders?: string[];
  creds: SigningCredentials;
}): Record<string, string> {
  checkCreds(p.creds);
  if (!Number.isSafeInteger(p.expiresSeconds) || p.expiresSeconds < 1 || p.expiresSeconds > MAX_V4_EXPIRES) {
    throw new RangeError(`V4 presigned URLs expire after 1..${MAX_V4_EXPIRES} seconds, got ${p.expiresSeconds}`);
  }
  if (!/^\d{8}T\d{6}Z$/.test(p.isoDate)) throw new TypeError(`isoDate must look like 20231216T162057Z, got ${JSON.stringify(p.isoDate)}`);
  const region = normalizeV4Region(p.region);
  const extra = normalizeAdditionalHeaders(p.additionalHeaders);
  const added: Record<string, string> = {
    'x-oss-signature-version': 'OSS4-HMAC-SHA256',
    'x-oss-credential': `${p.creds.accessKeyId}/${v4Scope(p.isoDate.slice(0, 8), region)}`,
    'x-oss-date': p.isoDate,
    'x-oss-expires': String(p.expiresSeconds),
  };
  if (extra.length > 0) added['x-oss-additional-headers'] = extra.join(';');
  if (p.creds.securityToken) added['x-oss-security-token'] = p.creds.securityToken;
  for (const name of Object.keys(added)) {
    if (p.query && name in p.query) throw new TypeError(`query parameter '${name}' is set by presigning; do not pass it`);
  }
  const req: SigningRequest = {
    method: p.method.toUpperCase(),
    bucket: p.bucket,
    key: p.key,
    query: { ...(p.query ?? {}), ...added },
    headers: p.headers ?? {},
  };
  const sts = v4StringToSign(v4CanonicalRequest(req, extra), p.isoDate, region);
  return { ...added, 'x-oss-signature': v4Signature(p.creds.accessKeySecret, sts, p.isoDate, region) };
}

// Verifies who sent a request: V1 and V4 Authorization headers, V1 and V4 presigned URLs, the STS
// token and the clock window. The canonical forms come from src/oss (the same code the client signs
// with), rebuilt from decoded values, never from the raw URL.
import { timingSafeEqual } from 'node:crypto';
import type { SigningRequest } from '../../src/oss/signing/signingRequest.js';
import { parseV1Authorization, v1Signature, v1StringToSign } from '../../src/oss/signing/signV1.js';
import { parseV4Authorization, v4CanonicalRequest, v4Signature, v4StringToSign } from '../../src/oss/signing/signV4.js';
import { parseOssDate } from '../../src/oss/signing/ossDate.js';
import { OssServerError, accessDenied, invalidArgument } from './ossServerError.js';
import { serverNow, type RequestContext } from './requestContext.js';
import type { ServerCredential } from './serverTypes.js';

const MAX_SKEW_MS = 15 * 60 * 1000;
const MAX_V4_EXPIRES = 604800;
const V1_PRESIGN_PARAMS = ['OSSAccessKeyId', 'Expires', 'Signature'];

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function findCredential(ctx: RequestContext, accessKeyId: string): ServerCredential {
  const cred = ctx.state.credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!cred) {
    throw new OssServerError(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.', {
      OSSAccessKeyId: accessKeyId,
    });
  }
  if (cred.expiresAt && serverNow(ctx.state).getTime() >= cred.expiresAt.getTime()) {
    // OSS answers an expired STS credential with 403 and code SecurityTokenExpired (an AccessDenied
    // kind of error: the signature may be right, the credential is no longer valid).
    throw new OssServerError(403, 'SecurityTokenExpired', 'The security token you provided has expired.', {
      OSSAccessKeyId: accessKeyId,
    });
  }
  return cred;
}

function checkSecurityToken(cred: ServerCredential, sent: string | undefined): void {
  if (cred.securityToken === undefined) return;
  if (sent === undefined || sent === '') {
    // Real OSS treats a temporary AccessKey ID sent without its token as an unknown key
    // (InvalidAccessKeyId, per Alibaba's PostObject troubleshooting page). This server answers 403
    // AccessDenied, which the client tests already rely on; both are 403 credential errors.
    throw accessDenied('This AccessKey ID is temporary (STS): the request must carry its security token.');
  }
  if (!sameText(sent, cred.securityToken)) {
    // Alibaba documents this case (EC 0002-00000006) but oss-protocol.md does not give its code;
    // S3 answers 400 InvalidToken. This server answers 403 InvalidSecurityToken so clients treat it
    // like the other credential errors.
    throw new OssServerError(403, 'InvalidSecurityToken', 'The security token included in the request is invalid.');
  }
}

function checkClock(ctx: RequestContext, requestTime: Date): void {
  const now = serverNow(ctx.state);
  if (Math.abs(now.getTime() - requestTime.getTime()) > MAX_SKEW_MS) {
    throw new OssServerError(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
      RequestTime: requestTime.toISOString(),
      ServerTime: now.toISOString(),
      MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
    });
  }
}

function mismatch(accessKeyId: string, provided: string, stringToSign: string, canonicalRequest?: string): OssServerError {
  const extras: Record<string, string> = { OSSAccessKeyId: accessKeyId, SignatureProvided: provided, StringToSign: stringToSign };
  if (canonicalRequest !== undefined) extras.CanonicalRequest = canonicalRequest;
  return new OssServerError(
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    extras,
  );
}

function signingRequest(ctx: RequestContext, query: Record<string, string>): SigningRequest {
  return { method: ctx.method, bucket: ctx.bucket, key: ctx.key, query, headers: ctx.headers };
}

function withoutParams(query: Record<string, string>, names: string[]): Record<string, string> {
  const out = { ...query };
  for (const n of names) delete out[n];
  return out;
}

function verifyV1Header(ctx: RequestContext, value: string): string {
  const parsed = parseV1Authorization(value);
  if (!parsed) throw invalidArgument('Authorization header is invalid: expected "OSS <AccessKeyId>:<Signature>".', 'Authorization', value);
  const cred = findCredential(ctx, parsed.accessKeyId);
  const dateText = ctx.headers['date'] ?? ctx.headers['x-oss-date'];
  const date = dateText === undefined ? undefined : parseOssDate(dateText);
  if (!date) throw accessDenied('The request needs a valid Date or x-oss-date header.');
  checkClock(ctx, date);
  const sts = v1StringToSign(signingRequest(ctx, ctx.query));
  if (!sameText(v1Signature(cred.accessKeySecret, sts), parsed.signature)) throw mismatch(parsed.accessKeyId, parsed.signature, sts);
  checkSecurityToken(cred, ctx.headers['x-oss-security-token']);
  return parsed.accessKeyId;
}

function verifyV4(
  ctx: RequestContext,
  p: { accessKeyId: string; day: string; region: string; additionalHeaders: string[]; signature: string },
  isoDate: string | undefined,
  query: Record<string, string>,
  token: string | undefined,
): void {
  const cred = findCredential(ctx, p.accessKeyId);
  const date = isoDate !== undefined && /^\d{8}T\d{6}Z$/.test(isoDate) ? parseOssDate(isoDate) : undefined;
  if (date === undefined || isoDate === undefined) throw accessDenied('V4 requests need x-oss-date in the form 20231216T162057Z.');
  if (isoDate.slice(0, 8) !== p.day) throw accessDenied(`The credential scope day ${p.day} does not match x-oss-date ${isoDate}.`);
  // The server signs with its own region: a request scoped to another region cannot verify.
  if (p.region !== ctx.state.region) {
    throw new OssServerError(403, 'SignatureDoesNotMatch', `The credential scope names region ${p.region}; this endpoint is ${ctx.state.region}.`, {
      OSSAccessKeyId: p.accessKeyId,
      SignatureProvided: p.signature,
    });
  }
  let canonical: string;
  try {
    canonical = v4CanonicalRequest(signingRequest(ctx, query), p.additionalHeaders);
  } catch (e) {
    throw invalidArgument(`Cannot build the canonical request: ${(e as Error).message}`);
  }
  const sts = v4StringToSign(canonical, isoDate, ctx.state.region);
  if (!sameText(v4Signature(cred.accessKeySecret, sts, isoDate, ctx.state.region), p.signature)) {
    throw mismatch(p.accessKeyId, p.signature, sts, canonical);
  }
  checkSecurityToken(cred, token);
}

function verifyV4Header(ctx: RequestContext, value: string): string {
  const parsed = parseV4Authorization(value);
  if (!parsed) throw invalidArgument('Authorization header is invalid: expected "OSS4-HMAC-SHA256 Credential=...,Signature=...".', 'Authorization', value);
  const isoDate = ctx.headers['x-oss-date'];
  const date = isoDate === undefined ? undefined : parseOssDate(isoDate);
  if (date) checkClock(ctx, date);
  verifyV4(ctx, parsed, isoDate, ctx.query, ctx.headers['x-oss-security-token']);
  return parsed.accessKeyId;
}

function verifyV1Presigned(ctx: RequestContext): string {
  const q = ctx.query;
  for (const name of V1_PRESIGN_PARAMS) {
    if (!q[name]) throw invalidArgument(`A V1 presigned URL needs ${V1_PRESIGN_PARAMS.join(', ')}; ${name} is missing.`, name, '');
  }
  const expires = Number(q.Expires);
  if (!/^\d+$/.test(q.Expires)) throw invalidArgument('Expires must be Unix seconds.', 'Expires', q.Expires);
  const cred = findCredential(ctx, q.OSSAccessKeyId);
  if (serverNow(ctx.state).getTime() > expires * 1000) throw accessDenied('Request has expired.');
  const sts = v1StringToSign(signingRequest(ctx, withoutParams(q, V1_PRESIGN_PARAMS)), q.Expires);
  if (!sameText(v1Signature(cred.accessKeySecret, sts), q.Signature)) throw mismatch(q.OSSAccessKeyId, q.Signature, sts);
  checkSecurityToken(cred, q['security-token']);
  return q.OSSAccessKeyId;
}

function verifyV4Presigned(ctx: RequestContext): string {
  const q = ctx.query;
  if (q['x-oss-signature-version'] !== 'OSS4-HMAC-SHA256') {
    throw invalidArgument('x-oss-signature-version must be OSS4-HMAC-SHA256.', 'x-oss-signature-version', q['x-oss-signature-version'] ?? '');
  }
  const cred = (q['x-oss-credential'] ?? '').split('/');
  if (cred.length !== 5 || !cred[0] || !/^\d{8}$/.test(cred[1]) || cred[3] !== 'oss' || cred[4] !== 'aliyun_v4_request') {
    throw invalidArgument('x-oss-credential is malformed.', 'x-oss-credential', q['x-oss-credential'] ?? '');
  }
  const expiresText = q['x-oss-expires'] ?? '';
  const expires = Number(expiresText);
  if (!/^\d+$/.test(expiresText) || expires < 1 || expires > MAX_V4_EXPIRES) {
    throw invalidArgument(`x-oss-expires must be 1..${MAX_V4_EXPIRES} seconds.`, 'x-oss-expires', expiresText);
  }
  const signature = q['x-oss-signature'] ?? '';
  if (!/^[0-9a-f]{64}$/.test(signature)) throw invalidArgument('x-oss-signature must be 64 lower-case hex digits.', 'x-oss-signature', signature);
  const isoDate = q['x-oss-date'];
  const date = isoDate === undefined ? undefined : parseOssDate(isoDate);
  if (!date) throw accessDenied('x-oss-date must look like 20231216T162057Z.');
  const now = serverNow(ctx.state).getTime();
  // A URL signed in the future (beyond the clock window) is refused like a skewed header.
  if (date.getTime() - now > MAX_SKEW_MS) checkClock(ctx, date);
  if (now > date.getTime() + expires * 1000) throw accessDenied('Request has expired.');
  const extra = (q['x-oss-additional-headers'] ?? '').split(';').map((h) => h.trim().toLowerCase()).filter(Boolean);
  verifyV4(
    ctx,
    { accessKeyId: cred[0], day: cred[1], region: cred[2], additionalHeaders: extra, signature },
    isoDate,
    withoutParams(q, ['x-oss-signature']),
    q['x-oss-security-token'],
  );
  return cred[0];
}

/** Returns the caller's AccessKey ID, or throws the OSS error to answer with. */
export function authenticate(ctx: RequestContext): string {
  const authorization = ctx.headers['authorization'];
  if (authorization !== undefined) {
    if (authorization.trimStart().startsWith('OSS4-HMAC-SHA256')) return verifyV4Header(ctx, authorization);
    return verifyV1Header(ctx, authorization);
  }
  if (ctx.query['x-oss-signature'] !== undefined) return verifyV4Presigned(ctx);
  if (ctx.query.Signature !== undefined || ctx.query.OSSAccessKeyId !== undefined) return verifyV1Presigned(ctx);
  throw accessDenied('AccessDenied: anonymous access is not allowed on this server; sign the request.');
}

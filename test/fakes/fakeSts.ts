// A fake STS for offline tests: AssumeRole and AssumeRoleWithOIDC the RPC way (POST /, common
// parameters in the query, the action's in a form body), checked as STS checks them: version,
// format, a timestamp within 15 minutes, for AssumeRole signature 1.0 (HMAC-SHA1 over query and
// body, recomputed here with this file's own encoder, not the client's) by a known, unrevoked base
// key with an unused nonce; a known role the caller may assume; DurationSeconds 900..43200; for
// OIDC a known provider and the token it expects. It answers STS's JSON (errors: Code, Message,
// RequestId) and hands out credentials that live `lifetimeMs` (a test's few seconds, whatever
// DurationSeconds asked), registered with the OSS test server through `onIssue`.
import { createHmac, randomBytes } from 'node:crypto';
import { credentialsDocument, issueCredentials, type IssuedCredentials } from './issuedCredentials.js';
import { json, startFakeHttpServer, type FakeRequest, type FakeResponse } from './fakeHttpServer.js';

export interface FakeStsOptions {
  /** Base keys allowed to call AssumeRole. */
  baseKeys: { accessKeyId: string; accessKeySecret: string }[];
  /** Role ARN -> the base key IDs allowed to assume it (OIDC roles: any caller with a valid token). */
  roles: Record<string, string[]>;
  /** OIDC provider ARN -> the token it accepts right now. */
  oidcProviders?: Record<string, string>;
  /** How long issued credentials live; default 3600 s. */
  lifetimeMs?: number;
  onIssue?: (c: IssuedCredentials) => void;
  /** Where it listens; default 127.0.0.1 (127.0.0.2 for tests that go through a proxy). */
  host?: string;
}

export interface StsCallRecord {
  action: string;
  query: Record<string, string>;
  body: Record<string, string>;
  /** Empty when it succeeded; else the error code answered. */
  error: string;
  issued?: string;
}

export interface FakeSts {
  /** 'http://127.0.0.1:PORT' */
  endpoint: string;
  calls: StsCallRecord[];
  issued: IssuedCredentials[];
  lifetimeMs: number;
  /** AssumeRole with this base key fails from now on (InvalidAccessKeyId.NotFound, as for a deleted key). */
  revokeBaseKey(accessKeyId: string): void;
  /** The OIDC provider accepts only this token from now on (the cluster rotated it). */
  rotateOidcToken(providerArn: string, token: string): void;
  close(): Promise<void>;
}

/** Only A-Z a-z 0-9 - _ . ~ stay literal; every other UTF-8 byte is %XX (upper case). */
function encode(text: string): string {
  let out = '';
  for (const b of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function expectedSignature(method: string, params: Record<string, string>, secret: string): string {
  const pairs = Object.entries(params)
    .filter(([k]) => k !== 'Signature')
    .map(([k, v]) => [encode(k), encode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const canonical = pairs.map(([k, v]) => `${k}=${v}`).join('&');
  return createHmac('sha1', `${secret}&`).update(`${method}&${encode('/')}&${encode(canonical)}`).digest('base64');
}

class StsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function formBody(r: FakeRequest): Record<string, string> {
  if (!/^application\/x-www-form-urlencoded/i.test(r.headers['content-type'] ?? '')) {
    throw new StsError(400, 'InvalidParameter.ContentType', 'The body must be application/x-www-form-urlencoded.');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(r.body)) out[k] = v;
  return out;
}

export async function startFakeSts(opts: FakeStsOptions): Promise<FakeSts> {
  const revoked = new Set<string>();
  const nonces = new Set<string>();
  const oidc = { ...(opts.oidcProviders ?? {}) };
  const state = { lifetimeMs: opts.lifetimeMs ?? 3_600_000 };
  const calls: StsCallRecord[] = [];
  const issued: IssuedCredentials[] = [];

  const checkCommon = (q: Record<string, string>, action: string): void => {
    if (q.Version !== '2015-04-01') throw new StsError(400, 'InvalidVersion', `Specified parameter Version "${q.Version ?? ''}" is not valid.`);
    if (q.Format !== undefined && q.Format !== 'JSON') throw new StsError(400, 'InvalidParameter.Format', 'This fake answers JSON only.');
    const t = q.Timestamp ?? '';
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(t)) throw new StsError(400, 'InvalidTimeStamp.Format', `Specified time stamp "${t}" does not match yyyy-MM-ddTHH:mm:ssZ.`);
    if (Math.abs(Date.parse(t) - Date.now()) > 15 * 60_000) throw new StsError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
    if (action !== q.Action) throw new StsError(400, 'InvalidAction', 'Action mismatch.');
  };

  const checkSession = (b: Record<string, string>): void => {
    for (const need of ['RoleArn', 'RoleSessionName']) if (!b[need]) throw new StsError(400, `MissingParameter`, `The input parameter "${need}" that is mandatory for processing this request is not supplied.`);
    if (!/^[\w.@-]{2,64}$/.test(b.RoleSessionName!)) throw new StsError(400, 'InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.');
    if (b.DurationSeconds !== undefined) {
      const d = Number(b.DurationSeconds);
      if (!Number.isInteger(d) || d < 900 || d > 43_200) throw new StsError(400, 'InvalidParameter.DurationSeconds', 'The Min/Max value of DurationSeconds is 15min/12hr.');
    }
    if (!(b.RoleArn! in opts.roles)) throw new StsError(404, 'EntityNotExist.Role', `The role not exists: ${b.RoleArn}.`);
  };

  const assumeRole = (r: FakeRequest, body: Record<string, string>): void => {
    const q = r.query;
    checkCommon(q, 'AssumeRole');
    if (q.SignatureMethod !== 'HMAC-SHA1') throw new StsError(400, 'InvalidSignatureMethod', 'Specified signature method is not valid.');
    if (q.SignatureVersion !== '1.0') throw new StsError(400, 'InvalidSignatureVersion', 'Specified signature version is not valid.');
    if (!q.SignatureNonce) throw new StsError(400, 'MissingSignatureNonce', 'SignatureNonce is mandatory for this action.');
    if (nonces.has(q.SignatureNonce)) throw new StsError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    const key = opts.baseKeys.find((k) => k.accessKeyId === q.AccessKeyId);
    if (!key || revoked.has(key.accessKeyId)) throw new StsError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    const params = { ...q, ...body };
    if (q.Signature !== expectedSignature('POST', params, key.accessKeySecret)) {
      throw new StsError(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
    }
    nonces.add(q.SignatureNonce);
    checkSession(body);
    if (!opts.roles[body.RoleArn!]!.includes(key.accessKeyId)) {
      throw new StsError(403, 'NoPermission', 'You are not authorized to do this action. You should be authorized by RAM.');
    }
  };

  const assumeRoleWithOidc = (r: FakeRequest, body: Record<string, string>): void => {
    checkCommon(r.query, 'AssumeRoleWithOIDC');
    if (r.query.Signature !== undefined || r.query.AccessKeyId !== undefined) throw new StsError(400, 'InvalidParameter', 'AssumeRoleWithOIDC is not signed.');
    for (const need of ['OIDCProviderArn', 'OIDCToken']) if (!body[need]) throw new StsError(400, 'MissingParameter', `The input parameter "${need}" that is mandatory for processing this request is not supplied.`);
    const expected = oidc[body.OIDCProviderArn!];
    if (expected === undefined) throw new StsError(404, 'EntityNotExist.OIDCProvider', 'The OIDC provider does not exist.');
    if (body.OIDCToken !== expected) throw new StsError(400, 'AuthenticationFail.OIDCToken.Invalid', 'The OIDC token is invalid or has expired.');
    checkSession(body);
  };

  const server = await startFakeHttpServer((r): FakeResponse => {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    const record: StsCallRecord = { action: r.query.Action ?? '', query: r.query, body: {}, error: '' };
    calls.push(record);
    try {
      if (r.method !== 'POST' || r.path !== '/') throw new StsError(400, 'InvalidRequest', `This fake serves POST / only, not ${r.method} ${r.path}.`);
      const body = formBody(r);
      record.body = body;
      if (record.action === 'AssumeRole') assumeRole(r, body);
      else if (record.action === 'AssumeRoleWithOIDC') assumeRoleWithOidc(r, body);
      else throw new StsError(400, 'InvalidAction.NotFound', `Specified api "${record.action}" is not found.`);
      const c = issueCredentials(state.lifetimeMs);
      issued.push(c);
      record.issued = c.accessKeyId;
      opts.onIssue?.(c);
      const roleName = body.RoleArn!.split('/').pop();
      return json(200, {
        RequestId: requestId,
        AssumedRoleUser: { Arn: `${body.RoleArn}/${body.RoleSessionName}`, AssumedRoleId: `3${randomBytes(8).toString('hex')}:${body.RoleSessionName}` },
        Credentials: credentialsDocument(c),
        ...(record.action === 'AssumeRoleWithOIDC' ? { OIDCTokenInfo: { Issuer: 'fake', Subject: roleName } } : {}),
      });
    } catch (e) {
      const err = e instanceof StsError ? e : new StsError(500, 'InternalError', String(e));
      record.error = err.code;
      return json(err.status, { RequestId: requestId, HostId: 'sts.fake', Code: err.code, Message: err.message, Recommend: 'https://api.aliyun.com/troubleshoot' });
    }
  }, opts.host);

  return {
    endpoint: server.url,
    calls,
    issued,
    get lifetimeMs() {
      return state.lifetimeMs;
    },
    set lifetimeMs(ms: number) {
      state.lifetimeMs = ms;
    },
    revokeBaseKey: (id) => revoked.add(id),
    rotateOidcToken: (arn, token) => {
      oidc[arn] = token;
    },
    close: () => server.close(),
  };
}

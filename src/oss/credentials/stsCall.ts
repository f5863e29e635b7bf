// One call to STS, the RPC way: POST to the endpoint's root with the common parameters in the
// query (Action, Version 2015-04-01, Format JSON, Timestamp) and the action's own in a form body.
// AssumeRole is signed with the base AccessKey (signature 1.0, HMAC-SHA1, a fresh SignatureNonce
// each time, the signature over query and body together); AssumeRoleWithOIDC is not signed, the
// OIDC token being the proof.
import { randomUUID } from 'node:crypto';
import type { CredentialKind, ResolvedCredentials } from './credentialsProvider.js';
import type { CredentialsHttp } from './credentialsHttp.js';
import { rpcPercentEncode, rpcSignature, rpcTimestamp } from './rpcSignature.js';
import { credentialsFromAnswer, failedAnswer } from './sessionCredentials.js';

export const STS_VERSION = '2015-04-01';
export const DEFAULT_STS_ENDPOINT = 'https://sts.aliyuncs.com';

/** `https://sts.aliyuncs.com`, `sts.cn-hangzhou.aliyuncs.com` (https assumed) or `http://127.0.0.1:9100`. */
export function stsEndpointUrl(endpoint: string | undefined, region?: string): URL {
  const raw = endpoint?.trim() || (region ? `https://sts.${region}.aliyuncs.com` : DEFAULT_STS_ENDPOINT);
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`the STS endpoint must be an http(s) URL, got ${raw}`);
  return new URL('/', url.origin);
}

export interface StsCall {
  http: CredentialsHttp;
  endpoint: URL;
  action: 'AssumeRole' | 'AssumeRoleWithOIDC';
  kind: CredentialKind;
  /** The action's own parameters (RoleArn, RoleSessionName, DurationSeconds, …); undefined values are left out. */
  params: Record<string, string | undefined>;
  /** Signs with these (AssumeRole); undefined sends the request unsigned (AssumeRoleWithOIDC). */
  signWith?: ResolvedCredentials;
  now: Date;
}

function defined(p: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(p)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

function form(p: Record<string, string>): string {
  return Object.entries(p)
    .map(([k, v]) => `${rpcPercentEncode(k)}=${rpcPercentEncode(v)}`)
    .join('&');
}

export async function callSts(c: StsCall): Promise<ResolvedCredentials> {
  const query: Record<string, string> = { Action: c.action, Version: STS_VERSION, Format: 'JSON', Timestamp: rpcTimestamp(c.now) };
  const body = defined(c.params);
  if (c.signWith) {
    query.SignatureMethod = 'HMAC-SHA1';
    query.SignatureVersion = '1.0';
    query.SignatureNonce = randomUUID();
    query.AccessKeyId = c.signWith.accessKeyId;
    if (c.signWith.securityToken) query.SecurityToken = c.signWith.securityToken;
    query.Signature = rpcSignature('POST', { ...query, ...body }, c.signWith.accessKeySecret);
  }
  const url = new URL(c.endpoint);
  url.search = `?${form(query)}`;
  const res = await c.http.send({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form(body),
    operation: c.action,
  });
  const ctx = { operation: c.action, kind: c.kind, who: `STS at ${c.endpoint.host}` };
  if (res.status !== 200) throw failedAnswer(ctx, res);
  return credentialsFromAnswer(ctx, res, true);
}

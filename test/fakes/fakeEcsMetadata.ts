// A fake ECS instance metadata service for offline tests: IMDSv2 tokens (PUT /latest/api/token with
// X-aliyun-ecs-metadata-token-ttl-seconds 1..21600; later GETs carry X-aliyun-ecs-metadata-token),
// the attached role's name at /latest/meta-data/ram/security-credentials/ and its credentials at
// .../<role> ({Code: Success, AccessKeyId, AccessKeySecret, SecurityToken, Expiration,
// LastUpdated}), living `lifetimeMs` and registered with the OSS test server through `onIssue`.
// With `requireToken` (IMDSv1 off on the instance) a GET without a valid token gets 401.
import { randomBytes } from 'node:crypto';
import { credentialsDocument, issueCredentials, type IssuedCredentials } from './issuedCredentials.js';
import { json, startFakeHttpServer, type FakeResponse } from './fakeHttpServer.js';

export interface FakeEcsMetadataOptions {
  roleName: string;
  lifetimeMs?: number;
  requireToken?: boolean;
  onIssue?: (c: IssuedCredentials) => void;
}

export interface FakeEcsMetadata {
  endpoint: string;
  /** 'PUT /latest/api/token', 'GET /latest/meta-data/…' with whether a valid token came along. */
  requests: { line: string; withToken: boolean }[];
  issued: IssuedCredentials[];
  lifetimeMs: number;
  close(): Promise<void>;
}

const CREDS = '/latest/meta-data/ram/security-credentials/';

export async function startFakeEcsMetadata(opts: FakeEcsMetadataOptions): Promise<FakeEcsMetadata> {
  const tokens = new Map<string, number>();
  const requests: FakeEcsMetadata['requests'] = [];
  const issued: IssuedCredentials[] = [];
  const state = { lifetimeMs: opts.lifetimeMs ?? 6 * 3_600_000 };
  const text = (status: number, body: string): FakeResponse => ({ status, headers: { 'content-type': 'text/plain' }, body });

  const server = await startFakeHttpServer((r): FakeResponse => {
    const token = r.headers['x-aliyun-ecs-metadata-token'];
    const withToken = token !== undefined && (tokens.get(token) ?? 0) > Date.now();
    requests.push({ line: `${r.method} ${r.path}`, withToken });
    if (r.method === 'PUT' && r.path === '/latest/api/token') {
      const ttl = Number(r.headers['x-aliyun-ecs-metadata-token-ttl-seconds']);
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21_600) return text(400, 'X-aliyun-ecs-metadata-token-ttl-seconds must be 1..21600');
      const t = randomBytes(24).toString('base64url');
      tokens.set(t, Date.now() + ttl * 1000);
      return text(200, t);
    }
    if (r.method !== 'GET') return text(405, 'Method Not Allowed');
    if (token !== undefined && !withToken) return text(401, 'Unauthorized: the metadata token is invalid or expired');
    if (opts.requireToken && !withToken) return text(401, 'Unauthorized: IMDSv1 is disabled on this instance; get a token first');
    if (r.path === CREDS) return text(200, opts.roleName);
    if (r.path === CREDS + opts.roleName) {
      const c = issueCredentials(state.lifetimeMs);
      issued.push(c);
      opts.onIssue?.(c);
      return json(200, { Code: 'Success', ...credentialsDocument(c), LastUpdated: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') });
    }
    return text(404, 'Not Found');
  });

  return {
    endpoint: server.url,
    requests,
    issued,
    get lifetimeMs() {
      return state.lifetimeMs;
    },
    set lifetimeMs(ms: number) {
      state.lifetimeMs = ms;
    },
    close: () => server.close(),
  };
}

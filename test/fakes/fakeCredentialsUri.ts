// A fake credentials URI service (what ALIBABA_CLOUD_CREDENTIALS_URI points at): GET <path> answers
// {Code: Success, AccessKeyId, AccessKeySecret, SecurityToken, Expiration}, credentials living
// `lifetimeMs` and registered with the OSS test server through `onIssue`; any other path is 404.
import { credentialsDocument, issueCredentials, type IssuedCredentials } from './issuedCredentials.js';
import { json, startFakeHttpServer } from './fakeHttpServer.js';

export interface FakeCredentialsUri {
  /** The full URI to give the provider. */
  uri: string;
  issued: IssuedCredentials[];
  lifetimeMs: number;
  /** From now on answer this status (e.g. 503: the service is down). */
  failWith: number | undefined;
  close(): Promise<void>;
}

export async function startFakeCredentialsUri(opts: { path?: string; lifetimeMs?: number; onIssue?: (c: IssuedCredentials) => void; host?: string } = {}): Promise<FakeCredentialsUri> {
  const path = opts.path ?? '/credentials';
  const issued: IssuedCredentials[] = [];
  const state: { lifetimeMs: number; failWith: number | undefined } = { lifetimeMs: opts.lifetimeMs ?? 3_600_000, failWith: undefined };
  const server = await startFakeHttpServer((r) => {
    if (r.method !== 'GET' || r.path !== path) return json(404, { Code: 'NotFound', Message: `no credentials at ${r.method} ${r.path}` });
    if (state.failWith !== undefined) return json(state.failWith, { Code: 'ServiceUnavailable', Message: 'the credentials service is down' });
    const c = issueCredentials(state.lifetimeMs);
    issued.push(c);
    opts.onIssue?.(c);
    return json(200, { Code: 'Success', ...credentialsDocument(c) });
  }, opts.host);
  return {
    uri: `${server.url}${path}`,
    issued,
    get lifetimeMs() {
      return state.lifetimeMs;
    },
    set lifetimeMs(ms: number) {
      state.lifetimeMs = ms;
    },
    get failWith() {
      return state.failWith;
    },
    set failWith(s: number | undefined) {
      state.failWith = s;
    },
    close: () => server.close(),
  };
}

// The client through a real forwarding proxy on 127.0.0.1: plain HTTP forwarded, HTTPS through a
// CONNECT tunnel (with its connections kept alive), an https:// proxy, proxy credentials that work
// and a 407 that says what to do, NO_PROXY sending a host around the proxy, and a proxy that cannot
// be reached, or cannot reach the endpoint, named.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { OssError, PROXY_AUTH_REQUIRED, PROXY_REFUSED, PROXY_UNREACHABLE, UNTRUSTED_CERTIFICATE } from '../../src/oss/index.js';
import { describeError, formatAdvice } from '../../src/vscode/presentation/errorAdvice.js';
import { BUCKET, CA_PEM, FIXTURES, roundTrip, startEndpoints, startProxy, type CountingProxy, type Endpoints } from './proxyFixture.js';

let ep: Endpoints;
let open: CountingProxy;
let guarded: CountingProxy;
const USER = 'proxy-user';
const PASSWORD = 'pr0xy-pa55word';

before(async () => {
  ep = await startEndpoints();
  open = await startProxy();
  guarded = await startProxy(`${USER}:${PASSWORD}`);
});
after(async () => {
  await ep.close();
  await open.close();
  await guarded.close();
});

async function rejectsWithCode(p: Promise<unknown>, code: string): Promise<OssError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof OssError, `expected OssError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}, the request succeeded`);
}

test('plain HTTP is forwarded by the proxy: a multipart upload and a ranged download arrive intact', { timeout: 60_000 }, async () => {
  open.reset();
  const client = ep.client(ep.plain.endpoint, { proxy: open.url });
  await roundTrip(ep, ep.plain, client);
  // 4 parts up, a HEAD and 5 ranged GETs down, the initiate/complete and the server's checks.
  assert.ok(open.forwarded >= 10, `the proxy forwarded ${open.forwarded} requests`);
  assert.equal(open.connects, 0, 'plain HTTP is forwarded, not tunnelled');
  assert.ok(open.connections < open.forwarded / 2, `the client's connections to the proxy are kept alive (${open.connections} for ${open.forwarded} requests)`);
});

test('HTTPS goes through a CONNECT tunnel, and the tunnels are kept alive and reused', { timeout: 60_000 }, async () => {
  open.reset();
  const client = ep.client(ep.tls.endpoint, { proxy: open.url, ca: [CA_PEM] });
  await roundTrip(ep, ep.tls, client);
  assert.equal(open.forwarded, 0, 'nothing is sent to the proxy in clear');
  assert.ok(open.connects >= 1, 'a tunnel was opened');
  const tunnels = open.connects;
  for (let i = 0; i < 20; i++) await client.headObject({ bucket: BUCKET, key: 'rt-2.bin' }).catch(() => client.listObjectsV2({ bucket: BUCKET }));
  // 20 requests one after the other ride the tunnels already open (a socket that is still being
  // handed back when the next request starts may cost one more).
  assert.ok(open.connects - tunnels <= 1, `20 sequential requests opened ${open.connects - tunnels} new tunnels`);
});

test('a proxy that wants credentials: the 407 says to set them, for HTTP and for HTTPS, and no secret is echoed', { timeout: 30_000 }, async () => {
  for (const [endpoint, network] of [
    [ep.plain.endpoint, { proxy: guarded.url }],
    [ep.tls.endpoint, { proxy: guarded.url, ca: [CA_PEM] }],
  ] as const) {
    guarded.reset();
    const err = await rejectsWithCode(ep.client(endpoint, network).listObjectsV2({ bucket: BUCKET }), PROXY_AUTH_REQUIRED);
    assert.equal(err.status, 407);
    assert.equal(err.retryable, false, 'credentials do not appear by retrying');
    assert.match(err.message, new RegExp(`the proxy http://${guarded.host} asked for credentials \\(407\\)`));
    assert.ok(guarded.refused >= 1, 'the proxy itself answered 407');
    const advice = formatAdvice(describeError(err));
    assert.match(advice, new RegExp(`^The proxy http://${guarded.host} asked for credentials \\(407\\)\\. Set http\\.proxyAuthorization or put user:password in the proxy URL \\(http\\.proxy\\)`));
  }
  // Wrong credentials: said as refused, and neither the password nor the header value shows anywhere.
  const wrong = `http://${USER}:not-the-${PASSWORD}@${guarded.host}`;
  const err = await rejectsWithCode(ep.client(ep.tls.endpoint, { proxy: wrong, ca: [CA_PEM] }).listObjectsV2({ bucket: BUCKET }), PROXY_AUTH_REQUIRED);
  assert.match(err.message, /refused the credentials it was given \(407\)/);
  const header = `Basic ${Buffer.from(`${USER}:wrong-${PASSWORD}`).toString('base64')}`;
  const err2 = await rejectsWithCode(ep.client(ep.plain.endpoint, { proxy: guarded.url, proxyAuthorization: header }).listObjectsV2({ bucket: BUCKET }), PROXY_AUTH_REQUIRED);
  for (const e of [err, err2]) {
    const everything = [e.message, JSON.stringify(e), describeError(e).detail, formatAdvice(describeError(e))].join('\n');
    assert.doesNotMatch(everything, new RegExp(PASSWORD));
    assert.ok(!everything.includes(header.slice(6)), 'the Proxy-Authorization value is not echoed');
  }
});

test('proxy credentials that work: user:password in the URL, or a Proxy-Authorization value; a real transfer each way', { timeout: 60_000 }, async () => {
  guarded.reset();
  const inUrl = `http://${USER}:${PASSWORD}@${guarded.host}`;
  await roundTrip(ep, ep.tls, ep.client(ep.tls.endpoint, { proxy: inUrl, ca: [CA_PEM] }));
  assert.ok(guarded.connects >= 1);
  const header = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
  await roundTrip(ep, ep.plain, ep.client(ep.plain.endpoint, { proxy: guarded.url, proxyAuthorization: header }));
  assert.ok(guarded.forwarded >= 10);
  // The header value wins over credentials in the URL.
  await roundTrip(ep, ep.tls, ep.client(ep.tls.endpoint, { proxy: `http://nobody:nothing@${guarded.host}`, proxyAuthorization: header, ca: [CA_PEM] }));
  assert.equal(guarded.refused, 0);
});

test('the environment: HTTPS_PROXY / HTTP_PROXY are used, and NO_PROXY sends a host around the proxy', { timeout: 60_000 }, async () => {
  open.reset();
  await ep.client(ep.tls.endpoint, { env: { HTTPS_PROXY: open.url }, ca: [CA_PEM] }).listObjectsV2({ bucket: BUCKET });
  await ep.client(ep.plain.endpoint, { env: { http_proxy: open.url } }).listObjectsV2({ bucket: BUCKET });
  assert.equal(open.connects, 1, 'HTTPS_PROXY carried the https request');
  assert.equal(open.forwarded, 1, 'http_proxy carried the http request');
  open.reset();
  for (const noProxy of ['127.0.0.2', '127.0.0.0/8', `127.0.0.2:${ep.plain.port}`]) {
    await roundTrip(ep, ep.plain, ep.client(ep.plain.endpoint, { env: { HTTP_PROXY: open.url, NO_PROXY: noProxy } }));
  }
  await roundTrip(ep, ep.tls, ep.client(ep.tls.endpoint, { env: { HTTPS_PROXY: open.url, no_proxy: 'example.com,127.0.0.2' }, ca: [CA_PEM] }));
  // http.noProxy (the list in the options) does the same, and replaces NO_PROXY.
  await roundTrip(ep, ep.plain, ep.client(ep.plain.endpoint, { proxy: open.url, noProxy: ['127.0.0.2'] }));
  assert.equal(open.connections, 0, 'nothing went near the proxy');
  await ep.client(ep.plain.endpoint, { env: { HTTP_PROXY: open.url, NO_PROXY: '127.0.0.2' }, noProxy: ['example.com'] }).listObjectsV2({ bucket: BUCKET });
  assert.equal(open.forwarded, 1, 'a given noProxy list replaces NO_PROXY');
});

test('a proxy that cannot be reached is named (never with its credentials); NO_PROXY still reaches the endpoint', { timeout: 30_000 }, async () => {
  const dead = await startProxy();
  const host = dead.host;
  await dead.close();
  for (const [endpoint, ca] of [
    [ep.plain.endpoint, []],
    [ep.tls.endpoint, [CA_PEM]],
  ] as const) {
    const err = await rejectsWithCode(ep.client(endpoint, { env: { HTTPS_PROXY: `http://u:${PASSWORD}@${host}`, HTTP_PROXY: `http://u:${PASSWORD}@${host}` }, ca }).listObjectsV2({ bucket: BUCKET }), PROXY_UNREACHABLE);
    assert.match(err.message, new RegExp(`the proxy http://${host} \\(from HTTP(S)?_PROXY\\) cannot be reached`));
    assert.equal(err.details.proxy, `http://${host}`);
    const advice = describeError(err);
    assert.match(advice.summary, new RegExp(`The proxy http://${host} cannot be reached`));
    assert.match(advice.nextStep ?? '', /Check the proxy address in HTTPS?_PROXY \(in the environment VS Code was started from\)/);
    assert.doesNotMatch([err.message, JSON.stringify(err), advice.detail, formatAdvice(advice)].join('\n'), new RegExp(PASSWORD));
  }
  await ep.client(ep.plain.endpoint, { env: { HTTP_PROXY: `http://${host}`, NO_PROXY: '127.0.0.2' } }).listObjectsV2({ bucket: BUCKET });
});

test('an https:// proxy: TLS to the proxy itself (its certificate trusted through the CA), then the tunnel inside it', { timeout: 60_000 }, async (t) => {
  const leaf = { key: readFileSync(path.join(FIXTURES, 'test-ca-leaf.key.pem')), cert: readFileSync(path.join(FIXTURES, 'test-ca-leaf.cert.pem')) };
  const secure = await startProxy(`${USER}:${PASSWORD}`, leaf);
  t.after(() => secure.close());
  const url = `https://${USER}:${PASSWORD}@${secure.host}`;
  await roundTrip(ep, ep.tls, ep.client(ep.tls.endpoint, { proxy: url, ca: [CA_PEM] }));
  await roundTrip(ep, ep.plain, ep.client(ep.plain.endpoint, { proxy: url, ca: [CA_PEM] }));
  assert.ok(secure.connects >= 2, 'both endpoints went through tunnels in the TLS connection to the proxy');
  // Without the CA the proxy's own certificate is refused, and the message says it may be the proxy's.
  const err = await rejectsWithCode(ep.client(ep.plain.endpoint, { proxy: url }).listObjectsV2({ bucket: BUCKET }), UNTRUSTED_CERTIFICATE);
  assert.match(err.message, new RegExp(`\\(or of the proxy https://${secure.host}\\)`));
});

test('a proxy that cannot open the tunnel (the endpoint is down behind it) says so, with its answer', { timeout: 30_000 }, async () => {
  const down = await startEndpoints();
  const endpoint = down.tls.endpoint;
  await down.close();
  const err = await rejectsWithCode(ep.client(endpoint, { proxy: open.url, ca: [CA_PEM] }).listObjectsV2({ bucket: BUCKET }), PROXY_REFUSED);
  assert.match(err.message, new RegExp(`the proxy ${open.url} did not open a tunnel to ${new URL(endpoint).host} \\(it answered 500\\)`));
  assert.equal(err.status, 500);
  assert.equal(err.retryable, true, 'the endpoint may come back');
  assert.match(formatAdvice(describeError(err)), /did not let the request through to .*http\.noProxy/);
});

test('a retired client (settings changed under a running transfer) keeps working on new connections', { timeout: 30_000 }, async () => {
  open.reset();
  const client = ep.client(ep.plain.endpoint, { proxy: open.url });
  await client.listObjectsV2({ bucket: BUCKET });
  client.retire();
  await client.listObjectsV2({ bucket: BUCKET });
  await roundTrip(ep, ep.plain, client);
});

// An HTTPS endpoint whose certificate comes from a CA nobody trusts by default (fixtures/test-ca-*):
// it fails clearly (naming the endpoint, and the CA setting in the advice) until the CA is trusted
// through the CA file, NODE_EXTRA_CA_CERTS or the system store; directly and through a proxy; and
// http.proxyStrictSSL: false lets only proxied connections accept it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { CaFileError, OssError, SYSTEM_BUNDLE_FILES, UNTRUSTED_CERTIFICATE, loadTrustedCertificates, pemCertificates, systemCertificates } from '../../src/oss/index.js';
import { describeError, formatAdvice } from '../../src/vscode/presentation/errorAdvice.js';
import { BUCKET, CA_FILE, CA_PEM, roundTrip, startEndpoints, startProxy, type CountingProxy, type Endpoints } from './proxyFixture.js';

let ep: Endpoints;
let proxy: CountingProxy;

before(async () => {
  ep = await startEndpoints();
  proxy = await startProxy();
});
after(async () => {
  await ep.close();
  await proxy.close();
});

async function untrusted(p: Promise<unknown>): Promise<OssError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof OssError, `expected an OssError, got ${String(e)}`);
    assert.equal(e.code, UNTRUSTED_CERTIFICATE, e.message);
    return e;
  }
  assert.fail('the untrusted certificate was accepted');
}

test('without the CA the endpoint fails clearly, at once, naming the endpoint and the CA setting', { timeout: 30_000 }, async () => {
  const target = new URL(ep.tls.endpoint).host;
  const err = await untrusted(ep.client(ep.tls.endpoint, {}).listObjectsV2({ bucket: BUCKET }));
  assert.equal(err.retryable, false, 'retrying cannot make a certificate trusted');
  assert.match(err.message, new RegExp(`the TLS certificate of ${target} is not signed by a trusted CA \\(UNABLE_TO_VERIFY_LEAF_SIGNATURE`));
  const advice = describeError(err);
  assert.equal(advice.summary, `The TLS certificate of ${target} is not signed by a trusted CA`);
  assert.match(advice.nextStep ?? '', /set ossTransfer\.caFile to that file/);
  assert.doesNotMatch(advice.nextStep ?? '', /proxyStrictSSL/, 'no proxy is involved');
});

test('the CA file makes it trusted: a multipart upload and a ranged download, directly and through a CONNECT tunnel', { timeout: 60_000 }, async () => {
  const trusted = await loadTrustedCertificates({ caFile: CA_FILE });
  assert.deepEqual(trusted.certificates, [CA_PEM]);
  assert.deepEqual(trusted.sources, [`CA file (${CA_FILE}): 1`]);
  await roundTrip(ep, ep.tls, ep.client(ep.tls.endpoint, { ca: trusted.certificates }));
  proxy.reset();
  const viaProxy = await untrusted(ep.client(ep.tls.endpoint, { proxy: proxy.url }).listObjectsV2({ bucket: BUCKET }));
  assert.match(formatAdvice(describeError(viaProxy)), /ossTransfer\.caFile.*http\.proxyStrictSSL: false/);
  await roundTrip(ep, ep.tls, ep.client(ep.tls.endpoint, { proxy: proxy.url, ca: trusted.certificates }));
  assert.ok(proxy.connects >= 2, 'both went through the tunnel');
});

test('NODE_EXTRA_CA_CERTS and the system store are read too; a NODE_EXTRA_CA_CERTS that cannot be read is a warning', { timeout: 60_000 }, async () => {
  const extra = await loadTrustedCertificates({ env: { NODE_EXTRA_CA_CERTS: CA_FILE } });
  assert.deepEqual(extra.certificates, [CA_PEM]);
  await ep.client(ep.tls.endpoint, { ca: extra.certificates }).listObjectsV2({ bucket: BUCKET });

  // A system bundle holding the test CA among others (as /etc/ssl/certs/ca-certificates.crt holds a distribution's).
  const bundle = path.join(ep.dir, 'system-bundle.crt');
  await fsp.writeFile(bundle, `# comment lines are skipped\n${CA_PEM}\n${CA_PEM}`);
  const system = await loadTrustedCertificates({ systemCertificates: true, systemBundleFiles: [path.join(ep.dir, 'missing.crt'), bundle] });
  assert.deepEqual(system.certificates, [CA_PEM]);
  assert.match(system.sources[0]!, new RegExp(`^system store \\(${bundle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\): 2 \\(1 already trusted\\)$`));
  await roundTrip(ep, ep.tls, ep.client(ep.tls.endpoint, { ca: system.certificates }));
  const off = await loadTrustedCertificates({ systemCertificates: false, systemBundleFiles: [bundle] });
  assert.deepEqual(off.certificates, []);
  await untrusted(ep.client(ep.tls.endpoint, { ca: off.certificates }).listObjectsV2({ bucket: BUCKET }));

  const broken = await loadTrustedCertificates({ env: { NODE_EXTRA_CA_CERTS: path.join(ep.dir, 'nope.pem') } });
  assert.deepEqual(broken.certificates, []);
  assert.match(broken.warnings[0]!, /NODE_EXTRA_CA_CERTS names .*nope\.pem, which cannot be read \(ENOENT\)/);
});

test("this machine's own system store is read from the first bundle file that exists", async () => {
  const store = await systemCertificates();
  const file = SYSTEM_BUNDLE_FILES.find((f) => existsSync(f));
  if (process.platform === 'linux' && file !== undefined) {
    assert.equal(store.from, file);
    const expected = pemCertificates(await fsp.readFile(file, 'utf8'));
    assert.equal(store.certificates.length, expected.length);
    assert.ok(store.certificates.length > 10, `${file} holds ${store.certificates.length} certificates`);
  } else {
    assert.ok(typeof store.from === 'string' && store.from !== '');
  }
});

test('http.proxyStrictSSL false: connections through a proxy accept the certificate; direct ones still do not', { timeout: 60_000 }, async () => {
  proxy.reset();
  await roundTrip(ep, ep.tls, ep.client(ep.tls.endpoint, { proxy: proxy.url, proxyStrictSsl: false }));
  assert.ok(proxy.connects >= 1);
  await untrusted(ep.client(ep.tls.endpoint, { proxy: proxy.url, proxyStrictSsl: false, noProxy: ['127.0.0.2'] }).listObjectsV2({ bucket: BUCKET }));
  await untrusted(ep.client(ep.tls.endpoint, { proxyStrictSsl: false }).listObjectsV2({ bucket: BUCKET }));
});

test('a CA file that cannot be used says which file and why', async () => {
  const missing = path.join(ep.dir, 'no-such-ca.pem');
  await assert.rejects(loadTrustedCertificates({ caFile: missing }), (e: Error) => e instanceof CaFileError && e.message === `the CA file ${missing} does not exist`);
  const empty = path.join(ep.dir, 'not-a-ca.pem');
  await fsp.writeFile(empty, 'just text\n');
  await assert.rejects(loadTrustedCertificates({ caFile: empty }), /the CA file .*not-a-ca\.pem holds no PEM certificate/);
  const bad = path.join(ep.dir, 'bad-ca.pem');
  await fsp.writeFile(bad, `${CA_PEM}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`);
  await assert.rejects(loadTrustedCertificates({ caFile: bad }), /the CA file .*bad-ca\.pem has a certificate that does not parse \(the 2nd\)/);
});

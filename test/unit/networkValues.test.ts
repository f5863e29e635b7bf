// VS Code's http.* settings and ossTransfer.caFile as the clients get them: defaults, values of the
// wrong type said (never the proxy credentials), a bad proxy URL or CA file stopping with a next step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { NetworkSettingError, httpSettingsFrom, networkPlanFor } from '../../src/vscode/settings/networkValues.js';
import { describeError, formatAdvice } from '../../src/vscode/presentation/errorAdvice.js';

const getter = (values: Record<string, unknown>) => (key: string) => values[key];
const CA_FILE = path.join(__dirname, '..', 'integration', 'fixtures', 'test-ca-only.cert.pem');
const SECRET = 'Basic c2VjcmV0OnZhbHVl';

test("nothing set: VS Code's defaults (no proxy, strict SSL, the system store)", () => {
  const { values, problems } = httpSettingsFrom(getter({ proxyAuthorization: null }));
  assert.deepEqual(values, { proxy: '', noProxy: [], proxyStrictSSL: true, proxyAuthorization: '', systemCertificates: true });
  assert.deepEqual(problems, []);
});

test('values of the wrong type are ignored and said, never with the value of proxyAuthorization', () => {
  const { values, problems } = httpSettingsFrom(getter({ proxy: 8080, noProxy: ['a.example', 3, 'b.example'], proxyStrictSSL: 'no', proxyAuthorization: { value: SECRET }, systemCertificates: 1 }));
  assert.deepEqual(values, { proxy: '', noProxy: ['a.example', 'b.example'], proxyStrictSSL: true, proxyAuthorization: '', systemCertificates: true });
  assert.deepEqual(problems, [
    'Setting http.proxy is not a string: ignored.',
    'Setting http.noProxy holds entries that are not strings: they are ignored.',
    'Setting http.proxyStrictSSL is not true or false: using true.',
    'Setting http.proxyAuthorization is not a string: ignored.',
    'Setting http.systemCertificates is not true or false: using true.',
  ]);
  assert.deepEqual(httpSettingsFrom(getter({ noProxy: 'a.example,b.example' })).values.noProxy, ['a.example,b.example']);
});

test('the options: proxy, noProxy, authorization, strict SSL and the CA file; the log line shows no secret', async () => {
  const http = { proxy: ' http://user:pa55@proxy.corp:3128 ', noProxy: ['.internal'], proxyStrictSSL: false, proxyAuthorization: SECRET, systemCertificates: false };
  const env = { HTTPS_PROXY: 'http://u:envpass@other:1' };
  const plan = await networkPlanFor(httpSettingsFrom(getter(http)).values, CA_FILE, env);
  assert.equal(plan.options.proxy, 'http://user:pa55@proxy.corp:3128');
  assert.deepEqual(plan.options.noProxy, ['.internal']);
  assert.equal(plan.options.proxyAuthorization, SECRET);
  assert.equal(plan.options.proxyStrictSsl, false);
  assert.equal(plan.options.env, env);
  assert.deepEqual(plan.options.ca, [await fsp.readFile(CA_FILE, 'utf8')]);
  assert.match(plan.summary, /^Network: proxy http:\/\/proxy\.corp:3128 \(http\.proxy\); http\.noProxy: \.internal; http\.proxyAuthorization set; http\.proxyStrictSSL off/);
  assert.match(plan.summary, /CA file \(.*test-ca-only\.cert\.pem\): 1/);
  for (const secret of ['pa55', 'envpass', SECRET, 'c2VjcmV0']) assert.ok(!plan.summary.includes(secret), secret);

  const none = await networkPlanFor(httpSettingsFrom(getter({ systemCertificates: false })).values, '', {});
  assert.deepEqual(none.options, { env: {}, noProxy: [], proxyStrictSsl: true, ca: [] });
  assert.equal(none.summary, "Network: no proxy; Node's CAs only.");
  const fromEnv = await networkPlanFor(httpSettingsFrom(getter({ systemCertificates: false })).values, '', env);
  assert.match(fromEnv.summary, /proxy from the environment \(HTTPS_PROXY\)/);
});

test('a proxy URL that does not parse, or a CA file that cannot be used, stops with the setting named and a next step', async () => {
  const badProxy = httpSettingsFrom(getter({ proxy: 'http://u:pa55@[nope', systemCertificates: false })).values;
  await assert.rejects(networkPlanFor(badProxy, '', {}), (e: Error) => {
    assert.ok(e instanceof NetworkSettingError);
    assert.match(e.message, /^Setting http\.proxy is not a valid proxy URL/);
    assert.doesNotMatch(e.message, /pa55/);
    assert.match(formatAdvice(describeError(e)), /Correct http\.proxy/);
    return true;
  });
  const dir = await fsp.mkdtemp(path.join(tmpdir(), 'network-values-'));
  const missing = path.join(dir, 'corp-ca.pem');
  const ok = httpSettingsFrom(getter({ systemCertificates: false })).values;
  await assert.rejects(networkPlanFor(ok, missing, {}), (e: Error) => {
    assert.ok(e instanceof NetworkSettingError);
    assert.equal(e.message, `Setting ossTransfer.caFile: the CA file ${missing} does not exist`);
    assert.match(describeError(e).nextStep ?? '', /Point ossTransfer\.caFile at a PEM file/);
    return true;
  });
  await fsp.rm(dir, { recursive: true, force: true });
});

// The test server's authentication: V1/V4 headers, presigned URLs, STS tokens, the clock window,
// and the error XML OSS answers with.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { presignV1, presignV4 } from '../../src/oss/signing/presign.js';
import { formatIsoBasic } from '../../src/oss/signing/ossDate.js';
import { encodeKeyForPath } from '../../src/oss/signing/uriEncode.js';
import { startOssServer, type OssServer } from '../server/index.js';
import { queryString, signedRequest, type RawRequest } from '../server/signedRequest.js';

const AK = { accessKeyId: 'ak-main', accessKeySecret: 'secret-main' };
const STS = { accessKeyId: 'ak-sts', accessKeySecret: 'secret-sts', securityToken: 'token-123' };
const EXPIRED = { accessKeyId: 'ak-old', accessKeySecret: 'secret-old', expiresAt: new Date(Date.now() - 60_000) };

let server: OssServer;
let dir: string;

function errorField(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m?.[1];
}

function send(r: Partial<RawRequest>) {
  return signedRequest(server.endpoint, { method: 'GET', bucket: 'bkt1', ...r });
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oss-server-auth-'));
  server = await startOssServer({ dataDir: dir, credentials: [AK, STS, EXPIRED], buckets: ['bkt1'] });
  const put = await send({ method: 'PUT', key: 'hello.txt', body: 'hello', creds: AK });
  assert.equal(put.status, 200);
});

after(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('signatures', () => {
  for (const signature of ['v1', 'v4'] as const) {
    test(`${signature}: a correctly signed request succeeds, with OSS's common headers`, async () => {
      const r = await send({ key: 'hello.txt', creds: AK, signature });
      assert.equal(r.status, 200);
      assert.equal(r.text, 'hello');
      assert.match(String(r.headers['x-oss-request-id']), /^[0-9A-F]{24}$/);
      assert.equal(r.headers.server, 'AliyunOSS');
      assert.ok(r.headers.date);
    });

    test(`${signature}: a wrong secret gets SignatureDoesNotMatch with StringToSign`, async () => {
      const r = await send({ key: 'hello.txt', creds: { accessKeyId: AK.accessKeyId, accessKeySecret: 'wrong' }, signature });
      assert.equal(r.status, 403);
      assert.match(r.text, /^<\?xml version="1.0" encoding="UTF-8"\?>/);
      assert.equal(errorField(r.text, 'Code'), 'SignatureDoesNotMatch');
      assert.equal(errorField(r.text, 'OSSAccessKeyId'), AK.accessKeyId);
      assert.ok(errorField(r.text, 'SignatureProvided'));
      const sts = errorField(r.text, 'StringToSign') ?? '';
      if (signature === 'v1') assert.match(sts, /^GET\n/);
      else assert.match(sts, /^OSS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/cn-hangzhou\/oss\/aliyun_v4_request\n[0-9a-f]{64}$/);
      assert.equal(errorField(r.text, 'RequestId'), r.headers['x-oss-request-id']);
      assert.ok(errorField(r.text, 'EC'));
      assert.equal(r.headers['x-oss-ec'], errorField(r.text, 'EC'));
    });

    test(`${signature}: an unknown AccessKey ID gets InvalidAccessKeyId`, async () => {
      const r = await send({ key: 'hello.txt', creds: { accessKeyId: 'nobody', accessKeySecret: 'x' }, signature });
      assert.equal(r.status, 403);
      assert.equal(errorField(r.text, 'Code'), 'InvalidAccessKeyId');
    });

    test(`${signature}: a request 20 minutes old gets RequestTimeTooSkewed`, async () => {
      const r = await send({ key: 'hello.txt', creds: AK, signature, date: new Date(Date.now() - 20 * 60_000) });
      assert.equal(r.status, 403);
      assert.equal(errorField(r.text, 'Code'), 'RequestTimeTooSkewed');
    });

    test(`${signature}: STS keys need their token; an expired credential is SecurityTokenExpired`, async () => {
      const ok = await send({ key: 'hello.txt', creds: STS, signature });
      assert.equal(ok.status, 200);
      const missing = await send({ key: 'hello.txt', creds: { accessKeyId: STS.accessKeyId, accessKeySecret: STS.accessKeySecret }, signature });
      assert.equal(missing.status, 403);
      assert.equal(errorField(missing.text, 'Code'), 'AccessDenied');
      const wrong = await send({ key: 'hello.txt', creds: { ...STS, securityToken: 'other' }, signature });
      assert.equal(wrong.status, 403);
      assert.equal(errorField(wrong.text, 'Code'), 'InvalidSecurityToken');
      const expired = await send({ key: 'hello.txt', creds: EXPIRED, signature });
      assert.equal(expired.status, 403);
      assert.equal(errorField(expired.text, 'Code'), 'SecurityTokenExpired');
    });
  }

  test('V4 scoped to another region does not verify', async () => {
    const r = await send({ key: 'hello.txt', creds: AK, signature: 'v4', region: 'cn-beijing' });
    assert.equal(r.status, 403);
    assert.equal(errorField(r.text, 'Code'), 'SignatureDoesNotMatch');
  });

  test('anonymous requests are AccessDenied; a malformed Authorization is InvalidArgument', async () => {
    const anon = await send({ key: 'hello.txt' });
    assert.equal(anon.status, 403);
    assert.equal(errorField(anon.text, 'Code'), 'AccessDenied');
    const bad = await send({ key: 'hello.txt', headers: { authorization: 'OSS garbage', 'x-oss-date': new Date().toUTCString() } });
    assert.equal(bad.status, 400);
    assert.equal(errorField(bad.text, 'Code'), 'InvalidArgument');
  });

  test('V1 without any date is AccessDenied', async () => {
    const r = await send({ key: 'hello.txt', headers: { authorization: 'OSS ak-main:c2lnbmF0dXJl' } });
    assert.equal(r.status, 403);
    assert.equal(errorField(r.text, 'Code'), 'AccessDenied');
  });

  test('the server clock offset (clockSkewMs) is what the window is measured against', async () => {
    const d = await mkdtemp(join(tmpdir(), 'oss-server-skew-'));
    const skewed = await startOssServer({ dataDir: d, credentials: [AK], buckets: ['bkt1'], clockSkewMs: 30 * 60_000 });
    try {
      const r = await signedRequest(skewed.endpoint, { method: 'GET', bucket: 'bkt1', creds: AK, signature: 'v4' });
      assert.equal(errorField(r.text, 'Code'), 'RequestTimeTooSkewed');
      const later = await signedRequest(skewed.endpoint, { method: 'GET', bucket: 'bkt1', creds: AK, signature: 'v4', date: new Date(Date.now() + 30 * 60_000) });
      assert.equal(later.status, 200);
    } finally {
      await skewed.close();
      await rm(d, { recursive: true, force: true });
    }
  });

  test('setCredentials revokes keys at once', async () => {
    server.setCredentials([STS]);
    try {
      const r = await send({ key: 'hello.txt', creds: AK });
      assert.equal(errorField(r.text, 'Code'), 'InvalidAccessKeyId');
    } finally {
      server.setCredentials([AK, STS, EXPIRED]);
    }
    assert.equal((await send({ key: 'hello.txt', creds: AK })).status, 200);
  });
});

describe('presigned URLs', () => {
  const key = 'dir/a b+c%d 😀.txt';
  before(async () => {
    const put = await send({ method: 'PUT', key, body: 'presigned body', creds: AK });
    assert.equal(put.status, 200);
  });

  test('V1: good URL works, a tampered one is SignatureDoesNotMatch, an expired one AccessDenied', async () => {
    const base = `${server.endpoint}/bkt1/${encodeKeyForPath(key)}`;
    const q = presignV1({ method: 'GET', bucket: 'bkt1', key, expires: Math.floor(Date.now() / 1000) + 60, creds: AK });
    assert.deepEqual(await get(base + queryString(q)), { status: 200, text: 'presigned body' });
    const tampered = await get(`${server.endpoint}/bkt1/${encodeKeyForPath('hello.txt')}${queryString(q)}`);
    assert.equal(tampered.status, 403);
    assert.equal(errorField(tampered.text, 'Code'), 'SignatureDoesNotMatch');
    const old = presignV1({ method: 'GET', bucket: 'bkt1', key, expires: Math.floor(Date.now() / 1000) - 5, creds: AK });
    const expired = await get(base + queryString(old));
    assert.equal(expired.status, 403);
    assert.equal(errorField(expired.text, 'Code'), 'AccessDenied');
  });

  test('V1 with STS: the security-token parameter is checked', async () => {
    const base = `${server.endpoint}/bkt1/${encodeKeyForPath(key)}`;
    const q = presignV1({ method: 'GET', bucket: 'bkt1', key, expires: Math.floor(Date.now() / 1000) + 60, creds: STS });
    assert.equal(q['security-token'], STS.securityToken);
    assert.equal((await get(base + queryString(q))).status, 200);
  });

  test('V4: good URL works (also with STS and response overrides), expired is AccessDenied', async () => {
    const base = `${server.endpoint}/bkt1/${encodeKeyForPath(key)}`;
    const now = new Date();
    const q = presignV4({ method: 'GET', bucket: 'bkt1', key, isoDate: formatIsoBasic(now), expiresSeconds: 60, region: 'cn-hangzhou', creds: AK });
    assert.deepEqual(await get(base + queryString(q)), { status: 200, text: 'presigned body' });
    const extra = { 'response-content-type': 'text/x-test' };
    const qs = presignV4({ method: 'GET', bucket: 'bkt1', key, isoDate: formatIsoBasic(now), expiresSeconds: 60, region: 'cn-hangzhou', query: extra, creds: STS });
    assert.equal((await get(base + queryString({ ...extra, ...qs }))).status, 200);
    const old = presignV4({ method: 'GET', bucket: 'bkt1', key, isoDate: formatIsoBasic(new Date(Date.now() - 120_000)), expiresSeconds: 60, region: 'cn-hangzhou', creds: AK });
    const expired = await get(base + queryString(old));
    assert.equal(expired.status, 403);
    assert.equal(errorField(expired.text, 'Code'), 'AccessDenied');
    const tampered = await get(base + queryString({ ...q, 'x-oss-expires': '61' }));
    assert.equal(errorField(tampered.text, 'Code'), 'SignatureDoesNotMatch');
  });
});

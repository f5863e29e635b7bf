import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkListedEndpoint,
  defaultStyle,
  isIpOrLocalhost,
  isOssServiceHost,
  isListedOssHost,
  isValidBucketName,
  listedBucketHost,
  listedBucketRoute,
  normalizeRegion,
  parseEndpoint,
  regionEndpoint,
  regionFromHost,
  requestTarget,
  withQuery,
} from '../../src/oss/endpoint.js';
import { OssClient } from '../../src/oss/client/ossClient.js';
import { RequestPath } from '../../src/oss/client/requestPath.js';
import type { BucketInfo } from '../../src/oss/types.js';

const creds = { accessKeyId: 'ak', accessKeySecret: 'sk' };

test('region -> endpoint, oss- prefix stripped, junk rejected', () => {
  assert.equal(regionEndpoint('cn-hangzhou'), 'https://oss-cn-hangzhou.aliyuncs.com');
  assert.equal(regionEndpoint('oss-us-west-1'), 'https://oss-us-west-1.aliyuncs.com');
  assert.equal(normalizeRegion(' OSS-CN-Beijing '), 'cn-beijing');
  assert.throws(() => normalizeRegion(''), /invalid OSS region/);
  assert.throws(() => normalizeRegion('cn hangzhou'), /invalid OSS region/);
  assert.throws(() => normalizeRegion('cn-hangzhou/evil'), /invalid OSS region/);
});

test('parseEndpoint: URL, bare host (https assumed), ports, rejects paths and queries', () => {
  assert.deepEqual(parseEndpoint('http://127.0.0.1:9000'), {
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: '9000',
    origin: 'http://127.0.0.1:9000',
  });
  assert.equal(parseEndpoint('oss-cn-hangzhou.aliyuncs.com').origin, 'https://oss-cn-hangzhou.aliyuncs.com');
  assert.equal(parseEndpoint('https://OSS-CN-HANGZHOU.aliyuncs.com/').origin, 'https://oss-cn-hangzhou.aliyuncs.com');
  assert.equal(parseEndpoint('https://example.com:443').origin, 'https://example.com');
  assert.equal(parseEndpoint('localhost:8080').origin, 'https://localhost:8080');
  assert.equal(parseEndpoint('http://[::1]:9000').hostname, '::1');
  assert.throws(() => parseEndpoint(''), /empty/);
  assert.throws(() => parseEndpoint('ftp://x.com'), /http or https/);
  assert.throws(() => parseEndpoint('https://x.com/path'), /without a path/);
  assert.throws(() => parseEndpoint('https://x.com/?a=b'), /without a path/);
  assert.throws(() => parseEndpoint('https://u:p@x.com'), /credentials/);
});

test('IP / localhost detection and OSS hosts', () => {
  for (const h of ['127.0.0.1', '10.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', 'a.localhost']) {
    assert.equal(isIpOrLocalhost(h), true, h);
  }
  for (const h of ['oss-cn-hangzhou.aliyuncs.com', 'example.com', '127.0.0.1.nip.io', 'localhostx']) {
    assert.equal(isIpOrLocalhost(h), false, h);
  }
  assert.equal(isOssServiceHost('oss-cn-hangzhou.aliyuncs.com'), true);
  assert.equal(isOssServiceHost('bucket.oss-cn-hangzhou.aliyuncs.com'), true);
  assert.equal(isOssServiceHost('notaliyuncs.com'), false);
  assert.equal(isOssServiceHost('127.0.0.1'), false);
});

test('region derived from OSS endpoints (public and internal), not from others', () => {
  assert.equal(regionFromHost('oss-cn-hangzhou.aliyuncs.com'), 'cn-hangzhou');
  assert.equal(regionFromHost('oss-cn-hangzhou-internal.aliyuncs.com'), 'cn-hangzhou');
  assert.equal(regionFromHost('bucket.oss-ap-southeast-1.aliyuncs.com'), 'ap-southeast-1');
  assert.equal(regionFromHost('oss-accelerate.aliyuncs.com'), undefined);
  assert.equal(regionFromHost('example.com'), undefined);
  assert.equal(regionFromHost('127.0.0.1'), undefined);
});

test('default style: path for IP/localhost, virtual otherwise, overrides honoured', () => {
  const local = parseEndpoint('http://127.0.0.1:9000');
  const oss = parseEndpoint('https://oss-cn-hangzhou.aliyuncs.com');
  assert.equal(defaultStyle(local, {}), 'path');
  assert.equal(defaultStyle(oss, {}), 'virtual');
  assert.equal(defaultStyle(oss, { pathStyle: true }), 'path');
  assert.equal(defaultStyle(local, { pathStyle: false }), 'virtual');
  assert.equal(defaultStyle(oss, { cname: true, pathStyle: true }), 'cname');
});

test('request targets in each style; keys percent-encoded keeping "/", "+" encoded', () => {
  const local = parseEndpoint('http://127.0.0.1:9000');
  const oss = parseEndpoint('https://oss-cn-hangzhou.aliyuncs.com');
  const cdn = parseEndpoint('https://files.example.com');
  const key = 'dir/a b+c%20d/é😀..//x';
  const enc = 'dir/a%20b%2Bc%2520d/%C3%A9%F0%9F%98%80..//x';
  assert.deepEqual(requestTarget(local, 'path', 'bk1', key), { origin: 'http://127.0.0.1:9000', path: `/bk1/${enc}` });
  assert.deepEqual(requestTarget(oss, 'virtual', 'bk1', key), { origin: 'https://bk1.oss-cn-hangzhou.aliyuncs.com', path: `/${enc}` });
  assert.deepEqual(requestTarget(cdn, 'cname', 'bk1', key), { origin: 'https://files.example.com', path: `/${enc}` });
  assert.deepEqual(requestTarget(local, 'path', 'bk1'), { origin: 'http://127.0.0.1:9000', path: '/bk1/' });
  assert.deepEqual(requestTarget(oss, 'virtual', 'bk1'), { origin: 'https://bk1.oss-cn-hangzhou.aliyuncs.com', path: '/' });
  assert.deepEqual(requestTarget(oss, 'virtual'), { origin: 'https://oss-cn-hangzhou.aliyuncs.com', path: '/' });
  const withPort = parseEndpoint('http://oss.test:8080');
  assert.equal(requestTarget(withPort, 'virtual', 'bk1', 'k').origin, 'http://bk1.oss.test:8080');
  assert.throws(() => requestTarget(oss, 'virtual', 'Bad_Bucket', 'k'), /invalid bucket name/);
});

test('bucket name rule', () => {
  for (const ok of ['abc', 'a-b-1', '0bucket', 'a'.repeat(63)]) assert.equal(isValidBucketName(ok), true, ok);
  for (const bad of ['ab', 'a'.repeat(64), '-abc', 'abc-', 'ABC', 'a_b', 'a.b', '']) assert.equal(isValidBucketName(bad), false, bad);
});

test('query strings: RFC 3986 encoding, valueless sub-resources', () => {
  assert.equal(withQuery('/k', {}), '/k');
  assert.equal(withQuery('/k', { uploads: '' }), '/k?uploads');
  assert.equal(withQuery('/', { prefix: 'a b/+', 'list-type': '2' }), '/?prefix=a%20b%2F%2B&list-type=2');
});

test('client: endpoint and region resolution', () => {
  const a = new OssClient({ ...creds, region: 'oss-cn-shanghai' });
  assert.equal(a.endpoint, 'https://oss-cn-shanghai.aliyuncs.com');
  assert.equal(a.region, 'cn-shanghai');
  const b = new OssClient({ ...creds, endpoint: 'oss-cn-beijing-internal.aliyuncs.com' });
  assert.equal(b.endpoint, 'https://oss-cn-beijing-internal.aliyuncs.com');
  assert.equal(b.region, 'cn-beijing');
  const c = new OssClient({ ...creds, endpoint: 'http://127.0.0.1:9000' });
  assert.equal(c.endpoint, 'http://127.0.0.1:9000');
  assert.equal(c.region, 'cn-hangzhou', 'documented default for IP/localhost endpoints');
  const d = new OssClient({ ...creds, endpoint: 'https://files.example.com', cname: true, signatureVersion: 'v1' });
  assert.equal(d.region, undefined);
  assert.throws(() => new OssClient({ ...creds, endpoint: 'https://files.example.com', cname: true }), /region/);
  assert.throws(() => new OssClient({ ...creds }), /region or an endpoint/);
  assert.throws(() => new OssClient({ accessKeyId: '', accessKeySecret: 'x', region: 'cn-hangzhou' }), /accessKeyId/);
  assert.throws(() => new OssClient({ ...creds, region: 'cn-hangzhou', connections: 0 }), /connections/);
  for (const cl of [a, b, c, d]) void cl.close();
});

test('client: per-bucket endpoints and presigned URL shapes', () => {
  const cl = new OssClient({ ...creds, region: 'cn-hangzhou', now: () => new Date(Date.UTC(2023, 11, 17, 2, 54, 37)) });
  cl.setBucketEndpoint('bjb', 'oss-cn-beijing.aliyuncs.com');
  assert.equal(cl.bucketEndpoint('bjb'), 'https://oss-cn-beijing.aliyuncs.com');
  assert.equal(cl.bucketEndpoint('other'), 'https://oss-cn-hangzhou.aliyuncs.com');
  const url = new URL(cl.presignUrl({ bucket: 'bjb', key: 'a b+c', expiresSeconds: 600 }));
  assert.equal(url.host, 'bjb.oss-cn-beijing.aliyuncs.com');
  assert.equal(url.pathname, '/a%20b%2Bc');
  assert.equal(url.searchParams.get('x-oss-credential'), 'ak/20231217/cn-beijing/oss/aliyun_v4_request');
  assert.equal(url.searchParams.get('x-oss-expires'), '600');
  assert.match(url.searchParams.get('x-oss-signature') ?? '', /^[0-9a-f]{64}$/);
  assert.throws(() => cl.presignUrl({ bucket: 'bjb', key: 'k', expiresSeconds: 0 }), /expiresSeconds/);
  assert.throws(() => cl.presignUrl({ bucket: 'bjb', key: 'k', expiresSeconds: 700000 }), /604800/);
  void cl.close();

  const v1 = new OssClient({ ...creds, securityToken: 'token', endpoint: 'http://localhost:9', signatureVersion: 'v1', now: () => new Date(1699808204000 - 60_000) });
  const u1 = new URL(v1.presignUrl({ bucket: 'bucket', key: 'key+123', expiresSeconds: 60, query: { versionId: 'versionId' } }));
  assert.equal(u1.pathname, '/bucket/key%2B123');
  assert.equal(u1.searchParams.get('Expires'), '1699808204');
  assert.equal(u1.searchParams.get('security-token'), 'token');
  // oss-protocol.md's presigned V1 vector: same string to sign, so the same signature.
  assert.equal(u1.searchParams.get('Signature'), 'jzKYRrM5y6Br0dRFPaTGOsbrDhY=');
  assert.match(u1.search, /Signature=jzKYRrM5y6Br0dRFPaTGOsbrDhY%3D/);
  void v1.close();
});

test('listed bucket endpoints are used only against real OSS; internal clients stay internal', () => {
  const listed = { extranetEndpoint: 'oss-cn-beijing.aliyuncs.com', intranetEndpoint: 'oss-cn-beijing-internal.aliyuncs.com' };
  assert.equal(listedBucketHost(parseEndpoint('https://oss-cn-hangzhou.aliyuncs.com'), listed), 'https://oss-cn-beijing.aliyuncs.com');
  assert.equal(listedBucketHost(parseEndpoint('http://oss-cn-hangzhou.aliyuncs.com'), listed), 'http://oss-cn-beijing.aliyuncs.com');
  assert.equal(
    listedBucketHost(parseEndpoint('https://oss-cn-hangzhou-internal.aliyuncs.com'), listed),
    'https://oss-cn-beijing-internal.aliyuncs.com',
  );
  assert.equal(listedBucketHost(parseEndpoint('http://127.0.0.1:9000'), listed), undefined);
  assert.equal(listedBucketHost(parseEndpoint('https://proxy.example.com'), listed), undefined);
  assert.equal(listedBucketHost(parseEndpoint('https://oss-cn-hangzhou.aliyuncs.com'), {}), undefined);
});

test('a listed endpoint is trusted only as an OSS host of the expected form or the profile\'s own host', () => {
  const https = parseEndpoint('https://oss-cn-hangzhou.aliyuncs.com');
  const http = parseEndpoint('http://oss-cn-hangzhou.aliyuncs.com');
  // The forms OSS itself names (oss-protocol.md section 3), in any letter case.
  for (const host of [
    'oss-cn-beijing.aliyuncs.com',
    'oss-cn-beijing-internal.aliyuncs.com',
    'oss-accelerate.aliyuncs.com',
    'oss-accelerate-overseas.aliyuncs.com',
    'cn-beijing.oss.aliyuncs.com',
    'oss-cn-shanghai-finance-1.aliyuncs.com',
    'OSS-US-WEST-1.ALIYUNCS.COM',
  ]) {
    assert.equal(isListedOssHost(host.toLowerCase()), true, host);
    assert.deepEqual(checkListedEndpoint(https, host), { origin: `https://${host.toLowerCase()}` }, host);
  }
  // The scheme stays the profile's: a bare host never turns https into http, nor http into https.
  assert.deepEqual(checkListedEndpoint(http, 'oss-cn-beijing.aliyuncs.com'), { origin: 'http://oss-cn-beijing.aliyuncs.com' });
  assert.deepEqual(checkListedEndpoint(https, 'https://oss-cn-beijing.aliyuncs.com'), { origin: 'https://oss-cn-beijing.aliyuncs.com' });
  const downgrade = checkListedEndpoint(https, 'http://oss-cn-beijing.aliyuncs.com');
  assert.ok('refused' in downgrade && /http/.test(downgrade.refused), JSON.stringify(downgrade));
  // The profile's own host (a local server, a custom endpoint) is the route it already has.
  const local = parseEndpoint('http://127.0.0.1:9000');
  assert.deepEqual(checkListedEndpoint(local, '127.0.0.1:9000'), { origin: 'http://127.0.0.1:9000' });
  assert.deepEqual(checkListedEndpoint(parseEndpoint('https://oss.example.com'), 'OSS.example.com'), { origin: 'https://oss.example.com' });
  // Anything else is refused with a reason, whatever trick it tries.
  for (const evil of [
    'evil.example.com',
    '127.0.0.1:9001',
    '10.0.0.1',
    'oss-cn-beijing.aliyuncs.com.evil.example',
    'oss-cn-beijing.aliyuncs.com:8080',
    'oss-cn-beijing.aliyuncs.com.',
    'evil.example/oss-cn-beijing.aliyuncs.com',
    'evil.example#.oss-cn-beijing.aliyuncs.com',
    'user@oss-cn-beijing.aliyuncs.com',
    'oss-cn-beijing.aliyuncs.com@evil.example',
    'aliyuncs.com',
    'evil.aliyuncs.com',
    'bucket.oss-cn-beijing.aliyuncs.com',
    'ftp://oss-cn-beijing.aliyuncs.com',
    '',
  ]) {
    const v = checkListedEndpoint(https, evil);
    assert.ok('refused' in v && v.refused.length > 0, `${evil} -> ${JSON.stringify(v)}`);
    assert.equal('origin' in checkListedEndpoint(local, evil), false, evil);
  }
});

test('listedBucketRoute says why a listing\'s endpoint is not used; listedBucketHost keeps the client\'s then', () => {
  const client = parseEndpoint('https://oss-cn-hangzhou.aliyuncs.com');
  const evil = { extranetEndpoint: 'evil.example.com', intranetEndpoint: 'oss-cn-beijing-internal.aliyuncs.com' };
  assert.equal(listedBucketHost(client, evil), undefined);
  const r = listedBucketRoute(client, evil);
  assert.ok(r && 'refused' in r && r.listed === 'evil.example.com', JSON.stringify(r));
  // Internal clients judge the intranet endpoint.
  assert.deepEqual(listedBucketRoute(parseEndpoint('https://oss-cn-hangzhou-internal.aliyuncs.com'), evil), {
    listed: 'oss-cn-beijing-internal.aliyuncs.com',
    origin: 'https://oss-cn-beijing-internal.aliyuncs.com',
  });
  // A client that is not on OSS never follows a listing (it may be a proxy), so there is nothing to refuse.
  assert.equal(listedBucketRoute(parseEndpoint('http://127.0.0.1:9000'), evil), undefined);
});

test('client: a listing never moves a bucket off OSS, and says so once', async () => {
  const refused: Array<{ bucket: string; listed: string }> = [];
  // The client's request path holds the bucket routes (OssClient composes it).
  const cl = new RequestPath({ ...creds, region: 'cn-hangzhou', onEndpointRefused: (e) => refused.push({ bucket: e.bucket, listed: e.listed }) });
  const learn = (b: BucketInfo): void => cl.learnBucket(b);
  const bucket = { name: 'b1', location: 'oss-cn-beijing', region: 'cn-beijing', creationDate: '' };
  learn({ ...bucket, extranetEndpoint: 'evil.example.com' });
  learn({ ...bucket, extranetEndpoint: 'evil.example.com' });
  assert.equal(cl.bucketEndpoint('b1'), 'https://oss-cn-hangzhou.aliyuncs.com');
  assert.deepEqual(refused, [{ bucket: 'b1', listed: 'evil.example.com' }], 'logged once');
  learn({ ...bucket, extranetEndpoint: 'oss-cn-beijing.aliyuncs.com' });
  assert.equal(cl.bucketEndpoint('b1'), 'https://oss-cn-beijing.aliyuncs.com');
  // A later hostile listing does not move a bucket already routed by a good one.
  learn({ ...bucket, extranetEndpoint: 'evil.example.com' });
  assert.equal(cl.bucketEndpoint('b1'), 'https://oss-cn-beijing.aliyuncs.com');
  await cl.close();
});

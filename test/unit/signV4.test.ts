import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  parseV4Authorization,
  v4Authorization,
  v4CanonicalQuery,
  v4CanonicalRequest,
  v4CanonicalUri,
  v4Signature,
  v4SigningKey,
  v4StringToSign,
} from '../../src/oss/signing/signV4.js';
import type { SigningRequest } from '../../src/oss/signing/signingRequest.js';

const creds = { accessKeyId: 'ak', accessKeySecret: 'sk' };
const headers = {
  'x-oss-head1': 'value',
  abc: 'value',
  ZAbc: 'value',
  XYZ: 'value',
  'content-type': 'text/plain',
  'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
  'x-oss-date': '20231216T162057Z',
};
const query = { param1: 'value1', '+param1': 'value3', '|param1': 'value4', '+param2': '', '|param2': '', param2: '' };
const req: SigningRequest = { method: 'PUT', bucket: 'bucket', key: '1234+-/123/1.txt', query, headers };

const CANONICAL = [
  'PUT',
  '/bucket/1234%2B-/123/1.txt',
  '%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2',
  'content-type:text/plain',
  'x-oss-content-sha256:UNSIGNED-PAYLOAD',
  'x-oss-date:20231216T162057Z',
  'x-oss-head1:value',
  '',
  '',
  'UNSIGNED-PAYLOAD',
].join('\n');

test('worked vector: canonical request text and its sha256', () => {
  const c = v4CanonicalRequest(req);
  assert.equal(c, CANONICAL);
  assert.equal(createHash('sha256').update(c).digest('hex'), 'f4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4');
});

test('worked vector: string to sign, k4 and signature', () => {
  const sts = v4StringToSign(CANONICAL, '20231216T162057Z', 'cn-hangzhou');
  assert.equal(
    sts,
    'OSS4-HMAC-SHA256\n20231216T162057Z\n20231216/cn-hangzhou/oss/aliyun_v4_request\n' +
      'f4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4',
  );
  assert.equal(v4SigningKey('sk', '20231216', 'cn-hangzhou').toString('hex'), 'b412a03b134ebddd720f5167b5de6db66620ebb3b01cff4d49e3ccb09f8de97f');
  assert.equal(v4Signature('sk', sts, '20231216T162057Z', 'cn-hangzhou'), 'e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe');
  assert.equal(
    v4Authorization(req, creds, 'cn-hangzhou'),
    'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,' +
      'Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe',
  );
});

test("region given as 'oss-cn-hangzhou' signs the same", () => {
  assert.equal(v4Authorization(req, creds, 'oss-cn-hangzhou'), v4Authorization(req, creds, 'cn-hangzhou'));
});

test('vector with additional headers abc, zabc', () => {
  const r = { ...req, headers: { ...headers, 'x-oss-date': '20231216T172512Z' } };
  const auth = v4Authorization(r, creds, 'cn-hangzhou', ['ZAbc', 'abc', 'abc', 'x-oss-head1', 'Content-Type']);
  assert.equal(
    auth,
    'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,' +
      'Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f',
  );
  const c = v4CanonicalRequest(r, ['abc', 'zabc']).split('\n');
  assert.deepEqual(c.slice(3, 9), ['abc:value', 'content-type:text/plain', 'x-oss-content-sha256:UNSIGNED-PAYLOAD', 'x-oss-date:20231216T172512Z', 'x-oss-head1:value', 'zabc:value']);
  assert.equal(c[10], 'abc;zabc');
});

test('vector with an STS token header', () => {
  const r = { ...req, headers: { ...headers, 'x-oss-date': '20231217T034736Z', 'x-oss-security-token': 'token' } };
  assert.match(v4Authorization(r, creds, 'cn-hangzhou'), /,Signature=b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea$/);
});

test('an additional header that is not sent is a clear error', () => {
  assert.throws(() => v4CanonicalRequest(req, ['range']), /additional header 'range'/);
});

test('x-oss-date must be present and well-formed', () => {
  const { 'x-oss-date': _d, ...noDate } = headers;
  assert.throws(() => v4Authorization({ ...req, headers: noDate }, creds, 'cn-hangzhou'), /x-oss-date/);
  assert.throws(() => v4Authorization({ ...req, headers: { ...headers, 'x-oss-date': 'Wed, 28 Dec 2022 10:27:41 GMT' } }, creds, 'cn-hangzhou'), /x-oss-date/);
  assert.throws(() => v4Authorization(req, creds, ''), /region/);
});

test('payload hash comes from x-oss-content-sha256, default UNSIGNED-PAYLOAD', () => {
  const { 'x-oss-content-sha256': _p, ...noHash } = headers;
  assert.ok(v4CanonicalRequest({ ...req, headers: noHash }).endsWith('\nUNSIGNED-PAYLOAD'));
  const hex = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  assert.ok(v4CanonicalRequest({ ...req, headers: { ...noHash, 'X-Oss-Content-Sha256': hex } }).endsWith(`\n${hex}`));
});

test('canonical URI encodes keys (spaces, +, %, unicode, emoji) and keeps /', () => {
  assert.equal(v4CanonicalUri(), '/');
  assert.equal(v4CanonicalUri('b'), '/b/');
  assert.equal(v4CanonicalUri('b', ''), '/b/');
  assert.equal(v4CanonicalUri('b', 'a b+c%d/é/😀~_.-!*'), '/b/a%20b%2Bc%25d/%C3%A9/%F0%9F%98%80~_.-%21%2A');
  assert.equal(v4CanonicalUri('b', '/lead//x/'), '/b//lead//x/');
  assert.throws(() => v4CanonicalUri(undefined, 'k'), /bucket/);
});

test('canonical query encodes names and values, sorts by encoded name', () => {
  assert.equal(v4CanonicalQuery({}), '');
  assert.equal(
    v4CanonicalQuery({ 'b k': 'a b+c/é', a: '%', uploads: '', 'Z': '😀' }),
    'Z=%F0%9F%98%80&a=%25&b%20k=a%20b%2Bc%2F%C3%A9&uploads',
  );
});

test('signatures differ with secret, key, query value or signed header', () => {
  const base = v4Authorization(req, creds, 'cn-hangzhou');
  assert.notEqual(v4Authorization(req, { ...creds, accessKeySecret: 'sk2' }, 'cn-hangzhou'), base);
  assert.notEqual(v4Authorization({ ...req, key: '1234 -/123/1.txt' }, creds, 'cn-hangzhou'), base);
  assert.notEqual(v4Authorization({ ...req, query: { ...query, param1: 'value2' } }, creds, 'cn-hangzhou'), base);
  assert.notEqual(v4Authorization({ ...req, headers: { ...headers, 'x-oss-head1': 'v' } }, creds, 'cn-hangzhou'), base);
  assert.notEqual(v4Authorization(req, creds, 'cn-beijing'), base);
  // An unsigned, non-additional header does not take part.
  assert.equal(v4Authorization({ ...req, headers: { ...headers, 'user-agent': 'x' } }, creds, 'cn-hangzhou'), base);
});

test('parseV4Authorization round-trips and is lenient about spaces', () => {
  const r = { ...req, headers: { ...headers, 'x-oss-date': '20231216T172512Z' } };
  const auth = v4Authorization(r, creds, 'cn-hangzhou', ['abc', 'zabc']);
  assert.deepEqual(parseV4Authorization(auth), {
    accessKeyId: 'ak',
    day: '20231216',
    region: 'cn-hangzhou',
    additionalHeaders: ['abc', 'zabc'],
    signature: '4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f',
  });
  const sig = 'e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe';
  assert.deepEqual(parseV4Authorization(`OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request, Signature=${sig}`), {
    accessKeyId: 'ak', day: '20231216', region: 'cn-hangzhou', additionalHeaders: [], signature: sig,
  });
});

test('parseV4Authorization rejects malformed values', () => {
  const sig = 'e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe';
  const bad = [
    '',
    `OSS ak:${sig}`,
    `OSS4-HMAC-SHA256 Signature=${sig}`,
    'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request',
    `OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=${sig.toUpperCase()}`,
    `OSS4-HMAC-SHA256 Credential=ak/2023121/cn-hangzhou/oss/aliyun_v4_request,Signature=${sig}`,
    `OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/s3/aliyun_v4_request,Signature=${sig}`,
    `OSS4-HMAC-SHA256 Credential=/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=${sig}`,
    `OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=${sig.slice(1)}`,
    `OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,garbage,Signature=${sig}`,
  ];
  for (const b of bad) assert.equal(parseV4Authorization(b), undefined, b);
});

// ali-oss (a devDependency) as an independent oracle for awkward keys and query values.
// Its V4 query sort is localeCompare, which equals byte order for the names used here.
test('matches ali-oss for keys and query values with spaces, +, %, unicode and emoji', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an untyped internal module of ali-oss, loaded only as a test oracle
  const su = require('ali-oss/lib/common/signUtils.js') as {
    authorizationV4(ak: string, sk: string, region: string, method: string, request: { headers: Record<string, string>; queries: Record<string, string> }, bucket?: string, key?: string, extra?: string[]): string;
  };
  const keys = ['a b+c%20d/日本語 😀.txt', '/lead/ing', "x~y!*()'", 'фото/ü', 'plain'];
  const queries: Record<string, string>[] = [
    {},
    { uploadId: 'a b+/é%', partNumber: '3' },
    { 'response-content-disposition': 'attachment; filename="ü x 😀.txt"' },
  ];
  const hdrs = { 'x-oss-date': '20240101T000000Z', 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD', 'content-type': 'text/plain', 'x-oss-meta-n': 'ü v', range: 'bytes=0-1' };
  for (const key of keys) {
    for (const q of queries) {
      const mine = v4Authorization({ method: 'PUT', bucket: 'bkt', key, query: q, headers: hdrs }, creds, 'cn-hangzhou', ['range']);
      const theirs = su.authorizationV4('ak', 'sk', 'cn-hangzhou', 'PUT', { headers: hdrs, queries: q }, 'bkt', key, ['range']);
      assert.equal(mine, theirs, `${key} ${JSON.stringify(q)}`);
    }
  }
});

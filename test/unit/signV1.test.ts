import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isV1SignedSubresource,
  parseV1Authorization,
  v1Authorization,
  v1CanonicalizedOssHeaders,
  v1CanonicalizedResource,
  v1Signature,
  v1StringToSign,
} from '../../src/oss/signing/signV1.js';
import type { SigningRequest } from '../../src/oss/signing/signingRequest.js';

const creds = { accessKeyId: 'ak', accessKeySecret: 'sk' };
const DATE = 'Wed, 28 Dec 2022 10:27:41 GMT';
const putHeaders = {
  'Content-MD5': 'eB5eJF1ptWaXm4bijSPyxw==',
  'Content-Type': 'text/html',
  Date: DATE,
  'x-oss-date': DATE,
  'x-oss-meta-author': 'alice',
  'x-oss-meta-magic': 'abracadabra',
};

test('vector 1: PUT object with metadata headers', () => {
  const req: SigningRequest = { method: 'PUT', bucket: 'examplebucket', key: 'nelson', query: {}, headers: putHeaders };
  assert.equal(
    v1StringToSign(req),
    `PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\n${DATE}\n` +
      `x-oss-date:${DATE}\nx-oss-meta-author:alice\nx-oss-meta-magic:abracadabra\n/examplebucket/nelson`,
  );
  assert.equal(v1Authorization(req, creds), 'OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M=');
});

test('vector 1 with ?acl sub-resource', () => {
  const req: SigningRequest = { method: 'PUT', bucket: 'examplebucket', key: 'nelson', query: { acl: '' }, headers: putHeaders };
  assert.equal(v1CanonicalizedResource(req), '/examplebucket/nelson?acl');
  assert.equal(v1Authorization(req, creds), 'OSS ak:/afkugFbmWDQ967j1vr6zygBLQk=');
});

test('vector 2: bucket GET ?acl&resourceGroup with only x-oss-date (no Date header)', () => {
  const req: SigningRequest = {
    method: 'GET',
    bucket: 'examplebucket',
    query: { resourceGroup: '', acl: '' },
    headers: { 'X-OSS-Date': DATE },
  };
  assert.equal(v1CanonicalizedResource(req), '/examplebucket/?acl&resourceGroup');
  // The Date line falls back to x-oss-date, as ali-oss sends it.
  assert.equal(v1StringToSign(req), `GET\n\n\n${DATE}\nx-oss-date:${DATE}\n/examplebucket/?acl&resourceGroup`);
  assert.equal(v1Authorization(req, creds), 'OSS ak:x3E5TgOvl/i7PN618s5mEvpJDYk=');
});

test('v1Signature is base64 HMAC-SHA1 of the string', () => {
  assert.equal(v1Signature('sk', 'GET\n\n\n1699807420\n/bucket/key?versionId=versionId'), 'dcLTea+Yh9ApirQ8o8dOPqtvJXQ=');
});

test('canonical OSS headers: lower-case, trimmed, byte-sorted, repeats joined, others dropped', () => {
  assert.equal(v1CanonicalizedOssHeaders({}), '');
  assert.equal(
    v1CanonicalizedOssHeaders({
      'X-OSS-Meta-B': '  two ',
      'x-oss-meta-a': 'one',
      'x-oss-meta-b': 'three',
      'Content-Type': 'text/plain',
      'x-ossnot': 'no',
    }),
    'x-oss-meta-a:one\nx-oss-meta-b:two,three\n',
  );
});

test('canonical resource: service, bucket, object; raw (unencoded) keys', () => {
  assert.equal(v1CanonicalizedResource({ method: 'GET', query: {}, headers: {} }), '/');
  assert.equal(v1CanonicalizedResource({ method: 'GET', bucket: 'b', query: {}, headers: {} }), '/b/');
  const key = 'dir/a b+c%20d/日本語 😀.txt';
  assert.equal(v1CanonicalizedResource({ method: 'GET', bucket: 'b', key, query: {}, headers: {} }), `/b/${key}`);
  assert.throws(() => v1CanonicalizedResource({ method: 'GET', key: 'k', query: {}, headers: {} }), /bucket/);
});

test('canonical resource keeps only signed sub-resources, raw values, sorted', () => {
  const req: SigningRequest = {
    method: 'GET',
    bucket: 'b',
    key: 'k',
    query: {
      uploadId: 'a b+c/é',
      partNumber: '3',
      prefix: 'p',
      'max-keys': '10',
      'list-type': '2',
      'x-oss-process': 'image/resize,w_100',
      'response-content-disposition': 'attachment; filename="x y.txt"',
    },
    headers: {},
  };
  assert.equal(
    v1CanonicalizedResource(req),
    '/b/k?partNumber=3&response-content-disposition=attachment; filename="x y.txt"&uploadId=a b+c/é&x-oss-process=image/resize,w_100',
  );
});

test('sub-resource list', () => {
  for (const n of ['acl', 'uploads', 'uploadId', 'partNumber', 'delete', 'versionId', 'security-token', 'continuation-token', 'x-oss-anything', 'resourceGroup']) {
    assert.equal(isV1SignedSubresource(n), true, n);
  }
  for (const n of ['list-type', 'prefix', 'delimiter', 'marker', 'max-keys', 'start-after', 'encoding-type', 'fetch-owner', 'key-marker', 'upload-id-marker', 'max-uploads', 'max-parts', 'part-number-marker', 'ACL']) {
    assert.equal(isV1SignedSubresource(n), false, n);
  }
});

test('explicit date line overrides the headers (presign uses Expires)', () => {
  const req: SigningRequest = { method: 'get', bucket: 'bucket', key: 'key', query: { versionId: 'versionId' }, headers: { Date: DATE } };
  assert.equal(v1StringToSign(req, '1699807420'), 'GET\n\n\n1699807420\n/bucket/key?versionId=versionId');
});

test('a different secret, key or header changes the signature', () => {
  const req: SigningRequest = { method: 'PUT', bucket: 'examplebucket', key: 'nelson', query: {}, headers: putHeaders };
  const base = v1Authorization(req, creds);
  assert.notEqual(v1Authorization(req, { ...creds, accessKeySecret: 'sk2' }), base);
  assert.notEqual(v1Authorization({ ...req, key: 'nelson2' }, creds), base);
  assert.notEqual(v1Authorization({ ...req, headers: { ...putHeaders, 'x-oss-meta-magic': 'x' } }, creds), base);
  // Unsigned query parameters do not change it.
  assert.equal(v1Authorization({ ...req, query: { prefix: 'x' } }, creds), base);
});

test('missing credentials are a clear error', () => {
  const req: SigningRequest = { method: 'GET', query: {}, headers: {} };
  assert.throws(() => v1Authorization(req, { accessKeyId: '', accessKeySecret: 'x' }), /AccessKey/);
});

test('parseV1Authorization', () => {
  assert.deepEqual(parseV1Authorization('OSS ak:kSHKmLxlyEAKtZPkJhG9bZb5k7M='), { accessKeyId: 'ak', signature: 'kSHKmLxlyEAKtZPkJhG9bZb5k7M=' });
  assert.deepEqual(parseV1Authorization('OSS LTAI5t:/afku+g=='), { accessKeyId: 'LTAI5t', signature: '/afku+g==' });
  for (const bad of ['', 'OSS', 'OSS ak', 'OSS ak:', 'OSS :sig', 'oss ak:sig', 'OSS4-HMAC-SHA256 Credential=x', 'Bearer x', 'OSS a k:sig']) {
    assert.equal(parseV1Authorization(bad), undefined, bad);
  }
});

// ali-oss (a devDependency) as an independent oracle: V1 resources carry the raw key.
test('matches ali-oss for keys and sub-resource values with spaces, +, %, unicode and emoji', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an untyped internal module of ali-oss, loaded only as a test oracle
  const su = require('ali-oss/lib/common/signUtils.js') as {
    authorization(ak: string, sk: string, canonical: string): string;
    buildCanonicalString(method: string, resource: string, request: { headers: Record<string, string>; parameters: Record<string, string> }): string;
  };
  const keys = ['a b+c%20d/日本語 😀.txt', '/lead/ing', "x~y!*()'", 'фото/ü'];
  const queries: Record<string, string>[] = [
    {},
    { uploadId: 'a b+/é%', partNumber: '3' },
    { 'response-content-disposition': 'attachment; filename="ü x 😀.txt"', 'x-oss-process': 'image/resize,w_1' },
  ];
  const hdrs = { 'x-oss-date': DATE, 'content-type': 'text/plain', 'x-oss-meta-n': 'v' };
  for (const key of keys) {
    for (const q of queries) {
      const mine = v1Authorization({ method: 'PUT', bucket: 'bkt', key, query: q, headers: hdrs }, creds);
      const theirs = su.authorization('ak', 'sk', su.buildCanonicalString('PUT', `/bkt/${key}`, { headers: hdrs, parameters: q }));
      assert.equal(mine, theirs, `${key} ${JSON.stringify(q)}`);
    }
  }
});

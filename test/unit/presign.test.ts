import { test } from 'node:test';
import assert from 'node:assert/strict';
import { presignV1, presignV4 } from '../../src/oss/signing/presign.js';
import { v1Signature } from '../../src/oss/signing/signV1.js';
import { v4CanonicalRequest, v4Signature, v4StringToSign } from '../../src/oss/signing/signV4.js';
import { encodeKeyForPath, rfc3986Encode } from '../../src/oss/signing/uriEncode.js';

const creds = { accessKeyId: 'ak', accessKeySecret: 'sk' };

// How a caller turns the returned parameters into a URL: encode each name and value, sort by name.
function buildUrl(base: string, key: string, params: Record<string, string>): string {
  const qs = Object.entries(params)
    .map(([k, v]) => [rfc3986Encode(k), rfc3986Encode(v)])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return `${base}/${encodeKeyForPath(key)}?${qs}`;
}

test('presigned V1, vector 1 (versionId)', () => {
  const out = presignV1({ method: 'GET', bucket: 'bucket', key: 'key', expires: 1699807420, query: { versionId: 'versionId' }, creds });
  assert.deepEqual(out, { OSSAccessKeyId: 'ak', Expires: '1699807420', Signature: 'dcLTea+Yh9ApirQ8o8dOPqtvJXQ=' });
});

test('presigned V1, vector 2 (STS token, key with +) and the full URL', () => {
  const query = { versionId: 'versionId' };
  const out = presignV1({
    method: 'GET', bucket: 'bucket', key: 'key+123', expires: 1699808204, query,
    creds: { ...creds, securityToken: 'token' },
  });
  assert.deepEqual(out, {
    OSSAccessKeyId: 'ak', Expires: '1699808204', Signature: 'jzKYRrM5y6Br0dRFPaTGOsbrDhY=', 'security-token': 'token',
  });
  assert.deepEqual(query, { versionId: 'versionId' }, 'the caller query is not mutated');
  assert.equal(
    buildUrl('http://bucket.oss-cn-hangzhou.aliyuncs.com', 'key+123', { ...query, ...out }),
    'http://bucket.oss-cn-hangzhou.aliyuncs.com/key%2B123?Expires=1699808204&OSSAccessKeyId=ak' +
      '&Signature=jzKYRrM5y6Br0dRFPaTGOsbrDhY%3D&security-token=token&versionId=versionId',
  );
});

test('presigned V1 signs headers and only signed sub-resources, raw key', () => {
  const out = presignV1({
    method: 'put', bucket: 'b', key: 'a b/é😀', expires: 2000000000,
    query: { prefix: 'ignored', 'response-content-type': 'text/plain' },
    headers: { 'Content-Type': 'image/png', 'x-oss-meta-a': ' 1 ' }, creds,
  });
  const sts = 'PUT\n\nimage/png\n2000000000\nx-oss-meta-a:1\n/b/a b/é😀?response-content-type=text/plain';
  assert.equal(out.Signature, v1Signature('sk', sts));
});

test('presigned V1 rejects bad expiry and missing secret', () => {
  const base = { method: 'GET', bucket: 'b', key: 'k', creds };
  assert.throws(() => presignV1({ ...base, expires: 0 }), /Expires/);
  assert.throws(() => presignV1({ ...base, expires: 1.5 }), /Expires/);
  assert.throws(() => presignV1({ ...base, expires: 10, creds: { accessKeyId: 'ak', accessKeySecret: '' } }), /secret/);
});

const v4Query = { param1: 'value1', '+param1': 'value3', '|param1': 'value4', '+param2': '', '|param2': '', param2: '' };
const v4Headers = { 'content-type': 'application/octet-stream', 'x-oss-head1': 'value' };

test('presigned V4 vector', () => {
  const out = presignV4({
    method: 'PUT', bucket: 'bucket', key: '1234+-/123/1.txt', isoDate: '20231217T025437Z', expiresSeconds: 599,
    region: 'cn-hangzhou', query: v4Query, headers: v4Headers, creds,
  });
  assert.deepEqual(out, {
    'x-oss-signature-version': 'OSS4-HMAC-SHA256',
    'x-oss-credential': 'ak/20231217/cn-hangzhou/oss/aliyun_v4_request',
    'x-oss-date': '20231217T025437Z',
    'x-oss-expires': '599',
    'x-oss-signature': 'a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe',
  });
});

test('presigned V4 verifies the way a server would (all query but x-oss-signature)', () => {
  const key = 'dir/a b+c%d/日本 😀.bin';
  const query = { 'response-content-disposition': 'attachment; filename="a b.bin"' };
  const out = presignV4({
    method: 'GET', bucket: 'bkt', key, isoDate: '20240102T030405Z', expiresSeconds: 3600, region: 'oss-cn-beijing',
    query, headers: { Range: 'bytes=0-9' }, additionalHeaders: ['Range'], creds: { ...creds, securityToken: 'sts/tok+en' },
  });
  assert.equal(out['x-oss-additional-headers'], 'range');
  assert.equal(out['x-oss-security-token'], 'sts/tok+en');
  assert.equal(out['x-oss-credential'], 'ak/20240102/cn-beijing/oss/aliyun_v4_request');
  const { 'x-oss-signature': sig, ...rest } = out;
  const canonical = v4CanonicalRequest(
    { method: 'GET', bucket: 'bkt', key, query: { ...query, ...rest }, headers: { range: 'bytes=0-9' } },
    ['range'],
  );
  assert.equal(sig, v4Signature('sk', v4StringToSign(canonical, '20240102T030405Z', 'cn-beijing'), '20240102T030405Z', 'cn-beijing'));
});

test('presigned V4 rejects bad input', () => {
  const base = { method: 'GET', bucket: 'b', key: 'k', isoDate: '20231217T025437Z', expiresSeconds: 60, region: 'cn-hangzhou', creds };
  assert.throws(() => presignV4({ ...base, expiresSeconds: 0 }), /1\.\.604800/);
  assert.throws(() => presignV4({ ...base, expiresSeconds: 604801 }), /1\.\.604800/);
  assert.throws(() => presignV4({ ...base, isoDate: '2023-12-17' }), /isoDate/);
  assert.throws(() => presignV4({ ...base, query: { 'x-oss-date': 'x' } }), /x-oss-date/);
  assert.throws(() => presignV4({ ...base, additionalHeaders: ['host'] }), /additional header 'host'/);
  assert.doesNotThrow(() => presignV4({ ...base, expiresSeconds: 604800 }));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BadHeaderValue,
  ResponseHeaders,
  parseContentRangeHeader,
  parseCrc64Header,
  parseDateHeader,
  parseEtagHeader,
  parseRetryAfterHeader,
} from '../../src/oss/responseHeaders.js';
import { OssError } from '../../src/oss/ossError.js';

test('CRC-64: decimal unsigned 64-bit, canonical form; anything else names the header', () => {
  assert.equal(parseCrc64Header('0'), '0');
  assert.equal(parseCrc64Header(' 007 '), '7');
  assert.equal(parseCrc64Header('18446744073709551615'), '18446744073709551615');
  for (const bad of ['', 'abc-not-a-crc', '18446744073709551616', '-1', '0x10', '1.5', '1 2', '9'.repeat(21)]) {
    assert.throws(() => parseCrc64Header(bad), (e: unknown) => e instanceof BadHeaderValue && /x-oss-hash-crc64ecma/.test(e.message), bad);
  }
});

test('ETag: printable ASCII of sane length', () => {
  assert.equal(parseEtagHeader('"D41D8CD98F00B204E9800998ECF8427E"'), '"D41D8CD98F00B204E9800998ECF8427E"');
  assert.equal(parseEtagHeader('W/"x-3"'), 'W/"x-3"');
  for (const bad of ['', '   ', '"a\tb"', '"caf\u00e9"', '"a\u0000"', 'x'.repeat(1025)]) {
    assert.throws(() => parseEtagHeader(bad), /ETag/, JSON.stringify(bad));
  }
});

test('Content-Range: bytes first-last/total with first <= last < total; * total allowed', () => {
  assert.deepEqual(parseContentRangeHeader('bytes 0-9/10'), { start: 0, end: 9, total: 10 });
  assert.deepEqual(parseContentRangeHeader('bytes 5-5/*'), { start: 5, end: 5, total: -1 });
  for (const bad of ['', 'bytes */10', 'bytes 5-3/10', 'bytes 0-10/10', 'items 0-1/2', 'bytes 0-1/99999999999999999', 'bytes=0-1/2', 'bytes 0-1/2, 3-4/5']) {
    assert.throws(() => parseContentRangeHeader(bad), /Content-Range/, bad);
  }
});

test('dates: an HTTP date or InvalidResponse', () => {
  assert.equal(parseDateHeader('last-modified', 'Wed, 28 Dec 2022 10:27:41 GMT'), 'Wed, 28 Dec 2022 10:27:41 GMT');
  for (const bad of ['yesterday', 'Wed, 31 Feb 2022 10:27:41 GMT', '1671013661', 'Wed, 28 Dec 2022 25:27:41 GMT']) {
    assert.throws(() => parseDateHeader('last-modified', bad), /Last-Modified/, bad);
  }
});

test('Retry-After: seconds or an HTTP date; huge stays huge, garbage throws', () => {
  const now = Date.UTC(2015, 9, 21, 7, 28, 0);
  assert.equal(parseRetryAfterHeader('3', now), 3000);
  assert.equal(parseRetryAfterHeader(' 1.5 ', now), 1500);
  assert.equal(parseRetryAfterHeader('Wed, 21 Oct 2015 07:28:10 GMT', now), 10_000);
  assert.equal(parseRetryAfterHeader('Wed, 21 Oct 2015 07:27:10 GMT', now), 0, 'a date in the past means now');
  assert.equal(parseRetryAfterHeader('9'.repeat(400), now), Number.MAX_SAFE_INTEGER);
  for (const bad of ['soon', '-1', '1e3', 'Tuesday', '']) assert.throws(() => parseRetryAfterHeader(bad, now), /Retry-After/, bad);
});

test('ResponseHeaders turns a bad value into OssError InvalidResponse with the answer’s status and request id', () => {
  const h = new ResponseHeaders({ 'x-oss-hash-crc64ecma': 'abc', 'x-oss-request-id': 'RID', 'content-length': '12' }, { operation: 'UploadPart', bucket: 'b', key: 'k' }, 200);
  assert.equal(h.contentLength(true), 12);
  assert.equal(h.contentRange(false), undefined);
  assert.equal(h.etag(false), '');
  assert.throws(() => h.crc64(), (e: unknown) => {
    assert.ok(e instanceof OssError);
    assert.equal(e.code, 'InvalidResponse');
    assert.equal(e.status, 200);
    assert.equal(e.requestId, 'RID');
    assert.equal(e.retryable, false);
    assert.equal(e.details.header, 'x-oss-hash-crc64ecma');
    assert.match(e.message, /x-oss-hash-crc64ecma.*"abc"/);
    return true;
  });
  assert.throws(() => h.etag(true), /no ETag header/);
  assert.throws(() => h.contentRange(true), /no Content-Range header/);
});

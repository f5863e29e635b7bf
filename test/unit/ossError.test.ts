import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OssError, isRetryable, parseRetryAfter } from '../../src/oss/ossError.js';
import { abortedError, codeForStatus, errorFromHttpFailure, networkError } from '../../src/oss/errorResponse.js';

const ctx = { operation: 'GetObject', bucket: 'b1', key: 'dir/k' };

test('message and toString carry code, status and request id; toJSON is loggable', () => {
  const e = new OssError({ ...ctx, code: 'NoSuchKey', message: 'The specified key does not exist.', status: 404, requestId: 'RID1', ec: '0026-00000001' });
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'OssError');
  assert.match(e.message, /^NoSuchKey: The specified key does not exist\. \(HTTP 404, RequestId RID1, EC 0026-00000001; GetObject on b1\/dir\/k\)$/);
  assert.match(String(e), /^OssError: NoSuchKey: .*HTTP 404.*RID1/);
  assert.equal(e.serverMessage, 'The specified key does not exist.');
  assert.equal(e.retryable, false);
  const j = JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
  assert.equal(j.code, 'NoSuchKey');
  assert.equal(j.requestId, 'RID1');
  assert.equal(j.status, 404);
});

test('retryable: network codes, 5xx, 429, RequestTimeTooSkewed; not 4xx or aborts', () => {
  assert.equal(isRetryable(0, 'NetworkError'), true);
  assert.equal(isRetryable(0, 'ConnectionReset'), true);
  assert.equal(isRetryable(0, 'RequestTimeout'), true);
  assert.equal(isRetryable(500, 'InternalError'), true);
  assert.equal(isRetryable(503, 'Whatever'), true);
  assert.equal(isRetryable(429, 'Throttled'), true);
  assert.equal(isRetryable(403, 'RequestTimeTooSkewed'), true);
  assert.equal(isRetryable(403, 'AccessDenied'), false);
  assert.equal(isRetryable(404, 'NoSuchKey'), false);
  assert.equal(isRetryable(400, 'InvalidPart'), false);
  assert.equal(isRetryable(0, 'RequestAborted'), false);
});

test('Retry-After: seconds or HTTP date', () => {
  assert.equal(parseRetryAfter('3'), 3000);
  assert.equal(parseRetryAfter(' 1.5 '), 1500);
  assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.UTC(2015, 9, 21, 7, 28, 0)), 10_000);
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(parseRetryAfter(undefined), undefined);
});

test('error XML body: code, message, ids, EC, extras; request id header as fallback', () => {
  const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message>
    <RequestId>R-XML</RequestId><HostId>b1.oss.test</HostId><UploadId>u-1</UploadId><EC>0042-00000002</EC></Error>`;
  const e = errorFromHttpFailure({ ...ctx, status: 404, headers: { 'x-oss-request-id': 'R-HDR' }, body });
  assert.equal(e.code, 'NoSuchUpload');
  assert.equal(e.status, 404);
  assert.equal(e.requestId, 'R-XML');
  assert.equal(e.hostId, 'b1.oss.test');
  assert.equal(e.ec, '0042-00000002');
  assert.deepEqual(e.details, { UploadId: 'u-1' });
  assert.equal(e.operation, 'GetObject');
  assert.equal(e.bucket, 'b1');
  assert.equal(e.key, 'dir/k');
  assert.equal(e.retryable, false);
  const noRid = errorFromHttpFailure({ ...ctx, status: 403, headers: { 'x-oss-request-id': 'R-HDR', 'x-oss-ec': 'EC-H' }, body: '<Error><Code>AccessDenied</Code></Error>' });
  assert.equal(noRid.requestId, 'R-HDR');
  assert.equal(noRid.ec, 'EC-H');
  assert.match(noRid.serverMessage, /AccessDenied/);
});

test('HEAD errors: base64 x-oss-err header decoded, else the status is mapped', () => {
  const xml = '<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist.</Message><RequestId>R9</RequestId><BucketName>nob</BucketName></Error>';
  const e = errorFromHttpFailure({ operation: 'HeadObject', bucket: 'nob', key: 'k', status: 404, headers: { 'x-oss-err': Buffer.from(xml).toString('base64') }, body: '' });
  assert.equal(e.code, 'NoSuchBucket');
  assert.equal(e.requestId, 'R9');
  assert.deepEqual(e.details, { BucketName: 'nob' });

  const plain = errorFromHttpFailure({ operation: 'HeadObject', bucket: 'b', key: 'k', status: 404, headers: { 'x-oss-request-id': 'R10' }, body: '' });
  assert.equal(plain.code, 'NoSuchKey');
  assert.equal(plain.requestId, 'R10');
  assert.match(plain.message, /HTTP 404 without an error body/);
  assert.equal(codeForStatus(404, { operation: 'GetBucketInfo', bucket: 'b' }), 'NoSuchBucket');
  assert.equal(codeForStatus(403, ctx), 'AccessDenied');
  assert.equal(codeForStatus(412, ctx), 'PreconditionFailed');
  assert.equal(codeForStatus(304, ctx), 'NotModified');
  assert.equal(codeForStatus(416, ctx), 'InvalidRange');
  assert.equal(codeForStatus(502, ctx), 'InternalError');
  assert.equal(codeForStatus(418, ctx), 'HttpStatus418');
});

test('non-XML bodies (a proxy page) still give a clear, retryable-by-status error', () => {
  const e = errorFromHttpFailure({
    ...ctx,
    status: 502,
    headers: { 'content-type': 'text/html', 'retry-after': '2' },
    body: '<html><head><style>x{}</style></head><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>',
  });
  assert.equal(e.code, 'InternalError');
  assert.equal(e.status, 502);
  assert.equal(e.retryable, true);
  assert.equal(e.retryAfterMs, 2000);
  assert.match(e.message, /non-OSS body \(text\/html\): 502 Bad Gateway nginx/);
  assert.equal(e.details.body, '502 Bad Gateway nginx');
});

test('503 with Retry-After gives retryAfterMs', () => {
  const e = errorFromHttpFailure({ ...ctx, status: 503, headers: { 'retry-after': '7' }, body: '<Error><Code>ServiceUnavailable</Code><Message>busy</Message></Error>' });
  assert.equal(e.retryable, true);
  assert.equal(e.retryAfterMs, 7000);
});

test('network failures map to retryable codes; aborts do not retry', () => {
  const reset = networkError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), ctx);
  assert.equal(reset.code, 'ConnectionReset');
  assert.equal(reset.retryable, true);
  assert.equal(reset.status, 0);
  assert.equal(networkError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), ctx).code, 'ConnectionReset');
  assert.equal(networkError(Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), ctx).code, 'RequestTimeout');
  assert.equal(networkError(Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' }), ctx).code, 'RequestTimeout');
  const refused = networkError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), ctx);
  assert.equal(refused.code, 'NetworkError');
  assert.equal(refused.retryable, true);
  assert.equal(networkError(Object.assign(new Error('fetch failed'), { cause: { code: 'ENOTFOUND' } }), ctx).details.systemCode, 'ENOTFOUND');
  const ab = networkError(new DOMException('This operation was aborted', 'AbortError'), ctx);
  assert.equal(ab.code, 'RequestAborted');
  assert.equal(ab.retryable, false);
  assert.equal(abortedError(ctx).retryable, false);
  const bad = networkError(Object.assign(new Error('invalid header'), { code: 'UND_ERR_INVALID_ARG' }), ctx);
  assert.equal(bad.code, 'InvalidArgument');
  assert.equal(bad.retryable, false);
});

test('an error never holds the secret even when the server echoes auth data', () => {
  const e = errorFromHttpFailure({
    ...ctx,
    status: 403,
    headers: {},
    body: '<Error><Code>SignatureDoesNotMatch</Code><Message>m</Message><StringToSign>PUT\n\n</StringToSign><SignatureProvided>abc</SignatureProvided></Error>',
  });
  const dump = JSON.stringify(e) + e.message + String(e.stack);
  assert.ok(!dump.includes('Authorization'));
  assert.equal(e.details.SignatureProvided, 'abc');
});

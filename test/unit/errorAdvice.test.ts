import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeError, formatAdvice } from '../../src/vscode/presentation/errorAdvice.js';
import { TransferError } from '../../src/transfer/transferError.js';
import { KeyPathError } from '../../src/transfer/paths/keyPath.js';

// Shaped like the client's OssError (code, status, requestId) without depending on its file.
class FakeOssError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly requestId: string,
    message: string,
  ) {
    super(message);
    this.name = 'OssError';
  }
}

test('SignatureDoesNotMatch points at the secret and keeps code, status and request id', () => {
  const a = describeError(new FakeOssError('SignatureDoesNotMatch', 403, 'RID1', 'The request signature we calculated does not match'));
  assert.equal(a.summary, 'The AccessKey secret was rejected');
  assert.match(a.nextStep ?? '', /AccessKey secret of this profile \(Edit Profile\)/);
  assert.equal(a.code, 'SignatureDoesNotMatch');
  assert.equal(a.status, 403);
  assert.equal(a.requestId, 'RID1');
  assert.match(a.detail, /code SignatureDoesNotMatch, HTTP 403, request id RID1/);
  assert.match(formatAdvice(a), /^The AccessKey secret was rejected \(request id RID1\)\. Check/);
});

test('an environment profile is pointed at its variables, not at Edit Profile it does not have', () => {
  const sig = describeError(new FakeOssError('SignatureDoesNotMatch', 403, 'RID2', 'mismatch'), { credentialSource: 'env' });
  assert.equal(sig.summary, 'The AccessKey secret was rejected');
  assert.match(sig.nextStep ?? '', /OSS_ACCESS_KEY_SECRET/);
  assert.doesNotMatch(sig.nextStep ?? '', /Edit Profile/);
  const id = describeError(new FakeOssError('InvalidAccessKeyId', 403, 'RID3', 'unknown'), { credentialSource: 'env' });
  assert.match(id.nextStep ?? '', /OSS_ACCESS_KEY_ID/);
  // Codes unrelated to credentials keep their usual advice.
  const nb = describeError(new FakeOssError('NoSuchBucket', 404, 'RID4', 'gone'), { credentialSource: 'env' });
  assert.equal(nb.nextStep, describeError(new FakeOssError('NoSuchBucket', 404, 'RID4', 'gone')).nextStep);
});

test('common OSS codes get plain words', () => {
  const cases: [string, number, RegExp][] = [
    ['AccessDenied', 403, /denied/],
    ['NoSuchBucket', 404, /bucket does not exist/],
    ['InvalidAccessKeyId', 403, /AccessKey ID/],
    ['RequestTimeTooSkewed', 403, /clock/],
    ['NoSuchUpload', 404, /multipart upload/],
  ];
  for (const [code, status, re] of cases) {
    const a = describeError(new FakeOssError(code, status, 'r', 'm'));
    assert.match(a.summary, re, code);
    assert.ok(a.nextStep, code);
  }
});

test('an unknown OSS code still reports code and status', () => {
  const a = describeError(new FakeOssError('WeirdThing', 409, 'r2', 'Something odd.'));
  assert.equal(a.summary, 'OSS answered WeirdThing (HTTP 409): Something odd');
  assert.equal(a.status, 409);
  const b = describeError(new FakeOssError('', 503, '', 'Service Unavailable'));
  assert.match(b.nextStep ?? '', /Retry/);
});

test("InvalidResponse says the client's reason (a listing that does not move, a body past its limit)", () => {
  const e = Object.assign(new FakeOssError('InvalidResponse', 200, 'RIDX', 'InvalidResponse: the server sent NextContinuationToken "t" again (HTTP 200, RequestId RIDX; ListObjectsV2 on b)'), {
    serverMessage: 'the server sent NextContinuationToken "t" again (page 2, as on page 1); the listing would never end',
  });
  const a = describeError(e);
  assert.equal(a.summary, `The server's answer cannot be used: the server sent NextContinuationToken "t" again (page 2, as on page 1); the listing would never end`);
  assert.match(a.nextStep ?? '', /proxy or an OSS-compatible server/);
  assert.equal(a.code, 'InvalidResponse');
  assert.equal(a.requestId, 'RIDX');
});

test('network errors wrapped by fetch are found through the cause chain', () => {
  const sock = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
  const a = describeError(new TypeError('fetch failed', { cause: sock }));
  assert.equal(a.summary, 'The endpoint refused the connection');
  assert.equal(a.code, 'ECONNREFUSED');
  assert.match(a.detail, /caused by: connect ECONNREFUSED/);
  assert.match(describeError(Object.assign(new Error('x'), { code: 'ENOTFOUND' })).summary, /could not be resolved/);
});

test('file-system errors name the path', () => {
  const e = Object.assign(new Error("EACCES: permission denied, open '/x/y'"), { code: 'EACCES', path: '/x/y' });
  assert.equal(describeError(e).summary, 'Permission denied on a local file or folder: /x/y');
});

test("the engine's TransferError and KeyPathError keep their own next step", () => {
  const t = describeError(new TransferError('FileChanged', 'The file changed while uploading.'));
  assert.equal(t.summary, 'The file changed while uploading');
  assert.match(t.nextStep ?? '', /Start the upload again/);
  assert.equal(t.code, 'FileChanged');
  const k = describeError(new KeyPathError('../x', 'it contains a ".." path segment'));
  assert.match(k.summary, /cannot be saved locally/);
  assert.match(k.nextStep ?? '', /Nothing was written/);
});

test('cancellation, strings and odd values', () => {
  const abort = new Error('aborted');
  abort.name = 'AbortError';
  assert.equal(describeError(abort).summary, 'The operation was cancelled');
  assert.equal(describeError('plain text.').summary, 'plain text');
  assert.equal(describeError(undefined).summary, 'An unknown error occurred');
  assert.equal(describeError({ foo: 1 }).summary, '{"foo":1}');
  assert.equal(formatAdvice({ summary: 'X', detail: '' }), 'X.');
});

test('no HTTP answer (status 0) is a network failure, not "OSS answered … (HTTP 0)": the socket error below it is said', () => {
  const sock = Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:443'), { code: 'ECONNREFUSED' });
  const e = Object.assign(new FakeOssError('NetworkError', 0, '', 'connect ECONNREFUSED 10.0.0.9:443 [ECONNREFUSED]'), { cause: sock });
  const a = describeError(e);
  assert.equal(a.summary, 'The endpoint refused the connection');
  assert.doesNotMatch(formatAdvice(a), /HTTP 0/);
});

test('the way to the endpoint: proxy credentials, a refused tunnel, an unreachable proxy and an unknown CA name what fixes them', () => {
  const withDetails = (code: string, status: number, message: string, details: Record<string, string>) => Object.assign(new FakeOssError(code, status, '', message), { details });
  const asked = describeError(withDetails('ProxyAuthenticationRequired', 407, 'the proxy http://p:3128 asked for credentials (407): …', { proxy: 'http://p:3128', proxySource: 'the proxy option' }));
  assert.equal(formatAdvice(asked), 'The proxy http://p:3128 asked for credentials (407). Set http.proxyAuthorization or put user:password in the proxy URL (http.proxy).');
  const refused = describeError(withDetails('ProxyAuthenticationRequired', 407, 'the proxy http://p:3128 refused the credentials it was given (407)', { proxy: 'http://p:3128', proxySource: 'HTTPS_PROXY' }));
  assert.equal(refused.summary, 'The proxy http://p:3128 refused the credentials it was given (407)');
  assert.match(refused.nextStep ?? '', /in the proxy URL \(HTTPS_PROXY \(in the environment VS Code was started from\)\)/);
  const tunnel = describeError(withDetails('ProxyRefused', 403, 'x', { proxy: 'http://p:3128', target: 'oss.example:443' }));
  assert.equal(tunnel.summary, 'The proxy http://p:3128 did not let the request through to oss.example:443');
  assert.match(tunnel.nextStep ?? '', /http\.noProxy/);
  const down = describeError(withDetails('ProxyUnreachable', 0, 'x', { proxy: 'http://p:3128', proxySource: 'the proxy option' }));
  assert.equal(formatAdvice(down), 'The proxy http://p:3128 cannot be reached. Check the proxy address in http.proxy and that the proxy is running; hosts listed in http.noProxy connect directly.');
  const ca = describeError(withDetails('UntrustedCertificate', 0, 'x', { target: 'oss.example:443' }));
  assert.equal(ca.summary, 'The TLS certificate of oss.example:443 is not signed by a trusted CA');
  assert.match(ca.nextStep ?? '', /ossTransfer\.caFile/);
  assert.match(describeError(withDetails('UntrustedCertificate', 0, 'x', { target: 't', proxy: 'http://p:1' })).nextStep ?? '', /http\.proxyStrictSSL: false/);
});

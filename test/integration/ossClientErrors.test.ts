// Each server error code and each injected fault arrives as an OssError with the right fields
// and the right retryable flag. (The client itself never retries; the engine does.)
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OssClient } from '../../src/oss/index.js';
import { BUCKET, SK, patternBytes, readAll, rejectsWith, startHarness, type Harness } from './ossClientHarness.js';

const LIMIT = { timeout: 30_000 };

describe('server error codes', LIMIT, () => {
  let h: Harness;
  let c: OssClient;
  before(async () => {
    h = await startHarness();
    c = h.client();
    await c.putObject({ bucket: BUCKET, key: 'exists', body: 'here' });
  });
  after(async () => h.close());

  test('NoSuchBucket and NoSuchKey, with details and request id', async () => {
    const nb = await rejectsWith(c.getObject({ bucket: 'no-such-bucket', key: 'k' }), 'NoSuchBucket');
    assert.equal(nb.status, 404);
    assert.equal(nb.bucket, 'no-such-bucket');
    assert.equal(nb.key, 'k');
    assert.equal(nb.operation, 'GetObject');
    assert.ok(nb.requestId);
    assert.equal(nb.details.BucketName, 'no-such-bucket');
    assert.equal(nb.retryable, false);
    assert.match(nb.message, /NoSuchBucket.*HTTP 404.*RequestId/);
    const nk = await rejectsWith(c.getObject({ bucket: BUCKET, key: 'missing' }), 'NoSuchKey');
    assert.equal(nk.status, 404);
    assert.ok(nk.requestId);
    await rejectsWith(c.listObjectsV2({ bucket: 'no-such-bucket' }), 'NoSuchBucket');
  });

  test('HEAD 404 (no body) still names the code and request id', async () => {
    const e = await rejectsWith(c.headObject({ bucket: BUCKET, key: 'missing' }), 'NoSuchKey');
    assert.equal(e.status, 404);
    assert.ok(e.requestId);
    const eb = await rejectsWith(c.headObject({ bucket: 'no-such-bucket', key: 'k' }), 'NoSuchBucket');
    assert.equal(eb.status, 404);
  });

  test('SignatureDoesNotMatch (wrong secret) and InvalidAccessKeyId, under V4 and V1', async () => {
    for (const signatureVersion of ['v4', 'v1'] as const) {
      const wrong = h.client({ accessKeySecret: 'wrong-secret', signatureVersion });
      const e = await rejectsWith(wrong.getObject({ bucket: BUCKET, key: 'exists' }), 'SignatureDoesNotMatch');
      assert.equal(e.status, 403);
      assert.equal(e.retryable, false);
      assert.ok(e.requestId);
      const text = JSON.stringify(e) + e.message;
      assert.ok(!text.includes('wrong-secret') && !text.includes(SK), 'no secret in the error');
      const unknown = h.client({ accessKeyId: 'nobody', signatureVersion });
      const u = await rejectsWith(unknown.listBuckets(), 'InvalidAccessKeyId');
      assert.equal(u.status, 403);
    }
  });

  test('RequestTimeTooSkewed: client clock 20 minutes off; server clock skewed', async () => {
    const skewed = h.client({ now: () => new Date(Date.now() - 20 * 60_000) });
    const e = await rejectsWith(skewed.headObject({ bucket: BUCKET, key: 'exists' }), 'RequestTimeTooSkewed');
    assert.equal(e.status, 403);
    assert.equal(e.retryable, true);
    const v1 = h.client({ signatureVersion: 'v1', now: () => new Date(Date.now() + 20 * 60_000) });
    await rejectsWith(v1.getObject({ bucket: BUCKET, key: 'exists' }), 'RequestTimeTooSkewed');

    const other = await startHarness({ clockSkewMs: 30 * 60_000 });
    try {
      await rejectsWith(other.client().listBuckets(), 'RequestTimeTooSkewed');
    } finally {
      await other.close();
    }
  });

  test('multipart errors: NoSuchUpload, InvalidPart, InvalidPartOrder, EntityTooSmall', async () => {
    await rejectsWith(c.uploadPart({ bucket: BUCKET, key: 'mp', uploadId: 'no-such-upload', partNumber: 1, body: 'x' }), 'NoSuchUpload');
    const nsu = await rejectsWith(c.abortMultipartUpload({ bucket: BUCKET, key: 'mp', uploadId: 'no-such-upload' }), 'NoSuchUpload');
    assert.equal(nsu.status, 404);

    const small = 100 * 1024;
    const init = await c.initiateMultipartUpload({ bucket: BUCKET, key: 'mp' });
    const p1 = await c.uploadPart({ bucket: BUCKET, key: 'mp', uploadId: init.uploadId, partNumber: 1, body: patternBytes(10) });
    const p2 = await c.uploadPart({ bucket: BUCKET, key: 'mp', uploadId: init.uploadId, partNumber: 2, body: patternBytes(small) });
    const base = { bucket: BUCKET, key: 'mp', uploadId: init.uploadId };
    const ip = await rejectsWith(
      c.completeMultipartUpload({ ...base, parts: [{ partNumber: 1, etag: p1.etag }, { partNumber: 3, etag: p2.etag }] }),
      'InvalidPart',
    );
    assert.equal(ip.status, 400);
    await rejectsWith(
      c.completeMultipartUpload({ ...base, parts: [{ partNumber: 1, etag: '"00000000000000000000000000000000"' }] }),
      'InvalidPart',
    );
    await rejectsWith(
      c.completeMultipartUpload({ ...base, parts: [{ partNumber: 2, etag: p2.etag }, { partNumber: 1, etag: p1.etag }] }),
      'InvalidPartOrder',
    );
    const tooSmall = await rejectsWith(
      c.completeMultipartUpload({ ...base, parts: [{ partNumber: 1, etag: p1.etag }, { partNumber: 2, etag: p2.etag }] }),
      'EntityTooSmall',
    );
    assert.equal(tooSmall.retryable, false);
    await c.abortMultipartUpload(base);
  });

  test('InvalidBucketName and InvalidObjectName from the server', async () => {
    const b = await rejectsWith(c.listObjectsV2({ bucket: 'Bad_Bucket' }), 'InvalidBucketName');
    assert.equal(b.status, 400);
    const k = await rejectsWith(c.putObject({ bucket: BUCKET, key: 'x'.repeat(1024), body: 'x' }), 'InvalidObjectName');
    assert.equal(k.status, 400);
    await rejectsWith(c.putObject({ bucket: BUCKET, key: '/leading-slash', body: 'x' }), 'InvalidObjectName');
    await rejectsWith(c.deleteBucket({ bucket: BUCKET }), 'BucketNotEmpty');
  });

  test('PreconditionFailed on If-Match, with status 412', async () => {
    const e = await rejectsWith(c.getObject({ bucket: BUCKET, key: 'exists', ifMatch: '"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"' }), 'PreconditionFailed');
    assert.equal(e.status, 412);
    assert.equal(e.retryable, false);
  });
});

describe('injected faults', LIMIT, () => {
  let h: Harness;
  let c: OssClient;
  const data = patternBytes(2 * 1024 * 1024, 21);
  before(async () => {
    h = await startHarness();
    c = h.client();
    await c.putObject({ bucket: BUCKET, key: 'obj', body: data });
  });
  after(async () => h.close());

  test('503 with Retry-After: retryable with retryAfterMs; 500 retryable; 429 retryable', async () => {
    h.server.faults.add({ op: 'GetObject', key: 'obj' }, { type: 'status', status: 503, code: 'ServiceUnavailable', retryAfterSeconds: 3 });
    const e = await rejectsWith(c.getObject({ bucket: BUCKET, key: 'obj' }), 'ServiceUnavailable');
    assert.equal(e.status, 503);
    assert.equal(e.retryable, true);
    assert.equal(e.retryAfterMs, 3000);
    h.server.faults.add({ op: 'UploadPart' }, { type: 'status', status: 500, code: 'InternalError' });
    const init = await c.initiateMultipartUpload({ bucket: BUCKET, key: 'f' });
    const ie = await rejectsWith(c.uploadPart({ bucket: BUCKET, key: 'f', uploadId: init.uploadId, partNumber: 1, body: 'x' }), 'InternalError');
    assert.equal(ie.retryable, true);
    assert.equal(ie.retryAfterMs, undefined);
    h.server.faults.add({ op: 'HeadObject' }, { type: 'status', status: 429, code: 'TooManyRequests' });
    assert.equal((await rejectsWith(c.headObject({ bucket: BUCKET, key: 'obj' }), 'TooManyRequests')).retryable, true);
    // The fault was used up: the same call works now.
    assert.equal((await c.headObject({ bucket: BUCKET, key: 'obj' })).size, data.length);
  });

  test('connection reset before the response and mid-download are retryable ConnectionReset', async () => {
    h.server.faults.add({ op: 'HeadObject' }, { type: 'reset', afterBytes: 0 });
    const early = await rejectsWith(c.headObject({ bucket: BUCKET, key: 'obj' }), 'ConnectionReset');
    assert.equal(early.retryable, true);
    assert.equal(early.status, 0);

    h.server.faults.add({ op: 'GetObject', key: 'obj' }, { type: 'reset', afterBytes: 100_000 });
    const got = await c.getObject({ bucket: BUCKET, key: 'obj' });
    const mid = await rejectsWith(readAll(got.body), 'ConnectionReset');
    assert.equal(mid.retryable, true);
    assert.equal(mid.operation, 'GetObject');
    // And the client keeps working afterwards.
    assert.ok((await readAll((await c.getObject({ bucket: BUCKET, key: 'obj' })).body)).equals(data));
  });

  test('connection reset mid-upload is retryable', async () => {
    h.server.faults.add({ op: 'PutObject', key: 'up' }, { type: 'reset', afterBytes: 300_000 });
    const e = await rejectsWith(c.putObject({ bucket: BUCKET, key: 'up', body: data }), 'ConnectionReset');
    assert.equal(e.retryable, true);
    await c.putObject({ bucket: BUCKET, key: 'up', body: data });
  });

  test('abort via AbortSignal mid-download and mid-upload (server stalled)', async () => {
    h.server.faults.add({ op: 'GetObject', key: 'obj' }, { type: 'stall', ms: 20_000, afterBytes: 200_000 });
    const ac = new AbortController();
    const got = await c.getObject({ bucket: BUCKET, key: 'obj', signal: ac.signal });
    let n = 0;
    const reading = (async () => {
      for await (const chunk of got.body) {
        n += (chunk as Buffer).length;
        if (n >= 200_000) setImmediate(() => ac.abort());
      }
    })();
    const d = await rejectsWith(reading, 'RequestAborted');
    assert.equal(d.retryable, false);
    assert.ok(n < data.length);

    h.server.faults.add({ op: 'UploadPart' }, { type: 'stall', ms: 20_000, afterBytes: 100_000 });
    const init = await c.initiateMultipartUpload({ bucket: BUCKET, key: 'abort-up' });
    const up = new AbortController();
    let sent = 0;
    const p = c.uploadPart({
      bucket: BUCKET,
      key: 'abort-up',
      uploadId: init.uploadId,
      partNumber: 1,
      body: Readable.from([data]),
      contentLength: data.length,
      signal: up.signal,
      onUploadProgress: (s) => {
        sent = s;
        if (s >= 100_000) setImmediate(() => up.abort());
      },
    });
    const u = await rejectsWith(p, 'RequestAborted');
    assert.equal(u.retryable, false);
    assert.ok(sent > 0);
  });

  test('an aborted or reset file upload closes its file descriptor', { skip: !existsSync('/proc/self/fd') }, async () => {
    const file = join(h.dir, 'fd-check.bin');
    await writeFile(file, data);
    const openOnFile = (): number =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === file;
        } catch {
          return false;
        }
      }).length;
    h.server.faults.add({ op: 'PutObject', key: 'fd' }, { type: 'stall', ms: 20_000, afterBytes: 100_000 });
    const ac = new AbortController();
    const p = c.putObject({
      bucket: BUCKET,
      key: 'fd',
      body: { file },
      signal: ac.signal,
      onUploadProgress: (s) => {
        if (s >= 100_000) setImmediate(() => ac.abort());
      },
    });
    await rejectsWith(p, 'RequestAborted');
    h.server.faults.add({ op: 'PutObject', key: 'fd' }, { type: 'reset', afterBytes: 100_000 });
    await rejectsWith(c.putObject({ bucket: BUCKET, key: 'fd', body: { file } }), 'ConnectionReset');
    while (openOnFile() > 0) await new Promise((r) => setTimeout(r, 10));
    assert.equal(openOnFile(), 0);
  });

  test('forgetUpload turns the next part into NoSuchUpload', async () => {
    const init = await c.initiateMultipartUpload({ bucket: BUCKET, key: 'forgotten' });
    h.server.faults.add({ op: 'UploadPart', key: 'forgotten' }, { type: 'forgetUpload' });
    await rejectsWith(c.uploadPart({ bucket: BUCKET, key: 'forgotten', uploadId: init.uploadId, partNumber: 1, body: 'x' }), 'NoSuchUpload');
  });

  test('replaceObject makes If-Match fail with PreconditionFailed', async () => {
    const before = await c.headObject({ bucket: BUCKET, key: 'obj' });
    h.server.faults.add({ op: 'GetObject', key: 'obj' }, { type: 'replaceObject', content: Buffer.from('changed') });
    await rejectsWith(c.getObject({ bucket: BUCKET, key: 'obj', ifMatch: before.etag, range: { start: 0, end: 9 } }), 'PreconditionFailed');
  });
});

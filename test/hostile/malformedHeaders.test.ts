// A header value the client reads from a server (CRC-64, ETag, lengths, ranges, dates,
// Retry-After) that does not parse is an OssError 'InvalidResponse' naming the header, at the
// point it is read: never a bare TypeError / RangeError from deep in the engine, never a
// silently wrong number.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { OssError } from '../../src/oss/index.js';
import { resumableDownload, resumableUpload } from '../../src/transfer/index.js';
import { startHostileServer } from './hostileServer.js';
import { fakeOss, type FakeOp } from './fakeOss.js';

const PART = 100 * 1024;
const noDelay = { baseDelayMs: 1, maxDelayMs: 5 };
const BAD_CRCS = ['abc-not-a-crc', '18446744073709551616', '-1', '12 34', ''.padEnd(21, '1')];
let dir: string;
let source: string;

before(async () => {
  dir = await fsp.mkdtemp(path.join(tmpdir(), 'hostile-headers-'));
  source = path.join(dir, 'source.bin');
  await fsp.writeFile(source, randomBytes(3 * PART + 5));
});
after(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

/** The error is the client's InvalidResponse and names the header. */
function invalidNaming(header: RegExp) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof OssError, `an OssError, got ${String(e)}`);
    assert.equal(e.code, 'InvalidResponse', e.message);
    assert.match(e.message, header);
    return true;
  };
}

/** A fake OSS whose answers to `op` carry `header: value`. */
async function serverSetting(op: FakeOp, header: string, value: string | undefined, object?: Buffer) {
  const oss = fakeOss({
    ...(object ? { object } : {}),
    tamper: (o, h) => {
      if (o !== op) return;
      if (value === undefined) delete h[header];
      else h[header] = value;
    },
  });
  return await startHostileServer(oss.handle);
}

test('a malformed CRC-64 on an upload part ends the upload with InvalidResponse naming the header', async () => {
  for (const bad of BAD_CRCS) {
    const s = await serverSetting('UploadPart', 'x-oss-hash-crc64ecma', bad);
    try {
      await assert.rejects(
        resumableUpload(s.client(), { bucket: 'b', key: 'k', file: source, partSize: PART, disableCheckpoint: true, retry: noDelay }),
        invalidNaming(/x-oss-hash-crc64ecma/),
        bad,
      );
    } finally {
      await s.close();
    }
  }
});

test('a malformed CRC-64 on Complete or on PutObject: InvalidResponse naming the header', async () => {
  for (const bad of ['abc-not-a-crc', '18446744073709551616']) {
    const complete = await serverSetting('CompleteMultipartUpload', 'x-oss-hash-crc64ecma', bad);
    try {
      await assert.rejects(
        resumableUpload(complete.client(), { bucket: 'b', key: 'k', file: source, partSize: PART, disableCheckpoint: true, retry: noDelay }),
        invalidNaming(/x-oss-hash-crc64ecma/),
      );
    } finally {
      await complete.close();
    }
    const put = await serverSetting('PutObject', 'x-oss-hash-crc64ecma', bad);
    try {
      await assert.rejects(
        resumableUpload(put.client(), { bucket: 'b', key: 'k', file: source, disableCheckpoint: true, retry: noDelay }),
        invalidNaming(/x-oss-hash-crc64ecma/),
      );
    } finally {
      await put.close();
    }
  }
});

test('a malformed CRC-64 on HEAD or on a ranged GET fails the download before anything is kept', async () => {
  const object = randomBytes(3 * PART);
  for (const op of ['HeadObject', 'GetObject'] as const) {
    for (const bad of ['abc-not-a-crc', '18446744073709551616']) {
      const s = await serverSetting(op, 'x-oss-hash-crc64ecma', bad, object);
      try {
        const dest = path.join(dir, `crc-${op}.bin`);
        await fsp.writeFile(dest, 'keep me');
        await assert.rejects(
          resumableDownload(s.client(), { bucket: 'b', key: 'k', file: dest, partSize: PART, disableCheckpoint: true, retry: noDelay }),
          invalidNaming(/x-oss-hash-crc64ecma/),
        );
        assert.equal(await fsp.readFile(dest, 'utf8'), 'keep me');
      } finally {
        await s.close();
      }
    }
  }
});

test('HEAD: a missing or malformed Content-Length, ETag or Last-Modified is InvalidResponse naming it', async () => {
  const cases: [string, string | undefined, RegExp][] = [
    ['content-length', undefined, /Content-Length/],
    // (Non-digits and values past 2^64 never get this far: undici refuses them as a protocol error.)
    ['content-length', '99999999999999999', /Content-Length/],
    ['etag', undefined, /ETag/],
    ['etag', '"abc\u00e9"', /ETag/],
    ['etag', `"${'a'.repeat(2000)}"`, /ETag/],
    ['last-modified', 'yesterday', /Last-Modified/],
    ['last-modified', 'Wed, 31 Feb 2022 10:27:41 GMT', /Last-Modified/],
  ];
  for (const [header, value, name] of cases) {
    const s = await serverSetting('HeadObject', header, value, Buffer.from('hello'));
    try {
      await assert.rejects(s.client().headObject({ bucket: 'b', key: 'k' }), invalidNaming(name), `${header}: ${value}`);
    } finally {
      await s.close();
    }
  }
});

test('GET: a missing or malformed Content-Range, a malformed ETag, is InvalidResponse naming it', async () => {
  const object = Buffer.from('0123456789');
  const cases: [string, string | undefined, RegExp][] = [
    ['content-range', undefined, /Content-Range/],
    ['content-range', 'bytes abc', /Content-Range/],
    ['content-range', 'bytes 5-3/10', /Content-Range/],
    ['content-range', 'bytes 2-12/10', /Content-Range/],
    ['content-range', 'bytes 2-4/18446744073709551616', /Content-Range/],
    ['etag', '"caf\u00e9"', /ETag/],
  ];
  for (const [header, value, name] of cases) {
    const s = await serverSetting('GetObject', header, value, object);
    try {
      await assert.rejects(s.client().getObject({ bucket: 'b', key: 'k', range: { start: 2, end: 4 } }), invalidNaming(name), `${header}: ${value}`);
    } finally {
      await s.close();
    }
  }
});

test('UploadPart without a usable ETag is InvalidResponse (Complete would need it)', async () => {
  for (const value of [undefined, '"bad\tetag"', '"caf\u00e9"']) {
    const s = await serverSetting('UploadPart', 'etag', value);
    try {
      await assert.rejects(
        s.client().uploadPart({ bucket: 'b', key: 'k', uploadId: 'u', partNumber: 1, body: Buffer.from('x') }),
        invalidNaming(/ETag/),
      );
    } finally {
      await s.close();
    }
  }
});

test('a 503 with a malformed Retry-After is InvalidResponse naming it, and still retryable', async () => {
  const s = await startHostileServer((_req, res) => {
    res.writeHead(503, { 'retry-after': 'soon', 'content-type': 'application/xml' });
    res.end('<?xml version="1.0"?><Error><Code>SlowDown</Code><Message>slow</Message><RequestId>r</RequestId></Error>');
  });
  try {
    await assert.rejects(s.client().getObject({ bucket: 'b', key: 'k' }), (e: unknown) => {
      invalidNaming(/Retry-After/)(e);
      assert.equal((e as OssError).status, 503);
      assert.equal((e as OssError).retryable, true);
      assert.match((e as OssError).message, /SlowDown/);
      return true;
    });
  } finally {
    await s.close();
  }
});

test('well-formed values still pass: a valid Retry-After is honoured as before, and a 403 with junk Retry-After stays AccessDenied', async () => {
  const s = await startHostileServer((_req, res, n) => {
    if (n === 0) res.writeHead(503, { 'retry-after': '2' });
    else res.writeHead(403, { 'retry-after': 'whenever' });
    res.end();
  });
  try {
    const a = await s.client().headObject({ bucket: 'b', key: 'k' }).then(() => assert.fail('an error'), (e: unknown) => e as OssError);
    assert.equal(a.code, 'ServiceUnavailable');
    assert.equal(a.retryAfterMs, 2000);
    const b = await s.client().headObject({ bucket: 'b', key: 'k' }).then(() => assert.fail('an error'), (e: unknown) => e as OssError);
    assert.equal(b.code, 'AccessDenied');
  } finally {
    await s.close();
  }
});

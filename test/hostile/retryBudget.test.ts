// Retry budgets fitted to the failure: a throttling episode of a few seconds is ridden out with the
// default settings (the old budget, about 1.5-3 s, failed the transfer), Retry-After is honoured,
// and a part that keeps trickling is given up after a few attempts instead of one per 60 s.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { OssError } from '../../src/oss/index.js';
import { DEFAULT_RETRY } from '../../src/transfer/engine/retryPolicy.js';
import { resumableDownload, resumableUpload } from '../../src/transfer/index.js';
import { startHostileServer, xmlError } from './hostileServer.js';
import { etagOf, fakeOss } from './fakeOss.js';

const PART = 100 * 1024;
let dir: string;

before(async () => {
  dir = await fsp.mkdtemp(path.join(tmpdir(), 'hostile-retry-'));
});
after(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

function slowDown(res: ServerResponse, retryAfter?: string): void {
  res.writeHead(503, { 'content-type': 'application/xml', 'x-oss-request-id': 'throttled', ...(retryAfter ? { 'retry-after': retryAfter } : {}) });
  res.end(xmlError('SlowDown', 'Please reduce your request rate.'));
}

test('503 SlowDown for about 5 s, then service again: download and upload complete with the default retry settings', { timeout: 120_000 }, async () => {
  const object = randomBytes(3 * PART);
  const oss = fakeOss({ object });
  let throttledSince: number | undefined;
  const server = await startHostileServer(async (req, res, n) => {
    // Only part requests are throttled (HEAD, Initiate and Complete go through), from the first one on.
    const part = req.method === 'GET' || (req.method === 'PUT' && /partNumber=/.test(req.url ?? ''));
    if (part) {
      throttledSince ??= Date.now();
      if (Date.now() - throttledSince < 5000) {
        req.resume();
        return slowDown(res);
      }
    }
    return oss.handle(req, res, n);
  });
  try {
    const dest = path.join(dir, 'throttled.bin');
    const t0 = Date.now();
    await resumableDownload(server.client(), { bucket: 'b', key: 'k', file: dest, partSize: PART, disableCheckpoint: true });
    assert.ok(Date.now() - t0 >= 4500, 'it did ride out the episode');
    assert.ok((await fsp.readFile(dest)).equals(object));

    throttledSince = undefined;
    const source = path.join(dir, 'throttled-up.bin');
    await fsp.writeFile(source, randomBytes(3 * PART + 1));
    await resumableUpload(server.client(), { bucket: 'b', key: 'k', file: source, partSize: PART, disableCheckpoint: true });
    assert.ok(oss.stored?.equals(await fsp.readFile(source)));
  } finally {
    await server.close();
  }
});

test('still holds: Retry-After is honoured between attempts', { timeout: 60_000 }, async () => {
  const object = randomBytes(PART);
  const oss = fakeOss({ object });
  const gets: number[] = [];
  const server = await startHostileServer((req, res, n) => {
    if (req.method === 'GET') {
      gets.push(Date.now());
      if (gets.length <= 2) return slowDown(res, '2');
    }
    return oss.handle(req, res, n);
  });
  try {
    const dest = path.join(dir, 'retry-after.bin');
    await resumableDownload(server.client(), { bucket: 'b', key: 'k', file: dest, partSize: PART, disableCheckpoint: true });
    assert.equal(gets.length, 3);
    for (let i = 1; i < gets.length; i++) assert.ok(gets[i]! - gets[i - 1]! >= 1900, `gap ${gets[i]! - gets[i - 1]!} ms`);
  } finally {
    await server.close();
  }
});

test('a part that trickles on every attempt is given up after a few attempts, as a RequestTimeout', { timeout: 60_000 }, async () => {
  const object = randomBytes(2 * PART);
  const oss = fakeOss({ object });
  let trickles = 0;
  const server = await startHostileServer((req, res, n) => {
    const m = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''));
    if (req.method !== 'GET' || !m || Number(m[1]) !== PART) return oss.handle(req, res, n);
    trickles++;
    const body = object.subarray(PART);
    res.writeHead(206, { etag: etagOf(object), 'content-length': String(body.length), 'content-range': `bytes ${PART}-${2 * PART - 1}/${object.length}` });
    const timer = setInterval(() => res.write(body.subarray(0, 1)), 500);
    res.on('close', () => clearInterval(timer));
  });
  try {
    const t0 = Date.now();
    await assert.rejects(
      resumableDownload(server.client({ timeouts: { minSpeedBytesPerSec: 2000, minSpeedWindowMs: 1500 } }), {
        bucket: 'b',
        key: 'k',
        file: path.join(dir, 'trickles.bin'),
        partSize: PART,
        disableCheckpoint: true,
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
      }),
      (e: unknown) => e instanceof OssError && e.code === 'RequestTimeout',
    );
    assert.equal(trickles, DEFAULT_RETRY.maxTimeoutAttempts);
    assert.ok(Date.now() - t0 < 30_000);
  } finally {
    await server.close();
  }
});

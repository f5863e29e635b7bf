// A server that trickles (one byte every 500 ms) never trips the idle timeout, so a part it serves
// or reads would stay alive forever. A part below the speed floor for the floor's window is
// abandoned and retried like a stalled one. The floor and its window are tiny here (test-only).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { OssError } from '../../src/oss/index.js';
import { resumableDownload, resumableUpload } from '../../src/transfer/index.js';
import { startHostileServer } from './hostileServer.js';
import { etagOf, fakeOss } from './fakeOss.js';

const PART = 100 * 1024;
const noDelay = { baseDelayMs: 1, maxDelayMs: 5 };
/** Test-only floor: 2 KB/s averaged over 1.5 s (the defaults are 1 KiB/s over 20 s). */
const floor = { timeouts: { minSpeedBytesPerSec: 2000, minSpeedWindowMs: 1500 } };
let dir: string;

before(async () => {
  dir = await fsp.mkdtemp(path.join(tmpdir(), 'hostile-trickle-'));
});
after(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

/** Headers at once, then one byte every 500 ms until the client gives up. */
function trickle(res: ServerResponse, headers: Record<string, string>, body: Buffer): void {
  res.writeHead(206, headers);
  let i = 0;
  const timer = setInterval(() => {
    if (res.destroyed || i >= body.length) {
      clearInterval(timer);
      if (!res.destroyed) res.end();
      return;
    }
    res.write(body.subarray(i, ++i));
  }, 500);
  res.on('close', () => clearInterval(timer));
}

function rangeOf(req: IncomingMessage): { start: number; end: number } | undefined {
  const m = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''));
  return m ? { start: Number(m[1]), end: Number(m[2]) } : undefined;
}

test('download: a part trickling 1 byte / 500 ms is abandoned and fetched again; the download completes', { timeout: 60_000 }, async () => {
  const object = randomBytes(3 * PART);
  const oss = fakeOss({ object });
  let trickled = 0;
  const server = await startHostileServer((req, res, n) => {
    const r = rangeOf(req);
    if (req.method === 'GET' && r?.start === PART && trickled++ === 0) {
      const body = object.subarray(r.start, r.end + 1);
      return trickle(res, { etag: etagOf(object), 'content-length': String(body.length), 'content-range': `bytes ${r.start}-${r.end}/${object.length}` }, body);
    }
    return oss.handle(req, res, n);
  });
  try {
    const dest = path.join(dir, 'trickled.bin');
    const started = Date.now();
    await resumableDownload(server.client(floor), { bucket: 'b', key: 'k', file: dest, partSize: PART, disableCheckpoint: true, retry: noDelay });
    const took = Date.now() - started;
    assert.ok((await fsp.readFile(dest)).equals(object));
    assert.equal(server.requests.filter((q) => q.method === 'GET' && q.headers.range === `bytes=${PART}-${2 * PART - 1}`).length, 2, 'the trickled part was asked for again');
    // The window is 1.5 s; leave plenty for a loaded machine.
    assert.ok(took < 20_000, `took ${took} ms`);
  } finally {
    await server.close();
  }
});

test('download: the floor is an OssError RequestTimeout saying so, and retryable', { timeout: 60_000 }, async () => {
  const object = randomBytes(PART);
  const server = await startHostileServer((req, res) => {
    const r = rangeOf(req) ?? { start: 0, end: object.length - 1 };
    const body = object.subarray(r.start, r.end + 1);
    trickle(res, { etag: etagOf(object), 'content-length': String(body.length), 'content-range': `bytes ${r.start}-${r.end}/${object.length}` }, body);
  });
  try {
    const got = await server.client(floor).getObject({ bucket: 'b', key: 'k', range: { start: 0, end: object.length - 1 } });
    const failure = await (async () => {
      for await (const _ of got.body) {
        // keep reading: the floor must not blame our side
      }
    })().then(
      () => assert.fail('the trickle should have been cut'),
      (e: unknown) => e,
    );
    assert.ok(failure instanceof OssError, String(failure));
    assert.equal(failure.code, 'RequestTimeout');
    assert.equal(failure.retryable, true);
    assert.match(failure.message, /B\/s/);
  } finally {
    await server.close();
  }
});

test('a body our side does not read is not cut: backpressure is not a slow server', { timeout: 60_000 }, async () => {
  const object = randomBytes(4 * 1024 * 1024);
  const server = await startHostileServer(fakeOss({ object }).handle);
  try {
    const got = await server.client(floor).getObject({ bucket: 'b', key: 'k' });
    // Read a little, then nothing for three windows, then the rest.
    const it = got.body[Symbol.asyncIterator]();
    await it.next();
    await new Promise((r) => setTimeout(r, 4500));
    let n = 0;
    for (let step = await it.next(); !step.done; step = await it.next()) n += (step.value as Buffer).length;
    assert.ok(n > 0);
  } finally {
    await server.close();
  }
});

test('upload: a server that reads a part 1 byte / 500 ms has the part abandoned and sent again', { timeout: 60_000 }, async () => {
  // Big enough that loopback socket buffers cannot swallow the whole part.
  const BIG = 32 * 1024 * 1024;
  const file = path.join(dir, 'big-upload.bin');
  await fsp.writeFile(file, randomBytes(BIG + 10));
  const oss = fakeOss();
  let slow = 0;
  const server = await startHostileServer((req, res, n) => {
    if (req.method === 'PUT' && new URL(req.url ?? '/', 'http://x').searchParams.get('partNumber') === '1' && slow++ === 0) {
      req.pause();
      const timer = setInterval(() => req.read(1), 500);
      req.on('close', () => clearInterval(timer));
      res.on('close', () => clearInterval(timer));
      return;
    }
    return oss.handle(req, res, n);
  });
  try {
    const started = Date.now();
    await resumableUpload(server.client(floor), { bucket: 'b', key: 'k', file, partSize: BIG, parallel: 1, disableCheckpoint: true, retry: noDelay });
    const took = Date.now() - started;
    assert.equal(slow, 2, 'part 1 was sent again');
    assert.ok(oss.stored?.equals(await fsp.readFile(file)), 'the object is the file');
    assert.ok(took < 30_000, `took ${took} ms`);
  } finally {
    await server.close();
  }
});

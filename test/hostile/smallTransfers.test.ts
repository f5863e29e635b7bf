// The one-GET download of a small file against servers that lie about it: an answer far larger
// than announced small, a part where the whole object was asked, no Content-Length, a body cut
// short, bytes that do not match their CRC-64. Each must fail (or fall back) without leaving a
// temp file and without touching the destination, and without reading a large body to find out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { crc64, crc64ToString } from '../../src/oss/crc/crc64.js';
import { downloadSmallFile, uploadSmallFile, TransferError } from '../../src/transfer/index.js';
import { drainRequest, startHostileServer, streamChunks } from './hostileServer.js';
import { etagOf, fakeOss } from './fakeOss.js';

const MAX = 64 * 1024;
const noDelay = { baseDelayMs: 1, maxDelayMs: 5 };
let dir: string;
let n = 0;

before(async () => {
  dir = await fsp.mkdtemp(path.join(tmpdir(), 'hostile-small-'));
});
after(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

/** A fresh folder holding only a destination that says 'keep me'. */
async function withDest(): Promise<{ folder: string; dest: string }> {
  const folder = path.join(dir, `case-${n++}`);
  await fsp.mkdir(folder);
  const dest = path.join(folder, 'dest.bin');
  await fsp.writeFile(dest, 'keep me');
  return { folder, dest };
}

async function untouched(folder: string, dest: string): Promise<void> {
  assert.deepEqual(await fsp.readdir(folder), ['dest.bin'], 'no temp file left');
  assert.equal(await fsp.readFile(dest, 'utf8'), 'keep me');
}

function objectHeaders(object: Buffer): Record<string, string> {
  return { etag: etagOf(object), 'last-modified': 'Wed, 28 Dec 2022 10:27:41 GMT', 'x-oss-hash-crc64ecma': crc64ToString(crc64(object)) };
}

test('an object announced at 1 GiB: NotSmall, and the client stopped reading long before the end', async () => {
  let handedOut = 0;
  const server = await startHostileServer(async (_req, res) => {
    res.writeHead(200, { etag: '"big"', 'content-length': String(1024 ** 3), 'last-modified': 'Wed, 28 Dec 2022 10:27:41 GMT' });
    const chunk = Buffer.alloc(1024 * 1024);
    handedOut = await streamChunks(res, (function* () {
      for (let i = 0; i < 1024; i++) yield chunk;
    })());
  });
  try {
    const { folder, dest } = await withDest();
    await assert.rejects(
      downloadSmallFile(server.client(), { bucket: 'b', key: 'k', file: dest, maxSize: MAX, retry: noDelay }),
      (e: unknown) => e instanceof TransferError && e.code === 'NotSmall',
    );
    for (let i = 0; i < 100 && handedOut === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(handedOut < 128 * 1024 * 1024, `the server got rid of only ${handedOut} bytes of 1 GiB before the client hung up`);
    assert.equal(server.requests.length, 1, 'one GET, no HEAD, no retry');
    assert.equal(server.requests[0]!.headers.range, undefined, 'no Range asked');
    await untouched(folder, dest);
  } finally {
    await server.close();
  }
});

test('a 206 part where the whole object was asked: RangeMismatch, nothing kept', async () => {
  const object = randomBytes(1000);
  const server = await startHostileServer((_req, res) => {
    const part = object.subarray(0, 500);
    res.writeHead(206, { ...objectHeaders(part), 'content-length': '500', 'content-range': 'bytes 0-499/1000' });
    res.end(part);
  });
  try {
    const { folder, dest } = await withDest();
    await assert.rejects(
      downloadSmallFile(server.client(), { bucket: 'b', key: 'k', file: dest, maxSize: MAX, retry: noDelay }),
      (e: unknown) => e instanceof TransferError && e.code === 'RangeMismatch',
    );
    await untouched(folder, dest);
  } finally {
    await server.close();
  }
});

test('no Content-Length: within maxSize it is verified by CRC-64; beyond it, NotSmall and the temp file removed', async () => {
  const small = randomBytes(MAX);
  const big = randomBytes(3 * MAX);
  const server = await startHostileServer(async (req, res) => {
    const object = req.url?.includes('big') ? big : small;
    res.writeHead(200, objectHeaders(object)); // chunked: no Content-Length
    await streamChunks(res, [object.subarray(0, 1000), object.subarray(1000)]);
  });
  try {
    const { folder, dest } = await withDest();
    const r = await downloadSmallFile(server.client(), { bucket: 'b', key: 'small', file: dest, maxSize: MAX, retry: noDelay });
    assert.equal(r.size, MAX);
    assert.equal(r.verifiedBy, 'crc64');
    assert.ok((await fsp.readFile(dest)).equals(small));
    await fsp.writeFile(dest, 'keep me');
    await assert.rejects(
      downloadSmallFile(server.client(), { bucket: 'b', key: 'big', file: dest, maxSize: MAX, retry: noDelay }),
      (e: unknown) => e instanceof TransferError && e.code === 'NotSmall',
    );
    await untouched(folder, dest);
  } finally {
    await server.close();
  }
});

test('a body cut short every time: retried, then a clear failure; nothing kept', async () => {
  const object = randomBytes(10_000);
  const server = await startHostileServer((_req, res) => {
    res.writeHead(200, { ...objectHeaders(object), 'content-length': String(object.length) });
    res.write(object.subarray(0, 4000));
    setTimeout(() => res.socket?.destroy(), 20);
  });
  try {
    const { folder, dest } = await withDest();
    await assert.rejects(downloadSmallFile(server.client(), { bucket: 'b', key: 'k', file: dest, maxSize: MAX, retry: { ...noDelay, maxAttempts: 3 } }));
    assert.equal(server.requests.length, 3, 'each attempt is one GET');
    await untouched(folder, dest);
  } finally {
    await server.close();
  }
});

test('bytes that do not match their CRC-64: CrcMismatch after the integrity retries; nothing kept', async () => {
  const object = randomBytes(5000);
  const oss = fakeOss({ object, tamper: (op, h) => op === 'GetObject' && (h['x-oss-hash-crc64ecma'] = '42') });
  const server = await startHostileServer(oss.handle);
  try {
    const { folder, dest } = await withDest();
    await assert.rejects(
      downloadSmallFile(server.client(), { bucket: 'b', key: 'k', file: dest, maxSize: MAX, retry: { ...noDelay, maxIntegrityAttempts: 3 } }),
      (e: unknown) => e instanceof TransferError && e.code === 'CrcMismatch',
    );
    assert.equal(server.requests.length, 3);
    await untouched(folder, dest);
  } finally {
    await server.close();
  }
});

test('an upload whose PUT answer carries the wrong CRC-64: CrcMismatch and a DELETE of the corrupt object', async () => {
  const oss = fakeOss({ tamper: (op, h) => op === 'PutObject' && (h['x-oss-hash-crc64ecma'] = '42') });
  const server = await startHostileServer(async (req, res, i) => {
    if (req.method === 'DELETE') {
      await drainRequest(req);
      res.writeHead(204).end();
      return;
    }
    return oss.handle(req, res, i);
  });
  try {
    const file = path.join(dir, `up-${n++}.bin`);
    await fsp.writeFile(file, randomBytes(3000));
    await assert.rejects(
      uploadSmallFile(server.client(), { bucket: 'b', key: 'k', file, maxSize: MAX }),
      (e: unknown) => e instanceof TransferError && e.code === 'CrcMismatch',
    );
    assert.deepEqual(server.requests.map((r) => r.method), ['PUT', 'DELETE']);
  } finally {
    await server.close();
  }
});

// resumableDownload against the test server: ranged parallel GETs into a temp file, verified by
// CRC-64 before the rename; faults, cancel, object changes, disk errors and resume.
import { test, before, after, mock } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { resumableDownload, resumableUpload, TransferError, type TransferProgress } from '../../src/transfer/index.js';
import { BUCKET, exists, listDir, makeFile, sha256File, startFixture, wrapClient, type Fixture } from './resumeFixture.js';

const KB = 1024;
const PART = 100 * KB;
const noDelay = { baseDelayMs: 1, maxDelayMs: 5 };
let fx: Fixture;
let srcDir: string;

before(async () => {
  fx = await startFixture();
  srcDir = path.join(fx.dir, 'src');
});
after(async () => {
  await fx.close();
});

/** Puts a random object and returns its SHA-256. */
async function seed(key: string, size: number): Promise<string> {
  const file = path.join(srcDir, encodeURIComponent(key));
  const sha = await makeFile(file, size);
  await fx.client.putObject({ bucket: BUCKET, key, body: { file }, contentLength: size });
  return sha;
}

function checkProgress(seen: TransferProgress[], total: number, startAt = 0): void {
  assert.ok(seen.length > 0);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.transferredBytes >= seen[i - 1]!.transferredBytes, 'never backwards');
  for (const p of seen) assert.ok(p.transferredBytes <= p.totalBytes || p.phase === 'preparing');
  const moving = seen.find((p) => p.phase === 'transferring');
  if (moving) assert.ok(moving.transferredBytes >= startAt);
  assert.equal(seen.filter((p) => p.phase === 'done').length, 1);
  assert.deepEqual([seen.at(-1)!.phase, seen.at(-1)!.transferredBytes, seen.at(-1)!.totalBytes], ['done', total, total]);
}

test('parallel ranged download into a new nested folder: byte-identical, no temp or checkpoint left', async () => {
  const size = 10 * PART + 3;
  const sha = await seed('dl/basic.bin', size);
  const dest = path.join(fx.dir, 'out', 'new', 'folder', 'basic.bin');
  fx.server.stats.reset();
  const seen: TransferProgress[] = [];
  const r = await resumableDownload(fx.client, { bucket: BUCKET, key: 'dl/basic.bin', file: dest, partSize: PART, parallel: 3, onProgress: (p) => seen.push(p) });
  assert.equal(await sha256File(dest), sha);
  const get = fx.server.stats.get('GetObject');
  assert.equal(get.requests, 11);
  assert.equal(get.bytesOut, size, 'each byte fetched once');
  const head = await fx.client.headObject({ bucket: BUCKET, key: 'dl/basic.bin' });
  assert.deepEqual([r.etag, r.crc64, r.size, r.resumed, r.verifiedBy], [head.etag, head.crc64, size, false, 'crc64']);
  assert.deepEqual(await listDir(path.dirname(dest)), ['basic.bin']);
  checkProgress(seen, size);
});

test('0-byte object, exact multiple of the part size, unicode key with spaces', async () => {
  await fx.client.putObject({ bucket: BUCKET, key: 'dl/empty', body: Buffer.alloc(0) });
  const dest = path.join(fx.dir, 'out', 'empty.bin');
  const r = await resumableDownload(fx.client, { bucket: BUCKET, key: 'dl/empty', file: dest, partSize: PART });
  assert.equal(r.size, 0);
  assert.equal((await fsp.stat(dest)).size, 0);

  const key = 'dl/ünï cødé 文件 😀.bin';
  const sha = await seed(key, 3 * PART);
  const dest2 = path.join(fx.dir, 'out', 'ünï cødé.bin');
  await resumableDownload(fx.client, { bucket: BUCKET, key, file: dest2, partSize: PART });
  assert.equal(await sha256File(dest2), sha);
});

test('transient faults are retried per part and only the broken ranges are fetched again', async () => {
  const size = 8 * PART;
  const sha = await seed('dl/flaky.bin', size);
  const dest = path.join(fx.dir, 'out', 'flaky.bin');
  fx.server.stats.reset();
  const reset = fx.server.faults.add({ op: 'GetObject', key: 'dl/flaky.bin' }, { type: 'reset', afterBytes: 30 * KB }, 2);
  const busy = fx.server.faults.add({ op: 'GetObject', key: 'dl/flaky.bin' }, { type: 'status', status: 503, code: 'ServiceUnavailable' });
  const headFail = fx.server.faults.add({ op: 'HeadObject', key: 'dl/flaky.bin' }, { type: 'status', status: 500, code: 'InternalError' });
  await resumableDownload(fx.client, { bucket: BUCKET, key: 'dl/flaky.bin', file: dest, partSize: PART, parallel: 4, retry: noDelay });
  assert.equal(await sha256File(dest), sha);
  assert.deepEqual([fx.server.faults.hits(reset), fx.server.faults.hits(busy), fx.server.faults.hits(headFail)], [2, 1, 1]);
  const get = fx.server.stats.get('GetObject');
  assert.equal(get.requests, 8 + 3);
  assert.ok(get.bytesOut <= size + 2 * 30 * KB + 2 * 64 * KB, `bytesOut ${get.bytesOut}`);
});

test('cancel keeps the checkpoint and temp file, leaves the old destination untouched, and the resume fetches only what is missing', async () => {
  const size = 12 * PART;
  const sha = await seed('dl/cancel.bin', size);
  const dest = path.join(fx.dir, 'out', 'cancel.bin');
  await fsp.writeFile(dest, 'previous content');
  const stall = fx.server.faults.add({ op: 'GetObject', key: 'dl/cancel.bin' }, { type: 'stall', ms: 30_000, afterBytes: 10 * KB });
  const ac = new AbortController();
  let cancelled = false;
  fx.server.stats.reset();
  await assert.rejects(
    resumableDownload(fx.client, {
      bucket: BUCKET, key: 'dl/cancel.bin', file: dest, partSize: PART, parallel: 2, signal: ac.signal,
      onProgress: (p) => {
        if (!cancelled && p.transferredBytes >= 4 * PART) {
          cancelled = true;
          ac.abort();
        }
      },
    }),
    (e: unknown) => e instanceof TransferError && e.code === 'Aborted',
  );
  assert.equal(fx.server.faults.hits(stall), 1);
  fx.server.faults.remove(stall);
  assert.equal(await fsp.readFile(dest, 'utf8'), 'previous content', 'destination untouched');
  const names = await listDir(path.dirname(dest));
  assert.ok(names.includes('cancel.bin.cpt'));
  assert.ok(names.some((n) => n.startsWith('cancel.bin.osstmp-')));
  const first = fx.server.stats.get('GetObject').bytesOut;
  fx.server.stats.reset();
  const seen: TransferProgress[] = [];
  const r = await resumableDownload(fx.client, { bucket: BUCKET, key: 'dl/cancel.bin', file: dest, partSize: PART, parallel: 2, onProgress: (p) => seen.push(p) });
  assert.equal(r.resumed, true);
  assert.equal(await sha256File(dest), sha);
  const second = fx.server.stats.get('GetObject').bytesOut;
  assert.ok(second < size, 'finished parts not fetched again');
  assert.ok(first + second <= size + 2 * PART, `re-fetched within parallel x partSize: ${first} + ${second}`);
  checkProgress(seen, size, size - second);
  assert.ok(!(await listDir(path.dirname(dest))).some((n) => n.startsWith('cancel.bin.')), 'no temp or checkpoint left');
});

test('the object changed since the interrupted download: ObjectChanged before any byte moves, then a clean start', async () => {
  await seed('dl/changed.bin', 6 * PART);
  const dest = path.join(fx.dir, 'out', 'changed.bin');
  const deny = fx.server.faults.add({ op: 'GetObject', key: 'dl/changed.bin' }, { type: 'status', status: 403, code: 'AccessDenied' }, Infinity);
  await assert.rejects(resumableDownload(fx.client, { bucket: BUCKET, key: 'dl/changed.bin', file: dest, partSize: PART, parallel: 1 }), (e: unknown) => (e as { code?: string }).code === 'AccessDenied');
  fx.server.faults.remove(deny);
  assert.ok(await exists(dest + '.cpt'));
  const sha = await seed('dl/changed.bin', 6 * PART);
  fx.server.stats.reset();
  await assert.rejects(
    resumableDownload(fx.client, { bucket: BUCKET, key: 'dl/changed.bin', file: dest, partSize: PART }),
    (e: unknown) => e instanceof TransferError && e.code === 'ObjectChanged',
  );
  assert.equal(fx.server.stats.get('GetObject').requests, 0, 'no byte moved');
  assert.deepEqual((await listDir(path.dirname(dest))).filter((n) => n.startsWith('changed.bin')), [], 'temp and checkpoint removed');
  await resumableDownload(fx.client, { bucket: BUCKET, key: 'dl/changed.bin', file: dest, partSize: PART });
  assert.equal(await sha256File(dest), sha);
});

test('the object replaced mid-download: If-Match fails, ObjectChanged, nothing left, destination untouched', async () => {
  await seed('dl/swap.bin', 6 * PART);
  const dest = path.join(fx.dir, 'out', 'swap.bin');
  const swap = fx.server.faults.add({ op: 'GetObject', key: 'dl/swap.bin', }, { type: 'replaceObject', content: Buffer.alloc(6 * PART, 7) });
  await assert.rejects(
    resumableDownload(fx.client, { bucket: BUCKET, key: 'dl/swap.bin', file: dest, partSize: PART, parallel: 2 }),
    (e: unknown) => e instanceof TransferError && e.code === 'ObjectChanged',
  );
  assert.equal(fx.server.faults.hits(swap), 1);
  assert.equal(await exists(dest), false);
  assert.deepEqual((await listDir(path.dirname(dest))).filter((n) => n.startsWith('swap.bin')), []);
});

test('corrupted bytes never become the destination: CrcMismatch, nothing left', async () => {
  await seed('dl/corrupt.bin', 4 * PART);
  const dest = path.join(fx.dir, 'out', 'corrupt.bin');
  await fsp.writeFile(dest, 'keep me');
  const flipping = wrapClient(fx.client, {
    getObject: async (o) => {
      const r = await fx.client.getObject(o);
      if (o.range?.start !== PART) return r;
      const flip = async function* () {
        let first = true;
        for await (const c of r.body) {
          const b = Buffer.from(c as Buffer);
          if (first) b[0] = b[0]! ^ 0xff;
          first = false;
          yield b;
        }
      };
      return { ...r, body: Readable.from(flip()) };
    },
  });
  await assert.rejects(
    resumableDownload(flipping, { bucket: BUCKET, key: 'dl/corrupt.bin', file: dest, partSize: PART }),
    (e: unknown) => e instanceof TransferError && e.code === 'CrcMismatch',
  );
  assert.equal(await fsp.readFile(dest, 'utf8'), 'keep me');
  assert.deepEqual((await listDir(path.dirname(dest))).filter((n) => n.startsWith('corrupt.bin.')), []);
});

test('an object without CRC-64 is verified by size and ETag, and says so', async () => {
  const sha = await seed('dl/nocrc.bin', 3 * PART);
  const dest = path.join(fx.dir, 'out', 'nocrc.bin');
  const strip = wrapClient(fx.client, {
    headObject: async (o) => ({ ...(await fx.client.headObject(o)), crc64: undefined }),
  });
  const r = await resumableDownload(strip, { bucket: BUCKET, key: 'dl/nocrc.bin', file: dest, partSize: PART });
  assert.equal(r.verifiedBy, 'size+etag');
  assert.equal(await sha256File(dest), sha);
});

test('disk full: DiskFull, checkpoint kept, destination untouched; the resume finishes', async () => {
  const size = 6 * PART;
  const sha = await seed('dl/full.bin', size);
  const dest = path.join(fx.dir, 'out', 'full.bin');
  const probe = await fsp.open(path.join(fx.dir, 'probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as { writev: (...a: unknown[]) => Promise<unknown> };
  await probe.close();
  let writes = 0;
  const realWritev = proto.writev;
  const m = mock.method(proto, 'writev', function (this: unknown, ...args: unknown[]) {
    if (++writes === 3) return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
    return realWritev.apply(this, args);
  });
  try {
    await assert.rejects(
      resumableDownload(fx.client, { bucket: BUCKET, key: 'dl/full.bin', file: dest, partSize: PART, parallel: 1 }),
      (e: unknown) => e instanceof TransferError && e.code === 'DiskFull' && /space/.test(e.nextStep),
    );
  } finally {
    m.mock.restore();
  }
  assert.equal(await exists(dest), false, 'destination untouched');
  assert.ok(await exists(dest + '.cpt'), 'checkpoint kept');
  const r = await resumableDownload(fx.client, { bucket: BUCKET, key: 'dl/full.bin', file: dest, partSize: PART, parallel: 1 });
  assert.equal(r.resumed, true);
  assert.equal(await sha256File(dest), sha);
});

test('a destination that cannot be written: NotWritable, nothing left behind', async () => {
  await seed('dl/ro.bin', PART);
  let dir: string;
  if (process.getuid?.() === 0) {
    dir = '/sys'; // root ignores file modes; sysfs refuses new files even to root
  } else {
    dir = path.join(fx.dir, 'readonly');
    await fsp.mkdir(dir);
    await fsp.chmod(dir, 0o555);
  }
  const before = await listDir(dir);
  await assert.rejects(
    resumableDownload(fx.client, { bucket: BUCKET, key: 'dl/ro.bin', file: path.join(dir, 'ro.bin') }),
    (e: unknown) => e instanceof TransferError && e.code === 'NotWritable',
  );
  assert.deepEqual(await listDir(dir), before);
  await assert.rejects(
    resumableDownload(fx.client, { bucket: BUCKET, key: 'dl/ro.bin', file: path.join(dir, 'sub', 'ro.bin') }),
    (e: unknown) => e instanceof TransferError && e.code === 'NotWritable',
  );
  assert.deepEqual(await listDir(dir), before);
});

test('a missing object is the OssError NoSuchKey; nothing is created', async () => {
  const dest = path.join(fx.dir, 'out2', 'missing.bin');
  await assert.rejects(
    resumableDownload(fx.client, { bucket: BUCKET, key: 'dl/does-not-exist', file: dest }),
    (e: unknown) => (e as { code?: string; status?: number }).code === 'NoSuchKey' && (e as { status?: number }).status === 404,
  );
  assert.equal(await exists(path.dirname(dest)), false);
});

test('a short write (disk filling mid-call) is completed, never left as a hole', async () => {
  const size = 3 * PART;
  const sha = await seed('dl/short.bin', size);
  const dest = path.join(fx.dir, 'out', 'short.bin');
  const probe = await fsp.open(path.join(fx.dir, 'probe2'), 'w');
  const proto = Object.getPrototypeOf(probe) as { writev: (...a: unknown[]) => Promise<{ bytesWritten: number; buffers: Buffer[] }> };
  await probe.close();
  const realWritev = proto.writev;
  let shortened = 0;
  const m = mock.method(proto, 'writev', async function (this: unknown, bufs: Buffer[], position: number) {
    if (shortened++ === 0 && bufs.length > 0) {
      // Write only the first 1000 bytes and report it, as a nearly full disk can.
      const first = Buffer.concat(bufs).subarray(0, 1000);
      const r = await realWritev.call(this, [first], position);
      return { bytesWritten: r.bytesWritten, buffers: bufs };
    }
    return realWritev.call(this, bufs, position);
  });
  try {
    await resumableDownload(fx.client, { bucket: BUCKET, key: 'dl/short.bin', file: dest, partSize: PART, parallel: 1 });
  } finally {
    m.mock.restore();
  }
  assert.ok(shortened > 1);
  assert.equal(await sha256File(dest), sha);
});

test("an upload given the running download's checkpoint is refused instead of discarding the download's temp file", async () => {
  const size = 4 * PART;
  const sha = await seed('dl/shared-cpt.bin', size);
  const dest = path.join(fx.dir, 'out', 'shared-cpt.bin');
  const cptFile = path.join(fx.dir, 'shared.cpt');
  const src = path.join(fx.dir, 'shared-src.bin');
  await makeFile(src, 2 * PART);
  const download = resumableDownload(fx.client, { bucket: BUCKET, key: 'dl/shared-cpt.bin', file: dest, partSize: PART, cptFile });
  await assert.rejects(
    resumableUpload(fx.client, { bucket: BUCKET, key: 'up/shared-cpt.bin', file: src, partSize: PART, cptFile }),
    (e: unknown) => e instanceof TransferError && e.code === 'AlreadyRunning',
  );
  await download;
  assert.equal(await sha256File(dest), sha);
});

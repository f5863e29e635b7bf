import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { crc64 } from '../../src/oss/crc/crc64.js';
import { drainPartBody, type PartSink } from '../../src/transfer/engine/partBodyWriter.js';

function memorySink(file: Buffer, opts: { failAt?: number; writes?: number[] } = {}): PartSink {
  return {
    write: async (bufs, n, position) => {
      await new Promise((r) => setTimeout(r, 1)); // a real write takes a while: data keeps arriving meanwhile
      if (opts.failAt !== undefined && position >= opts.failAt) throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      const joined = Buffer.concat(bufs);
      assert.equal(joined.length, n);
      joined.copy(file, position);
      opts.writes?.push(n);
    },
    progress: () => undefined,
    tooLong: () => new Error('too long'),
  };
}

test('every byte lands at its position, in batches, with the CRC-64 of what arrived', async () => {
  const data = randomBytes(300_000);
  const file = Buffer.alloc(400_000);
  const writes: number[] = [];
  // Chunks of odd sizes, pushed faster than the sink writes them.
  const chunks = Array.from({ length: Math.ceil(data.length / 7_001) }, (_, i) => data.subarray(i * 7_001, (i + 1) * 7_001));
  const r = await drainPartBody(Readable.from(chunks, { objectMode: false }), 50_000, data.length, 64 * 1024, memorySink(file, { writes }));
  assert.equal(r.received, data.length);
  assert.equal(r.crc, crc64(data));
  assert.deepEqual(file.subarray(50_000, 350_000), data);
  assert.ok(writes.length >= 4 && writes.every((n) => n <= 64 * 1024 + 7_001), `batched writes: ${writes.join(',')}`);
});

test('a body longer than the part, a failing write and a body cut short all reject', async () => {
  const file = Buffer.alloc(100);
  await assert.rejects(drainPartBody(Readable.from([Buffer.alloc(60), Buffer.alloc(60)]), 0, 100, 10, memorySink(file)), /too long/);
  await assert.rejects(drainPartBody(Readable.from([Buffer.alloc(50), Buffer.alloc(50)]), 0, 100, 10, memorySink(file, { failAt: 40 })), /disk full/);
  const cut = new PassThrough();
  const drained = drainPartBody(cut, 0, 100, 10, memorySink(file));
  cut.write(Buffer.alloc(30));
  setTimeout(() => cut.destroy(), 5);
  await assert.rejects(drained, /closed before it ended/);
  const broken = new PassThrough();
  const drained2 = drainPartBody(broken, 0, 100, 10, memorySink(file));
  setTimeout(() => broken.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })), 5);
  await assert.rejects(drained2, /socket hang up/);
});

test('a failure waits for the write in progress: nothing is written after the promise settles', async () => {
  const file = Buffer.alloc(100);
  let writing = false;
  let wroteAfterReject = false;
  let rejected = false;
  const sink: PartSink = {
    write: async (bufs, _n, position) => {
      writing = true;
      await new Promise((r) => setTimeout(r, 30));
      if (rejected) wroteAfterReject = true;
      Buffer.concat(bufs).copy(file, position);
      writing = false;
    },
    progress: () => undefined,
    tooLong: () => new Error('too long'),
  };
  const body = new PassThrough();
  const drained = drainPartBody(body, 0, 100, 10, sink).catch((e: unknown) => {
    rejected = true;
    throw e;
  });
  body.write(Buffer.alloc(20)); // starts a 30 ms write
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(writing, true);
  body.destroy(new Error('socket hang up'));
  await assert.rejects(drained, /socket hang up/);
  assert.equal(writing, false, 'the write had finished before the rejection');
  assert.equal(wroteAfterReject, false);
});

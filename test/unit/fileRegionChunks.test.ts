import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { crc64 } from '../../src/oss/crc/crc64.js';
import { FileRegionChunks, READ_SIZE, ReadBufferPool } from '../../src/transfer/engine/fileRegionChunks.js';

async function collect(chunks: FileRegionChunks): Promise<Buffer> {
  const got: Buffer[] = [];
  // Copy each chunk before asking for the next: the producer reuses its buffers after that.
  for await (const c of chunks) got.push(Buffer.from(c));
  return Buffer.concat(got);
}

test('a region comes out byte-exact through two reused buffers, with its CRC-64', async (t) => {
  const dir = await fsp.mkdtemp(path.join(tmpdir(), 'region-'));
  t.after(() => fsp.rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'f.bin');
  const data = randomBytes(3 * READ_SIZE + 12345);
  await fsp.writeFile(file, data);
  const pool = new ReadBufferPool();
  const pair = pool.take();
  for (const [start, length] of [[0, data.length], [7, 2 * READ_SIZE], [READ_SIZE - 1, READ_SIZE + 2], [100, 0]] as const) {
    const chunks = new FileRegionChunks(file, start, length, pair);
    const out = await collect(chunks);
    await chunks.close();
    assert.deepEqual(out, data.subarray(start, start + length), `region ${start}+${length}`);
    assert.equal(chunks.crc.value, crc64(data.subarray(start, start + length)));
    assert.equal(chunks.bytes, length);
    assert.equal(chunks.truncated, false);
  }
  pool.give(pair);
  assert.equal(pool.take(), pair, 'a returned pair is handed out again');
});

test('a file that shrank is reported as truncated; a missing file as a read error', async (t) => {
  const dir = await fsp.mkdtemp(path.join(tmpdir(), 'region-'));
  t.after(() => fsp.rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'f.bin');
  await fsp.writeFile(file, randomBytes(READ_SIZE + 10));
  const short = new FileRegionChunks(file, 0, 3 * READ_SIZE, new ReadBufferPool().take());
  const out = await collect(short);
  await short.close();
  assert.equal(out.length, READ_SIZE + 10);
  assert.equal(short.truncated, true);

  const missing = new FileRegionChunks(path.join(dir, 'gone.bin'), 0, 10, new ReadBufferPool().take());
  await assert.rejects(collect(missing), /ENOENT/);
  assert.equal((missing.readError as NodeJS.ErrnoException).code, 'ENOENT');
  await missing.close();
});

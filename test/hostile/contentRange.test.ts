// A ranged GET must bring back the range asked for. Without a CRC-64 on the object (gateways and
// custom domains drop it) the returned range is the only thing that tells a shifted answer from
// the right one, so a wrong one must fail the download and leave the destination alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { resumableDownload } from '../../src/transfer/index.js';
import { startHostileServer } from './hostileServer.js';
import { etagOf, fakeOss } from './fakeOss.js';

const PART = 100 * 1024;
const noDelay = { baseDelayMs: 1, maxDelayMs: 5 };
let dir: string;

before(async () => {
  dir = await fsp.mkdtemp(path.join(tmpdir(), 'hostile-range-'));
});
after(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

async function leftovers(name: string): Promise<string[]> {
  return (await fsp.readdir(dir)).filter((n) => n.startsWith(name) && n !== name);
}

/** Serves a 4-part object without CRC-64; `bend` may rewrite each ranged answer. */
async function rangedServer(bend: (start: number, end: number, total: number) => { start: number; end: number; header?: string | null }) {
  const object = randomBytes(4 * PART);
  const oss = fakeOss({ object, crc: false });
  const server = await startHostileServer((req, res, n) => {
    const m = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''));
    if (req.method !== 'GET' || !m) return oss.handle(req, res, n);
    const asked = { start: Number(m[1]), end: Number(m[2]) };
    const sent = bend(asked.start, asked.end, object.length);
    const headers: Record<string, string> = {
      etag: etagOf(object),
      'content-length': String(sent.end - sent.start + 1),
      'last-modified': 'Wed, 28 Dec 2022 10:27:41 GMT',
    };
    if (sent.header !== null) headers['content-range'] = sent.header ?? `bytes ${sent.start}-${sent.end}/${object.length}`;
    res.writeHead(206, headers);
    res.end(object.subarray(sent.start, sent.end + 1));
  });
  return { server, object };
}

test('a 206 of the right length but another range, without CRC-64: the download fails and the destination is untouched', async () => {
  // Every part but the first comes back one part earlier, Content-Range telling the truth about it.
  const { server } = await rangedServer((start, end) => (start === 0 ? { start, end } : { start: start - PART, end: end - PART }));
  try {
    const dest = path.join(dir, 'shifted.bin');
    await fsp.writeFile(dest, 'keep me');
    await assert.rejects(
      resumableDownload(server.client(), { bucket: 'b', key: 'k', file: dest, partSize: PART, parallel: 2, disableCheckpoint: true, retry: noDelay }),
      (e: unknown) => /range/i.test(String((e as Error).message)),
    );
    assert.equal(await fsp.readFile(dest, 'utf8'), 'keep me');
    assert.deepEqual(await leftovers('shifted.bin'), []);

    const fresh = path.join(dir, 'shifted-new.bin');
    await assert.rejects(
      resumableDownload(server.client(), { bucket: 'b', key: 'k', file: fresh, partSize: PART, checkpointDir: path.join(dir, 'cpt'), retry: noDelay }),
      (e: unknown) => /range/i.test(String((e as Error).message)),
    );
    assert.equal(await fsp.stat(fresh).then(() => true, () => false), false, 'the destination was not created');
  } finally {
    await server.close();
  }
});

test('a 206 whose Content-Range is missing is not taken on trust', async () => {
  const { server } = await rangedServer((start, end) => ({ start, end, header: null }));
  try {
    const dest = path.join(dir, 'norange.bin');
    await assert.rejects(
      resumableDownload(server.client(), { bucket: 'b', key: 'k', file: dest, partSize: PART, disableCheckpoint: true, retry: noDelay }),
      (e: unknown) => /Content-Range/i.test(String((e as Error).message)),
    );
    assert.equal(await fsp.stat(dest).then(() => true, () => false), false);
    assert.deepEqual(await leftovers('norange.bin'), []);
  } finally {
    await server.close();
  }
});

test('a 206 whose Content-Range names the asked range of a different total size fails', async () => {
  const { server } = await rangedServer((start, end, total) => ({ start, end, header: `bytes ${start}-${end}/${total * 2}` }));
  try {
    const dest = path.join(dir, 'total.bin');
    await assert.rejects(
      resumableDownload(server.client(), { bucket: 'b', key: 'k', file: dest, partSize: PART, disableCheckpoint: true, retry: noDelay }),
      (e: unknown) => /range/i.test(String((e as Error).message)),
    );
    assert.equal(await fsp.stat(dest).then(() => true, () => false), false);
  } finally {
    await server.close();
  }
});

test('still holds: a server that ignores Range (200, whole body) fails the download and leaves the destination alone', async () => {
  const object = randomBytes(4 * PART);
  const oss = fakeOss({ object, crc: false });
  const server = await startHostileServer((req, res, n) => {
    delete req.headers.range;
    return oss.handle(req, res, n);
  });
  try {
    const dest = path.join(dir, 'ignored.bin');
    await fsp.writeFile(dest, 'keep me');
    await assert.rejects(resumableDownload(server.client(), { bucket: 'b', key: 'k', file: dest, partSize: PART, disableCheckpoint: true, retry: noDelay }));
    assert.equal(await fsp.readFile(dest, 'utf8'), 'keep me');
    assert.deepEqual(await leftovers('ignored.bin'), []);
  } finally {
    await server.close();
  }
});

test('the honest server still downloads byte for byte, with and without CRC-64', async () => {
  for (const crc of [true, false]) {
    const object = randomBytes(4 * PART + 17);
    const server = await startHostileServer(fakeOss({ object, crc }).handle);
    try {
      const dest = path.join(dir, `honest-${crc}.bin`);
      const r = await resumableDownload(server.client(), { bucket: 'b', key: 'k', file: dest, partSize: PART, disableCheckpoint: true });
      assert.ok((await fsp.readFile(dest)).equals(object));
      assert.equal(r.verifiedBy, crc ? 'crc64' : 'size+etag');
    } finally {
      await server.close();
    }
  }
});

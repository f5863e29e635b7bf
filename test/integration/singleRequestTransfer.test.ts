// uploadSmallFile / downloadSmallFile / remoteMatchesLocal against the test server: one request a
// file, byte-identical both ways, NotSmall before any body moves, integrity failures that leave
// nothing behind, retries, and nothing but the destination ever appearing in the folder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { downloadSmallFile, remoteMatchesLocal, uploadSmallFile, TransferError, type TransferProgress } from '../../src/transfer/index.js';
import { BUCKET, listDir, makeFile, sha256File, startFixture, wrapClient, type Fixture } from './resumeFixture.js';

const KB = 1024;
const MAX = 100 * KB;
const noDelay = { baseDelayMs: 1, maxDelayMs: 5 };
let fx: Fixture;
let n = 0;

before(async () => {
  fx = await startFixture();
});
after(async () => {
  await fx.close();
});

/** A fresh empty folder for one case, so listing it shows exactly what the transfer left. */
async function freshDir(): Promise<string> {
  const d = path.join(fx.dir, `case-${n++}`);
  await fsp.mkdir(d, { recursive: true });
  return d;
}

function isCode(code: string) {
  return (e: unknown) => e instanceof TransferError && e.code === code;
}

function checkProgress(seen: TransferProgress[], total: number): void {
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.transferredBytes >= seen[i - 1]!.transferredBytes, 'never backwards');
  for (const p of seen) assert.ok(p.transferredBytes <= p.totalBytes || p.totalBytes === 0);
  assert.equal(seen.filter((p) => p.phase === 'done').length, 1);
  assert.deepEqual([seen.at(-1)!.phase, seen.at(-1)!.transferredBytes, seen.at(-1)!.totalBytes], ['done', total, total]);
}

for (const [label, size, key] of [
  ['empty file', 0, 'small/empty.bin'],
  ['1 byte', 1, 'small/one.bin'],
  ['exactly maxSize', MAX, 'small/max.bin'],
  ['unicode key with spaces', 3 * KB + 7, 'small/é 文件 ✓.bin'],
] as const) {
  test(`${label}: one PutObject up, one GET down, byte-identical, nothing else in either folder`, async () => {
    const up = await freshDir();
    const file = path.join(up, 'source.bin');
    const sha = await makeFile(file, size);
    fx.server.stats.reset();
    const upSeen: TransferProgress[] = [];
    const u = await uploadSmallFile(fx.client, { bucket: BUCKET, key, file, maxSize: MAX, onProgress: (p) => upSeen.push(p) });
    assert.equal(fx.server.stats.get('PutObject').requests, 1);
    assert.equal(fx.server.stats.total().requests, 1, 'nothing but the PUT');
    assert.equal(await sha256File(fx.server.objectPath(BUCKET, key)!), sha);
    const head = await fx.client.headObject({ bucket: BUCKET, key });
    assert.deepEqual([u.etag, u.crc64, u.size, u.resumed, u.verifiedBy], [head.etag, head.crc64, size, false, 'crc64']);
    assert.deepEqual(await listDir(up), ['source.bin'], 'no checkpoint, lock or temp file beside the source');
    checkProgress(upSeen, size);

    const down = await freshDir();
    const dest = path.join(down, 'got.bin');
    fx.server.stats.reset();
    const downSeen: TransferProgress[] = [];
    const d = await downloadSmallFile(fx.client, { bucket: BUCKET, key, file: dest, maxSize: MAX, onProgress: (p) => downSeen.push(p) });
    assert.equal(fx.server.stats.get('GetObject').requests, 1);
    assert.equal(fx.server.stats.total().requests, 1, 'no HEAD, nothing but the GET');
    assert.equal(fx.server.stats.get('GetObject').bytesOut, size);
    assert.equal(await sha256File(dest), sha);
    assert.deepEqual([d.etag, d.crc64, d.size, d.resumed, d.verifiedBy], [head.etag, head.crc64, size, false, 'crc64']);
    assert.deepEqual(await listDir(down), ['got.bin'], 'only the destination');
    checkProgress(downSeen, size);
  });
}

test('download into a new nested folder, and over an existing file', async () => {
  const src = path.join(await freshDir(), 'src.bin');
  const sha = await makeFile(src, 5 * KB);
  await uploadSmallFile(fx.client, { bucket: BUCKET, key: 'small/nested.bin', file: src, maxSize: MAX });
  const root = await freshDir();
  const dest = path.join(root, 'a', 'b', 'nested.bin');
  await downloadSmallFile(fx.client, { bucket: BUCKET, key: 'small/nested.bin', file: dest, maxSize: MAX });
  assert.equal(await sha256File(dest), sha);
  await fsp.writeFile(dest, 'old content');
  await downloadSmallFile(fx.client, { bucket: BUCKET, key: 'small/nested.bin', file: dest, maxSize: MAX });
  assert.equal(await sha256File(dest), sha);
  assert.deepEqual(await listDir(path.dirname(dest)), ['nested.bin']);
});

test('NotSmall upload: a file over maxSize is refused before any request', async () => {
  const file = path.join(await freshDir(), 'big.bin');
  await makeFile(file, MAX + 1);
  fx.server.stats.reset();
  await assert.rejects(uploadSmallFile(fx.client, { bucket: BUCKET, key: 'small/big.bin', file, maxSize: MAX }), isCode('NotSmall'));
  assert.equal(fx.server.stats.total().requests, 0);
  assert.deepEqual(await listDir(path.dirname(file)), ['big.bin']);
});

test('NotSmall download: the GET is dropped unread, nothing is created, the destination is untouched', async () => {
  const src = path.join(await freshDir(), 'big.bin');
  await makeFile(src, MAX + 1);
  await fx.client.putObject({ bucket: BUCKET, key: 'small/big-dl.bin', body: { file: src }, contentLength: MAX + 1 });
  const down = await freshDir();
  const dest = path.join(down, 'big.bin');
  await fsp.writeFile(dest, 'keep me');
  const bodies: Readable[] = [];
  const spy = wrapClient(fx.client, {
    getObject: async (o) => {
      const r = await fx.client.getObject(o);
      bodies.push(r.body);
      return r;
    },
  });
  await assert.rejects(downloadSmallFile(spy, { bucket: BUCKET, key: 'small/big-dl.bin', file: dest, maxSize: MAX }), isCode('NotSmall'));
  assert.equal(bodies.length, 1, 'one GET, not retried');
  assert.equal(bodies[0]!.readableFlowing, null, 'the body was never read');
  assert.ok(bodies[0]!.destroyed, 'the body was dropped');
  assert.deepEqual(await listDir(down), ['big.bin']);
  assert.equal(await fsp.readFile(dest, 'utf8'), 'keep me');
});

test('CRC-64 mismatch on download: retried, then CrcMismatch; destination untouched and no temp file', async () => {
  const src = path.join(await freshDir(), 'c.bin');
  await makeFile(src, 20 * KB);
  await uploadSmallFile(fx.client, { bucket: BUCKET, key: 'small/crc-dl.bin', file: src, maxSize: MAX });
  const down = await freshDir();
  const dest = path.join(down, 'c.bin');
  await fsp.writeFile(dest, 'keep me');
  const liar = wrapClient(fx.client, { getObject: async (o) => ({ ...(await fx.client.getObject(o)), crc64: '12345' }) });
  fx.server.stats.reset();
  await assert.rejects(
    downloadSmallFile(liar, { bucket: BUCKET, key: 'small/crc-dl.bin', file: dest, maxSize: MAX, retry: { ...noDelay, maxIntegrityAttempts: 2 } }),
    isCode('CrcMismatch'),
  );
  assert.equal(fx.server.stats.get('GetObject').requests, 2, 'a corrupt answer is fetched again once');
  assert.equal(await fsp.readFile(dest, 'utf8'), 'keep me');
  assert.deepEqual(await listDir(down), ['c.bin'], 'no temp file left');
});

test('CRC-64 mismatch on upload: CrcMismatch and the corrupt object is deleted', async () => {
  const file = path.join(await freshDir(), 'u.bin');
  await makeFile(file, 20 * KB);
  const liar = wrapClient(fx.client, { putObject: async (o) => ({ ...(await fx.client.putObject(o)), crc64: '1' }) });
  await assert.rejects(uploadSmallFile(liar, { bucket: BUCKET, key: 'small/crc-up.bin', file, maxSize: MAX }), (e: unknown) => {
    assert.ok(isCode('CrcMismatch')(e));
    assert.match((e as Error).message, /deleted/);
    return true;
  });
  assert.equal(fx.server.objectPath(BUCKET, 'small/crc-up.bin'), undefined);
});

test('a PutObject answer without CRC-64: size and ETag are checked by HEAD; a wrong size deletes the object', async () => {
  const file = path.join(await freshDir(), 'n.bin');
  const sha = await makeFile(file, 20 * KB);
  const noCrc = (extra: Partial<Parameters<typeof wrapClient>[1]> = {}) =>
    wrapClient(fx.client, { putObject: async (o) => ({ ...(await fx.client.putObject(o)), crc64: undefined }), ...extra });
  fx.server.stats.reset();
  const ok = await uploadSmallFile(noCrc(), { bucket: BUCKET, key: 'small/nocrc.bin', file, maxSize: MAX });
  assert.equal(ok.verifiedBy, 'size+etag');
  assert.equal(fx.server.stats.get('HeadObject').requests, 1);
  assert.equal(await sha256File(fx.server.objectPath(BUCKET, 'small/nocrc.bin')!), sha);
  const shortHead = noCrc({ headObject: async (o) => ({ ...(await fx.client.headObject(o)), size: 1 }) });
  await assert.rejects(uploadSmallFile(shortHead, { bucket: BUCKET, key: 'small/nocrc-short.bin', file, maxSize: MAX }), isCode('SizeMismatch'));
  assert.equal(fx.server.objectPath(BUCKET, 'small/nocrc-short.bin'), undefined);
});

test('a dropped connection is retried: upload and download both finish byte-identical', async () => {
  const up = await freshDir();
  const file = path.join(up, 'r.bin');
  const sha = await makeFile(file, 60 * KB);
  const key = 'small/retry.bin';
  fx.server.stats.reset();
  const dropPut = fx.server.faults.add({ op: 'PutObject', key }, { type: 'reset', afterBytes: 10 * KB });
  await uploadSmallFile(fx.client, { bucket: BUCKET, key, file, maxSize: MAX, retry: noDelay });
  assert.equal(fx.server.faults.hits(dropPut), 1);
  assert.equal(fx.server.stats.get('PutObject').requests, 2);
  assert.equal(await sha256File(fx.server.objectPath(BUCKET, key)!), sha);

  const down = await freshDir();
  const dest = path.join(down, 'r.bin');
  const dropGet = fx.server.faults.add({ op: 'GetObject', key }, { type: 'reset', afterBytes: 10 * KB });
  fx.server.stats.reset();
  await downloadSmallFile(fx.client, { bucket: BUCKET, key, file: dest, maxSize: MAX, retry: noDelay });
  assert.equal(fx.server.faults.hits(dropGet), 1);
  assert.equal(fx.server.stats.get('GetObject').requests, 2);
  assert.equal(fx.server.stats.get('HeadObject').requests, 0);
  assert.equal(await sha256File(dest), sha);
  assert.deepEqual(await listDir(down), ['r.bin'], "the failed attempt's temp file is gone");
});

test('cancel during a download: Aborted, no temp file, destination untouched', async () => {
  const src = path.join(await freshDir(), 'slow.bin');
  await makeFile(src, 60 * KB);
  const key = 'small/slow.bin';
  await uploadSmallFile(fx.client, { bucket: BUCKET, key, file: src, maxSize: MAX });
  const down = await freshDir();
  const dest = path.join(down, 'slow.bin');
  await fsp.writeFile(dest, 'keep me');
  const stall = fx.server.faults.add({ op: 'GetObject', key }, { type: 'stall', ms: 5000, afterBytes: 10 * KB });
  try {
    const ac = new AbortController();
    const run = downloadSmallFile(fx.client, { bucket: BUCKET, key, file: dest, maxSize: MAX, signal: ac.signal });
    for (let i = 0; i < 500 && fx.server.stats.get('GetObject').requests === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100));
    ac.abort();
    await assert.rejects(run, isCode('Aborted'));
  } finally {
    fx.server.faults.remove(stall);
  }
  assert.equal(await fsp.readFile(dest, 'utf8'), 'keep me');
  assert.deepEqual(await listDir(down), ['slow.bin']);
});

test('a folder as destination is InvalidArgument before any request; two runs into one file: the second is refused', async () => {
  const down = await freshDir();
  fx.server.stats.reset();
  await assert.rejects(downloadSmallFile(fx.client, { bucket: BUCKET, key: 'small/one.bin', file: down, maxSize: MAX }), isCode('InvalidArgument'));
  assert.equal(fx.server.stats.total().requests, 0);
  await assert.rejects(uploadSmallFile(fx.client, { bucket: BUCKET, key: 'k', file: down, maxSize: MAX }), isCode('InvalidArgument'));
  await assert.rejects(uploadSmallFile(fx.client, { bucket: BUCKET, key: 'k', file: path.join(down, 'x'), maxSize: -1 }), isCode('InvalidArgument'));

  const dest = path.join(down, 'twice.bin');
  const first = downloadSmallFile(fx.client, { bucket: BUCKET, key: 'small/max.bin', file: dest, maxSize: MAX });
  await assert.rejects(downloadSmallFile(fx.client, { bucket: BUCKET, key: 'small/max.bin', file: dest, maxSize: MAX }), isCode('AlreadyRunning'));
  await first;
  assert.deepEqual(await listDir(down), ['twice.bin']);
});

test('the file modified during its PUT: FileChanged saying it must be uploaded again', async () => {
  const file = path.join(await freshDir(), 'm.bin');
  await makeFile(file, 50 * KB);
  const key = 'small/changes.bin';
  const stall = fx.server.faults.add({ op: 'PutObject', key }, { type: 'stall', ms: 400 });
  try {
    fx.server.stats.reset();
    const run = uploadSmallFile(fx.client, { bucket: BUCKET, key, file, maxSize: MAX });
    for (let i = 0; i < 500 && fx.server.stats.get('PutObject').requests === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const later = new Date(Date.now() + 60_000);
    await fsp.utimes(file, later, later);
    await assert.rejects(run, (e: unknown) => isCode('FileChanged')(e) && /upload it again/.test((e as Error).message));
  } finally {
    fx.server.faults.remove(stall);
  }
});

test('remoteMatchesLocal: true for the same bytes; false for other bytes of the same size, another size, or no object', async () => {
  const dir = await freshDir();
  const file = path.join(dir, 'm.bin');
  await makeFile(file, 30 * KB);
  const key = 'small/match.bin';
  await uploadSmallFile(fx.client, { bucket: BUCKET, key, file, maxSize: MAX });
  assert.equal(await remoteMatchesLocal(fx.client, { bucket: BUCKET, key, file }), true);
  const other = path.join(dir, 'other.bin');
  await makeFile(other, 30 * KB);
  assert.equal(await remoteMatchesLocal(fx.client, { bucket: BUCKET, key, file: other }), false, 'same size, other CRC-64');
  const shorter = path.join(dir, 'short.bin');
  await makeFile(shorter, 30 * KB - 1);
  fx.server.stats.reset();
  assert.equal(await remoteMatchesLocal(fx.client, { bucket: BUCKET, key, file: shorter }), false, 'another size');
  assert.equal(await remoteMatchesLocal(fx.client, { bucket: BUCKET, key: 'small/never-uploaded.bin', file }), false, 'no object');
  assert.equal(fx.server.stats.total().requests, 2, 'one HEAD each, not retried');
  const noCrc = wrapClient(fx.client, { headObject: async (o) => ({ ...(await fx.client.headObject(o)), crc64: undefined }) });
  assert.equal(await remoteMatchesLocal(noCrc, { bucket: BUCKET, key, file }), false, 'nothing to compare is not a match');
  await assert.rejects(remoteMatchesLocal(fx.client, { bucket: BUCKET, key, file: path.join(dir, 'gone.bin') }), isCode('FileNotFound'));
});

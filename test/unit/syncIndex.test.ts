import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { SyncIndex, plainEtag } from '../../src/transfer/sync/syncIndex.js';

test('plainEtag: quotes and a weak marker go, hex is upper case', () => {
  assert.equal(plainEtag('"5b3c1a2b"'), '5B3C1A2B');
  assert.equal(plainEtag('W/"5b3c-2"'), '5B3C-2');
  assert.equal(plainEtag('5b3c'), '5B3C');
  assert.equal(plainEtag('""'), '');
  assert.equal(plainEtag('"a"b"'), 'A"B');
});

test('SyncIndex: the same facts again write nothing; a change, a CRC-64 learned or a delete is saved and read back', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'oss-sync-index-'));
  try {
    const pair = { endpoint: 'http://x', bucket: 'b', prefix: 'p/', localDir: dir };
    const idx = await SyncIndex.open(dir, pair);
    idx.set('a.txt', { localSize: 1, localMtimeMs: 10, etag: '"ab"', remoteSize: 1 });
    idx.set('b.txt', { localSize: 2, localMtimeMs: 20, etag: '"cd"', remoteSize: 2, crc64: '123' });
    await idx.save();
    const [file] = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    const written = (await stat(path.join(dir, file!))).mtimeMs;

    const again = await SyncIndex.open(dir, pair);
    assert.deepEqual(again.get('a.txt'), { localSize: 1, localMtimeMs: 10, etag: 'AB', remoteSize: 1 });
    assert.deepEqual(again.get('b.txt'), { localSize: 2, localMtimeMs: 20, etag: 'CD', remoteSize: 2, crc64: '123' });
    again.set('a.txt', { localSize: 1, localMtimeMs: 10, etag: '"AB"', remoteSize: 1 });
    again.set('b.txt', { localSize: 2, localMtimeMs: 20, etag: '"cd"', remoteSize: 2 });
    await new Promise((r) => setTimeout(r, 20));
    await again.save();
    assert.equal((await stat(path.join(dir, file!))).mtimeMs, written, 'nothing new: the file is left as it is');

    again.set('a.txt', { localSize: 1, localMtimeMs: 10, etag: '"ab"', remoteSize: 1, crc64: '77' });
    again.delete('b.txt');
    await again.save();
    const third = await SyncIndex.open(dir, pair);
    assert.equal(third.get('a.txt')?.crc64, '77');
    assert.equal(third.get('b.txt'), undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('SyncIndex.isCurrent: true while the file is the one it read or wrote, false once another saved', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'oss-sync-index-'));
  try {
    const pair = { endpoint: 'http://x', bucket: 'b', prefix: 'p/', localDir: dir };
    const a = await SyncIndex.open(dir, pair);
    assert.equal(await a.isCurrent(), true, 'no file, still none');
    a.set('a.txt', { localSize: 1, localMtimeMs: 10, etag: '"ab"', remoteSize: 1 });
    await a.save();
    assert.equal(await a.isCurrent(), true, 'its own save');
    const b = await SyncIndex.open(dir, pair);
    assert.equal(await b.isCurrent(), true);
    b.set('b.txt', { localSize: 2, localMtimeMs: 20, etag: '"cd"', remoteSize: 2 });
    await b.save();
    assert.equal(await a.isCurrent(), false, 'another index saved since');
    assert.equal(await b.isCurrent(), true);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

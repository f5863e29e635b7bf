import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { demoBuckets, demoContent, demoObjects, largeObjectKey, formatSize, type DemoObject } from '../../scripts/demoData.js';

async function digest(obj: DemoObject): Promise<{ size: number; sha: string; head: Buffer }> {
  const h = createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  for await (const chunk of demoContent(obj)) {
    h.update(chunk as Buffer);
    if (head.length < 64) head = Buffer.concat([head, (chunk as Buffer).subarray(0, 64 - head.length)]);
    size += (chunk as Buffer).length;
  }
  return { size, sha: h.digest('hex'), head };
}

test('demo data: two buckets, folders, several sizes and one large object of the requested size', () => {
  const objs = demoObjects(5 * 1024 * 1024);
  assert.deepEqual([...new Set(objs.map((o) => o.bucket))].sort(), [...demoBuckets].sort());
  assert.ok(objs.some((o) => o.key.includes('/')), 'has folders');
  assert.ok(objs.some((o) => o.size < 2048) && objs.some((o) => o.size > 1024 * 1024), 'small and large files');
  assert.equal(objs.find((o) => o.key === largeObjectKey)?.size, 5 * 1024 * 1024);
  assert.equal(new Set(objs.map((o) => `${o.bucket}/${o.key}`)).size, objs.length, 'no duplicate keys');
});

test('demo content has the exact size, is deterministic, and differs per key', async () => {
  const a: DemoObject = { bucket: 'b', key: 'x.bin', size: 3 * 1024 * 1024 + 7, kind: 'binary' };
  const b: DemoObject = { ...a, key: 'y.bin' };
  const [a1, a2, b1] = await Promise.all([digest(a), digest(a), digest(b)]);
  assert.equal(a1.size, a.size);
  assert.equal(a1.sha, a2.sha);
  assert.notEqual(a1.sha, b1.sha);
  const text = await digest({ bucket: 'b', key: 'notes.txt', size: 1000, kind: 'text' });
  assert.equal(text.size, 1000);
  assert.match(text.head.toString('utf8'), /^notes\.txt line 1: /);
  assert.equal((await digest({ bucket: 'b', key: 'empty', size: 0, kind: 'binary' })).size, 0);
});

test('formatSize', () => {
  assert.equal(formatSize(700), '700 B');
  assert.equal(formatSize(6 * 1024), '6 KiB');
  assert.equal(formatSize(1200), '1.2 KiB');
  assert.equal(formatSize(256 * 1024 * 1024), '256 MiB');
});

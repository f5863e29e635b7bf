// What a transfer may clean up after a checkpoint it will not resume: only its own object's
// upload (confirmed by the server unless the checkpoint is its very record) and its own
// destination's temp file — never what a broken or foreign checkpoint merely names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { cleanupFor } from '../../src/transfer/engine/checkpointCleanup.js';
import type { DownloadCheckpoint, UploadCheckpoint } from '../../src/transfer/checkpoint/checkpointCodec.js';

const E = 'http://e';
const file = path.resolve('/data/a.bin');
const up = { direction: 'upload' as const, endpoint: E, bucket: 'b', key: 'k', file };
const down = { ...up, direction: 'download' as const };
const now = '2026-01-01T00:00:00.000Z';
const upCpt = (over: Partial<UploadCheckpoint> = {}): UploadCheckpoint => ({
  ...up, partSize: 102400, createdAt: now, updatedAt: now, source: { size: 1, mtimeMs: 1 }, uploadId: 'U1', parts: [], ...over,
});
const downCpt = (over: Partial<DownloadCheckpoint> = {}): DownloadCheckpoint => ({
  ...down, partSize: 102400, createdAt: now, updatedAt: now, object: { etag: '"e"', size: 1 }, tempFile: file + '.osstmp-0a0b0c0d', parts: [], ...over,
});

test("the transfer's own record: its upload is aborted on its word, through a client on its endpoint", () => {
  assert.deepEqual(cleanupFor(up, upCpt(), E), { abort: { bucket: 'b', key: 'k', uploadId: 'U1', confirm: false } });
  assert.deepEqual(cleanupFor(up, upCpt(), 'http://other-endpoint'), { abort: { bucket: 'b', key: 'k', uploadId: 'U1', confirm: true } });
  assert.deepEqual(cleanupFor(up, upCpt(), undefined), {}, 'no client: nothing on the server');
  assert.deepEqual(cleanupFor(down, downCpt(), E), { tempFile: file + '.osstmp-0a0b0c0d' });
});

test("another transfer's intact checkpoint: an upload of this object only once confirmed, nothing of another object", () => {
  assert.deepEqual(cleanupFor(up, upCpt({ file: '/data/other.bin' }), E), { abort: { bucket: 'b', key: 'k', uploadId: 'U1', confirm: true } });
  assert.deepEqual(cleanupFor(up, upCpt({ bucket: 'other' }), E), {});
  assert.deepEqual(cleanupFor(up, upCpt({ key: 'other' }), E), {});
  assert.deepEqual(cleanupFor(up, upCpt({ endpoint: 'http://f' }), E), {});
  // An upload's checkpoint found by the download of the same object: its upload is that object's.
  assert.deepEqual(cleanupFor(down, upCpt(), E), { abort: { bucket: 'b', key: 'k', uploadId: 'U1', confirm: true } });
  // A download's checkpoint found by an upload: its temp file is no upload's to delete.
  assert.deepEqual(cleanupFor(up, downCpt(), E), {});
  assert.deepEqual(cleanupFor(down, downCpt({ file: '/data/other.bin', tempFile: '/data/other.bin.osstmp-0a0b0c0d' }), E), {});
});

test('a broken checkpoint (salvage): any upload id is confirmed first and only as this object, any temp file must be this destination\'s', () => {
  assert.deepEqual(cleanupFor(up, { uploadId: 'U9' }, E), { abort: { bucket: 'b', key: 'k', uploadId: 'U9', confirm: true } });
  assert.deepEqual(cleanupFor(up, { uploadId: 'U9', bucket: 'b', key: 'k', direction: 'upload' }, E), {
    abort: { bucket: 'b', key: 'k', uploadId: 'U9', confirm: true },
  });
  assert.deepEqual(cleanupFor(up, { uploadId: 'U9', bucket: 'another-bucket', key: 'k' }, E), {});
  assert.deepEqual(cleanupFor(up, { uploadId: 'U9', direction: 'download' }, E), {});
  assert.deepEqual(cleanupFor(down, { tempFile: '/elsewhere/a.bin.osstmp-0a0b0c0d' }, E), {});
  assert.deepEqual(cleanupFor(down, { tempFile: '/etc/passwd' }, E), {});
  assert.deepEqual(cleanupFor(down, { tempFile: file + '.osstmp-0a0b0c0d' }, E), { tempFile: file + '.osstmp-0a0b0c0d' });
});

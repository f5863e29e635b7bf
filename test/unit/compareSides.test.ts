// How sync decides for a name on both sides: the last sync's index first (no request), then sizes
// and times, and CRC-64s in checksum mode; a conflict only when both sides changed since the index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareSides, type Probes } from '../../src/transfer/sync/compareSides.js';
import type { IndexRecord } from '../../src/transfer/sync/syncIndex.js';

const T = Date.parse('2026-12-01T10:00:00Z');
const local = { size: 10, mtimeMs: T };
const remote = { size: 10, etag: '"ABC"', lastModified: new Date(T + 5000).toISOString() };
const record: IndexRecord = { localSize: 10, localMtimeMs: T, etag: 'ABC', remoteSize: 10, crc64: '123' };

function probes(p: Partial<{ remoteCrc: string; remoteMtimeMs: number; localCrc: string }> = {}): Probes & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    remoteCrc: async () => (asked.push('remoteCrc'), p.remoteCrc),
    remoteMtimeMs: async () => (asked.push('remoteMtimeMs'), p.remoteMtimeMs),
    localCrc: async () => (asked.push('localCrc'), p.localCrc ?? 'x'),
  };
}

test('the index: unchanged on both sides costs nothing, even in checksum mode', async () => {
  for (const mode of ['size-mtime', 'checksum'] as const) {
    const pr = probes();
    assert.deepEqual(await compareSides('upload', mode, local, remote, record, pr), { kind: 'unchanged', why: { code: 'unchangedSinceLastSync' }, reason: 'unchanged since the last sync', crc64: '123' });
    assert.deepEqual(pr.asked, []);
  }
});

test('the index: one side changed is a change in the sync direction; both changed is a conflict', async () => {
  const edited = { size: 11, mtimeMs: T + 1 };
  const replaced = { ...remote, etag: '"DEF"', size: 12 };
  assert.equal((await compareSides('upload', 'size-mtime', edited, remote, record, probes())).kind, 'changed');
  assert.match((await compareSides('upload', 'size-mtime', local, replaced, record, probes())).reason, /the local file replaces it/);
  assert.match((await compareSides('download', 'size-mtime', edited, remote, record, probes())).reason, /the object replaces it/);
  assert.equal((await compareSides('download', 'size-mtime', edited, replaced, record, probes())).kind, 'conflict');
  assert.equal((await compareSides('upload', 'size-mtime', edited, replaced, record, probes())).kind, 'conflict');
});

test('checksum mode: both changed but the same content is not a conflict', async () => {
  const touched = { size: 10, mtimeMs: T + 99 };
  const rewritten = { ...remote, etag: '"NEW"' };
  const pr = probes({ remoteCrc: '777', localCrc: '777' });
  assert.equal((await compareSides('upload', 'checksum', touched, rewritten, record, pr)).kind, 'unchanged');
  assert.deepEqual(pr.asked.sort(), ['localCrc', 'remoteCrc']);
});

test('no index, upload: sizes, then the object being newer than the file', async () => {
  assert.match((await compareSides('upload', 'size-mtime', { size: 9, mtimeMs: T }, remote, undefined, probes())).reason, /sizes differ/);
  assert.equal((await compareSides('upload', 'size-mtime', local, remote, undefined, probes())).kind, 'unchanged');
  assert.equal((await compareSides('upload', 'size-mtime', { size: 10, mtimeMs: T + 60_000 }, remote, undefined, probes())).kind, 'changed');
});

test('no index, download: an object newer than the file asks for its recorded time (one HEAD) before calling it changed', async () => {
  const older = { size: 10, mtimeMs: T - 60_000 };
  const same = probes({ remoteMtimeMs: T - 60_000 });
  assert.equal((await compareSides('download', 'size-mtime', older, remote, undefined, same)).kind, 'unchanged');
  assert.deepEqual(same.asked, ['remoteMtimeMs']);
  assert.equal((await compareSides('download', 'size-mtime', older, remote, undefined, probes({ remoteMtimeMs: T }))).kind, 'changed');
  const fresh = probes();
  assert.equal((await compareSides('download', 'size-mtime', { size: 10, mtimeMs: T + 5000 }, remote, undefined, fresh)).kind, 'unchanged');
  assert.deepEqual(fresh.asked, [], 'a file as new as the object needs no request');
});

test('no index, checksum: CRC-64s decide; an object without one is changed', async () => {
  assert.equal((await compareSides('upload', 'checksum', local, remote, undefined, probes({ remoteCrc: '5', localCrc: '5' }))).kind, 'unchanged');
  assert.equal((await compareSides('upload', 'checksum', local, remote, undefined, probes({ remoteCrc: '5', localCrc: '6' }))).kind, 'changed');
  assert.match((await compareSides('upload', 'checksum', local, remote, undefined, probes({}))).reason, /no CRC-64/);
});

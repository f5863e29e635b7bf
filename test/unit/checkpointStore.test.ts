import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { mkdtemp, open, readFile, readdir, rm, utimes, writeFile, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { decodeCheckpoint, encodeCheckpoint, type UploadCheckpoint, type DownloadCheckpoint } from '../../src/transfer/checkpoint/checkpointCodec.js';
import { CheckpointWriter, checkpointPathFor, readCheckpoint, resolveCheckpointPath, writeAtomically } from '../../src/transfer/checkpoint/checkpointStore.js';

const upload = (): UploadCheckpoint => ({
  direction: 'upload',
  endpoint: 'http://127.0.0.1:9000',
  bucket: 'b',
  key: 'dir/ü file.bin',
  file: '/tmp/x.bin',
  partSize: 102400,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  source: { size: 300000, mtimeMs: 1234.5 },
  uploadId: 'UPLOAD1',
  parts: [{ partNumber: 1, etag: '"AB"', crc64: '11051210869376104954' }],
});

test('codec round-trips and holds no secret-looking field', () => {
  const cpt = upload();
  const text = encodeCheckpoint(cpt);
  const back = decodeCheckpoint(text);
  assert.ok(back.ok);
  assert.deepEqual(back.checkpoint, cpt);
  assert.doesNotMatch(text, /secret|token|signature|Authorization/i);
});

test('a tampered, truncated or foreign checkpoint is rejected, with its upload id salvaged', () => {
  const text = encodeCheckpoint(upload());
  const edited = text.replace('"partSize": 102400', '"partSize": 204800');
  assert.notEqual(edited, text);
  const r = decodeCheckpoint(edited);
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.match(r.reason, /checksum/);
    assert.equal(r.salvage.uploadId, 'UPLOAD1');
  }
  const cut = decodeCheckpoint(text.slice(0, text.length / 2));
  assert.equal(cut.ok, false);
  assert.equal(decodeCheckpoint('{"format":"other"}').ok, false);
  const wrongVersion = JSON.parse(text);
  wrongVersion.version = 99;
  assert.equal(decodeCheckpoint(JSON.stringify(wrongVersion)).ok, false);
});

test('a tapered checkpoint is version 2 and an even one stays version 1, which older releases read', () => {
  const even = JSON.parse(encodeCheckpoint(upload()));
  assert.equal(even.version, 1);
  assert.equal('partShape' in even.checkpoint, false);
  const cpt: UploadCheckpoint = { ...upload(), partSize: 16 * 1024 * 1024, partShape: 'tapered' };
  const text = encodeCheckpoint(cpt);
  assert.equal(JSON.parse(text).version, 2);
  const back = decodeCheckpoint(text);
  assert.ok(back.ok);
  assert.deepEqual(back.checkpoint, cpt);
  // The version and the shape must agree: a tapered body filed as version 1 (or the reverse) would
  // number its parts wrongly in one release or the other.
  const reseal = (outer: { version: number; checkpoint: object }, version: number, body: object) => {
    const inner = JSON.stringify(body);
    return JSON.stringify({ ...outer, version, checkpoint: body, sha256: createHash('sha256').update(inner, 'utf8').digest('hex') });
  };
  const outer = JSON.parse(text);
  const asV1 = decodeCheckpoint(reseal(outer, 1, cpt));
  assert.equal(asV1.ok, false);
  if (!asV1.ok) assert.match(asV1.reason, /shape/);
  assert.equal(decodeCheckpoint(reseal(outer, 2, upload())).ok, false);
  assert.equal(decodeCheckpoint(reseal(outer, 2, { ...cpt, partShape: 'spiral' })).ok, false);
  assert.ok(decodeCheckpoint(reseal(outer, 2, cpt)).ok);
});

test('a checksum-valid body with bad fields is still rejected', () => {
  const bad = { ...upload(), parts: [{ partNumber: 0, etag: 'x', crc64: '1' }] };
  assert.equal(decodeCheckpoint(encodeCheckpoint(bad)).ok, false);
  const dup = { ...upload(), parts: [{ partNumber: 1, etag: 'x', crc64: '1' }, { partNumber: 1, etag: 'x', crc64: '1' }] };
  assert.equal(decodeCheckpoint(encodeCheckpoint(dup)).ok, false);
  const dl: DownloadCheckpoint = {
    direction: 'download', endpoint: 'e', bucket: 'b', key: 'k', file: '/f', partSize: 5, createdAt: '', updatedAt: '',
    object: { etag: '"E"', size: 10, crc64: 'nope' }, tempFile: '/f.osstmp-1', parts: [],
  };
  assert.equal(decodeCheckpoint(encodeCheckpoint(dl)).ok, false);
  dl.object.crc64 = '42';
  assert.equal(decodeCheckpoint(encodeCheckpoint(dl)).ok, true);
});

test('checkpoint names are stable per transfer and differ by direction, endpoint, bucket, key and file', () => {
  const base = { direction: 'upload' as const, endpoint: 'http://e', bucket: 'b', key: 'k', file: '/data/a.bin', checkpointDir: '/cpt' };
  const p = checkpointPathFor(base);
  assert.equal(checkpointPathFor({ ...base }), p);
  assert.equal(path.dirname(p), path.resolve('/cpt'));
  assert.match(path.basename(p), /^upload-a\.bin-[0-9a-f]{32}\.cpt$/);
  const variants = [
    { direction: 'download' as const }, { endpoint: 'http://f' }, { bucket: 'c' }, { key: 'k2' }, { file: '/data/b.bin' },
  ];
  for (const v of variants) assert.notEqual(checkpointPathFor({ ...base, ...v }), p);
  const id = { direction: 'upload' as const, endpoint: 'e', bucket: 'b', key: 'k', file: '/data/a.bin' };
  assert.equal(resolveCheckpointPath({}, id), path.resolve('/data/a.bin.cpt'));
  assert.equal(resolveCheckpointPath({ cptFile: '/x/y.cpt', checkpointDir: '/cpt' }, id), path.resolve('/x/y.cpt'));
  assert.equal(resolveCheckpointPath({ checkpointDir: '/cpt' }, id), checkpointPathFor({ ...id, checkpointDir: '/cpt' }));
  assert.equal(resolveCheckpointPath({ disableCheckpoint: true, cptFile: '/x' }, id), undefined);
});

test('the writer coalesces concurrent saves, writes atomically and leaves no temp files', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cpt-'));
  try {
    const file = path.join(dir, 'sub', 't.cpt');
    const w = new CheckpointWriter(file);
    const states = Array.from({ length: 20 }, (_, i) => ({ ...upload(), parts: Array.from({ length: i + 1 }, (_, j) => ({ partNumber: j + 1, etag: 'e', crc64: String(j) })) }));
    await Promise.all(states.map((s) => w.save(s)));
    await w.close();
    const r = await readCheckpoint(file);
    assert.equal('ok' in r && r.ok, true);
    if ('ok' in r && r.ok) assert.equal(r.checkpoint.parts.length, 20, 'the newest state wins');
    assert.deepEqual(await readdir(path.dirname(file)), ['t.cpt']);
    await w.save(upload()); // after close: ignored
    const again = decodeCheckpoint(await readFile(file, 'utf8'));
    assert.ok(again.ok && again.checkpoint.parts.length === 20);
    assert.deepEqual(await readCheckpoint(path.join(dir, 'missing.cpt')), { kind: 'missing' });
    await writeFile(path.join(dir, 'junk.cpt'), 'garbage');
    const junk = await readCheckpoint(path.join(dir, 'junk.cpt'));
    assert.equal('ok' in junk && junk.ok, false);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a write reaches the disk before it counts: temp file flushed, then renamed, then the folder flushed once', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cpt-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'durable.cpt');
  const events: string[] = [];
  const probe = await open(file + '.probe', 'w');
  const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
  await probe.close();
  await rm(file + '.probe');
  const realSync = proto.sync;
  const realRename = fsp.rename;
  proto.sync = async function (this: FileHandle): Promise<void> {
    events.push((await this.stat()).isDirectory() ? 'sync folder' : 'sync file');
    return realSync.call(this);
  };
  fsp.rename = async (from, to) => {
    events.push(`rename ${path.basename(String(from)).replace(/-[0-9a-f]{8}$/, '')} -> ${path.basename(String(to))}`);
    return realRename(from, to);
  };
  try {
    const w = new CheckpointWriter(file);
    await w.save(upload());
    await w.save({ ...upload(), parts: [] });
    await w.close();
  } finally {
    proto.sync = realSync;
    fsp.rename = realRename;
  }
  const tmp = `durable.cpt.tmp-${process.pid}`;
  assert.deepEqual(events, [
    'sync file', `rename ${tmp} -> durable.cpt`, 'sync folder',
    // Later writes replace an existing name: the file is flushed, the folder need not be.
    'sync file', `rename ${tmp} -> durable.cpt`,
  ]);
  const r = await readCheckpoint(file);
  assert.ok('ok' in r && r.ok && r.checkpoint.parts.length === 0);
});

test('a temp file swept away before its rename is written again instead of failing the save', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cpt-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'swept.cpt');
  const realRename = fsp.rename;
  let stolen = 0;
  fsp.rename = async (from, to) => {
    // Another process's sweep removing our temp file between its flush and its rename.
    if (stolen++ === 0) await rm(String(from));
    return realRename(from, to);
  };
  try {
    await writeAtomically(file, encodeCheckpoint(upload()));
  } finally {
    fsp.rename = realRename;
  }
  assert.equal(stolen, 2, 'renamed on the second attempt');
  const r = await readCheckpoint(file);
  assert.ok('ok' in r && r.ok);
  assert.deepEqual(await readdir(dir), ['swept.cpt']);
});

test('reading a checkpoint sweeps its stale temp files and nothing else', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'cpt-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'a.bin.cpt');
  await writeAtomically(file, encodeCheckpoint(upload()));
  const old = new Date(Date.now() - 10 * 60_000);
  // A temp file of a write that was killed (old-style name without a pid), one of this very
  // process that is not being written, a fresh one, and files that are not checkpoint temps.
  const names = {
    killed: 'a.bin.cpt.tmp-0badc0de',
    ownIdle: `a.bin.cpt.tmp-${process.pid}-12345678`,
    fresh: 'a.bin.cpt.tmp-fedcba98',
    notOurs: 'a.bin.tmp-0badc0de',
    journal: 'transfer-x.journal.json.tmp-0badc0de',
  };
  for (const [k, n] of Object.entries(names)) {
    await writeFile(path.join(dir, n), '{');
    if (k !== 'fresh') await utimes(path.join(dir, n), old, old);
  }
  const r = await readCheckpoint(file);
  assert.ok('ok' in r && r.ok);
  assert.deepEqual((await readdir(dir)).sort(), ['a.bin.cpt', names.fresh, names.journal, names.notOurs].sort());
});

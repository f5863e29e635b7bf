import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { decodeCheckpoint, encodeCheckpoint, type UploadCheckpoint, type DownloadCheckpoint } from '../../src/transfer/checkpointCodec.js';
import { CheckpointWriter, checkpointPathFor, readCheckpoint, resolveCheckpointPath } from '../../src/transfer/checkpointStore.js';

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

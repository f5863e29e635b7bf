// Names derived from a user's file name (temp file, checkpoint, lock) fit in 255 bytes whatever
// that name is, stay unique per name, and are the same every time (so a resume finds them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { MAX_NAME_BYTES, fitName, utf8Head } from '../../src/transfer/checkpoint/fittedName.js';
import { isOurTempFile, newTempFile } from '../../src/transfer/engine/downloadTempFile.js';
import { defaultCheckpointPath, isNamedFor, checkpointPathFor } from '../../src/transfer/checkpoint/checkpointStore.js';
import { SIDECAR_RESERVE, checkpointLockPath } from '../../src/transfer/checkpoint/checkpointFiles.js';

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
const LONG_UTF8 = '文'.repeat(85); // 255 bytes
const LONG_ASCII = 'n'.repeat(246) + '.bin'; // 250 bytes

test('a name that fits with the suffix is kept as it is', () => {
  assert.equal(fitName('report.pdf', 16), 'report.pdf');
  assert.equal(fitName('x'.repeat(239), 16), 'x'.repeat(239));
});

test('a name too long for the suffix is shortened to fit, keeps its beginning and the ending asked for, and is unique', () => {
  for (const name of [LONG_UTF8, LONG_ASCII, 'x'.repeat(240), '😀'.repeat(63) + 'abc']) {
    for (const reserve of [4, 16, SIDECAR_RESERVE]) {
      const fit = fitName(name, reserve);
      assert.ok(bytes(fit) + reserve <= MAX_NAME_BYTES, `${bytes(fit)} + ${reserve}`);
      if (bytes(name) + reserve <= MAX_NAME_BYTES) {
        assert.equal(fit, name);
        continue;
      }
      assert.ok(name.startsWith(fit.slice(0, fit.indexOf('~'))), 'the beginning of the name is kept');
      assert.match(fit, /~[0-9a-f]{16}$/);
      assert.equal(fitName(name, reserve), fit, 'deterministic');
      assert.ok(!fit.includes('\ufffd'), 'never cut inside a character');
    }
    const kept = fitName(name + '.cpt', 28, '.cpt');
    assert.ok(kept.endsWith('.cpt') && bytes(kept) + 28 <= MAX_NAME_BYTES);
  }
  // Names that differ only past the cut still get different results.
  assert.notEqual(fitName('x'.repeat(250) + 'a', 16), fitName('x'.repeat(250) + 'b', 16));
  assert.equal(utf8Head('a文b', 3), 'a', 'a 3-byte character does not fit in the 2 bytes left');
  assert.equal(utf8Head('😀x', 3), '', 'a surrogate pair is never split');
});

test("a download's temp file fits beside a 255-byte destination, and only this destination's temp files count as ours", () => {
  for (const name of [LONG_UTF8, LONG_ASCII, 'short.bin']) {
    const dest = path.resolve('/data', name);
    const temp = newTempFile(dest);
    assert.equal(path.dirname(temp), path.dirname(dest));
    assert.ok(bytes(path.basename(temp)) <= MAX_NAME_BYTES, `${bytes(path.basename(temp))} bytes`);
    assert.ok(isOurTempFile(temp, dest));
    assert.notEqual(newTempFile(dest), temp, 'fresh each time');
    assert.ok(!isOurTempFile(path.join('/elsewhere', path.basename(temp)), dest), 'another folder');
    assert.ok(!isOurTempFile(temp, path.resolve('/data', name + 'x')), 'another destination');
    assert.ok(!isOurTempFile(temp + 'x', dest), 'not of our form');
    assert.ok(!isOurTempFile(path.basename(temp), dest), 'relative');
  }
  assert.ok(isOurTempFile('/data/short.bin.osstmp-0a0b0c0d', '/data/short.bin'), 'names written by earlier versions still match');
  assert.ok(!isOurTempFile('/data/short.bin.osstmp-../../etc', '/data/short.bin'));
});

test("the default checkpoint beside a long-named file, its lock and its temp files' stem all fit; short names are unchanged", () => {
  assert.equal(defaultCheckpointPath('/data/a.bin'), path.resolve('/data/a.bin.cpt'));
  for (const name of [LONG_UTF8, LONG_ASCII, 'y'.repeat(224)]) {
    const cpt = defaultCheckpointPath(path.join('/data', name));
    assert.ok(cpt.endsWith('.cpt'));
    assert.ok(bytes(path.basename(cpt)) + SIDECAR_RESERVE <= MAX_NAME_BYTES);
    assert.equal(checkpointLockPath(cpt), cpt + '.lock', 'a fitted checkpoint name takes its suffixes unchanged');
    assert.notEqual(defaultCheckpointPath(path.join('/data', name + 'z')), cpt);
  }
});

test('a checkpoint is named for a transfer only under the name its identity leads to', () => {
  const id = { direction: 'upload' as const, endpoint: 'http://e', bucket: 'b', key: 'k', file: path.resolve('/data', LONG_UTF8) };
  assert.ok(isNamedFor(checkpointPathFor({ ...id, checkpointDir: '/cpts' }), id));
  assert.ok(isNamedFor(defaultCheckpointPath(id.file), id));
  assert.ok(!isNamedFor(checkpointPathFor({ ...id, key: 'other', checkpointDir: '/cpts' }), id));
  assert.ok(!isNamedFor('/cpts/upload-x-00000000000000000000000000000000.cpt', id));
  assert.ok(!isNamedFor(path.resolve('/data/other.cpt'), id));
});

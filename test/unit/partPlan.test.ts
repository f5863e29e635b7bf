import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_DOWNLOAD_PARALLEL,
  DEFAULT_UPLOAD_PARALLEL,
  MAX_PARTS,
  MIN_PART_SIZE,
  TAPER_SLOTS,
  automaticPartShape,
  automaticPartSize,
  chooseParallel,
  choosePartSize,
  defaultPartSize,
  partSizeProblem,
  planParts,
} from '../../src/transfer/engine/partPlan.js';
import { TransferError } from '../../src/transfer/transferError.js';

const MiB = 1024 * 1024;

test('default part size is 8 MiB for ordinary files and grows to stay within 10,000 parts', () => {
  assert.equal(defaultPartSize(0), 8 * MiB);
  assert.equal(defaultPartSize(1024 * MiB), 8 * MiB);
  const huge = 200 * 1024 * MiB; // 200 GiB would need 25,600 parts of 8 MiB
  const ps = defaultPartSize(huge);
  assert.equal(ps % MiB, 0);
  assert.ok(Math.ceil(huge / ps) <= MAX_PARTS);
  assert.ok(ps > 8 * MiB);
});

test('a requested part size is validated and raised, never lowered, to fit 10,000 parts', () => {
  assert.equal(choosePartSize(10 * MiB, MIN_PART_SIZE), MIN_PART_SIZE);
  assert.throws(() => choosePartSize(10 * MiB, MIN_PART_SIZE - 1), (e: unknown) => e instanceof TransferError && e.code === 'InvalidArgument');
  assert.throws(() => choosePartSize(10 * MiB, 150_000.5), TransferError);
  const size = 5000 * MiB;
  const ps = choosePartSize(size, MIN_PART_SIZE);
  assert.ok(ps >= MIN_PART_SIZE);
  assert.ok(Math.ceil(size / ps) <= MAX_PARTS);
  assert.throws(() => choosePartSize(-1), TransferError);
});

test('parts cover the object exactly, including exact multiples and the empty object', () => {
  assert.deepEqual(planParts(0, MIN_PART_SIZE), []);
  const exact = planParts(3 * MIN_PART_SIZE, MIN_PART_SIZE);
  assert.equal(exact.length, 3);
  assert.deepEqual(exact[2], { partNumber: 3, start: 2 * MIN_PART_SIZE, length: MIN_PART_SIZE });
  const ragged = planParts(3 * MIN_PART_SIZE + 7, MIN_PART_SIZE);
  assert.equal(ragged.length, 4);
  assert.deepEqual(ragged[3], { partNumber: 4, start: 3 * MIN_PART_SIZE, length: 7 });
  let next = 0;
  for (const p of ragged) {
    assert.equal(p.start, next);
    next += p.length;
  }
  assert.equal(next, 3 * MIN_PART_SIZE + 7);
  assert.deepEqual(planParts(1, MIN_PART_SIZE), [{ partNumber: 1, start: 0, length: 1 }]);
});

test('parallelism defaults per direction and rejects nonsense', () => {
  assert.ok(chooseParallel('upload') >= 1);
  assert.equal(chooseParallel('download'), DEFAULT_DOWNLOAD_PARALLEL);
  assert.equal(DEFAULT_DOWNLOAD_PARALLEL, DEFAULT_UPLOAD_PARALLEL, 'a long link needs as many streams down as up');
  assert.equal(chooseParallel('upload', 3), 3);
  assert.throws(() => chooseParallel('upload', 0), TransferError);
  assert.throws(() => chooseParallel('download', 2.5), TransferError);
  assert.throws(() => chooseParallel('download', 1000), TransferError);
});

test('downloads default to larger parts than uploads; both stay within 10,000 parts', () => {
  assert.equal(defaultPartSize(100 * MiB, 'download'), 16 * MiB);
  assert.equal(choosePartSize(100 * MiB, undefined, 'download'), 16 * MiB);
  assert.equal(choosePartSize(100 * MiB, undefined, 'upload'), 8 * MiB);
  const huge = 300 * 1024 * MiB;
  assert.ok(Math.ceil(huge / defaultPartSize(huge, 'download')) <= MAX_PARTS);
});

test("an earlier run's part size that cannot carry the object any more is named as a problem", () => {
  assert.equal(partSizeProblem(307200, 1), '307200 parts exceed the limit of 10000');
  assert.equal(partSizeProblem(10 * MiB, 60 * 1024), `part size 61440 is below the minimum of ${MIN_PART_SIZE} bytes`);
  assert.equal(partSizeProblem(50 * 1024, 60 * 1024), undefined, 'one part may be small');
  assert.match(partSizeProblem(6 * 1024 * MiB, 6 * 1024 * MiB)!, /above the maximum/);
  assert.equal(partSizeProblem(10 * MiB, MIN_PART_SIZE), undefined);
  assert.equal(partSizeProblem(0, 8 * MiB), undefined);
  assert.equal(partSizeProblem(MAX_PARTS * MIN_PART_SIZE, MIN_PART_SIZE), undefined);
  assert.match(partSizeProblem(MAX_PARTS * MIN_PART_SIZE + 1, MIN_PART_SIZE)!, /10001 parts exceed/);
});

test('tapered parts cover the object exactly and shrink toward the end, never below the floor but the last', () => {
  for (const [size, partSize] of [[1024 * MiB, 16 * MiB], [128 * MiB, 2 * MiB], [9 * MiB + 7, 2 * MiB], [300 * MiB + 1, 5 * MiB], [1, 2 * MiB]] as const) {
    const parts = planParts(size, partSize, 'tapered');
    let at = 0;
    parts.forEach((p, i) => {
      assert.equal(p.partNumber, i + 1);
      assert.equal(p.start, at);
      assert.ok(p.length > 0 && p.length <= partSize);
      if (i > 0 && i < parts.length - 1) assert.ok(p.length <= parts[i - 1]!.length, `part ${p.partNumber} grew`);
      if (i < parts.length - 1) assert.ok(p.length >= Math.max(MiB, Math.ceil(partSize / 8)) && p.length >= MIN_PART_SIZE);
      at += p.length;
    });
    assert.equal(at, size);
  }
  assert.deepEqual(planParts(0, 16 * MiB, 'tapered'), []);
});

test('the tapered plan is pinned: a checkpoint numbers its parts by it', () => {
  // 1 GiB in automatic 16 MiB parts: full parts while at least TAPER_SLOTS of them are left, then
  // each a sixteenth of what is left, down to 2 MiB. Changing this shape breaks version-2 checkpoints.
  const parts = planParts(1024 * MiB, 16 * MiB, 'tapered');
  assert.equal(TAPER_SLOTS, 16);
  assert.equal(parts.length, 97);
  assert.equal(parts.filter((p) => p.length === 16 * MiB).length, 49);
  assert.deepEqual(parts[49], { partNumber: 50, start: 784 * MiB, length: 15 * MiB });
  assert.equal(parts.at(-2)!.length, 2 * MiB);
  assert.equal(parts.at(-1)!.length, 1024 * MiB - parts.at(-1)!.start);
  // The last wave is short: the final sixteen parts carry 32 MiB, not 256.
  assert.ok(parts.slice(-16).reduce((n, p) => n + p.length, 0) <= 32 * MiB);
});

test('an automatic part size tapers past one wave of parts, unless the taper would pass 10,000 parts; an even plan is unchanged', () => {
  const size = 1024 * MiB;
  assert.equal(automaticPartShape(size, automaticPartSize(size)), 'tapered');
  // Parts that all fit in the first wave are not tapered: 20 MiB is 10 parts of 2 MiB, 32 MiB is 16.
  assert.equal(automaticPartShape(20 * MiB, automaticPartSize(20 * MiB)), 'even');
  assert.equal(automaticPartShape(32 * MiB, 2 * MiB), 'even');
  assert.equal(automaticPartShape(32 * MiB + 1, 2 * MiB), 'tapered');
  const huge = 5 * 1024 * 1024 * MiB; // 5 TiB: the even plan already needs 10,000 parts
  const ps = automaticPartSize(huge);
  assert.equal(automaticPartShape(huge, ps), 'even');
  assert.ok(planParts(huge, ps, 'even').length <= MAX_PARTS);
  assert.deepEqual(planParts(20 * MiB, 8 * MiB), planParts(20 * MiB, 8 * MiB, 'even'));
});

test('a tapered checkpoint whose plan cannot be made again is named as a problem', () => {
  assert.equal(partSizeProblem(1024 * MiB, 16 * MiB, 'tapered'), undefined);
  assert.match(partSizeProblem(1024 * MiB, 64 * 1024, 'tapered')!, /too small to taper/);
  // 500 GiB in 50 MiB parts: 10,240 parts, past the limit either way.
  assert.match(partSizeProblem(500 * 1024 * MiB, 50 * MiB, 'tapered')!, /exceed the limit/);
  assert.throws(() => planParts(500 * 1024 * MiB, 50 * MiB, 'tapered'), (e: unknown) => e instanceof TransferError && e.code === 'InvalidArgument');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_DOWNLOAD_PARALLEL,
  DEFAULT_UPLOAD_PARALLEL,
  MAX_PARTS,
  MIN_PART_SIZE,
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

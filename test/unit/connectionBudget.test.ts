// Which transfers may start: small files hold one connection, big files one per part in flight.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONNECTION_BUDGET, connectionCost, isSmallTransfer, mayStart } from '../../src/transfer/batch/connectionBudget.js';
import type { TransferSpec } from '../../src/transfer/batch/transferTypes.js';

const MiB = 1024 * 1024;
const spec = (size: number | undefined, direction: 'upload' | 'download' = 'upload'): TransferSpec => ({
  direction,
  profileId: 'p',
  bucket: 'b',
  key: 'k',
  file: '/tmp/k',
  ...(size !== undefined ? { size } : {}),
});
const defaults = { concurrentFiles: 16, disableCheckpoint: false };

test('a file that fits in one part is small and costs one connection; a big one costs its parallelism', () => {
  assert.equal(isSmallTransfer(spec(4096), defaults), true);
  assert.equal(isSmallTransfer(spec(0), defaults), true);
  assert.equal(isSmallTransfer(spec(8 * MiB), defaults), true, 'exactly one default upload part');
  assert.equal(isSmallTransfer(spec(8 * MiB + 1), defaults), false);
  assert.equal(isSmallTransfer(spec(16 * MiB, 'download'), defaults), true, 'downloads use 16 MiB parts');
  assert.equal(isSmallTransfer(spec(undefined), defaults), false, 'an unknown size is treated as big');
  assert.equal(isSmallTransfer(spec(300 * 1024), { ...defaults, partSize: 256 * 1024 }), false, 'the user part size decides');
  assert.equal(connectionCost(spec(4096), defaults), 1);
  assert.equal(connectionCost(spec(100 * MiB), defaults), 5);
  assert.equal(connectionCost(spec(100 * MiB), { ...defaults, parallel: 8 }), 8);
});

test('the user cap on files and the connection budget both hold; something always runs', () => {
  assert.equal(CONNECTION_BUDGET, 16);
  // 16 small files fill the budget.
  assert.equal(mayStart(15, 15, 1, 16), true);
  assert.equal(mayStart(16, 16, 1, 16), false);
  // Three big files of 5 parts fit in 16 connections, a fourth waits.
  assert.equal(mayStart(2, 10, 5, 16), true);
  assert.equal(mayStart(3, 15, 5, 16), false);
  // A big file after 12 small ones waits for room rather than overfilling the pool.
  assert.equal(mayStart(12, 12, 5, 16), false);
  // The user's cap wins over a roomy budget.
  assert.equal(mayStart(3, 3, 1, 3), false);
  // A transfer wider than the whole budget still runs alone.
  assert.equal(mayStart(0, 0, 64, 16), true);
});

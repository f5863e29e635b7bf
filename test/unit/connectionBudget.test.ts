// Which transfers may start: small files hold one connection, big files one per part in flight
// (a fixed parallelism takes all of its slots at once, an adaptive file one to start with).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONNECTION_BUDGET, ConnectionBudget, connectionCost, isSmallTransfer, mayStart } from '../../src/transfer/batch/connectionBudget.js';
import { LinkPacer } from '../../src/transfer/pacing/linkPacer.js';
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

test('a file that fits in one part is small and costs one connection; a big one costs its fixed parallelism, or one slot to start when it adapts', () => {
  assert.equal(isSmallTransfer(spec(4096), defaults), true);
  assert.equal(isSmallTransfer(spec(0), defaults), true);
  assert.equal(isSmallTransfer(spec(8 * MiB), defaults), true, 'exactly one default upload part');
  assert.equal(isSmallTransfer(spec(8 * MiB + 1), defaults), false);
  assert.equal(isSmallTransfer(spec(16 * MiB, 'download'), defaults), true, 'downloads use 16 MiB parts');
  assert.equal(isSmallTransfer(spec(undefined), defaults), false, 'an unknown size is treated as big');
  assert.equal(isSmallTransfer(spec(300 * 1024), { ...defaults, partSize: 256 * 1024 }), false, 'the user part size decides');
  assert.equal(connectionCost(spec(4096), defaults), 1);
  assert.equal(connectionCost(spec(100 * MiB), defaults), 1, 'no parallelism set: it adapts, taking more slots as the pacer allows');
  assert.equal(connectionCost(spec(100 * MiB), { ...defaults, parallel: 5 }), 5);
  assert.equal(connectionCost(spec(100 * MiB), { ...defaults, parallel: 8 }), 8);
});

test('the user cap on files and the connection budget both hold; something always runs', () => {
  assert.equal(CONNECTION_BUDGET, 64);
  // 64 small files fill the budget.
  assert.equal(mayStart(63, 63, 1, 64), true);
  assert.equal(mayStart(64, 64, 1, 64), false);
  assert.equal(mayStart(60, 64, 1, 100), false, 'no slot left although the user allows more files');
  // On a budget of 16: three big files of 5 parts fit, a fourth waits.
  assert.equal(mayStart(2, 10, 5, 16, 16), true);
  assert.equal(mayStart(3, 15, 5, 16, 16), false);
  // A big file after 12 small ones waits for room rather than overfilling the pool.
  assert.equal(mayStart(12, 12, 5, 16, 16), false);
  // The user's cap wins over a roomy budget.
  assert.equal(mayStart(3, 3, 1, 3), false);
  // A transfer wider than the whole budget still runs alone.
  assert.equal(mayStart(0, 0, 80, 16), true);
});

test('the budget starts files while its pacer has room, asks to be called back when it has none, and gives the slots back with the lane', () => {
  const pacers: LinkPacer[] = [];
  const budget = new ConnectionBudget(() => {
    const p = new LinkPacer({ manualTicks: true, initial: 3 });
    pacers.push(p);
    return p;
  });
  budget.apply(defaults);
  const lanes = [0, 1, 2].map((i) => budget.start(spec(4096), defaults, i, 16, () => assert.fail('there was room')));
  assert.ok(lanes.every((l) => l !== undefined));
  let called = 0;
  assert.equal(budget.start(spec(4096), defaults, 3, 16, () => called++), undefined, 'the target of three is reached');
  assert.ok(budget.start(spec(4096, 'download'), defaults, 3, 16, () => undefined), 'downloads have their own pacer');
  lanes[0]!.close();
  assert.equal(called, 1, 'a freed slot calls the queue back');
  assert.ok(budget.start(spec(4096), defaults, 2, 16, () => undefined));
  budget.close();
});

test('a cap kept by the server pins the pacers to the requests sharing it; a cap kept here leaves them adapting', () => {
  const budget = new ConnectionBudget(() => new LinkPacer({ manualTicks: true }));
  budget.apply({ ...defaults, bandwidthLimit: 20 * MiB, bandwidthLimitBy: 'server' });
  assert.deepEqual(budget.targets(), { upload: 4, download: 4 }, 'four requests of 5 MB/s each');
  budget.apply({ ...defaults, bandwidthLimit: 20 * MiB, bandwidthLimitBy: 'server', parallel: 8 });
  assert.deepEqual(budget.targets(), { upload: 8, download: 8 }, 'a fixed parallelism is the number of shares');
  budget.apply({ ...defaults, bandwidthLimit: 20 * MiB });
  assert.deepEqual(budget.targets(), { upload: 5, download: 5 }, 'adapting again, from the start for a 20 MB/s cap (4 MB/s a request)');
  const lane = budget.start(spec(100 * MiB), defaults, 0, 16, () => undefined)!;
  const pacing = budget.pacing(lane);
  assert.equal(pacing.bandwidthLimitBy, 'client');
  assert.equal((pacing.bandwidthLimit as { bytesPerSecond: number }).bytesPerSecond, 20 * MiB);
  lane.close();
  budget.close();
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Pacer, pacerFor } from '../server/pacer.js';
import type { FaultAction } from '../server/serverTypes.js';

test('a pace rule is one link: reservations queue behind each other and an idle link starts from now', () => {
  let now = 1000;
  const link = new Pacer(1024 * 1024, () => now);
  assert.equal(link.reserve(64 * 1024), 62.5, 'the first slice waits its own transmission time');
  assert.equal(link.reserve(64 * 1024), 125, 'a second request at the same moment queues behind it');
  now += 1000; // the link stood idle: no credit is saved up
  assert.equal(link.reserve(512 * 1024), 500);
});

test('every request of one rule gets the same link; other faults get none', () => {
  const pace: FaultAction = { type: 'pace', bytesPerSecond: 100 };
  assert.equal(pacerFor(pace), pacerFor(pace));
  assert.notEqual(pacerFor(pace), pacerFor({ type: 'pace', bytesPerSecond: 100 }));
  assert.equal(pacerFor({ type: 'stall', ms: 5 }), undefined);
  assert.equal(pacerFor(undefined), undefined);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpeedFloor, type Ticker } from '../../src/oss/http/speedFloor.js';

const opts = { minBytesPerSec: 100, windowMs: 1000 };

/** A hand-stepped clock: `advance(ms)` runs the ticker as often as that much time would. */
function watch(o = opts) {
  const fired: number[] = [];
  let job: { fn: () => void; ms: number; due: number } | undefined;
  let now = 0;
  const ticker: Ticker = (fn, ms) => {
    const mine = { fn, ms, due: now + ms };
    job = mine;
    return { cancel: () => { if (job === mine) job = undefined; } };
  };
  const floor = new SpeedFloor(o, (moved) => fired.push(moved), ticker);
  const advance = (ms: number): void => {
    const end = now + ms;
    while (job && job.due <= end) {
      now = job.due;
      job.due += job.ms;
      job.fn();
    }
    now = end;
  };
  return { floor, fired, advance, running: () => job !== undefined };
}

test('below the floor for a whole window: fires once, with what moved, and stops', () => {
  const w = watch();
  w.floor.release();
  for (let i = 0; i < 20; i++) {
    w.floor.add(5); // 50 B/s
    w.advance(100);
  }
  assert.equal(w.fired.length, 1);
  assert.ok(w.fired[0]! < 100, String(w.fired[0]));
  assert.equal(w.running(), false);
});

test('at or above the floor, before a whole window, or never started: silent', () => {
  const fast = watch();
  fast.floor.release();
  for (let i = 0; i < 50; i++) {
    fast.floor.add(25); // 125 B/s
    fast.advance(200);
  }
  assert.deepEqual(fast.fired, []);

  const young = watch();
  young.floor.release();
  young.advance(1000); // the first slot after starting is a partial one and does not count
  assert.deepEqual(young.fired, []);
  young.floor.stop();
  young.advance(5000);
  assert.deepEqual(young.fired, [], 'stopped');

  const unread = watch();
  unread.advance(10_000); // never released: a body nobody reads
  assert.deepEqual(unread.fired, []);
  assert.equal(unread.running(), false, 'no timer for an unread body');

  const off = watch({ minBytesPerSec: 0, windowMs: 1000 });
  off.floor.release();
  off.advance(10_000);
  assert.deepEqual(off.fired, []);
});

test('time our side holds does not count, and a held window starts over', () => {
  const w = watch();
  w.floor.release();
  w.advance(900);
  w.floor.hold();
  w.advance(10_000);
  assert.deepEqual(w.fired, []);
  w.floor.release();
  w.advance(1000);
  assert.deepEqual(w.fired, [], 'a fresh window is not whole yet');
  w.advance(400);
  assert.equal(w.fired.length, 1);
});

// The concurrency controller against a simulated link: every interval it is told what its target
// carried (a per-connection cap, a shared bottleneck, the idle round trip between parts, noise) and
// whether the server pushed back, and must find the knee, back off, and stay inside its bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConcurrencyController, type ControllerOptions } from '../../src/transfer/pacing/concurrencyController.js';

const MB = 1024 * 1024;
const INTERVAL = 0.5;

interface SimLink {
  /** bytes/s one connection carries at most */
  perConnection: number;
  /** bytes/s all connections together carry at most */
  shared: number;
  /** share of the time a connection is busy (the rest is the round trip between parts) */
  duty?: number;
  /** above this many requests the server answers 503 SlowDown to some of them */
  throttleAbove?: number;
  /** relative noise on each measurement, e.g. 0.1 for +-10 % */
  noise?: number;
}

/** A deterministic pseudo-random sequence (tests must not flake). */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

interface Trace {
  targets: number[];
  rates: number[];
}

function run(link: SimLink, opts: Partial<ControllerOptions>, intervals: number, seed = 1): { c: ConcurrencyController; trace: Trace } {
  const c = new ConcurrencyController({ initial: 8, min: 1, max: 64, ...opts });
  const random = lcg(seed);
  const trace: Trace = { targets: [], rates: [] };
  for (let i = 0; i < intervals; i++) {
    const n = c.target;
    const ideal = Math.min(n * link.perConnection * (link.duty ?? 0.93), link.shared);
    const rate = ideal * (1 + (link.noise ?? 0) * (2 * random() - 1));
    const throttled = link.throttleAbove !== undefined && n > link.throttleAbove ? 1 : 0;
    trace.targets.push(n);
    trace.rates.push(rate);
    c.observe({ bytes: rate * INTERVAL, seconds: INTERVAL, busy: n, troubles: throttled });
  }
  return { c, trace };
}

const tail = (xs: number[], n: number) => xs.slice(-n);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

test('a long thin link (150 ms, 4 MB/s a connection, 60 MB/s shared): slow start finds the knee and the link stays full', () => {
  const link = { perConnection: 4 * MB, shared: 60 * MB, duty: 0.93 };
  const { trace } = run(link, {}, 60);
  // 60 / (4 x 0.93) = 16.1 connections fill it; the controller doubles 8 -> 16 -> 32, sees 32 carry no more, settles near the knee.
  assert.ok(trace.targets.slice(0, 6).includes(16), `doubles through 16: ${trace.targets.slice(0, 8).join(' ')}`);
  const late = tail(trace.targets, 30);
  const sorted = [...late].sort((a, b) => a - b);
  assert.ok(sorted[Math.floor(sorted.length / 2)]! >= 16, `mostly at or above the knee: ${late.join(' ')}`);
  assert.ok(Math.min(...late) >= 13, `a probe down is one step: ${late.join(' ')}`);
  assert.ok(Math.max(...late) <= 26, `does not keep twice what the link needs: ${late.join(' ')}`);
  assert.ok(mean(tail(trace.rates, 30)) >= 0.95 * link.shared, 'carries what the shared link allows');
});

test('a near fast link (30 ms, 25 MB/s a connection, 100 MB/s shared): the start is already enough and the target stays small', () => {
  const link = { perConnection: 25 * MB, shared: 100 * MB, duty: 0.9 };
  const { trace } = run(link, {}, 60);
  const late = tail(trace.targets, 30);
  assert.ok(Math.max(...late) <= 12, `no more connections than the link needs: ${late.join(' ')}`);
  assert.ok(Math.min(...late) >= 5, `still enough to fill it: ${late.join(' ')}`);
  assert.ok(mean(tail(trace.rates, 30)) >= 0.97 * link.shared);
});

test('with noise of +-10 % per interval it still settles near the knee instead of wandering', () => {
  const link = { perConnection: 4 * MB, shared: 60 * MB, noise: 0.1 };
  for (const seed of [1, 2, 3, 4, 5]) {
    const { trace } = run(link, {}, 120, seed);
    const late = tail(trace.targets, 60);
    assert.ok(Math.min(...late) >= 12 && Math.max(...late) <= 32, `seed ${seed}: ${late.join(' ')}`);
    assert.ok(mean(tail(trace.rates, 60)) >= 0.88 * link.shared, `seed ${seed}: mean ${mean(tail(trace.rates, 60)) / MB}`);
  }
});

test('503 SlowDown above 12 requests: it backs off below the threshold and does not keep pushing into it', () => {
  const link = { perConnection: 4 * MB, shared: 200 * MB, throttleAbove: 12 };
  const { trace } = run(link, {}, 120);
  const firstOver = trace.targets.findIndex((n) => n > 12);
  assert.ok(firstOver >= 0, 'it did go above on the way up');
  assert.ok(trace.targets[firstOver + 1]! < trace.targets[firstOver]!, 'the next interval is lower');
  assert.ok(trace.targets[firstOver + 1]! <= Math.floor(trace.targets[firstOver]! * 0.7), 'by the back-off factor');
  const late = tail(trace.targets, 60);
  const over = late.filter((n) => n > 12).length;
  assert.ok(over <= late.length / 5, `at most a probe now and then above the threshold (${over} of ${late.length}): ${late.join(' ')}`);
  assert.ok(mean(late) >= 8, `but not far below it either: ${late.join(' ')}`);
});

test('it never leaves its bounds: max caps the climb, min holds under constant trouble', () => {
  const wide = { perConnection: 1 * MB, shared: 1000 * MB };
  const capped = run(wide, { max: 6 }, 40).trace.targets;
  assert.ok(capped.every((n) => n >= 1 && n <= 6), capped.join(' '));
  assert.equal(capped[capped.length - 1], 6, 'a link that keeps rising keeps it at the max');
  const c = new ConcurrencyController({ initial: 8, min: 2, max: 64 });
  for (let i = 0; i < 20; i++) c.observe({ bytes: MB, seconds: INTERVAL, busy: c.target, troubles: 3 });
  assert.equal(c.target, 2);
  c.setMax(1);
  assert.equal(c.target, 2, 'the minimum wins over a lower maximum');
  const d = new ConcurrencyController({ initial: 40, min: 1, max: 64 });
  d.setMax(10);
  assert.equal(d.target, 10, 'a lowered maximum applies at once');
});

test('intervals in which the transfers did not fill the target change nothing (a transfer ending is not the link)', () => {
  const c = new ConcurrencyController({ initial: 8, min: 1, max: 64 });
  for (let i = 0; i < 20; i++) c.observe({ bytes: 3 * MB * INTERVAL, seconds: INTERVAL, busy: 3, troubles: 0 });
  assert.equal(c.target, 8);
  c.observe({ bytes: MB, seconds: INTERVAL, busy: 3, troubles: 1 });
  assert.ok(c.target < 8, 'trouble still counts');
});

test('when the shared bottleneck narrows (another application takes the link), probing down sheds the connections that no longer carry anything', () => {
  const c = new ConcurrencyController({ initial: 8, min: 1, max: 64 });
  let shared = 60 * MB;
  const step = () => {
    const n = c.target;
    const rate = Math.min(n * 4 * MB * 0.93, shared);
    c.observe({ bytes: rate * INTERVAL, seconds: INTERVAL, busy: n, troubles: 0 });
  };
  for (let i = 0; i < 40; i++) step();
  const before = c.target;
  assert.ok(before >= 15);
  shared = 12 * MB;
  for (let i = 0; i < 200; i++) step();
  assert.ok(c.target <= Math.ceil(before / 2), `from ${before} to ${c.target}`);
  assert.ok(c.target >= 3, `still enough for 12 MB/s at 4 a connection: ${c.target}`);
});

test('under a bandwidth cap that holds the transfers back it never climbs, and sheds requests down to what still carries the cap', () => {
  const c = new ConcurrencyController({ initial: 8, min: 1, max: 64 });
  const cap = 20 * MB;
  const seen: number[] = [];
  for (let i = 0; i < 120; i++) {
    const n = c.target;
    seen.push(n);
    const link = Math.min(n * 4 * MB * 0.93, 60 * MB);
    c.observe({ bytes: Math.min(link, cap) * INTERVAL, seconds: INTERVAL, busy: n, troubles: 0, capped: link > cap * 0.9, atCap: link > cap });
  }
  assert.ok(Math.max(...seen) <= 8, `never above its start: ${seen.join(' ')}`);
  const late = tail(seen, 30);
  // 20 / (4 x 0.93) = 5.4: six requests carry the cap, five would not.
  assert.ok(Math.max(...late) <= 7 && Math.min(...late) >= 5, `settles at the fewest that carry the cap: ${late.join(' ')}`);
});

test('a step down is judged only once the requests in flight have come down to it (parts still running measured the old level)', () => {
  const c = new ConcurrencyController({ initial: 16, min: 1, max: 16, settleIntervals: 0 });
  const feed = (busy: number, mbps: number) => c.observe({ bytes: mbps * MB * INTERVAL, seconds: INTERVAL, busy, troubles: 0 });
  // At the max from the start: steady at 16 carrying 60; up-probes are no-ops there, the third probe steps down.
  for (let i = 0; i < 40 && c.target === 16; i++) feed(16, 60);
  assert.equal(c.target, 14, 'a step down');
  // The parts of the 15th and 16th requests are still running: the link still carries 60.
  feed(15.6, 60);
  assert.equal(c.target, 14, 'not judged yet');
  // Down to 14 requests: 56. That is the step's own figure, and it loses more than 3 %.
  feed(14, 56);
  assert.equal(c.target, 16, 'the step down is taken back');
});

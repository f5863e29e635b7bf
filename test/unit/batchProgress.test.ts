import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchProgress } from '../../src/vscode/presentation/batchProgress.js';
import type { TransferItem, TransferState } from '../../src/transfer/batch/transferTypes.js';

function item(id: string, state: TransferState, transferredBytes: number, totalBytes: number): TransferItem {
  return {
    id,
    spec: { direction: 'upload', profileId: 'p', bucket: 'b', key: `k/${id}`, file: `/tmp/${id}` },
    state,
    transferredBytes,
    totalBytes,
    bytesPerSecond: 0,
  };
}

function clock(): { now: () => number; advance(ms: number): void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

test('counts bytes across files and sums the increments to the shown percent', () => {
  const c = clock();
  const bp = new BatchProgress({ now: c.now });
  const s1 = bp.sample([item('a', 'running', 100, 1000), item('b', 'queued', 0, 1000)])!;
  assert.equal(s1.transferredBytes, 100);
  assert.equal(s1.totalBytes, 2000);
  assert.equal(s1.percent, 5);
  assert.equal(s1.increment, 5);
  assert.equal(s1.current?.id, 'a');
  assert.equal(s1.counts.running, 1);
  assert.equal(s1.counts.queued, 1);
  c.advance(300);
  const s2 = bp.sample([item('a', 'running', 500, 1000), item('b', 'running', 500, 1000)])!;
  assert.equal(s2.percent, 50);
  assert.equal(s2.increment, 45);
  assert.equal(s1.increment + s2.increment, s2.percent);
});

test('throttles to the interval but never drops the finishing step', () => {
  const c = clock();
  const bp = new BatchProgress({ now: c.now, minIntervalMs: 250 });
  assert.ok(bp.sample([item('a', 'running', 10, 100)]));
  c.advance(100);
  assert.equal(bp.sample([item('a', 'running', 20, 100)]), undefined);
  c.advance(10);
  const fin = bp.sample([item('a', 'done', 100, 100)]);
  assert.ok(fin, 'finished is emitted even inside the interval');
  assert.equal(fin.percent, 100);
  assert.equal(fin.finished, true);
  c.advance(10);
  assert.ok(bp.sample([item('a', 'running', 30, 100)], true), 'force skips the throttle');
});

test('is monotonic when a file restarts lower and stays below 100% until every file settled', () => {
  const c = clock();
  const bp = new BatchProgress({ now: c.now, minIntervalMs: 0 });
  const a = bp.sample([item('a', 'running', 990, 1000)])!;
  assert.equal(a.percent, 99, 'capped at 99 while unfinished');
  c.advance(1000);
  const b = bp.sample([item('a', 'running', 200, 1000)])!;
  assert.equal(b.percent, 99, 'never goes back');
  assert.equal(b.increment, 0);
  assert.equal(b.transferredBytes, 990, 'bytes shown never go back either');
  c.advance(1000);
  const d = bp.sample([item('a', 'done', 1000, 1000)])!;
  assert.equal(d.percent, 100);
  assert.equal(d.increment, 1);
});

test('never exceeds 100% even when a file reports more than its announced size', () => {
  const c = clock();
  const bp = new BatchProgress({ now: c.now, minIntervalMs: 0 });
  let sum = 0;
  for (const moved of [500, 1500, 3000]) {
    c.advance(100);
    const s = bp.sample([item('a', 'running', moved, 1000), item('b', 'queued', 0, 1000)])!;
    sum += s.increment;
    assert.ok(s.percent <= 99);
    assert.ok(s.transferredBytes <= s.totalBytes);
  }
  c.advance(100);
  const end = bp.sample([item('a', 'done', 3000, 1000), item('b', 'failed', 0, 1000)])!;
  sum += end.increment;
  assert.equal(end.percent, 100);
  assert.equal(sum, 100);
});

test('a failed or cancelled file counts as processed, so the batch can reach 100%', () => {
  const c = clock();
  const bp = new BatchProgress({ now: c.now, minIntervalMs: 0 });
  const s = bp.sample([item('a', 'failed', 10, 1000), item('b', 'running', 500, 1000)])!;
  assert.equal(s.percent, 75);
  assert.equal(s.transferredBytes, 510, 'the bytes figure stays the bytes really moved');
  const end = bp.sample([item('a', 'failed', 10, 1000), item('b', 'cancelled', 500, 1000)])!;
  assert.equal(end.finished, true);
  assert.equal(end.percent, 100);
});

test('zero-byte files progress by count', () => {
  const c = clock();
  const bp = new BatchProgress({ now: c.now, minIntervalMs: 0 });
  const s = bp.sample([item('a', 'done', 0, 0), item('b', 'running', 0, 0)])!;
  assert.equal(s.percent, 50);
  assert.equal(s.finished, false);
});

test('smooths speed over time and derives ETA from it', () => {
  const c = clock();
  const bp = new BatchProgress({ now: c.now, minIntervalMs: 0, smoothingMs: 1000 });
  bp.sample([item('a', 'running', 0, 10_000_000)]);
  c.advance(1000);
  const s1 = bp.sample([item('a', 'running', 1_000_000, 10_000_000)])!;
  assert.equal(s1.bytesPerSecond, 1_000_000, 'first measured interval sets the speed');
  assert.equal(s1.etaSeconds, 9);
  // A burst at 3 MB/s for 0.25 s moves the smoothed speed only part of the way.
  c.advance(250);
  const s2 = bp.sample([item('a', 'running', 1_750_000, 10_000_000)])!;
  assert.ok(s2.bytesPerSecond > 1_000_000 && s2.bytesPerSecond < 3_000_000, `speed ${s2.bytesPerSecond}`);
  // Nothing moves for a while: the speed decays instead of freezing.
  c.advance(5000);
  const s3 = bp.sample([item('a', 'paused', 1_750_000, 10_000_000)])!;
  assert.ok(s3.bytesPerSecond < s2.bytesPerSecond / 10, `speed ${s3.bytesPerSecond}`);
});

test('unknown speed gives no ETA; an empty batch is 0% and not finished', () => {
  const c = clock();
  const bp = new BatchProgress({ now: c.now, minIntervalMs: 0 });
  const s = bp.sample([item('a', 'queued', 0, 100)])!;
  assert.equal(s.etaSeconds, undefined);
  const e = new BatchProgress({ now: c.now }).sample([])!;
  assert.equal(e.percent, 0);
  assert.equal(e.finished, false);
});

test('rejects nonsense options', () => {
  assert.throws(() => new BatchProgress({ smoothingMs: 0 }), /smoothingMs/);
  assert.throws(() => new BatchProgress({ minIntervalMs: -1 }), /minIntervalMs/);
});

test('10,000 files: totals, counts and the increments withProgress sums stay exact, and a sample stays cheap', () => {
  const c = clock();
  const bp = new BatchProgress({ now: c.now, minIntervalMs: 250 });
  const n = 10_000;
  // Sizes that do not divide evenly, so the percentages are not round numbers.
  const size = (i: number): number => 1000 + (i % 97);
  const total = Array.from({ length: n }, (_, i) => size(i)).reduce((a, b) => a + b, 0);
  const items = Array.from({ length: n }, (_, i) => item(`f${i}`, 'queued', 0, size(i)));
  let reported = 0; // what VS Code adds up from the increments
  let maxSampleMs = 0;
  let samples = 0;
  // Files settle in waves of 37, with 16 moving at any time: one sample per wave, like the 4/s ticks.
  for (let next = 0; next < n; ) {
    for (let k = 0; k < 37 && next < n; k++, next++) {
      const it = items[next]!;
      it.state = next % 1000 === 999 ? 'failed' : 'done';
      it.transferredBytes = it.state === 'done' ? it.totalBytes : Math.floor(it.totalBytes / 3);
    }
    for (let r = next; r < Math.min(n, next + 16); r++) {
      items[r]!.state = 'running';
      items[r]!.transferredBytes = Math.floor(items[r]!.totalBytes / 2);
    }
    c.advance(250);
    const t0 = performance.now();
    const s = bp.sample(items);
    maxSampleMs = Math.max(maxSampleMs, performance.now() - t0);
    if (!s) continue;
    samples++;
    reported += s.increment;
    assert.ok(s.increment >= 0, 'never a negative increment');
    assert.equal(s.totalBytes, total);
    assert.ok(s.transferredBytes <= total);
    assert.equal(s.counts.done + s.counts.failed + s.counts.running + s.counts.queued, n);
    if (!s.finished) assert.ok(reported < 100, `unfinished reads below 100 (${reported})`);
  }
  const last = bp.sample(items, true)!;
  reported += last.increment;
  assert.ok(samples > 200, `sampled along the way (${samples})`);
  assert.equal(last.finished, true);
  assert.equal(last.counts.done, n - 10);
  assert.equal(last.counts.failed, 10);
  assert.equal(last.totalBytes, total);
  const failedShortfall = items.filter((it) => it.state === 'failed').reduce((a, it) => a + it.totalBytes - it.transferredBytes, 0);
  assert.equal(last.transferredBytes, total - failedShortfall);
  assert.equal(reported, 100, 'the increments add up to exactly 100 as withProgress sums them');
  // Generous: a sample over 10,000 items is a loop, not a hang (a few ms on the slow machine).
  assert.ok(maxSampleMs < 250, `one sample took ${maxSampleMs.toFixed(1)} ms`);
});

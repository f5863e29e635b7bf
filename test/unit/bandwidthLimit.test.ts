// The shared bandwidth cap: bytes granted never run more than the burst ahead of the rate, over any
// window, whoever asks; a change of rate applies to the next bytes; 0 is no cap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BandwidthLimit } from '../../src/transfer/pacing/bandwidthLimit.js';
import { serverLimitedRequests, trafficLimitPerRequest } from '../../src/transfer/pacing/serverTrafficLimit.js';
import { TransferError } from '../../src/transfer/transferError.js';

const MB = 1024 * 1024;

/**
 * Several senders share one cap: each takes a chunk, waits what it is told, takes the next. Returns
 * when each byte was allowed to go.
 */
function simulate(limit: BandwidthLimit, clock: { t: number }, senders: number, chunk: number, seconds: number): Array<{ t: number; bytes: number }> {
  const sent: Array<{ t: number; bytes: number }> = [];
  const nextAt = Array.from({ length: senders }, () => 0);
  while (true) {
    const i = nextAt.indexOf(Math.min(...nextAt));
    clock.t = nextAt[i]!;
    if (clock.t > seconds * 1000) break;
    const wait = limit.reserve(chunk);
    sent.push({ t: clock.t + wait, bytes: chunk });
    nextAt[i] = clock.t + wait + 1; // the sender is busy for a moment, then asks again
  }
  return sent.sort((a, b) => a.t - b.t);
}

/** Bytes in the busiest window of `ms` (a window starting at every send). */
function busiest(sent: Array<{ t: number; bytes: number }>, ms: number): number {
  let best = 0;
  let j = 0;
  let sum = 0;
  for (let i = 0; i < sent.length; i++) {
    while (j < sent.length && sent[j]!.t < sent[i]!.t + ms) sum += sent[j++]!.bytes;
    best = Math.max(best, sum);
    sum -= sent[i]!.bytes;
  }
  return best;
}

test('16 senders of 1 MiB chunks under a 20 MB/s cap: no 5-second window holds more than 5 % over the cap', () => {
  const clock = { t: 0 };
  const limit = new BandwidthLimit(20 * MB, { now: () => clock.t });
  const sent = simulate(limit, clock, 16, MB, 30);
  const max = busiest(sent, 5000);
  assert.ok(max <= 20 * MB * 5 * 1.05, `busiest 5 s: ${max / MB} MB`);
  // And the cap is used, not just kept under: 30 s at 20 MB/s.
  const total = sent.filter((s) => s.t <= 30_000).reduce((a, s) => a + s.bytes, 0);
  assert.ok(total >= 20 * MB * 30 * 0.97, `total ${total / MB} MB`);
});

test("small chunks (a socket's 64 KiB) keep it just as well", () => {
  const clock = { t: 0 };
  const limit = new BandwidthLimit(2 * MB, { now: () => clock.t });
  const sent = simulate(limit, clock, 3, 64 * 1024, 20);
  assert.ok(busiest(sent, 5000) <= 2 * MB * 5 * 1.05);
  assert.ok(busiest(sent, 1000) <= 2 * MB * 1 * 1.15, 'over one second too, within the burst');
});

test('after a quiet spell the bucket holds only the burst, not the whole idle time', () => {
  const clock = { t: 0 };
  const limit = new BandwidthLimit(10 * MB, { now: () => clock.t, burstSeconds: 0.1 });
  assert.equal(limit.reserve(MB), 0);
  clock.t = 60_000;
  // One MiB goes at once (within 0.1 s of the rate), the next ones wait their turn.
  assert.equal(limit.reserve(MB), 0);
  const third = limit.reserve(MB);
  assert.ok(third > 90 && third < 110, `waits about 100 ms: ${third}`);
});

test('a new rate applies to the next bytes; 0 means no cap', () => {
  const clock = { t: 0 };
  const limit = new BandwidthLimit(MB, { now: () => clock.t });
  limit.reserve(MB);
  assert.ok(limit.reserve(MB) > 800);
  limit.setRate(0);
  assert.equal(limit.bytesPerSecond, 0);
  assert.equal(limit.reserve(100 * MB), 0);
  limit.setRate(100 * MB);
  assert.equal(limit.reserve(MB), 0);
  assert.throws(() => limit.setRate(-1), RangeError);
  assert.throws(() => new BandwidthLimit(Number.NaN), RangeError);
});

test('take waits the reserved time and gives up with Aborted when cancelled', async () => {
  const limit = new BandwidthLimit(1024 * 1024);
  await limit.take(64 * 1024);
  const ac = new AbortController();
  const waiting = limit.take(10 * 1024 * 1024, ac.signal);
  setTimeout(() => ac.abort(), 20);
  await assert.rejects(waiting, (e: unknown) => e instanceof TransferError && e.code === 'Aborted');
});

test("a cap the server keeps is shared out within x-oss-traffic-limit's range", () => {
  assert.equal(serverLimitedRequests(20 * MB), 4);
  assert.equal(trafficLimitPerRequest(20 * MB, 4), 5 * MB * 8);
  // 200 KB/s cannot be four requests of at least 100 KB/s each: two.
  assert.equal(serverLimitedRequests(200 * 1024), 2);
  // Below 100 KB/s one request, at OSS's minimum.
  assert.equal(serverLimitedRequests(50 * 1024), 1);
  assert.equal(trafficLimitPerRequest(50 * 1024, 1), 819_200);
  // 1 GB/s needs at least 11 requests of at most 100 MB/s.
  assert.equal(serverLimitedRequests(1024 * MB), 11);
  assert.ok(trafficLimitPerRequest(1024 * MB, 11) <= 838_860_800);
});

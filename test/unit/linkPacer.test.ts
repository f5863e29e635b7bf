// LinkPacer: the slots all transfers on one link share. Slots are granted first come first served up
// to the target, a grown target wakes whoever waits, a lane hands out its held slots first, and the
// measurements reach the controller through tick().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LinkPacer } from '../../src/transfer/pacing/linkPacer.js';
import { TransferError } from '../../src/transfer/transferError.js';

const MB = 1024 * 1024;
const flush = () => new Promise<void>((r) => setImmediate(r));

function clock(): { now: () => number; advance(ms: number): void } {
  let t = 0;
  return { now: () => t, advance: (ms) => (t += ms) };
}

test('slots are granted up to the target, first come first served, and a given-back slot goes to the first waiter', async () => {
  const pacer = new LinkPacer({ initial: 2, manualTicks: true });
  await pacer.take();
  await pacer.take();
  assert.equal(pacer.inFlight, 2);
  const order: string[] = [];
  const a = pacer.take().then(() => order.push('a'));
  const b = pacer.take().then(() => order.push('b'));
  await flush();
  assert.deepEqual(order, []);
  assert.equal(pacer.tryTake(), false, 'nobody jumps the queue');
  pacer.give();
  await a;
  assert.deepEqual(order, ['a']);
  pacer.give();
  await b;
  assert.deepEqual(order, ['a', 'b']);
  assert.equal(pacer.inFlight, 2);
});

test('a forced slot is taken at once above the target (a fixed parallelism), and counts against the others', async () => {
  const pacer = new LinkPacer({ initial: 1, manualTicks: true });
  await pacer.take();
  await pacer.take(undefined, true);
  assert.equal(pacer.inFlight, 2);
  pacer.give();
  assert.equal(pacer.tryTake(), false, 'still at the target of 1');
  pacer.give();
  assert.equal(pacer.tryTake(), true);
});

test('a wait for a slot ends with Aborted when its signal fires, and the queue moves on without it', async () => {
  const pacer = new LinkPacer({ initial: 1, manualTicks: true });
  await pacer.take();
  const ac = new AbortController();
  const waiting = pacer.take(ac.signal);
  const after = pacer.take();
  ac.abort();
  await assert.rejects(waiting, (e: unknown) => e instanceof TransferError && e.code === 'Aborted');
  pacer.give();
  await after;
  assert.equal(pacer.inFlight, 1);
});

test('ticks feed the controller: a link that keeps carrying more per slot grows the target and wakes the waiters', async () => {
  const c = clock();
  const pacer = new LinkPacer({ initial: 2, max: 16, manualTicks: true, now: c.now, intervalMs: 500 });
  await pacer.take();
  await pacer.take();
  const woken: number[] = [];
  const waits = [0, 1, 2, 3].map((i) => pacer.take().then(() => woken.push(i)));
  // 2 slots busy for a settle interval, then a measured one: 4 MB/s each.
  for (let i = 0; i < 2; i++) {
    c.advance(500);
    pacer.moved(4 * MB);
    pacer.tick();
  }
  await flush();
  assert.equal(pacer.target, 4, 'doubled');
  assert.deepEqual(woken, [0, 1], 'the two new slots went to the first two waiters');
  assert.ok(Math.abs(pacer.perRequestRate! - 4 * MB) < 0.01 * MB, `per-request rate measured: ${pacer.perRequestRate! / MB}`);
  pacer.close();
  await Promise.allSettled(waits);
});

test('trouble reported in an interval halves the ambition: the target drops', async () => {
  const c = clock();
  const pacer = new LinkPacer({ initial: 8, manualTicks: true, now: c.now });
  for (let i = 0; i < 8; i++) await pacer.take();
  c.advance(500);
  pacer.moved(MB);
  pacer.trouble();
  pacer.tick();
  assert.ok(pacer.target < 8, `target ${pacer.target}`);
  pacer.close();
});

test('a pinned pacer keeps its number whatever it measures', async () => {
  const c = clock();
  const pacer = new LinkPacer({ pinned: 3, manualTicks: true, now: c.now });
  for (let i = 0; i < 3; i++) await pacer.take();
  for (let i = 0; i < 6; i++) {
    c.advance(500);
    pacer.moved(10 * MB * (i + 1));
    pacer.tick();
  }
  assert.equal(pacer.target, 3);
  pacer.pin(undefined);
  assert.equal(pacer.target, 8, 'unpinned: the controller again');
});

test('a lane uses the slots it holds first, takes more from the pacer beyond them, and gives everything back on close', async () => {
  const pacer = new LinkPacer({ initial: 4, manualTicks: true });
  assert.equal(pacer.tryTake(2), true, 'the queue took two slots for one transfer');
  const lane = pacer.lane(2);
  await lane.take();
  await lane.take();
  assert.equal(pacer.inFlight, 2, 'the held ones');
  await lane.take();
  assert.equal(pacer.inFlight, 3, 'one more from the pacer');
  lane.give();
  assert.equal(pacer.inFlight, 2, 'the extra one went back first');
  lane.give();
  lane.give();
  assert.equal(pacer.inFlight, 2, 'the held ones stay with the lane');
  lane.close();
  assert.equal(pacer.inFlight, 0);
  lane.close();
  assert.equal(pacer.inFlight, 0, 'closing twice gives back nothing more');
});

test('onRoom fires once when a slot frees and nobody waits', async () => {
  const pacer = new LinkPacer({ initial: 1, manualTicks: true });
  await pacer.take();
  let calls = 0;
  pacer.onRoom(() => calls++);
  const waiter = pacer.take();
  pacer.give();
  await waiter;
  assert.equal(calls, 0, 'the waiter got the slot');
  pacer.give();
  assert.equal(calls, 1);
  await pacer.take();
  pacer.give();
  assert.equal(calls, 1, 'once');
});

test('close fails whoever still waits', async () => {
  const pacer = new LinkPacer({ initial: 1, manualTicks: true });
  await pacer.take();
  const waiting = pacer.take();
  pacer.close();
  await assert.rejects(waiting, (e: unknown) => e instanceof TransferError && e.code === 'Aborted');
});

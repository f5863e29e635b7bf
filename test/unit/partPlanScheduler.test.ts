// The part scheduler and per-request signals: bounded parallelism from one shared queue, a fatal
// error stopping everything only after every worker returned, and cancel winning over errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPartQueue } from '../../src/transfer/engine/partScheduler.js';
import { linkedSignal, callLinked } from '../../src/transfer/engine/linkedSignal.js';
import { TransferError } from '../../src/transfer/transferError.js';

const tick = () => new Promise<void>((r) => setImmediate(r));

test('runs every item once with at most `parallel` jobs at a time', async () => {
  let running = 0;
  let peak = 0;
  const seen: number[] = [];
  await runPartQueue([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
    running++;
    peak = Math.max(peak, running);
    await tick();
    seen.push(n);
    running--;
  });
  assert.equal(peak, 3);
  assert.deepEqual(seen.sort(), [1, 2, 3, 4, 5, 6, 7]);
  await runPartQueue([], 4, async () => assert.fail('no items, no jobs'));
});

test('a failing job stops scheduling, aborts the others, and the error comes out only after all returned', async () => {
  const started: number[] = [];
  let stillRunning = 0;
  const boom = new Error('fatal');
  const p = runPartQueue([1, 2, 3, 4, 5, 6], 2, async (n, signal) => {
    started.push(n);
    if (n === 1) {
      await tick();
      throw boom;
    }
    stillRunning++;
    // A job in flight notices the abort and winds down a little later.
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => setTimeout(resolve, 5), { once: true }));
    stillRunning--;
    throw new Error('aborted after the fatal one');
  });
  await assert.rejects(p, (e: unknown) => e === boom);
  assert.equal(stillRunning, 0, 'every worker had returned');
  assert.deepEqual(started, [1, 2], 'nothing new was scheduled after the failure');
});

test('an outer cancel aborts the jobs and turns into TransferError Aborted', async () => {
  const ac = new AbortController();
  const p = runPartQueue([1, 2, 3], 2, async (_n, signal) => {
    queueMicrotask(() => ac.abort());
    await new Promise<void>((_r, reject) => signal.addEventListener('abort', () => reject(new Error('request aborted')), { once: true }));
  }, ac.signal);
  await assert.rejects(p, (e: unknown) => e instanceof TransferError && e.code === 'Aborted');
  const pre = new AbortController();
  pre.abort();
  await assert.rejects(runPartQueue([1], 1, async () => undefined, pre.signal), (e: unknown) => e instanceof TransferError && e.code === 'Aborted');
});

test('a linked signal follows its parent until disposed, then never fires', async () => {
  const parent = new AbortController();
  const a = linkedSignal(parent.signal);
  const b = linkedSignal(parent.signal);
  b.dispose();
  parent.abort('why');
  assert.equal(a.signal.aborted, true);
  assert.equal(a.signal.reason, 'why');
  assert.equal(b.signal.aborted, false, 'a finished request is not reached by a later cancel');
  const already = linkedSignal(parent.signal);
  assert.equal(already.signal.aborted, true);
  assert.equal(linkedSignal(undefined).signal.aborted, false);
  const fresh = new AbortController();
  let inner: AbortSignal | undefined;
  assert.equal(await callLinked(fresh.signal, async (s) => ((inner = s), 42)), 42);
  fresh.abort();
  assert.equal(inner!.aborted, false, 'unlinked once the call settled');
});

test('datasync requests made while one runs share the next one; each waits for a sync begun after it', async () => {
  const { SyncCoalescer } = await import('../../src/transfer/engine/syncCoalescer.js');
  let started = 0;
  const releases: Array<() => void> = [];
  const s = new SyncCoalescer(
    () =>
      new Promise<void>((resolve) => {
        started++;
        releases.push(resolve);
      }),
  );
  const order: string[] = [];
  const a = s.sync().then(() => order.push('a'));
  const b = s.sync().then(() => order.push('b'));
  const c = s.sync().then(() => order.push('c'));
  await tick();
  assert.equal(started, 1);
  releases[0]!();
  await a;
  await tick();
  assert.deepEqual(order, ['a'], 'b and c asked during the first sync: it may predate their writes');
  assert.equal(started, 2, 'one shared follow-up sync, not two');
  releases[1]!();
  await Promise.all([b, c]);
  assert.deepEqual(order.sort(), ['a', 'b', 'c']);
});

test('written bytes past the threshold start a background flush that nobody waits for', async () => {
  const { SyncCoalescer } = await import('../../src/transfer/engine/syncCoalescer.js');
  let started = 0;
  const s = new SyncCoalescer(async () => {
    started++;
  }, 100);
  s.written(60);
  assert.equal(started, 0);
  s.written(60);
  assert.equal(started, 1, 'background flush after 120 >= 100 bytes');
  await tick();
  s.written(50);
  assert.equal(started, 1, 'the counter restarted at the flush');
  const never = new SyncCoalescer(async () => {
    started++;
  });
  never.written(1e9);
  assert.equal(started, 1, 'threshold 0 means no background flushes');
});

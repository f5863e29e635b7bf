import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RETRY, isTransient, nextRetryDelay, retryDelayMs, shouldRetry, sleep, withRetries, type RetryOptions } from '../../src/transfer/engine/retryPolicy.js';
import { TransferError } from '../../src/transfer/transferError.js';

const ossErr = (code: string, status: number, retryable: boolean, retryAfterMs?: number) =>
  Object.assign(new Error(code), { code, status, retryable, retryAfterMs, requestId: 'R' });
const fast: RetryOptions = { ...DEFAULT_RETRY, baseDelayMs: 1, maxDelayMs: 4, random: () => 0.5 };

test('transient: retryable OSS errors, socket errors and per-part integrity failures; not aborts or 4xx', () => {
  assert.equal(isTransient(ossErr('InternalError', 500, true)), true);
  assert.equal(isTransient(ossErr('AccessDenied', 403, false)), false);
  assert.equal(isTransient(ossErr('RequestAborted', 0, true)), false);
  assert.equal(isTransient(Object.assign(new Error('x'), { code: 'ECONNRESET' })), true);
  assert.equal(isTransient(Object.assign(new Error('x'), { code: 'ENOSPC' })), false);
  assert.equal(isTransient(new TransferError('CrcMismatch', 'x')), true);
  assert.equal(isTransient(new TransferError('FileChanged', 'x')), false);
  assert.equal(isTransient(new Error('plain')), false);
});

test('backoff grows exponentially with jitter, is capped, and honours Retry-After', () => {
  const lo: RetryOptions = { ...DEFAULT_RETRY, random: () => 0 };
  const hi: RetryOptions = { ...DEFAULT_RETRY, random: () => 0.999999 };
  const e = ossErr('InternalError', 500, true);
  assert.equal(retryDelayMs(1, e, lo), DEFAULT_RETRY.baseDelayMs / 2);
  assert.equal(retryDelayMs(3, e, lo), (DEFAULT_RETRY.baseDelayMs * 4) / 2);
  assert.ok(retryDelayMs(3, e, hi) <= DEFAULT_RETRY.baseDelayMs * 4);
  assert.ok(retryDelayMs(30, e, hi) <= DEFAULT_RETRY.maxDelayMs);
  assert.ok(retryDelayMs(1, ossErr('ServiceUnavailable', 503, true, 3000), lo) >= 3000);
  // A Retry-After beyond what we are willing to wait is not retried at all.
  assert.equal(shouldRetry(1, ossErr('ServiceUnavailable', 503, true, 10 * 60_000)), false);
  assert.equal(shouldRetry(DEFAULT_RETRY.maxAttempts, e), false);
  assert.equal(shouldRetry(1, e), true);
});

test('withRetries retries transient failures a bounded number of times', async () => {
  let calls = 0;
  const retried: number[] = [];
  const v = await withRetries(
    async () => {
      calls++;
      if (calls < 3) throw ossErr('InternalError', 500, true);
      return 'ok';
    },
    undefined,
    fast,
    (_e, a) => retried.push(a),
  );
  assert.equal(v, 'ok');
  assert.equal(calls, 3);
  assert.deepEqual(retried, [1, 2]);

  calls = 0;
  await assert.rejects(
    withRetries(async () => {
      calls++;
      throw ossErr('InternalError', 500, true);
    }, undefined, fast),
    (e: unknown) => (e as { code: string }).code === 'InternalError',
  );
  assert.equal(calls, fast.maxAttempts);

  calls = 0;
  await assert.rejects(withRetries(async () => {
    calls++;
    throw ossErr('AccessDenied', 403, false);
  }, undefined, fast));
  assert.equal(calls, 1, 'fatal errors are not retried');
});

test('sleep and withRetries stop at once with Aborted when the signal fires', async () => {
  const ac = new AbortController();
  const p = sleep(60_000, ac.signal);
  ac.abort();
  await assert.rejects(p, (e: unknown) => e instanceof TransferError && e.code === 'Aborted');
  const slow: RetryOptions = { ...fast, baseDelayMs: 60_000, maxDelayMs: 60_000 };
  const ac2 = new AbortController();
  const r = withRetries(async () => {
    queueMicrotask(() => ac2.abort());
    throw ossErr('InternalError', 500, true);
  }, ac2.signal, slow);
  await assert.rejects(r, (e: unknown) => e instanceof TransferError && e.code === 'Aborted');
});

// ---- the budgets (issue 15, item 12) ----

const lowJitter: RetryOptions = { ...DEFAULT_RETRY, random: () => 0 };
const highJitter: RetryOptions = { ...DEFAULT_RETRY, random: () => 0.999999 };

/** Every wait a request failing with `err` every time goes through, under `opts`. */
function schedule(err: unknown, opts: RetryOptions): number[] {
  const waits: number[] = [];
  for (let attempt = 1; shouldRetry(attempt, err, opts); attempt++) waits.push(retryDelayMs(attempt, err, opts));
  return waits;
}
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

test('throttling and 5xx are ridden out over about a minute, whatever the jitter', () => {
  for (const err of [ossErr('SlowDown', 503, true), ossErr('ServiceUnavailable', 503, true), ossErr('InternalError', 500, true), ossErr('TooManyRequests', 429, true)]) {
    for (const opts of [lowJitter, highJitter]) {
      const total = sum(schedule(err, opts));
      assert.ok(total >= 30_000 && total <= 90_000, `${err.code}: ${total} ms`);
    }
  }
  // A dropped connection is ridden out the same way (a network blip of tens of seconds).
  const reset = Object.assign(new Error('x'), { code: 'ECONNRESET' });
  assert.ok(sum(schedule(reset, lowJitter)) >= 30_000);
});

test('backoff is exponential, capped, and jittered within [ceiling/2, ceiling]; never a hot loop', () => {
  const e = ossErr('SlowDown', 503, true);
  let previousCeiling = 0;
  for (let attempt = 1; attempt <= 30; attempt++) {
    const ceiling = Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.baseDelayMs * 2 ** (attempt - 1));
    const lo = retryDelayMs(attempt, e, lowJitter);
    const hi = retryDelayMs(attempt, e, highJitter);
    assert.ok(lo >= ceiling / 2 && hi <= ceiling && lo <= hi, `attempt ${attempt}: ${lo}..${hi} vs ${ceiling}`);
    assert.ok(ceiling >= previousCeiling);
    previousCeiling = ceiling;
    // Even a server saying "Retry-After: 0" does not get hammered.
    assert.ok(retryDelayMs(attempt, ossErr('SlowDown', 503, true, 0), lowJitter) >= 250);
  }
  assert.ok(DEFAULT_RETRY.maxDelayMs <= 30_000, 'the cap keeps a recovered server from waiting on us long');
});

test('a timeout (stall, trickle, no answer) is retried fewer times: each attempt already waited', () => {
  const timeouts = [
    ossErr('RequestTimeout', 0, true),
    Object.assign(new Error('x'), { code: 'ETIMEDOUT' }),
    Object.assign(new Error('x'), { code: 'UND_ERR_BODY_TIMEOUT' }),
  ];
  for (const e of timeouts) {
    const waits = schedule(e, DEFAULT_RETRY);
    assert.equal(waits.length + 1, DEFAULT_RETRY.maxTimeoutAttempts, String((e as { code: string }).code));
    assert.ok(DEFAULT_RETRY.maxTimeoutAttempts <= 4 && DEFAULT_RETRY.maxTimeoutAttempts >= 2);
    assert.ok(sum(waits) < 10_000, 'the waits between them are short');
  }
  // Integrity failures keep their own small budget (as before: five attempts).
  assert.equal(schedule(new TransferError('CrcMismatch', 'x'), DEFAULT_RETRY).length + 1, DEFAULT_RETRY.maxIntegrityAttempts);
  assert.equal(DEFAULT_RETRY.maxIntegrityAttempts, 5);
});

test('Retry-After is honoured, but the total wait of one request stays within the retry window', () => {
  const slow = ossErr('SlowDown', 503, true, 50_000);
  assert.equal(nextRetryDelay(1, slow, 0, lowJitter), 50_000);
  assert.equal(nextRetryDelay(2, slow, 50_000, lowJitter), undefined, '100 s of waiting is past the window');
  assert.ok(DEFAULT_RETRY.retryWindowMs >= 60_000 && DEFAULT_RETRY.retryWindowMs <= 120_000);
  // The plain schedule fits inside the window: only a long Retry-After ends it early.
  const e = ossErr('InternalError', 500, true);
  let waited = 0;
  let attempts = 1;
  for (let d = nextRetryDelay(attempts, e, waited, highJitter); d !== undefined; d = nextRetryDelay(attempts, e, waited, highJitter)) {
    waited += d;
    attempts++;
  }
  assert.equal(attempts, DEFAULT_RETRY.maxAttempts);
  assert.ok(waited <= DEFAULT_RETRY.retryWindowMs);
  // Not retryable, or attempts used up: no delay at all.
  assert.equal(nextRetryDelay(1, ossErr('AccessDenied', 403, false), 0), undefined);
  assert.equal(nextRetryDelay(DEFAULT_RETRY.maxAttempts, e, 0), undefined);
});

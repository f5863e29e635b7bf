import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RETRY, isTransient, retryDelayMs, shouldRetry, sleep, withRetries, type RetryOptions } from '../../src/transfer/engine/retryPolicy.js';
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

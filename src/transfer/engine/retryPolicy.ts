// Which failures are worth another attempt and how long to wait before it. The OSS client never
// retries; the engine retries per part, so one flaky part does not restart the whole transfer.
import { TransferError } from '../transferError.js';

export interface RetryOptions {
  /** Attempts per request (the first included) when it meets throttling, a 5xx or a dropped connection. */
  maxAttempts: number;
  /**
   * Attempts when the failure was a timeout: a stall, a trickle below the speed floor, a server
   * that never answers. Each such attempt has already waited its timeout, so few are worth it.
   */
  maxTimeoutAttempts: number;
  /** Attempts when the bytes came back wrong (CRC-64 or length): a broken link or proxy rarely heals. */
  maxIntegrityAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After honoured; a server asking for more is treated as fatal for now. */
  maxRetryAfterMs: number;
  /** Longest total wait between the attempts of one request; only a long Retry-After reaches it. */
  retryWindowMs: number;
  /** [0,1) source for jitter; injectable so tests are deterministic. */
  random: () => number;
}

/**
 * Throttling and 5xx: 10 attempts, waits of 0.5, 1, 2, 4, 8 s then 15 s (each jittered down to
 * half), 38-76 s of waiting in all: a throttling episode of a minute is ridden out, and a server
 * back after a long one waits at most 15 s for us. The 15 s cap and the doubling keep even a
 * "Retry-After: 0" server from being hammered. Timeouts: 3 attempts, each already bounded by the
 * speed floor (20 s by default), so a stuck part is given up after about a minute instead of 5 x 60 s.
 */
export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 10,
  maxTimeoutAttempts: 3,
  maxIntegrityAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 15_000,
  maxRetryAfterMs: 60_000,
  retryWindowMs: 90_000,
  random: Math.random,
};

/** The fields of the client's OssError the engine needs, read without depending on the class identity. */
export interface OssErrorLike {
  code: string;
  status: number;
  retryable: boolean;
  retryAfterMs?: number;
  requestId?: string;
}

export function asOssError(err: unknown): OssErrorLike | undefined {
  if (err === null || typeof err !== 'object') return undefined;
  const e = err as Partial<OssErrorLike>;
  if (typeof e.code === 'string' && typeof e.status === 'number' && typeof e.retryable === 'boolean') return e as OssErrorLike;
  return undefined;
}

// Socket-level failures surfacing from a response body stream rather than as an OssError.
const TRANSIENT_NODE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

const TIMEOUT_NODE_CODES = new Set(['ETIMEDOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** A failure that already took the request's whole timeout (the client maps all of these to RequestTimeout). */
export function isTimeout(err: unknown): boolean {
  const oss = asOssError(err);
  if (oss) return oss.code === 'RequestTimeout';
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && TIMEOUT_NODE_CODES.has(code);
}

/** How many attempts (the first included) a request failing this way gets. */
export function attemptsFor(err: unknown, opts: RetryOptions = DEFAULT_RETRY): number {
  if (err instanceof TransferError) return opts.maxIntegrityAttempts;
  if (isTimeout(err)) return opts.maxTimeoutAttempts;
  return opts.maxAttempts;
}

export function isTransient(err: unknown): boolean {
  if (err instanceof TransferError) return err.code === 'CrcMismatch' || err.code === 'SizeMismatch';
  const oss = asOssError(err);
  if (oss) return oss.retryable && oss.code !== 'RequestAborted';
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && TRANSIENT_NODE_CODES.has(code);
}

/**
 * Delay before attempt `attempt + 1` (attempt counts from 1): exponential backoff with full
 * jitter, but never shorter than the server's Retry-After.
 */
export function retryDelayMs(attempt: number, err: unknown, opts: RetryOptions = DEFAULT_RETRY): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  // Full jitter spreads parallel parts that failed together; keep half so it still backs off.
  const jittered = ceiling / 2 + opts.random() * (ceiling / 2);
  const retryAfter = asOssError(err)?.retryAfterMs;
  if (retryAfter !== undefined && retryAfter > 0) return Math.max(jittered, Math.min(retryAfter, opts.maxRetryAfterMs));
  return Math.round(jittered);
}

export function shouldRetry(attempt: number, err: unknown, opts: RetryOptions = DEFAULT_RETRY): boolean {
  if (!isTransient(err) || attempt >= attemptsFor(err, opts)) return false;
  const retryAfter = asOssError(err)?.retryAfterMs;
  return retryAfter === undefined || retryAfter <= opts.maxRetryAfterMs;
}

/**
 * The wait before attempt `attempt + 1`, or undefined to give up: not worth retrying, attempts
 * used up, or `waitedMs` (already spent waiting between this request's attempts) plus this wait
 * would pass the retry window.
 */
export function nextRetryDelay(attempt: number, err: unknown, waitedMs: number, opts: RetryOptions = DEFAULT_RETRY): number | undefined {
  if (!shouldRetry(attempt, err, opts)) return undefined;
  const delay = retryDelayMs(attempt, err, opts);
  return waitedMs + delay > opts.retryWindowMs ? undefined : delay;
}

/** Resolves after `ms`, or rejects with TransferError Aborted as soon as `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortedError(signal?: AbortSignal): TransferError {
  return new TransferError('Aborted', 'The transfer was cancelled', { cause: signal?.reason });
}

/**
 * Runs `attemptFn` until it succeeds, fails with a non-transient error, or the attempts run out.
 * `onRetry` lets the caller take back progress of the failed attempt.
 */
export async function withRetries<T>(
  attemptFn: (attempt: number) => Promise<T>,
  signal: AbortSignal | undefined,
  opts: RetryOptions = DEFAULT_RETRY,
  onRetry?: (err: unknown, attempt: number) => void,
): Promise<T> {
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortedError(signal);
    try {
      return await attemptFn(attempt);
    } catch (err) {
      if (signal?.aborted) throw abortedError(signal);
      const delay = nextRetryDelay(attempt, err, waited, opts);
      if (delay === undefined) throw err;
      onRetry?.(err, attempt);
      waited += delay;
      await sleep(delay, signal);
    }
  }
}

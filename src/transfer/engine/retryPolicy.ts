// Which failures are worth another attempt and how long to wait before it. The OSS client never
// retries; the engine retries per part, so one flaky part does not restart the whole transfer.
import { TransferError } from '../transferError.js';

export interface RetryOptions {
  /** Attempts per part, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After honoured; a server asking for more is treated as fatal for now. */
  maxRetryAfterMs: number;
  /** [0,1) source for jitter; injectable so tests are deterministic. */
  random: () => number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 5,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
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
  if (attempt >= opts.maxAttempts || !isTransient(err)) return false;
  const retryAfter = asOssError(err)?.retryAfterMs;
  return retryAfter === undefined || retryAfter <= opts.maxRetryAfterMs;
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
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortedError(signal);
    try {
      return await attemptFn(attempt);
    } catch (err) {
      if (signal?.aborted) throw abortedError(signal);
      if (!shouldRetry(attempt, err, opts)) throw err;
      onRetry?.(err, attempt);
      await sleep(retryDelayMs(attempt, err, opts), signal);
    }
  }
}

// The one error type every OSS operation throws: server errors, network failures, timeouts and
// aborts all land here, so the engine can decide on retries from `retryable` alone.
// It never holds a secret or the Authorization header: only what the server or the socket said.

export interface OssErrorInit {
  code: string;
  /** The server's message (or our own description for local/network errors). */
  message: string;
  /** HTTP status; 0 when no HTTP response was received (network error, abort, bad input). */
  status: number;
  requestId?: string;
  hostId?: string;
  ec?: string;
  retryable?: boolean;
  retryAfterMs?: number;
  operation: string;
  bucket?: string;
  key?: string;
  details?: Record<string, string>;
  cause?: unknown;
}

/** Codes the client itself produces for failures without an HTTP response. */
export const NETWORK_ERROR = 'NetworkError';
export const REQUEST_TIMEOUT = 'RequestTimeout';
export const CONNECTION_RESET = 'ConnectionReset';
export const REQUEST_ABORTED = 'RequestAborted';

// Server codes worth retrying even though their status is 4xx: the clock check fails on a
// skewed or slow request and may pass on the next attempt; RequestTimeout is the server
// giving up on a slow body.
const RETRYABLE_CODES = new Set([
  NETWORK_ERROR,
  REQUEST_TIMEOUT,
  CONNECTION_RESET,
  'RequestTimeTooSkewed',
  'InternalError',
  'ServiceUnavailable',
  'SlowDown',
  'TooManyRequests',
]);

export function isRetryable(status: number, code: string): boolean {
  if (code === REQUEST_ABORTED) return false;
  if (RETRYABLE_CODES.has(code)) return true;
  return status >= 500 || status === 429;
}

export class OssError extends Error {
  override readonly name = 'OssError';
  readonly code: string;
  /** What the server (or the local failure) said, without the code/status/request id decoration. */
  readonly serverMessage: string;
  readonly status: number;
  /** '' when there was no response or the response carried none. */
  readonly requestId: string;
  readonly hostId: string;
  readonly ec: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly operation: string;
  readonly bucket?: string;
  readonly key?: string;
  readonly details: Record<string, string>;

  constructor(init: OssErrorInit) {
    super(formatMessage(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.serverMessage = init.message;
    this.status = init.status;
    this.requestId = init.requestId ?? '';
    this.hostId = init.hostId ?? '';
    this.ec = init.ec ?? '';
    this.retryable = init.retryable ?? isRetryable(init.status, init.code);
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    this.operation = init.operation;
    if (init.bucket !== undefined) this.bucket = init.bucket;
    if (init.key !== undefined) this.key = init.key;
    this.details = { ...(init.details ?? {}) };
  }

  override toString(): string {
    return `${this.name}: ${this.message}`;
  }

  /** A plain object for logs (JSON.stringify of an Error drops everything useful). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.serverMessage,
      status: this.status,
      requestId: this.requestId,
      hostId: this.hostId,
      ec: this.ec,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      operation: this.operation,
      bucket: this.bucket,
      key: this.key,
      details: this.details,
    };
  }
}

function formatMessage(init: OssErrorInit): string {
  const where = init.bucket === undefined ? '' : ` on ${init.bucket}${init.key === undefined ? '' : '/' + init.key}`;
  const status = init.status === 0 ? 'no HTTP response' : `HTTP ${init.status}`;
  const rid = init.requestId ? `, RequestId ${init.requestId}` : '';
  const ec = init.ec ? `, EC ${init.ec}` : '';
  return `${init.code}: ${init.message} (${status}${rid}${ec}; ${init.operation}${where})`;
}

export function isOssError(e: unknown): e is OssError {
  return e instanceof OssError;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - now);
}

/** Which request a failure belongs to: named in every OssError built from it. */
export interface ErrorContext {
  operation: string;
  bucket?: string;
  key?: string;
}

// Turns a failed HTTP exchange into an OssError: the server's <Error> document when there is
// one (in the body, or base64 in `x-oss-err` for HEAD), otherwise a code guessed from the status
// so callers can still branch on it. Also maps socket-level failures to retryable codes.
import {
  CONNECTION_RESET,
  NETWORK_ERROR,
  OssError,
  REQUEST_ABORTED,
  REQUEST_TIMEOUT,
  type ErrorContext,
} from './ossError.js';
import { BadHeaderValue, invalidResponse, parseRetryAfterHeader } from './responseHeaders.js';
import { parseErrorDocument } from './xml/responseParsers.js';

// ErrorContext lives beside OssError so the header checks need not import this file; kept exported here for callers.
export type { ErrorContext } from './ossError.js';

export interface HttpFailure extends ErrorContext {
  status: number;
  headers: Record<string, string>;
  /** The response body as text ('' for HEAD or an empty body). */
  body: string;
  now?: number;
}

/** The code a body-less response most likely means. */
export function codeForStatus(status: number, ctx: ErrorContext): string {
  switch (status) {
    case 304:
      return 'NotModified';
    case 400:
      return 'BadRequest';
    case 403:
      return 'AccessDenied';
    case 404:
      // Without a body we cannot tell a missing key from a missing bucket; object operations
      // almost always mean the key.
      return ctx.key !== undefined ? 'NoSuchKey' : 'NoSuchBucket';
    case 405:
      return 'MethodNotAllowed';
    case 409:
      return 'Conflict';
    case 412:
      return 'PreconditionFailed';
    case 416:
      return 'InvalidRange';
    case 429:
      return 'TooManyRequests';
    case 500:
      return 'InternalError';
    case 503:
      return 'ServiceUnavailable';
    default:
      return status >= 500 ? 'InternalError' : `HttpStatus${status}`;
  }
}

function decodeErrHeader(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return Buffer.from(value, 'base64').toString('utf8');
  } catch {
    return undefined;
  }
}

/** How much of a non-XML body is searched for visible text (as much as an error body keeps). */
const SNIPPET_SCAN = 64 * 1024;

/**
 * Drops each `<tag ...>...</tag>` block (case-insensitive, `lower` being `text` with ASCII
 * lower-cased). Once a block has no closing tag, no later one can have one either: the rest stays.
 */
function dropBlocks(text: string, lower: string, tag: string): { text: string; lower: string } {
  let out = '';
  let outLower = '';
  let from = 0;
  for (let open = lower.indexOf(`<${tag}`); open !== -1; open = lower.indexOf(`<${tag}`, from)) {
    const close = lower.indexOf(`</${tag}>`, open);
    if (close === -1) break;
    out += text.slice(from, open) + ' ';
    outLower += lower.slice(from, open) + ' ';
    from = close + tag.length + 3;
  }
  return { text: out + text.slice(from), lower: outLower + lower.slice(from) };
}

/**
 * Visible text of a non-XML body, shortened, for the message. Every step is linear: a body made
 * of thousands of unclosed `<` or `<script` would otherwise cost quadratic regex backtracking
 * (64 KiB of `<` froze the event loop for 6 s).
 */
function bodySnippet(body: string): string {
  const head = body.length > SNIPPET_SCAN ? body.slice(0, SNIPPET_SCAN) : body;
  // ASCII only, so indexes in `lower` stay those of `head`.
  let cut = { text: head, lower: head.replace(/[A-Z]/g, (c) => c.toLowerCase()) };
  cut = dropBlocks(cut.text, cut.lower, 'script');
  cut = dropBlocks(cut.text, cut.lower, 'style');
  // `[^<>]`: a match attempt ends at the next '<', so no stretch of text is scanned twice.
  const text = cut.text
    .replace(/<[^<>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 200 ? text.slice(0, 200) + '...' : text;
}

/**
 * The server's error, except when it asks to be retried after a Retry-After that does not parse:
 * then InvalidResponse naming the header, still retryable (the engine backs off on its own).
 * On an error nobody retries, Retry-After is never read.
 */
export function errorFromHttpFailure(f: HttpFailure): OssError {
  const raw = f.headers['retry-after'];
  let retryAfterMs: number | undefined;
  let bad: BadHeaderValue | undefined;
  try {
    if (raw !== undefined && raw.trim() !== '') retryAfterMs = parseRetryAfterHeader(raw, f.now ?? Date.now());
  } catch (e) {
    if (!(e instanceof BadHeaderValue)) throw e;
    bad = e;
  }
  const err = serverError(f, retryAfterMs);
  if (bad && err.retryable) return invalidResponse(f, f.status, err.requestId, bad, { retryable: true, serverCode: err.code });
  return err;
}

function serverError(f: HttpFailure, retryAfterMs: number | undefined): OssError {
  const requestId = f.headers['x-oss-request-id'] ?? '';
  const ecHeader = f.headers['x-oss-ec'] ?? '';
  const doc = parseErrorDocument(f.body) ?? parseErrorDocument(decodeErrHeader(f.headers['x-oss-err']) ?? '');
  const base = { operation: f.operation, bucket: f.bucket, key: f.key, status: f.status };
  if (retryAfterMs !== undefined) Object.assign(base, { retryAfterMs });

  if (doc && doc.code) {
    return new OssError({
      ...base,
      code: doc.code,
      message: doc.message || `the server answered ${doc.code}`,
      requestId: doc.requestId || requestId,
      hostId: doc.hostId,
      ec: doc.ec || ecHeader,
      details: doc.details,
    });
  }
  const code = codeForStatus(f.status, f);
  const snippet = bodySnippet(f.body);
  const contentType = f.headers['content-type'] ?? '';
  const message =
    f.body.trim() === ''
      ? `HTTP ${f.status} without an error body`
      : `HTTP ${f.status} with a non-OSS body${contentType ? ` (${contentType})` : ''}: ${snippet}`;
  const details: Record<string, string> = {};
  if (snippet) details.body = snippet;
  return new OssError({ ...base, code, message, requestId, ec: ecHeader, details });
}

/** The request was cancelled through its AbortSignal. */
export function abortedError(ctx: ErrorContext, cause?: unknown): OssError {
  return new OssError({
    ...ctx,
    code: REQUEST_ABORTED,
    message: 'the request was aborted',
    status: 0,
    retryable: false,
    cause,
  });
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
]);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED', 'UND_ERR_CLOSED']);

/** A failure below HTTP (socket, DNS, TLS, timeout). Always retryable except for aborts. */
export function networkError(err: unknown, ctx: ErrorContext): OssError {
  if (err instanceof OssError) return err;
  const e = err as { code?: unknown; message?: unknown; name?: unknown; cause?: { code?: unknown } } | undefined;
  const sysCode = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : '';
  const msg = typeof e?.message === 'string' ? e.message : String(err);
  if (e?.name === 'AbortError' || sysCode === 'UND_ERR_ABORTED' || sysCode === 'ABORT_ERR') {
    return abortedError(ctx, err);
  }
  if (sysCode === 'UND_ERR_INVALID_ARG' || sysCode === 'ERR_INVALID_CHAR' || sysCode === 'ERR_INVALID_HTTP_TOKEN') {
    // undici refused the request itself (e.g. a header value with a newline): a caller error.
    return new OssError({ ...ctx, code: 'InvalidArgument', message: msg, status: 0, retryable: false, cause: err });
  }
  let code = NETWORK_ERROR;
  if (TIMEOUT_CODES.has(sysCode)) code = REQUEST_TIMEOUT;
  else if (RESET_CODES.has(sysCode)) code = CONNECTION_RESET;
  return new OssError({
    ...ctx,
    code,
    message: sysCode ? `${msg} [${sysCode}]` : msg,
    status: 0,
    retryable: true,
    details: sysCode ? { systemCode: sysCode } : {},
    cause: err,
  });
}

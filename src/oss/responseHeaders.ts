// The header values the client reads from a server's answer, checked where they are read. A
// CRC-64, ETag, length, range, date or Retry-After that does not parse becomes an OssError
// 'InvalidResponse' naming the header: never a raw TypeError from CRC parsing deep in the engine,
// never a NaN size or a silently dropped range.
import { OssError, type ErrorContext } from './ossError.js';
import { parseOssDate } from './signing/ossDate.js';

export const INVALID_RESPONSE = 'InvalidResponse';

const MAX_CRC64 = 0xffff_ffff_ffff_ffffn;
/** Real ETags are 34-40 characters; this only stops a hostile one from filling checkpoints and logs. */
const MAX_ETAG_LENGTH = 1024;
/** Printable ASCII: an ETag is sent back in If-Match and Complete, where controls and non-ASCII break the request. */
const ETAG_CHARS = /^[\x20-\x7e]+$/;
const MISSING = 'is missing';
const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;

/** How each header is named in messages. */
const DISPLAY: Record<string, string> = {
  etag: 'ETag',
  'content-length': 'Content-Length',
  'content-range': 'Content-Range',
  'last-modified': 'Last-Modified',
  'retry-after': 'Retry-After',
};

export interface ContentRange {
  start: number;
  end: number;
  /** -1 when the server sent '*' (total unknown). */
  total: number;
}

/** A header value that does not parse; `why` says what was expected. */
export class BadHeaderValue extends Error {
  constructor(
    readonly header: string,
    readonly value: string,
    readonly why: string,
  ) {
    super(why === MISSING ? `the answer has no ${displayName(header)} header` : `the ${displayName(header)} header ${shown(value)} ${why}`);
    this.name = 'BadHeaderValue';
  }
}

export function displayName(header: string): string {
  return DISPLAY[header] ?? header;
}

/** Quoted with control characters escaped, and shortened: a hostile value must not flood a message. */
function shown(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value);
}

function wholeNumber(header: string, value: string): number {
  const v = value.trim();
  if (!/^\d+$/.test(v)) throw new BadHeaderValue(header, value, 'is not a whole number of bytes');
  if (!Number.isSafeInteger(Number(v))) throw new BadHeaderValue(header, value, 'is too large for a byte count');
  return Number(v);
}

/** x-oss-hash-crc64ecma: decimal unsigned 64-bit; returned in canonical form (no leading zeros). */
export function parseCrc64Header(value: string, header = 'x-oss-hash-crc64ecma'): string {
  const v = value.trim();
  if (!/^\d{1,20}$/.test(v)) throw new BadHeaderValue(header, value, 'is not a decimal CRC-64');
  const n = BigInt(v);
  if (n > MAX_CRC64) throw new BadHeaderValue(header, value, 'is larger than a 64-bit CRC can be');
  return n.toString(10);
}

export function parseEtagHeader(value: string): string {
  const v = value.trim();
  if (v === '') throw new BadHeaderValue('etag', value, 'is empty');
  if (v.length > MAX_ETAG_LENGTH) throw new BadHeaderValue('etag', value, `is longer than ${MAX_ETAG_LENGTH} characters`);
  if (!ETAG_CHARS.test(v)) throw new BadHeaderValue('etag', value, 'holds control or non-ASCII characters');
  return v;
}

export function parseContentRangeHeader(value: string): ContentRange {
  const m = CONTENT_RANGE.exec(value.trim());
  if (!m) throw new BadHeaderValue('content-range', value, "is not of the form 'bytes first-last/total'");
  const start = Number(m[1]);
  const end = Number(m[2]);
  const total = m[3] === '*' ? -1 : Number(m[3]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || !Number.isSafeInteger(total)) {
    throw new BadHeaderValue('content-range', value, 'holds a number too large for a byte offset');
  }
  if (end < start) throw new BadHeaderValue('content-range', value, 'ends before it starts');
  if (total !== -1 && end >= total) throw new BadHeaderValue('content-range', value, 'ends past the object');
  return { start, end, total };
}

/** An HTTP date (IMF-fixdate, as every server must send), returned as sent. */
export function parseDateHeader(header: string, value: string): string {
  if (!parseOssDate(value)) throw new BadHeaderValue(header, value, 'is not an HTTP date');
  return value.trim();
}

/**
 * Retry-After in ms from `now`: delta-seconds (fractions tolerated) or an HTTP date. Absurdly
 * large values are kept as large (the engine refuses to wait that long), not rejected.
 */
export function parseRetryAfterHeader(value: string, now: number): number {
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.min(Number.MAX_SAFE_INTEGER, Math.round(Number(v) * 1000));
  const date = parseOssDate(v);
  if (!date) throw new BadHeaderValue('retry-after', value, 'is neither a number of seconds nor an HTTP date');
  return Math.max(0, date.getTime() - now);
}

/** The OssError for a bad header value in an answer of `status`. */
export function invalidResponse(ctx: ErrorContext, status: number, requestId: string, bad: BadHeaderValue, extra: { retryable?: boolean; serverCode?: string } = {}): OssError {
  const details: Record<string, string> = { header: displayName(bad.header), value: bad.value.slice(0, 200) };
  if (extra.serverCode) details.serverCode = extra.serverCode;
  return new OssError({
    ...ctx,
    code: INVALID_RESPONSE,
    message: extra.serverCode ? `the server answered ${extra.serverCode}, but ${bad.message}` : bad.message,
    status,
    requestId,
    retryable: extra.retryable ?? false,
    details,
    cause: bad,
  });
}

/** Reads one success answer's headers, each checked as it is read. */
export class ResponseHeaders {
  constructor(
    private readonly headers: Record<string, string>,
    private readonly ctx: ErrorContext,
    private readonly status: number,
  ) {}

  private fail(bad: BadHeaderValue): OssError {
    return invalidResponse(this.ctx, this.status, this.headers['x-oss-request-id'] ?? '', bad);
  }

  private read<T>(name: string, required: boolean, parse: (v: string) => T): T | undefined {
    const v = this.headers[name];
    try {
      if (v === undefined || v.trim() === '') {
        if (required) throw new BadHeaderValue(name, v ?? '', MISSING);
        return undefined;
      }
      return parse(v);
    } catch (e) {
      if (e instanceof BadHeaderValue) throw this.fail(e);
      throw e;
    }
  }

  crc64(): string | undefined {
    return this.read('x-oss-hash-crc64ecma', false, (v) => parseCrc64Header(v));
  }

  /** '' when absent and not required. */
  etag(required: boolean): string {
    return this.read('etag', required, parseEtagHeader) ?? '';
  }

  contentLength(required: true): number;
  contentLength(required: false): number | undefined;
  contentLength(required: boolean): number | undefined {
    return this.read('content-length', required, (v) => wholeNumber('content-length', v));
  }

  contentRange(required: boolean): ContentRange | undefined {
    return this.read('content-range', required, parseContentRangeHeader);
  }

  date(name: string): string | undefined {
    return this.read(name, false, (v) => parseDateHeader(name, v));
  }
}

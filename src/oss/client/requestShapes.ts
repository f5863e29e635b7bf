// What the operation families hand the request path (an Op) and get back (a RawResponse), and the
// small steps they share: query and header maps, response metadata, argument checks.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { type PreparedBody } from '../http/bodySource.js';
import { type ErrorContext } from '../errorResponse.js';
import { OssError } from '../ossError.js';
import { ResponseHeaders } from '../responseHeaders.js';
import type { BaseOptions, PutObjectResult, ResponseMeta, UploadPartResult } from '../types.js';

export interface Op {
  operation: string;
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  bucket?: string;
  key?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: PreparedBody;
  signal?: AbortSignal;
  onUploadProgress?: (sentBytes: number) => void;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Readable;
}

export function invalidArgument(ctx: ErrorContext, message: string, code = 'InvalidArgument'): OssError {
  return new OssError({ ...ctx, code, message, status: 0, retryable: false });
}

export function meta(res: RawResponse): ResponseMeta {
  return { status: res.status, requestId: res.headers['x-oss-request-id'] ?? '', headers: res.headers };
}

/** Adds the entries whose value is set; empty strings are dropped (V4 should not sign empty values). */
export function defined(q: Record<string, string | number | boolean | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') out[k] = String(v);
  return out;
}

export function lowerCaseHeaders(h: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = String(v);
  return out;
}

export function optionalHeader(headers: Record<string, string>, name: string): string | undefined {
  const v = headers[name];
  return v === undefined || v === '' ? undefined : v;
}

/**
 * The result of a request that stored bytes (PutObject, UploadPart): its ETag (required for a part:
 * Complete names parts by it) and, if sent, CRC-64.
 */
export function storedResult(res: RawResponse, ctx: ErrorContext, etagRequired: boolean): PutObjectResult & UploadPartResult {
  const h = new ResponseHeaders(res.headers, ctx, res.status);
  const result: PutObjectResult = { ...meta(res), etag: h.etag(etagRequired) };
  const crc = h.crc64();
  if (crc !== undefined) result.crc64 = crc;
  return result;
}

export function md5Base64(data: Buffer | string): string {
  return createHash('md5').update(data).digest('base64');
}

export function checkMax(ctx: ErrorContext, name: string, v: number | undefined, max: number): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > max)) {
    throw invalidArgument(ctx, `${name} must be a whole number in 1..${max}, got ${v}`);
  }
}

/** x-oss-traffic-limit's bounds, bit/s (OSS: 100 KB/s to 100 MB/s). */
export const TRAFFIC_LIMIT_MIN = 819_200;
export const TRAFFIC_LIMIT_MAX = 838_860_800;

/** Adds x-oss-traffic-limit to `headers` when asked for, after checking it is a value OSS accepts. */
export function addTrafficLimit(ctx: ErrorContext, headers: Record<string, string>, bitsPerSecond: number | undefined): void {
  if (bitsPerSecond === undefined) return;
  if (!Number.isInteger(bitsPerSecond) || bitsPerSecond < TRAFFIC_LIMIT_MIN || bitsPerSecond > TRAFFIC_LIMIT_MAX) {
    throw invalidArgument(ctx, `trafficLimit must be a whole number of bits per second in ${TRAFFIC_LIMIT_MIN}..${TRAFFIC_LIMIT_MAX}, got ${bitsPerSecond}`);
  }
  headers['x-oss-traffic-limit'] = String(bitsPerSecond);
}

export function signalOf(o: BaseOptions): { signal?: AbortSignal } {
  return o.signal ? { signal: o.signal } : {};
}

/**
 * Drains a body nobody reads. The listener matters: an abort that lands after the headers but before
 * the (empty) body ended errors the stream, and an 'error' with no listener would crash the process.
 */
export function discardBody(body: NodeJS.ReadableStream): void {
  body.on('error', () => {});
  body.resume();
}

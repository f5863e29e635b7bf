// Object metadata carried in request headers (Content-Type, x-oss-meta-*, storage class, the
// standard headers OSS stores) and the headers an object is served with.
import { formatRfc1123 } from '../../src/oss/signing/ossDate.js';
import type { ObjectMeta } from './diskStore.js';
import { quoteEtag } from './objectLookup.js';
import { OssServerError, invalidArgument, invalidDigest } from './ossServerError.js';
import type { RequestContext } from './requestContext.js';
import type { Headers } from './responses.js';

const STORAGE_CLASSES = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'];
const STORED_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'];
const MAX_OBJECT_BYTES = 5 * 1024 ** 3;

/** What an upload (PutObject, InitiateMultipartUpload) stores from its headers; objects and uploads keep it. */
export interface UploadHeaders {
  contentType: string;
  /** x-oss-meta-* headers, lower-case names */
  meta: Record<string, string>;
  /** stored standard headers (cache-control, content-disposition, content-encoding, expires ...) */
  headers: Record<string, string>;
  storageClass: string;
}

export function parseStorageClass(value: string | undefined, fallback: string): string {
  if (value === undefined || value === '') return fallback;
  const match = STORAGE_CLASSES.find((c) => c.toLowerCase() === value.toLowerCase());
  if (!match) throw invalidArgument(`Unknown storage class "${value}"; use one of ${STORAGE_CLASSES.join(', ')}.`, 'x-oss-storage-class', value);
  return match;
}

export function uploadHeaders(ctx: RequestContext): UploadHeaders {
  const meta: Record<string, string> = {};
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(ctx.headers)) {
    if (name.startsWith('x-oss-meta-')) meta[name] = value;
    else if (STORED_HEADERS.includes(name)) headers[name] = value;
  }
  return {
    contentType: ctx.headers['content-type'] || 'application/octet-stream',
    meta,
    headers,
    storageClass: parseStorageClass(ctx.headers['x-oss-storage-class'], 'Standard'),
  };
}

/** The Content-MD5 the client announced (16 raw bytes), if any. */
export function expectedMd5(ctx: RequestContext): Buffer | undefined {
  const v = ctx.headers['content-md5'];
  if (v === undefined) return undefined;
  const raw = Buffer.from(v, 'base64');
  if (raw.length !== 16 || raw.toString('base64') !== v.trim()) {
    throw invalidDigest('The Content-MD5 you specified is not valid: it must be the base64 of 16 bytes.');
  }
  return raw;
}

export function checkMd5(expected: Buffer | undefined, actual: Buffer): void {
  if (expected && !expected.equals(actual)) {
    throw invalidDigest('The Content-MD5 you specified did not match what we received.');
  }
}

export function checkDeclaredSize(ctx: RequestContext): void {
  const cl = ctx.headers['content-length'];
  if (cl !== undefined && Number(cl) > MAX_OBJECT_BYTES) {
    // UNCONFIRMED status for OSS (oss-protocol.md §5): 400 EntityTooLarge, as S3 answers.
    throw new OssServerError(400, 'EntityTooLarge', `Your proposed upload exceeds the maximum allowed size of ${MAX_OBJECT_BYTES} bytes.`);
  }
}

export function objectHeaders(meta: ObjectMeta): Headers {
  const h: Headers = {
    'Content-Type': meta.contentType,
    ETag: quoteEtag(meta.etag),
    'Last-Modified': formatRfc1123(new Date(meta.lastModified)),
    'x-oss-object-type': meta.objectType,
    'x-oss-storage-class': meta.storageClass,
    'x-oss-hash-crc64ecma': meta.crc64,
    'Accept-Ranges': 'bytes',
  };
  for (const [k, v] of Object.entries(meta.headers)) h[k] = v;
  for (const [k, v] of Object.entries(meta.meta)) h[k] = v;
  return h;
}

// Object operations: Head, Get, Put, Delete, DeleteMultipleObjects, Copy.
import { prepareBody } from '../http/bodySource.js';
import { ResponseHeaders } from '../responseHeaders.js';
import { encodeKeyForPath } from '../signing/uriEncode.js';
import { parseCopyObject, parseDeleteResult } from '../xml/responseParsers.js';
import type {
  CopyObjectOptions,
  CopyObjectResult,
  DeleteObjectsOptions,
  DeleteObjectsResult,
  GetObjectOptions,
  GetObjectResult,
  HeadObjectResult,
  ObjectOptions,
  PutObjectOptions,
  PutObjectResult,
  ResponseMeta,
} from '../types.js';
import { buildDeleteBody } from '../xml/xmlBuild.js';
import type { RequestPath } from './requestPath.js';
import {
  addTrafficLimit,
  invalidArgument,
  meta,
  lowerCaseHeaders,
  optionalHeader,
  storedResult,
  md5Base64,
  signalOf,
} from './requestShapes.js';
import { DELETE_BATCH } from './clientDefaults.js';

export async function headObject(rp: RequestPath, opts: ObjectOptions): Promise<HeadObjectResult> {
  const ctx = { operation: 'HeadObject', bucket: opts.bucket, key: opts.key };
  const res = await rp.sendEmpty({ ...ctx, method: 'HEAD', ...signalOf(opts) });
  const h = res.headers;
  const checked = new ResponseHeaders(h, ctx, res.status);
  const metaHeaders: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (k.startsWith('x-oss-meta-')) metaHeaders[k.slice('x-oss-meta-'.length)] = v;
  const result: HeadObjectResult = {
    ...meta(res),
    // Required: a HEAD without a size would plan a download of nothing; without an ETag, one without If-Match.
    size: checked.contentLength(true),
    etag: checked.etag(true),
    lastModified: checked.date('last-modified') ?? '',
    meta: metaHeaders,
  };
  const crc = checked.crc64();
  if (crc !== undefined) result.crc64 = crc;
  const ct = optionalHeader(h, 'content-type');
  if (ct) result.contentType = ct;
  const ot = optionalHeader(h, 'x-oss-object-type');
  if (ot) result.objectType = ot;
  const sc = optionalHeader(h, 'x-oss-storage-class');
  if (sc) result.storageClass = sc;
  return result;
}

/** The body streams; the caller must consume or destroy it. Aborting the signal destroys it. */
export async function getObject(rp: RequestPath, opts: GetObjectOptions): Promise<GetObjectResult> {
  const ctx = { operation: 'GetObject', bucket: opts.bucket, key: opts.key };
  const headers = lowerCaseHeaders(opts.headers);
  if (opts.range) {
    const { start, end } = opts.range;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
      throw invalidArgument(ctx, `range must be whole numbers with 0 <= start <= end, got ${start}-${end}`);
    }
    headers['range'] = `bytes=${start}-${end}`;
  }
  if (opts.ifMatch) headers['if-match'] = opts.ifMatch;
  if (opts.ifNoneMatch) headers['if-none-match'] = opts.ifNoneMatch;
  if (opts.strictRange) headers['x-oss-range-behavior'] = 'standard';
  addTrafficLimit(ctx, headers, opts.trafficLimit);
  const res = await rp.send({ ...ctx, method: 'GET', headers, ...signalOf(opts) });
  const h = res.headers;
  const checked = new ResponseHeaders(h, ctx, res.status);
  let result: GetObjectResult;
  try {
    result = {
      ...meta(res),
      body: res.body,
      // Absent when the body is chunked.
      contentLength: checked.contentLength(false) ?? -1,
      // Optional here: the engine compares it with HEAD's, where it is required.
      etag: checked.etag(false),
      lastModified: checked.date('last-modified') ?? '',
    };
    // A 206 must say which bytes it holds (a ranged answer without it cannot be placed).
    const cr = checked.contentRange(res.status === 206);
    if (cr) result.contentRange = cr;
    const crc = checked.crc64();
    if (crc !== undefined) result.crc64 = crc;
  } catch (e) {
    res.body.on('error', () => undefined);
    res.body.destroy();
    throw e;
  }
  const ct = optionalHeader(h, 'content-type');
  if (ct) result.contentType = ct;
  return result;
}

export async function putObject(rp: RequestPath, opts: PutObjectOptions): Promise<PutObjectResult> {
  const ctx = { operation: 'PutObject', bucket: opts.bucket, key: opts.key };
  const headers = lowerCaseHeaders(opts.headers);
  headers['content-type'] = opts.contentType ?? headers['content-type'] ?? 'application/octet-stream';
  if (opts.contentMd5) headers['content-md5'] = opts.contentMd5;
  addTrafficLimit(ctx, headers, opts.trafficLimit);
  const body = await rp.body(ctx, opts.body, opts.contentLength);
  const res = await rp.sendEmpty({
    ...ctx,
    method: 'PUT',
    headers,
    body,
    ...signalOf(opts),
    ...(opts.onUploadProgress ? { onUploadProgress: opts.onUploadProgress } : {}),
  });
  return storedResult(res, ctx, false);
}

/** 204 whether or not the key existed (OSS semantics). */
export async function deleteObject(rp: RequestPath, opts: ObjectOptions): Promise<ResponseMeta> {
  const res = await rp.sendEmpty({ operation: 'DeleteObject', method: 'DELETE', bucket: opts.bucket, key: opts.key, ...signalOf(opts) });
  return meta(res);
}

/**
 * Deletes in batches of 1000 (one request each, in order). The metadata is the last
 * request's; an empty key list sends nothing and returns status 0.
 */
export async function deleteObjects(rp: RequestPath, opts: DeleteObjectsOptions): Promise<DeleteObjectsResult> {
  const ctx = { operation: 'DeleteMultipleObjects', bucket: opts.bucket };
  if (!Array.isArray(opts.keys)) throw invalidArgument(ctx, 'keys must be an array of object keys');
  for (const k of opts.keys) if (typeof k !== 'string' || k === '') throw invalidArgument(ctx, 'keys must not hold empty keys', 'InvalidObjectName');
  const deleted: string[] = [];
  let last: ResponseMeta = { status: 0, requestId: '', headers: {} };
  for (let i = 0; i < opts.keys.length; i += DELETE_BATCH) {
    let xml: string;
    try {
      xml = buildDeleteBody(opts.keys.slice(i, i + DELETE_BATCH), opts.quiet ?? false);
    } catch (e) {
      throw invalidArgument(ctx, (e as Error).message, 'InvalidObjectName');
    }
    const body = await prepareBody(xml);
    const { res, value } = await rp.sendXml(
      {
        ...ctx,
        method: 'POST',
        query: { delete: '', 'encoding-type': 'url' },
        headers: { 'content-type': 'application/xml', 'content-md5': md5Base64(xml) },
        body,
        ...signalOf(opts),
      },
      parseDeleteResult,
    );
    // One at a time: spreading a long array into push() overflows the call stack.
    for (const k of value.deleted) deleted.push(k);
    last = meta(res);
  }
  return { ...last, deleted };
}

export async function copyObject(rp: RequestPath, opts: CopyObjectOptions): Promise<CopyObjectResult> {
  const ctx = { operation: 'CopyObject', bucket: opts.bucket, key: opts.key };
  if (!opts.sourceBucket || !opts.sourceKey) throw invalidArgument(ctx, 'sourceBucket and sourceKey are required');
  const headers = lowerCaseHeaders(opts.headers);
  headers['x-oss-copy-source'] = `/${opts.sourceBucket}/${encodeKeyForPath(opts.sourceKey)}`;
  const { res, value } = await rp.sendXml({ ...ctx, method: 'PUT', headers, ...signalOf(opts) }, parseCopyObject);
  return { ...meta(res), ...value };
}

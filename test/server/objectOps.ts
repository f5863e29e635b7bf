// Single-object operations: HeadObject, GetObject, PutObject, DeleteObject, CopyObject, and the
// batch DeleteMultipleObjects.
import { createHash } from 'node:crypto';
import { link, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { rfc3986Encode } from '../../src/oss/signing/uriEncode.js';
import { readSmallBody, receiveVerified } from './bodyReceiver.js';
import type { BucketState } from './diskStore.js';
import {
  checkDeclaredSize,
  checkMd5,
  expectedMd5,
  objectHeaders,
  uploadHeaders,
} from './metaHeaders.js';
import { linkAll } from './linkAll.js';
import { checkObjectName } from './naming.js';
import { quoteEtag, requireBucket, requireObject } from './objectLookup.js';
import { OssServerError, invalidArgument, invalidDigest, malformedXml, noSuchKey } from './ossServerError.js';
import { checkConditions, resolveRange } from './rangeRequest.js';
import type { RequestContext } from './requestContext.js';
import { respond, sendXml, type Headers } from './responses.js';
import { parseXmlBody, xmlList, xmlText } from './xmlReader.js';

const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'Content-Type',
  'response-content-language': 'Content-Language',
  'response-expires': 'Expires',
  'response-cache-control': 'Cache-Control',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
};

function forbidOverwrite(ctx: RequestContext): boolean {
  return (ctx.headers['x-oss-forbid-overwrite'] ?? '').toLowerCase() === 'true';
}

function alreadyExists(key: string): OssServerError {
  return new OssServerError(409, 'FileAlreadyExists', 'The object you specified already exists and can not be overwritten.', { Key: key });
}

export async function headObject(ctx: RequestContext): Promise<void> {
  const { meta } = requireObject(ctx);
  checkConditions(ctx.headers, meta);
  // HEAD announces the body's length without sending it
  await respond(ctx, 200, objectHeaders(meta), { bucket: ctx.bucket!, meta, start: 0, end: meta.size - 1 });
}

export async function getObject(ctx: RequestContext): Promise<void> {
  const { meta } = requireObject(ctx);
  checkConditions(ctx.headers, meta);
  const standard = (ctx.headers['x-oss-range-behavior'] ?? '').toLowerCase() === 'standard';
  const range = resolveRange(ctx.headers.range, meta.size, standard);
  const headers: Headers = objectHeaders(meta);
  for (const [param, header] of Object.entries(RESPONSE_OVERRIDES)) {
    if (ctx.query[param] !== undefined) headers[header] = ctx.query[param];
  }
  // x-oss-hash-crc64ecma stays the whole object's CRC on a 206 (it is object metadata); a client
  // checks a range by folding range CRCs and comparing with HEAD's value.
  if (range) {
    headers['Content-Range'] = `bytes ${range.start}-${range.end}/${meta.size}`;
    await respond(ctx, 206, headers, { bucket: ctx.bucket!, meta, start: range.start, end: range.end });
  } else {
    await respond(ctx, 200, headers, { bucket: ctx.bucket!, meta, start: 0, end: meta.size - 1 });
  }
}

export async function putObject(ctx: RequestContext): Promise<void> {
  const bucket = requireBucket(ctx);
  const key = ctx.key!;
  if (forbidOverwrite(ctx) && bucket.objects.has(key)) throw alreadyExists(key);
  checkDeclaredSize(ctx);
  const md5 = expectedMd5(ctx);
  const h = uploadHeaders(ctx);
  const file = await receiveVerified(ctx, md5);
  try {
    const { etag, crc } = file;
    await ctx.state.store.withKeyLock(bucket.meta.name, key, async () => {
      if (forbidOverwrite(ctx) && bucket.objects.has(key)) throw alreadyExists(key);
      requireBucket(ctx); // deleted while the body streamed in
      await ctx.state.store.commitObject(bucket, file.path, {
        key,
        size: file.size,
        etag,
        crc64: crc,
        ...h,
        lastModified: new Date().toISOString(),
        objectType: 'Normal',
      });
    });
    await respond(ctx, 200, {
      ETag: quoteEtag(etag),
      'x-oss-hash-crc64ecma': crc,
      'Content-MD5': file.md5.toString('base64'),
    });
  } finally {
    await rm(file.path, { force: true }); // gone already when committed
  }
}

export async function deleteObject(ctx: RequestContext): Promise<void> {
  const bucket = requireBucket(ctx);
  const key = ctx.key!;
  await ctx.state.store.withKeyLock(bucket.meta.name, key, () => ctx.state.store.deleteObject(bucket, key));
  await respond(ctx, 204, {});
}

function parseCopySource(value: string): { bucket: string; key: string } {
  let v = value.trim();
  const q = v.indexOf('?');
  if (q >= 0) v = v.slice(0, q); // ?versionId=...: versions are not kept here
  if (v.startsWith('/')) v = v.slice(1);
  const slash = v.indexOf('/');
  if (slash <= 0 || slash === v.length - 1) {
    throw invalidArgument('x-oss-copy-source must look like /bucket/key.', 'x-oss-copy-source', value);
  }
  let key: string;
  try {
    key = decodeURIComponent(v.slice(slash + 1));
  } catch {
    throw invalidArgument('x-oss-copy-source is not valid percent-encoding.', 'x-oss-copy-source', value);
  }
  return { bucket: v.slice(0, slash), key };
}

export async function copyObject(ctx: RequestContext): Promise<void> {
  const dest = requireBucket(ctx);
  const key = ctx.key!;
  const src = parseCopySource(ctx.headers['x-oss-copy-source']);
  checkObjectName(src.key);
  const srcBucket = requireBucket(ctx, src.bucket);
  const srcMeta = srcBucket.objects.get(src.key);
  if (!srcMeta) throw noSuchKey(src.key);
  if (forbidOverwrite(ctx) && dest.objects.has(key)) throw alreadyExists(key);
  const directive = (ctx.headers['x-oss-metadata-directive'] ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw invalidArgument('x-oss-metadata-directive must be COPY or REPLACE.', 'x-oss-metadata-directive', directive);
  }
  const fresh = uploadHeaders(ctx);
  const store = ctx.state.store;
  // Data files are never written once committed, so the copy hard-links them: no bytes copied,
  // and a multipart source stays a multipart object made of the same parts.
  const release = store.pinCurrent(src.bucket, srcMeta);
  if (!release) throw noSuchKey(src.key);
  const sources = store.dataFiles(src.bucket, srcMeta);
  const tmp = store.tempPath();
  try {
    if (!srcMeta.segments) await link(sources[0].path, tmp);
    const meta = {
      key,
      size: srcMeta.size,
      etag: srcMeta.etag,
      crc64: srcMeta.crc64,
      contentType: directive === 'REPLACE' ? fresh.contentType : srcMeta.contentType,
      meta: directive === 'REPLACE' ? fresh.meta : srcMeta.meta,
      headers: directive === 'REPLACE' ? fresh.headers : srcMeta.headers,
      storageClass: ctx.headers['x-oss-storage-class'] ? fresh.storageClass : srcMeta.storageClass,
      lastModified: new Date().toISOString(),
      objectType: srcMeta.objectType,
    };
    const segments = srcMeta.segments;
    const committed = await store.withKeyLock(dest.meta.name, key, () =>
      segments
        ? store.commitSegmented(dest, meta, async (dir) => {
            await linkAll(sources.map((f, i) => [f.path, join(dir, segments[i].file)]));
            return segments;
          })
        : store.commitObject(dest, tmp, meta),
    );
    await sendXml(ctx, 200, 'CopyObjectResult', { LastModified: committed.lastModified, ETag: quoteEtag(committed.etag) }, {
      ETag: quoteEtag(committed.etag),
      'x-oss-hash-crc64ecma': committed.crc64,
    });
  } finally {
    release();
    await rm(tmp, { force: true });
  }
}

const MAX_DELETE_KEYS = 1000;

export async function deleteMultipleObjects(ctx: RequestContext): Promise<void> {
  const bucket: BucketState = requireBucket(ctx);
  const md5 = expectedMd5(ctx);
  if (!md5) throw invalidDigest('DeleteMultipleObjects needs a Content-MD5 header.');
  const body = await readSmallBody(ctx, 2 * 1024 * 1024);
  checkMd5(md5, createHash('md5').update(body).digest());
  const doc = parseXmlBody(body, 'Delete');
  const quiet = (xmlText(doc.Quiet) ?? 'false').trim().toLowerCase() === 'true';
  const keys = xmlList(doc.Object).map((o) => {
    const k = xmlText((o as Record<string, unknown> | undefined)?.Key);
    if (k === undefined) throw malformedXml('Every <Object> needs a <Key>.');
    return k;
  });
  if (keys.length === 0) throw malformedXml('The Delete request names no <Object>.');
  if (keys.length > MAX_DELETE_KEYS) throw malformedXml(`A Delete request may name at most ${MAX_DELETE_KEYS} objects.`);
  const url = ctx.query['encoding-type'] === 'url';
  // Like S3, deleting an absent key counts as deleted.
  for (const key of keys) {
    await ctx.state.store.withKeyLock(bucket.meta.name, key, () => ctx.state.store.deleteObject(bucket, key));
  }
  await sendXml(ctx, 200, 'DeleteResult', {
    EncodingType: url ? 'url' : undefined,
    Deleted: quiet ? undefined : keys.map((k) => ({ Key: url ? rfc3986Encode(k) : k })),
  });
}

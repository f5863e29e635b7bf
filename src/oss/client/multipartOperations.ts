// Multipart upload: Initiate, UploadPart, Complete, Abort, ListParts, ListMultipartUploads.
import { prepareBody } from '../http/bodySource.js';
import { ResponseHeaders } from '../responseHeaders.js';
import {
  parseCompleteMultipartUpload,
  parseInitiateMultipartUpload,
  parseListMultipartUploads,
  parseListParts,
} from '../xml/responseParsers.js';
import type {
  AbortMultipartUploadOptions,
  CompleteMultipartUploadOptions,
  CompleteMultipartUploadResult,
  InitiateMultipartUploadOptions,
  InitiateMultipartUploadResult,
  ListMultipartUploadsOptions,
  ListMultipartUploadsResult,
  ListPartsOptions,
  ListPartsResult,
  ResponseMeta,
  UploadPartOptions,
  UploadPartResult,
} from '../types.js';
import { buildCompleteBody } from '../xml/xmlBuild.js';
import type { RequestPath } from './requestPath.js';
import {
  invalidArgument,
  meta,
  defined,
  lowerCaseHeaders,
  storedResult,
  md5Base64,
  checkMax,
  addTrafficLimit,
  signalOf,
} from './requestShapes.js';

export async function initiateMultipartUpload(rp: RequestPath, opts: InitiateMultipartUploadOptions): Promise<InitiateMultipartUploadResult> {
  const headers = lowerCaseHeaders(opts.headers);
  // The object's eventual Content-Type is set here, not at Complete.
  headers['content-type'] = opts.contentType ?? headers['content-type'] ?? 'application/octet-stream';
  const { res, value } = await rp.sendXml(
    { operation: 'InitiateMultipartUpload', method: 'POST', bucket: opts.bucket, key: opts.key, query: { uploads: '' }, headers, ...signalOf(opts) },
    parseInitiateMultipartUpload,
  );
  return { ...meta(res), ...value };
}

export async function uploadPart(rp: RequestPath, opts: UploadPartOptions): Promise<UploadPartResult> {
  const ctx = { operation: 'UploadPart', bucket: opts.bucket, key: opts.key };
  checkMax(ctx, 'partNumber', opts.partNumber, 10000);
  if (!opts.uploadId) throw invalidArgument(ctx, 'uploadId is required');
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
  addTrafficLimit(ctx, headers, opts.trafficLimit);
  const body = await rp.body(ctx, opts.body, opts.contentLength);
  const res = await rp.sendEmpty({
    ...ctx,
    method: 'PUT',
    query: { partNumber: String(opts.partNumber), uploadId: opts.uploadId },
    headers,
    body,
    ...signalOf(opts),
    ...(opts.onUploadProgress ? { onUploadProgress: opts.onUploadProgress } : {}),
  });
  return storedResult(res, ctx, true);
}

/** Parts are sent in the order given; the server rejects a wrong order (InvalidPartOrder). */
export async function completeMultipartUpload(rp: RequestPath, opts: CompleteMultipartUploadOptions): Promise<CompleteMultipartUploadResult> {
  const ctx = { operation: 'CompleteMultipartUpload', bucket: opts.bucket, key: opts.key };
  if (!opts.uploadId) throw invalidArgument(ctx, 'uploadId is required');
  if (!Array.isArray(opts.parts) || opts.parts.length === 0) throw invalidArgument(ctx, 'parts must list at least one part');
  const xml = buildCompleteBody(opts.parts);
  const headers = lowerCaseHeaders(opts.headers);
  headers['content-type'] = 'application/xml';
  headers['content-md5'] = md5Base64(xml);
  const { res, value } = await rp.sendXml(
    { ...ctx, method: 'POST', query: { uploadId: opts.uploadId }, headers, body: await prepareBody(xml), ...signalOf(opts) },
    parseCompleteMultipartUpload,
  );
  const result: CompleteMultipartUploadResult = { ...meta(res), ...value };
  const crc = new ResponseHeaders(res.headers, ctx, res.status).crc64();
  if (crc !== undefined) result.crc64 = crc;
  return result;
}

export async function abortMultipartUpload(rp: RequestPath, opts: AbortMultipartUploadOptions): Promise<ResponseMeta> {
  const ctx = { operation: 'AbortMultipartUpload', bucket: opts.bucket, key: opts.key };
  if (!opts.uploadId) throw invalidArgument(ctx, 'uploadId is required');
  const res = await rp.sendEmpty({ ...ctx, method: 'DELETE', query: { uploadId: opts.uploadId }, ...signalOf(opts) });
  return meta(res);
}

export async function listParts(rp: RequestPath, opts: ListPartsOptions): Promise<ListPartsResult> {
  const ctx = { operation: 'ListParts', bucket: opts.bucket, key: opts.key };
  if (!opts.uploadId) throw invalidArgument(ctx, 'uploadId is required');
  checkMax(ctx, 'maxParts', opts.maxParts, 1000);
  const { res, value } = await rp.sendXml(
    {
      ...ctx,
      method: 'GET',
      query: defined({ uploadId: opts.uploadId, 'max-parts': opts.maxParts, 'part-number-marker': opts.partNumberMarker }),
      ...signalOf(opts),
    },
    parseListParts,
  );
  return { ...meta(res), ...value };
}

export async function listMultipartUploads(rp: RequestPath, opts: ListMultipartUploadsOptions): Promise<ListMultipartUploadsResult> {
  const ctx = { operation: 'ListMultipartUploads', bucket: opts.bucket };
  checkMax(ctx, 'maxUploads', opts.maxUploads, 1000);
  const { res, value } = await rp.sendXml(
    {
      ...ctx,
      method: 'GET',
      query: {
        uploads: '',
        ...defined({
          prefix: opts.prefix,
          delimiter: opts.delimiter,
          'key-marker': opts.keyMarker,
          'upload-id-marker': opts.uploadIdMarker,
          'max-uploads': opts.maxUploads,
          'encoding-type': 'url',
        }),
      },
      ...signalOf(opts),
    },
    parseListMultipartUploads,
  );
  return { ...meta(res), ...value };
}

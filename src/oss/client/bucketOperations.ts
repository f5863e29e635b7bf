// Bucket operations: ListBuckets, GetBucketInfo, PutBucket, DeleteBucket.
import { prepareBody, type PreparedBody } from '../http/bodySource.js';
import { parseBucketInfo, parseListBuckets } from '../xml/responseParsers.js';
import type {
  BucketInfo,
  BucketOptions,
  CreateBucketOptions,
  ListBucketsOptions,
  ListBucketsResult,
  ResponseMeta,
} from '../types.js';
import { buildCreateBucketBody } from '../xml/xmlBuild.js';
import type { RequestPath } from './requestPath.js';
import { meta, defined, checkMax, signalOf } from './requestShapes.js';

export async function listBuckets(rp: RequestPath, opts: ListBucketsOptions = {}): Promise<ListBucketsResult> {
  const ctx = { operation: 'ListBuckets' };
  checkMax(ctx, 'maxKeys', opts.maxKeys, 1000);
  const { res, value } = await rp.sendXml(
    {
      ...ctx,
      method: 'GET',
      query: defined({ prefix: opts.prefix, marker: opts.marker, 'max-keys': opts.maxKeys }),
      ...signalOf(opts),
    },
    parseListBuckets,
  );
  for (const b of value.buckets) rp.learnBucket(b);
  return { ...meta(res), ...value };
}

export async function getBucketInfo(rp: RequestPath, opts: BucketOptions): Promise<BucketInfo> {
  const { value } = await rp.sendXml(
    { operation: 'GetBucketInfo', method: 'GET', bucket: opts.bucket, query: { bucketInfo: '' }, ...signalOf(opts) },
    parseBucketInfo,
  );
  rp.learnBucket(value);
  return value;
}

export async function createBucket(rp: RequestPath, opts: CreateBucketOptions): Promise<ResponseMeta> {
  const headers: Record<string, string> = {};
  if (opts.acl) headers['x-oss-acl'] = opts.acl;
  let body: PreparedBody | undefined;
  if (opts.storageClass) {
    const xml = buildCreateBucketBody(opts.storageClass);
    headers['content-type'] = 'application/xml';
    body = await prepareBody(xml);
  }
  const res = await rp.sendEmpty({
    operation: 'PutBucket',
    method: 'PUT',
    bucket: opts.bucket,
    headers,
    ...(body ? { body } : {}),
    ...signalOf(opts),
  });
  return meta(res);
}

export async function deleteBucket(rp: RequestPath, opts: BucketOptions): Promise<ResponseMeta> {
  const res = await rp.sendEmpty({ operation: 'DeleteBucket', method: 'DELETE', bucket: opts.bucket, ...signalOf(opts) });
  return meta(res);
}

// Bucket operations: ListBuckets, PutBucket, DeleteBucket, GetBucketInfo, GetBucketLocation.
import { readSmallBody } from './bodyReceiver.js';
import type { BucketState } from './diskStore.js';
import { utf8Compare } from './diskStore.js';
import { parseStorageClass } from './metaHeaders.js';
import { requireBucket } from './objectLookup.js';
import { OssServerError, invalidArgument } from './ossServerError.js';
import { intParam } from './listing.js';
import type { RequestContext } from './requestContext.js';
import { respond, sendXml } from './responses.js';
import { parseXmlBody, xmlText } from './xmlReader.js';

const OWNER = { ID: '1000000000000000', DisplayName: '1000000000000000' };

function bucketEntry(ctx: RequestContext, b: BucketState) {
  return {
    CreationDate: b.meta.creationDate,
    // Every bucket lives on this one server, so its "region endpoint" is the server itself.
    ExtranetEndpoint: ctx.state.hostPort,
    IntranetEndpoint: ctx.state.hostPort,
    Location: `oss-${ctx.state.region}`,
    Name: b.meta.name,
    Region: ctx.state.region,
    StorageClass: b.meta.storageClass,
  };
}

export async function listBuckets(ctx: RequestContext): Promise<void> {
  const q = ctx.query;
  const prefix = q.prefix ?? '';
  const marker = q.marker ?? '';
  const max = intParam(q, 'max-keys', 100, 1, 1000, invalidArgument);
  const names = [...ctx.state.store.buckets.keys()]
    .filter((n) => n.startsWith(prefix) && (marker === '' || utf8Compare(n, marker) > 0))
    .sort(utf8Compare);
  const page = names.slice(0, max);
  const truncated = names.length > max;
  await sendXml(ctx, 200, 'ListAllMyBucketsResult', {
    Prefix: q.prefix,
    Marker: q.marker,
    MaxKeys: q['max-keys'] !== undefined ? max : undefined,
    // paging elements appear only when the list is cut short
    IsTruncated: truncated ? true : undefined,
    NextMarker: truncated ? page[page.length - 1] : undefined,
    Owner: OWNER,
    Buckets: { Bucket: page.map((n) => bucketEntry(ctx, ctx.state.store.buckets.get(n)!)) },
  });
}

export async function putBucket(ctx: RequestContext): Promise<void> {
  const name = ctx.bucket!;
  const body = await readSmallBody(ctx, 64 * 1024);
  let storageClass = 'Standard';
  if (body.length > 0) {
    const doc = parseXmlBody(body, 'CreateBucketConfiguration');
    storageClass = parseStorageClass(xmlText(doc.StorageClass)?.trim(), 'Standard');
  }
  if (ctx.state.store.buckets.has(name)) {
    throw new OssServerError(409, 'BucketAlreadyExists', 'The requested bucket name is not available.', { BucketName: name });
  }
  await ctx.state.store.createBucket(name, storageClass);
  await respond(ctx, 200, { Location: `/${name}` });
}

export async function deleteBucket(ctx: RequestContext): Promise<void> {
  const b = requireBucket(ctx);
  if (b.objects.size > 0 || b.uploadCount > 0) {
    throw new OssServerError(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty.', { BucketName: b.meta.name });
  }
  await ctx.state.store.deleteBucket(b.meta.name);
  await respond(ctx, 204, {});
}

export async function getBucketInfo(ctx: RequestContext): Promise<void> {
  const b = requireBucket(ctx);
  await sendXml(ctx, 200, 'BucketInfo', {
    Bucket: {
      ...bucketEntry(ctx, b),
      Owner: OWNER,
      AccessControlList: { Grant: 'private' },
    },
  });
}

export async function getBucketLocation(ctx: RequestContext): Promise<void> {
  requireBucket(ctx);
  await sendXml(ctx, 200, 'LocationConstraint', `oss-${ctx.state.region}`);
}

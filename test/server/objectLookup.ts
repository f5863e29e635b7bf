// Finding the bucket and object a request names, with OSS's 404s.
import type { BucketState, ObjectMeta } from './diskStore.js';
import { noSuchBucket, noSuchKey } from './ossServerError.js';
import type { RequestContext } from './requestContext.js';

export function requireBucket(ctx: RequestContext, name = ctx.bucket): BucketState {
  const b = name === undefined ? undefined : ctx.state.store.buckets.get(name);
  if (!b || name === undefined) throw noSuchBucket(name ?? '');
  return b;
}

export function requireObject(ctx: RequestContext): { bucket: BucketState; meta: ObjectMeta } {
  const bucket = requireBucket(ctx);
  const meta = ctx.key === undefined ? undefined : bucket.objects.get(ctx.key);
  if (!meta) throw noSuchKey(ctx.key ?? '');
  return { bucket, meta };
}

export function quoteEtag(etag: string): string {
  return `"${etag}"`;
}

/** '"abc"', 'abc', ' "ABC" ' -> 'ABC' */
export function normalizeEtag(etag: string): string {
  return etag.trim().replace(/^"(.*)"$/, '$1').trim().toUpperCase();
}

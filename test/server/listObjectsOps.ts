// ListObjectsV2 (list-type=2) and the older ListObjects (marker), which ali-oss's `list` uses.
import { rfc3986Encode } from '../../src/oss/signing/uriEncode.js';
import type { BucketState, ObjectMeta } from './diskStore.js';
import { utf8Compare } from './diskStore.js';
import { intParam, listPage } from './listing.js';
import { quoteEtag, requireBucket } from './objectLookup.js';
import { invalidArgument } from './ossServerError.js';
import type { RequestContext } from './requestContext.js';
import { sendXml } from './responses.js';
import type { XmlNode } from './xmlWriter.js';

const OWNER = { ID: '1000000000000000', DisplayName: '1000000000000000' };

function encodeIf(url: boolean, s: string | undefined): string | undefined {
  return s === undefined ? undefined : url ? rfc3986Encode(s) : s;
}

function objectEntries(bucket: BucketState, keys: string[], url: boolean, withOwner: boolean): XmlNode[] {
  return keys.map((k) => {
    const m = bucket.objects.get(k) as ObjectMeta;
    return {
      Key: encodeIf(url, k),
      LastModified: m.lastModified,
      ETag: quoteEtag(m.etag),
      Type: m.objectType,
      Size: m.size,
      StorageClass: m.storageClass,
      Owner: withOwner ? OWNER : undefined,
    };
  });
}

function commonOptions(ctx: RequestContext) {
  const q = ctx.query;
  const et = q['encoding-type'];
  if (et !== undefined && et !== '' && et !== 'url') throw invalidArgument('encoding-type must be url.', 'encoding-type', et);
  return {
    prefix: q.prefix ?? '',
    delimiter: q.delimiter ?? '',
    max: intParam(q, 'max-keys', 100, 1, 1000, invalidArgument),
    url: et === 'url',
  };
}

// The continuation token is opaque to clients; here it is the base64url of the key (or common
// prefix) the previous page ended with.
function decodeToken(token: string): string {
  const key = Buffer.from(token, 'base64url').toString('utf8');
  if (token === '' || Buffer.from(key, 'utf8').toString('base64url') !== token) {
    throw invalidArgument('The continuation token provided is incorrect.', 'continuation-token', token);
  }
  return key;
}

export async function listObjectsV2(ctx: RequestContext): Promise<void> {
  const bucket = requireBucket(ctx);
  const o = commonOptions(ctx);
  const token = ctx.query['continuation-token'];
  const startAfter = ctx.query['start-after'];
  const marker = token !== undefined && token !== '' ? decodeToken(token) : startAfter || undefined;
  const page = listPage(ctx.state.store.sortedKeys(bucket), (k) => k, {
    ...o,
    marker,
    isAfterMarker: (k) => marker === undefined || utf8Compare(k, marker) > 0,
  });
  const fetchOwner = (ctx.query['fetch-owner'] ?? '').toLowerCase() === 'true';
  await sendXml(ctx, 200, 'ListBucketResult', {
    Name: bucket.meta.name,
    Prefix: encodeIf(o.url, o.prefix),
    StartAfter: encodeIf(o.url, startAfter || undefined),
    ContinuationToken: token || undefined,
    MaxKeys: o.max,
    Delimiter: encodeIf(o.url, o.delimiter),
    EncodingType: o.url ? 'url' : undefined,
    IsTruncated: page.isTruncated,
    NextContinuationToken: page.isTruncated && page.lastKey !== undefined ? Buffer.from(page.lastKey, 'utf8').toString('base64url') : undefined,
    KeyCount: page.items.length + page.prefixes.length,
    Contents: objectEntries(bucket, page.items, o.url, fetchOwner),
    CommonPrefixes: page.prefixes.map((p) => ({ Prefix: encodeIf(o.url, p) })),
  });
}

export async function listObjects(ctx: RequestContext): Promise<void> {
  const bucket = requireBucket(ctx);
  const o = commonOptions(ctx);
  const marker = ctx.query.marker || undefined;
  const page = listPage(ctx.state.store.sortedKeys(bucket), (k) => k, {
    ...o,
    marker,
    isAfterMarker: (k) => marker === undefined || utf8Compare(k, marker) > 0,
  });
  await sendXml(ctx, 200, 'ListBucketResult', {
    Name: bucket.meta.name,
    Prefix: encodeIf(o.url, o.prefix),
    Marker: encodeIf(o.url, marker ?? ''),
    MaxKeys: o.max,
    Delimiter: encodeIf(o.url, o.delimiter),
    EncodingType: o.url ? 'url' : undefined,
    IsTruncated: page.isTruncated,
    NextMarker: page.isTruncated ? encodeIf(o.url, page.lastKey) : undefined,
    Contents: objectEntries(bucket, page.items, o.url, true),
    CommonPrefixes: page.prefixes.map((p) => ({ Prefix: encodeIf(o.url, p) })),
  });
}

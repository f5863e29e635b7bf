// Listing objects: ListObjectsV2 (paging over it is the caller's, through listingProgress.ts).
import { parseListObjectsV2 } from '../xml/responseParsers.js';
import type { ListObjectsV2Options, ListObjectsV2Result } from '../types.js';
import type { RequestPath } from './requestPath.js';
import { meta, defined, checkMax, signalOf } from './requestShapes.js';

export async function listObjectsV2(rp: RequestPath, opts: ListObjectsV2Options): Promise<ListObjectsV2Result> {
  checkMax({ operation: 'ListObjectsV2', bucket: opts.bucket }, 'maxKeys', opts.maxKeys, 1000);
  const { res, value } = await rp.sendXml(
    {
      operation: 'ListObjectsV2',
      method: 'GET',
      bucket: opts.bucket,
      query: defined({
        'list-type': 2,
        prefix: opts.prefix,
        delimiter: opts.delimiter,
        'start-after': opts.startAfter,
        'continuation-token': opts.continuationToken,
        'max-keys': opts.maxKeys,
        'fetch-owner': opts.fetchOwner ? 'true' : undefined,
        // Always: keys may hold characters an XML document cannot carry.
        'encoding-type': 'url',
      }),
      ...signalOf(opts),
    },
    parseListObjectsV2,
  );
  return { ...meta(res), ...value };
}

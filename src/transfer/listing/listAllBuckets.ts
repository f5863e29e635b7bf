// The buckets an AccessKey can list (up to `limit`), page by page, for the Buckets tree and the
// bucket picker. A repeated or missing NextMarker on a truncated page ends the listing with
// InvalidResponse (ListingProgress) instead of listing the same page again.
import { ListingProgress, bucketsPage, type OssClient } from '../../oss/index.js';
import type { BucketInfo } from '../../oss/types.js';

/** What the tree and the picker list: twenty pages of 1000; past that a key sees too many to show usefully. */
export const MAX_LISTED_BUCKETS = 20_000;

export async function listAllBuckets(
  client: Pick<OssClient, 'listBuckets'>,
  opts: { signal?: AbortSignal; limit?: number } = {},
): Promise<BucketInfo[]> {
  const out: BucketInfo[] = [];
  const progress = new ListingProgress({ operation: 'ListBuckets' });
  let marker: string | undefined;
  for (;;) {
    const r = await client.listBuckets({ maxKeys: 1000, ...(opts.signal ? { signal: opts.signal } : {}), ...(marker ? { marker } : {}) });
    const more = progress.more(bucketsPage(r));
    for (const b of r.buckets) out.push(b);
    if (!more || (opts.limit !== undefined && out.length >= opts.limit)) return out;
    marker = r.nextMarker;
  }
}

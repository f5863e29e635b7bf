// The objects below a prefix one page at a time, so a folder download or delete can act on the
// first page while later ones are still being listed, holding one page instead of the whole
// folder. The same guard as listAllObjects: a server that keeps saying "more" without moving ends
// the listing with InvalidResponse (ListingProgress); a page it rejects is never handed out.
import { ListingProgress, objectsPage, type OssClient } from '../../oss/index.js';
import type { ObjectSummary } from '../../oss/types.js';

export interface ListPagesOptions {
  signal?: AbortSignal;
  pageSize?: number;
  delimiter?: string;
}

export async function* listObjectPages(
  client: Pick<OssClient, 'listObjectsV2'>,
  bucket: string,
  prefix: string,
  opts: ListPagesOptions = {},
): AsyncGenerator<ObjectSummary[], void, undefined> {
  const progress = new ListingProgress({ operation: 'ListObjectsV2', bucket });
  let continuationToken: string | undefined;
  for (;;) {
    const r = await client.listObjectsV2({
      bucket,
      prefix,
      maxKeys: opts.pageSize ?? 1000,
      ...(opts.delimiter ? { delimiter: opts.delimiter } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(continuationToken ? { continuationToken } : {}),
    });
    const more = progress.more(objectsPage(r));
    yield r.objects;
    if (!more) return;
    continuationToken = r.nextContinuationToken;
  }
}

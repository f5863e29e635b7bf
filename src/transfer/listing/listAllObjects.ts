// Every object below a prefix, page by page, for downloads and deletes of whole folders (and, with
// a delimiter, the objects directly in one folder). A server that keeps saying "more" without
// moving ends the listing with InvalidResponse (ListingProgress) instead of an endless loop.
import { ListingProgress, objectsPage, type OssClient } from '../../oss/index.js';
import type { ObjectSummary } from '../../oss/types.js';

export async function listAllObjects(
  client: Pick<OssClient, 'listObjectsV2'>,
  bucket: string,
  prefix: string,
  opts: { signal?: AbortSignal; onPage?: (countSoFar: number) => void; limit?: number; pageSize?: number; delimiter?: string } = {},
): Promise<ObjectSummary[]> {
  const out: ObjectSummary[] = [];
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
    // One at a time: spreading a long page into push() overflows the call stack.
    for (const o of r.objects) out.push(o);
    opts.onPage?.(out.length);
    if (!more || (opts.limit !== undefined && out.length >= opts.limit)) return out;
    continuationToken = r.nextContinuationToken;
  }
}

// The objects below a prefix one page at a time, so a folder download or delete can act on the
// first page while later ones are still being listed, holding one page instead of the whole
// folder. The same guard as listAllObjects: a server that keeps saying "more" without moving ends
// the listing with InvalidResponse (ListingProgress); a page it rejects is never handed out.
// A sync's key ranges (keyRangePages.ts) go through the same loop, starting after a key, one page
// ahead, and ending at the first page that passes the range.
import { ListingProgress, objectsPage, type OssClient } from '../../oss/index.js';
import type { ObjectSummary } from '../../oss/types.js';

export interface ListPagesOptions {
  signal?: AbortSignal;
  pageSize?: number;
  delimiter?: string;
  /** Only the keys after this one. */
  startAfter?: string;
  /** Ask for the next page as soon as a page arrives, before handing it out (a page ahead of the caller). */
  ahead?: boolean;
  /** Asked of each page as it arrives: true ends the listing with that page. */
  lastPage?: (objects: readonly ObjectSummary[]) => boolean;
}

export async function* listObjectPages(
  client: Pick<OssClient, 'listObjectsV2'>,
  bucket: string,
  prefix: string,
  opts: ListPagesOptions = {},
): AsyncGenerator<ObjectSummary[], void, undefined> {
  const progress = new ListingProgress({ operation: 'ListObjectsV2', bucket });
  const ask = (continuationToken: string | undefined) => {
    const p = client.listObjectsV2({
      bucket,
      prefix,
      maxKeys: opts.pageSize ?? 1000,
      ...(opts.delimiter ? { delimiter: opts.delimiter } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(continuationToken ? { continuationToken } : opts.startAfter !== undefined ? { startAfter: opts.startAfter } : {}),
    });
    // A page asked for ahead may fail before anyone awaits it: that is handled where it is awaited.
    p.catch(() => undefined);
    return p;
  };
  let next = ask(undefined);
  for (;;) {
    const r = await next;
    const goOn = progress.more(objectsPage(r)) && !(opts.lastPage?.(r.objects) ?? false);
    if (goOn && opts.ahead) next = ask(r.nextContinuationToken);
    yield r.objects;
    if (!goOn) return;
    if (!opts.ahead) next = ask(r.nextContinuationToken);
  }
}

// Every object below a prefix, page by page, for the upload's existing-key check and the tree
// (with a delimiter, the objects directly in one folder). A server that keeps saying "more"
// without moving ends the listing with InvalidResponse (ListingProgress) instead of an endless
// loop. Folder downloads and deletes take the pages one at a time instead (listObjectPages).
import type { OssClient } from '../../oss/index.js';
import type { ObjectSummary } from '../../oss/types.js';
import { listObjectPages } from './listObjectPages.js';

export async function listAllObjects(
  client: Pick<OssClient, 'listObjectsV2'>,
  bucket: string,
  prefix: string,
  opts: { signal?: AbortSignal; onPage?: (countSoFar: number) => void; limit?: number; pageSize?: number; delimiter?: string } = {},
): Promise<ObjectSummary[]> {
  const out: ObjectSummary[] = [];
  const { onPage, limit, ...pageOpts } = opts;
  for await (const page of listObjectPages(client, bucket, prefix, pageOpts)) {
    // One at a time: spreading a long page into push() overflows the call stack.
    for (const o of page) out.push(o);
    onPage?.(out.length);
    if (limit !== undefined && out.length >= limit) break;
  }
  return out;
}

// Every object below a prefix (no delimiter), page by page, for downloads and deletes of whole folders.
import type { OssClient } from '../../oss/index.js';
import type { ObjectSummary } from '../../oss/types.js';

export async function listAllObjects(
  client: Pick<OssClient, 'listObjectsV2'>,
  bucket: string,
  prefix: string,
  opts: { signal?: AbortSignal; onPage?: (countSoFar: number) => void; limit?: number; pageSize?: number } = {},
): Promise<ObjectSummary[]> {
  const out: ObjectSummary[] = [];
  let continuationToken: string | undefined;
  do {
    const r = await client.listObjectsV2({
      bucket,
      prefix,
      maxKeys: opts.pageSize ?? 1000,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(continuationToken ? { continuationToken } : {}),
    });
    out.push(...r.objects);
    opts.onPage?.(out.length);
    if (opts.limit !== undefined && out.length >= opts.limit) break;
    continuationToken = r.isTruncated ? r.nextContinuationToken : undefined;
    if (r.isTruncated && !continuationToken) throw new Error(`The listing of ${bucket}/${prefix} was truncated without a continuation token.`);
  } while (continuationToken);
  return out;
}

// Every incomplete multipart upload of a bucket (up to `limit`), page by page, for the "Incomplete
// Multipart Uploads…" command. A server that keeps saying "more" without moving its markers ends
// the listing with InvalidResponse (ListingProgress) instead of repeating the same request.
import { ListingProgress, uploadsPage, type OssClient } from '../../oss/index.js';
import type { MultipartUploadSummary } from '../../oss/types.js';

export async function listAllUploads(
  client: Pick<OssClient, 'listMultipartUploads'>,
  bucket: string,
  opts: { signal?: AbortSignal; limit?: number } = {},
): Promise<MultipartUploadSummary[]> {
  const out: MultipartUploadSummary[] = [];
  const progress = new ListingProgress({ operation: 'ListMultipartUploads', bucket });
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const r = await client.listMultipartUploads({
      bucket,
      maxUploads: 1000,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(keyMarker ? { keyMarker } : {}),
      ...(uploadIdMarker ? { uploadIdMarker } : {}),
    });
    const more = progress.more(uploadsPage(r));
    for (const u of r.uploads) out.push(u);
    if (!more || (opts.limit !== undefined && out.length >= opts.limit)) return out;
    keyMarker = r.nextKeyMarker;
    uploadIdMarker = r.nextUploadIdMarker;
  }
}

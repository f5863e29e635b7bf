// Deleting what a selection stands for without holding every key: selected objects and whole
// folders, counted first (a count and a few examples for the confirmation, nothing else kept),
// then deleted as the listing goes, DeleteMultipleObjects with up to 1000 keys a request.
// Deleting a page before the next is listed is safe: the continuation token is a position in
// key order, not an index. No vscode import: tested against the test server directly.
import type { OssClient } from '../../../oss/index.js';
import { listObjectPages } from '../../../transfer/listing/listObjectPages.js';

/** OSS takes at most 1000 keys in one DeleteMultipleObjects. */
export const DELETE_BATCH = 1000;

export interface DeleteSelection {
  /** Selected objects. */
  keys: string[];
  /** Selected folders: every key below each. */
  prefixes: string[];
}

/** The same selection without overlaps: folders inside a selected folder, objects inside one, repeats. */
export function withoutOverlaps(sel: DeleteSelection): DeleteSelection {
  const prefixes = [...new Set(sel.prefixes)].filter((p, _, all) => !all.some((q) => q !== p && p.startsWith(q)));
  const keys = [...new Set(sel.keys)].filter((k) => !prefixes.some((p) => k.startsWith(p)));
  return { keys, prefixes };
}

type Lister = Pick<OssClient, 'listObjectsV2'>;

export interface DeleteCount {
  count: number;
  examples: string[];
}

/** How many objects the selection holds, and the first few keys. */
export async function countSelection(
  client: Lister,
  bucket: string,
  sel: DeleteSelection,
  opts: { signal?: AbortSignal; examples?: number; onPage?: (countSoFar: number) => void; pageSize?: number } = {},
): Promise<DeleteCount> {
  const max = opts.examples ?? 5;
  const examples = sel.keys.slice(0, max);
  let count = sel.keys.length;
  for (const prefix of sel.prefixes) {
    for await (const page of listObjectPages(client, bucket, prefix, pageOpts(opts))) {
      count += page.length;
      for (const o of page) if (examples.length < max) examples.push(o.key);
      opts.onPage?.(count);
    }
  }
  return { count, examples };
}

/**
 * Deletes the selection's objects, listing the folders again page by page. `onDeleted` gets each
 * request's count. Stops between requests when `signal` aborts; returns how many keys were sent.
 */
export async function deleteSelection(
  client: Lister & Pick<OssClient, 'deleteObjects'>,
  bucket: string,
  sel: DeleteSelection,
  opts: { signal?: AbortSignal; onDeleted?: (n: number) => void; pageSize?: number } = {},
): Promise<number> {
  let deleted = 0;
  let pending: string[] = [];
  const flush = async (): Promise<void> => {
    if (!pending.length) return;
    opts.signal?.throwIfAborted();
    const chunk = pending;
    pending = [];
    // No signal: a request cut off mid-way may still have deleted, and then the count would be wrong.
    await client.deleteObjects({ bucket, keys: chunk, quiet: true });
    deleted += chunk.length;
    opts.onDeleted?.(chunk.length);
  };
  const add = async (key: string): Promise<void> => {
    pending.push(key);
    if (pending.length >= DELETE_BATCH) await flush();
  };
  for (const key of sel.keys) await add(key);
  for (const prefix of sel.prefixes) {
    for await (const page of listObjectPages(client, bucket, prefix, pageOpts(opts))) {
      for (const o of page) await add(o.key);
    }
  }
  await flush();
  return deleted;
}

function pageOpts(opts: { signal?: AbortSignal; pageSize?: number }): { signal?: AbortSignal; pageSize?: number } {
  return { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.pageSize ? { pageSize: opts.pageSize } : {}) };
}

// Creates the zero-byte `name/` objects that stand for the empty folders of a folder upload. Tiny
// PutObjects, no engine needed. No vscode import: tested against the test server directly.
import type { OssClient } from '../../oss/index.js';
import { DEFAULT_RETRY, asOssError, withRetries, type RetryOptions } from './retryPolicy.js';

export interface FolderMarkerResult {
  created: string[];
  /** Keys that already existed; left as they were. */
  existing: string[];
  failed: Array<{ key: string; error: unknown }>;
}

export interface FolderMarkerOptions {
  parallel?: number;
  signal?: AbortSignal;
  retry?: RetryOptions;
}

/**
 * PUTs an empty object for each key (ending in '/'). `x-oss-forbid-overwrite` keeps an existing
 * object of that name, whatever it holds: a folder that is already there needs nothing, and a
 * non-empty object that happens to end in '/' must not be emptied.
 */
export async function createFolderMarkers(
  client: Pick<OssClient, 'putObject'>,
  bucket: string,
  keys: readonly string[],
  opts: FolderMarkerOptions = {},
): Promise<FolderMarkerResult> {
  for (const key of keys) {
    if (!key.endsWith('/')) throw new TypeError(`A folder marker's key must end in "/": ${JSON.stringify(key)}`);
  }
  const result: FolderMarkerResult = { created: [], existing: [], failed: [] };
  const queue = [...keys];
  const worker = async (): Promise<void> => {
    for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
      if (opts.signal?.aborted) return;
      try {
        await withRetries(
          () =>
            client.putObject({
              bucket,
              key,
              body: Buffer.alloc(0),
              contentLength: 0,
              headers: { 'x-oss-forbid-overwrite': 'true' },
              ...(opts.signal ? { signal: opts.signal } : {}),
            }),
          opts.signal,
          opts.retry ?? DEFAULT_RETRY,
        );
        result.created.push(key);
      } catch (error) {
        if (asOssError(error)?.code === 'FileAlreadyExists') result.existing.push(key);
        else if (!opts.signal?.aborted) result.failed.push({ key, error });
      }
    }
  };
  const parallel = Math.max(1, Math.min(opts.parallel ?? 4, keys.length));
  await Promise.all(Array.from({ length: parallel }, worker));
  return result;
}

// Which planned keys already exist in the bucket, asked page by page as a folder upload is walked:
// a HEAD per key for a few keys, else one delimited listing per folder the keys sit in. A folder
// listed once answers for every later page (its existing keys are kept, not the planned ones).
// No vscode import.
import type { OssClient } from '../../../oss/index.js';
import { listObjectPages } from '../../../transfer/listing/listObjectPages.js';
import { parentPrefix } from '../../../transfer/paths/keyPath.js';

// Up to this many keys, one HEAD per key beats listing folders that may hold millions of objects.
export const HEAD_LIMIT = 50;
export const HEAD_PARALLEL = 8;

export async function headExists(client: Pick<OssClient, 'headObject'>, bucket: string, key: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await client.headObject({ bucket, key, ...(signal ? { signal } : {}) });
    return true;
  } catch (e) {
    if ((e as { status?: number }).status === 404) return false;
    throw e;
  }
}

export class ExistingKeys {
  private readonly folders = new Map<string, Set<string>>();
  private readonly headed = new Map<string, boolean>();

  constructor(
    private readonly client: Pick<OssClient, 'headObject' | 'listObjectsV2'>,
    private readonly bucket: string,
  ) {}

  /** Finds out about `keys` (one page of an upload). */
  async learn(keys: readonly string[], signal?: AbortSignal): Promise<void> {
    const unknown = keys.filter((k) => !this.folders.has(parentPrefix(k)) && !this.headed.has(k));
    if (unknown.length <= HEAD_LIMIT) {
      const queue = [...unknown];
      const worker = async (): Promise<void> => {
        for (let key = queue.shift(); key !== undefined; key = queue.shift()) this.headed.set(key, await headExists(this.client, this.bucket, key, signal));
      };
      await Promise.all(Array.from({ length: Math.min(HEAD_PARALLEL, unknown.length) }, worker));
      return;
    }
    for (const prefix of new Set(unknown.map(parentPrefix))) {
      const found = new Set<string>();
      for await (const page of listObjectPages(this.client, this.bucket, prefix, { delimiter: '/', ...(signal ? { signal } : {}) })) {
        for (const o of page) found.add(o.key);
      }
      this.folders.set(prefix, found);
    }
  }

  /** Whether `key` exists: from what was learnt, else one HEAD (a "keep both" name, say). */
  exists(key: string): boolean | Promise<boolean> {
    const listed = this.folders.get(parentPrefix(key));
    if (listed) return listed.has(key);
    const headed = this.headed.get(key);
    return headed ?? headExists(this.client, this.bucket, key);
  }
}

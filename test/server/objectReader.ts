// Reads an object version's bytes for a response body: a plain object is one file, a multipart
// object the concatenation of its part files. The version is pinned while it is read, so an
// overwrite or delete meanwhile cannot pull away a part not yet opened.
import { open } from 'node:fs/promises';
import type { DiskStore, ObjectMeta } from './diskStore.js';
import { noSuchKey } from './ossServerError.js';

export interface ObjectReader {
  /** The bytes start..end (inclusive offsets into the whole object) in chunks of at most `chunk`. */
  chunks(start: number, end: number, chunk: number): AsyncGenerator<Buffer>;
  /** Lets the version go (its files may then be deleted if it was replaced). */
  close(): void;
}

/** Throws NoSuchKey when `meta` is no longer the object's current version. */
export function openObjectReader(store: DiskStore, bucket: string, meta: ObjectMeta): ObjectReader {
  const release = store.pinCurrent(bucket, meta);
  if (!release) throw noSuchKey(meta.key);
  const files = store.dataFiles(bucket, meta);
  return {
    async *chunks(start, end, chunk) {
      let base = 0; // offset of the current file within the object
      for (const f of files) {
        const from = Math.max(start, base);
        const to = Math.min(end, base + f.size - 1);
        if (from <= to) yield* fileChunks(f.path, from - base, to - base, chunk);
        base += f.size;
        if (base > end) break;
      }
    },
    close: release,
  };
}

async function* fileChunks(path: string, start: number, end: number, chunk: number): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  const stream = fh.createReadStream({ start, end, highWaterMark: chunk, autoClose: false });
  try {
    for await (const c of stream) yield c as Buffer;
  } finally {
    stream.destroy();
    await fh.close();
  }
}

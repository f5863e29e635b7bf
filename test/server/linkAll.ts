// Hard-links many files (a multipart object's parts) a few at a time: one at a time a 10,000-part
// object would wait on 10,000 round trips through the thread pool, all at once would flood it.
import { link } from 'node:fs/promises';

const AT_ONCE = 16;

/** Each [from, to] becomes a hard link; fails on the first error (ENOENT, EEXIST, EXDEV...). */
export async function linkAll(pairs: Array<[from: string, to: string]>): Promise<void> {
  for (let i = 0; i < pairs.length; i += AT_ONCE) {
    await Promise.all(pairs.slice(i, i + AT_ONCE).map(([from, to]) => link(from, to)));
  }
}

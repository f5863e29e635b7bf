// A prefix listed as several key ranges at once. A sync knows the names of its last run (its index)
// before the first page is back, and the local names soon after; when the two sides mostly match,
// every 900th of those keys is a good place to cut the bucket's key space: each range then fits in
// one page of 1000 (with room for a tenth more objects than files) and all of them can be asked
// for together, so a listing of N pages costs about N / parallel round trips instead of N. Ranges
// are handed out in key order, so the caller sees the same sequence of objects as one listing would.
//
// Range i holds the keys k with boundaries[i-1] < k <= boundaries[i] in OSS's order (UTF-8 bytes,
// which is code point order). A range after the first is asked for with start-after its lower
// bound and stops at the first page that passes its upper bound; whatever a server returns
// outside a range is dropped there (the neighbouring range lists it), so a server that ignores
// start-after costs time, not correctness.
import type { OssClient } from '../../oss/index.js';
import type { ObjectSummary } from '../../oss/types.js';
import { listObjectPages } from './listObjectPages.js';

/** A range's pages; the first one already asked for. */
export interface StartedRange {
  pages: AsyncGenerator<ObjectSummary[], void, undefined>;
  first: Promise<IteratorResult<ObjectSummary[], void>>;
}

export function startRange(pages: AsyncGenerator<ObjectSummary[], void, undefined>): StartedRange {
  const first = pages.next();
  // Rejections are handled where the page is awaited; until then they must not count as unhandled.
  first.catch(() => undefined);
  return { pages, first };
}

/** The code units at which UTF-16 order and code point order can part: a surrogate, or what it can meet above it. */
const HIGH = /[\ud800-\uffff]/;

/** OSS's key order: UTF-8 bytes, which is code point order (JS's `<` compares UTF-16 units). */
export function keyOrder(a: string, b: string): number {
  // The two orders part only where a surrogate meets a unit of U+E000 or above, which needs both
  // strings to hold a unit of U+D800 or above: otherwise the engine's own comparison is exact, and
  // many times faster than a loop over the characters in a fresh process.
  if (!HIGH.test(a) || !HIGH.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    // A surrogate is part of a code point above U+FFFF: above every BMP unit it differs from.
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Whether a key comes after `bound` in OSS's order, with what can be known of the bound checked once (most bounds need no check per key). */
export function keysAfter(bound: string): (key: string) => boolean {
  return HIGH.test(bound) ? (key) => keyOrder(key, bound) > 0 : (key) => key > bound;
}

/** Every `every`-th key of `keys` (any order), strictly increasing in OSS's order: the cut points. */
export function rangeBoundaries(keys: Iterable<string>, every = 900): string[] {
  const sorted = [...keys];
  // Without a unit of U+D800 or above in any key, the engine's own sort is OSS's order.
  if (sorted.some((k) => HIGH.test(k))) sorted.sort(keyOrder);
  else sorted.sort();
  const out: string[] = [];
  for (let i = every - 1; i < sorted.length - 1; i += every) {
    const k = sorted[i]!;
    if (out.length === 0 || keyOrder(k, out[out.length - 1]!) > 0) out.push(k);
  }
  return out;
}

/**
 * The pages of one range, the next one asked for as soon as a page arrives that does not pass the
 * range's end (a range that goes on needs it; a page past the end would belong to the next range,
 * which is being listed already).
 * `upper` is read as each page arrives: the first range starts before the local names are known.
 */
export function rangePages(
  client: Pick<OssClient, 'listObjectsV2'>,
  bucket: string,
  prefix: string,
  startAfter: string | undefined,
  upper: () => string | undefined,
  opts: { signal?: AbortSignal; pageSize?: number } = {},
): AsyncGenerator<ObjectSummary[], void, undefined> {
  return listObjectPages(client, bucket, prefix, {
    ...opts,
    ...(startAfter !== undefined ? { startAfter } : {}),
    ahead: true,
    lastPage: (objects) => {
      const end = upper();
      if (end === undefined) return false;
      const past = keysAfter(end);
      return objects.some((o) => past(o.key));
    },
  });
}

/**
 * The objects of every range in key order. `opened` are the first ranges, already under way: the
 * opening one (started before any boundary was known; what it lists past its upper bound is
 * dropped), then those started early from a guess at the boundaries, range i being the keys after
 * boundaries[i-1] up to boundaries[i]. `open` starts the range after `startAfter`, up to `upper`; up
 * to `parallel` ranges are under way at once.
 */
export async function* pagesInRanges(
  opened: readonly StartedRange[],
  boundaries: readonly string[],
  open: (startAfter: string, upper: string | undefined) => StartedRange,
  parallel = 8,
): AsyncGenerator<ObjectSummary[], void, undefined> {
  const ranges: Array<StartedRange | undefined> = [...opened];
  let started = opened.length;
  try {
    for (let i = 0; i <= boundaries.length; i++) {
      for (; started <= boundaries.length && started < i + parallel; started++) {
        ranges[started] = open(boundaries[started - 1]!, boundaries[started]);
      }
      const afterLower = i === 0 ? undefined : keysAfter(boundaries[i - 1]!);
      const upper = boundaries[i];
      const pastUpper = upper === undefined ? undefined : keysAfter(upper);
      const range = ranges[i]!;
      for (let r = await range.first; !r.done; r = await range.pages.next()) {
        const inRange = r.value.filter((o) => (afterLower === undefined || afterLower(o.key)) && (pastUpper === undefined || !pastUpper(o.key)));
        if (inRange.length > 0) yield inRange;
        if (pastUpper !== undefined && r.value.some((o) => pastUpper(o.key))) break;
      }
      ranges[i] = undefined;
      void range.pages.return();
    }
  } finally {
    for (const r of ranges) if (r) void r.pages.return();
  }
}

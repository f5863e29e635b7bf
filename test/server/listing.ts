// One page of a sorted listing with prefix, delimiter (common prefixes) and a resume position —
// shared by ListObjects, ListObjectsV2 and ListMultipartUploads. Keys are compared in UTF-8 byte
// order, as OSS sorts them.
import { utf8Compare } from './diskStore.js';

export interface PageOptions<T> {
  prefix: string;
  delimiter: string;
  /** items at or before the resume position are skipped */
  isAfterMarker: (item: T) => boolean;
  /** the resume position as a key; common prefixes not after it were returned already */
  marker?: string;
  max: number;
}

export interface Page<T> {
  items: T[];
  prefixes: string[];
  isTruncated: boolean;
  /** the last thing returned (an item's key or a common prefix): the next page resumes after it */
  lastKey?: string;
  lastItem?: T;
}

export function listPage<T>(sorted: readonly T[], keyOf: (item: T) => string, o: PageOptions<T>): Page<T> {
  const page: Page<T> = { items: [], prefixes: [], isTruncated: false };
  for (const item of sorted) {
    const key = keyOf(item);
    if (!key.startsWith(o.prefix) || !o.isAfterMarker(item)) continue;
    // The item rolls up into a common prefix when the delimiter follows the prefix.
    const at = o.delimiter === '' ? -1 : key.indexOf(o.delimiter, o.prefix.length);
    const cp = at >= 0 ? key.slice(0, at + o.delimiter.length) : undefined;
    if (cp !== undefined) {
      if (page.prefixes[page.prefixes.length - 1] === cp) continue;
      if (o.marker !== undefined && utf8Compare(cp, o.marker) <= 0) continue;
    }
    // Items and common prefixes count alike towards max.
    if (page.items.length + page.prefixes.length === o.max) {
      page.isTruncated = true;
      break;
    }
    if (cp !== undefined) page.prefixes.push(cp);
    else page.items.push(item);
    page.lastKey = cp ?? key;
    page.lastItem = cp === undefined ? item : undefined;
  }
  return page;
}

/** Parses an integer query parameter in [min, max], else InvalidArgument via the given factory. */
export function intParam(
  query: Record<string, string>,
  name: string,
  fallback: number,
  min: number,
  max: number,
  fail: (msg: string, name: string, value: string) => Error,
): number {
  const v = query[name];
  if (v === undefined || v === '') return fallback;
  if (!/^\d+$/.test(v)) throw fail(`${name} must be a whole number.`, name, v);
  const n = Number(v);
  if (n < min || n > max) throw fail(`${name} must be between ${min} and ${max}.`, name, v);
  return n;
}

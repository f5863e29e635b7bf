// Range and conditional headers of GetObject/HeadObject (oss-protocol.md §4).
import type { ObjectMeta } from './diskStore.js';
import { normalizeEtag, quoteEtag } from './objectLookup.js';
import { formatRfc1123, parseOssDate } from '../../src/oss/signing/ossDate.js';
import { OssServerError } from './ossServerError.js';

/** inclusive */
export interface ResolvedRange {
  start: number;
  end: number;
}

/**
 * undefined = serve the whole object with 200. OSS's default behaviour ignores a malformed or
 * unsatisfiable Range; with `x-oss-range-behavior: standard` an end past the size is clamped and a
 * start at or past the size is 416 InvalidRange.
 */
export function resolveRange(header: string | undefined, size: number, standard: boolean): ResolvedRange | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return undefined; // malformed or multi-range: ignored
  const unsatisfiable = () => {
    if (!standard) return undefined;
    throw new OssServerError(416, 'InvalidRange', 'The requested range cannot be satisfied.', { RangeRequested: header.trim(), ActualObjectSize: String(size) }, {
      'Content-Range': `bytes */${size}`,
    });
  };
  if (m[1] === '') {
    // suffix: the last n bytes
    const n = Number(m[2]);
    if (n === 0 || size === 0) return unsatisfiable();
    if (n > size) return standard ? { start: 0, end: size - 1 } : undefined;
    return { start: size - n, end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Number(m[2]);
  if (m[2] !== '' && end < start) return undefined; // a-b with b < a is malformed: ignored either way
  if (start >= size) return unsatisfiable();
  if (end >= size) return standard ? { start, end: size - 1 } : undefined;
  return { start, end };
}

function etagListMatches(list: string, etag: string): boolean {
  return list.split(',').some((t) => t.trim() === '*' || normalizeEtag(t) === etag);
}

function seconds(iso: string): number {
  return Math.floor(new Date(iso).getTime() / 1000);
}

/** HTTP's order: If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since. */
export function checkConditions(headers: Record<string, string>, meta: ObjectMeta): void {
  const ifMatch = headers['if-match'];
  const failed = (cond: string) =>
    new OssServerError(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold.', { Condition: cond });
  if (ifMatch !== undefined && !etagListMatches(ifMatch, meta.etag)) throw failed('If-Match');
  const ius = headers['if-unmodified-since'];
  if (ifMatch === undefined && ius !== undefined) {
    const d = parseOssDate(ius);
    if (d && seconds(meta.lastModified) > Math.floor(d.getTime() / 1000)) throw failed('If-Unmodified-Since');
  }
  const notModified = () =>
    new OssServerError(304, 'NotModified', 'Not Modified', {}, {
      ETag: quoteEtag(meta.etag),
      'Last-Modified': formatRfc1123(new Date(meta.lastModified)),
    });
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined && etagListMatches(ifNoneMatch, meta.etag)) throw notModified();
  const ims = headers['if-modified-since'];
  if (ifNoneMatch === undefined && ims !== undefined) {
    const d = parseOssDate(ims);
    if (d && seconds(meta.lastModified) <= Math.floor(d.getTime() / 1000)) throw notModified();
  }
}

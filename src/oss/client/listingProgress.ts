// A listing ends only if the server moves forward. A broken or hostile one can answer
// IsTruncated=true forever: with no token, with a token it sent before, with a fresh token over
// the same page, or with empty pages (one did: 3001 identical requests, ~1600 a second, until
// stopped). Every loop that pages through a listing feeds each page to one ListingProgress before
// using it, which turns each of those into OssError 'InvalidResponse'. Pure: no I/O, no clock.
import { OssError } from '../ossError.js';
import type { ListBucketsResult, ListMultipartUploadsResult, ListObjectsV2Result } from '../types.js';

export interface ListingPage {
  isTruncated: boolean;
  /** What the next request would send (the token, or the markers as one string); '' or undefined for none. */
  next: string | undefined;
  /** How the response names `next`, for the message: `NextContinuationToken`, `NextMarker`... */
  tokenName: string;
  /** `next` with its name(s) for the message, when it is not one plain token. */
  shownNext?: string;
  /** Entries on the page: objects and prefixes, uploads, buckets. */
  entries: number;
  /** The page's last entries: two pages with entries end alike only if the second repeats the first. */
  end: string;
  status: number;
  requestId: string;
}

export interface ListingContext {
  operation: string;
  bucket?: string;
}

/**
 * Empty truncated pages in a row that are still taken as progress. S3-style servers may return
 * an empty page with a new token while they skip entries they do not show; a hundred in a row
 * (each standing for a scan of up to 1000 entries) is no longer that.
 */
export const MAX_EMPTY_PAGES = 100;

/** Tokens are opaque and may be long; the message shows the start. */
function shown(token: string): string {
  const t = token.length > 80 ? `${token.slice(0, 80)}…` : token;
  return JSON.stringify(t);
}

export class ListingProgress {
  private readonly tokens = new Map<string, number>();
  private readonly ends = new Map<string, number>();
  private pages = 0;
  private emptyRun = 0;

  constructor(private readonly ctx: ListingContext) {}

  /**
   * Takes the next page: true when another page should be asked for (with the page's `next`),
   * false when the listing is complete. Throws InvalidResponse when the server says more follows
   * but the listing is not moving; the page's entries should then not be used.
   */
  more(page: ListingPage): boolean {
    const n = ++this.pages;
    if (!page.isTruncated) return false;
    const next = page.next ?? '';
    if (next === '') {
      throw this.fail(page, `page ${n} says more follows (IsTruncated) but carries no ${page.tokenName}; the listing cannot go on`);
    }
    const sentBefore = this.tokens.get(next);
    if (sentBefore !== undefined) {
      const what = page.shownNext ?? `${page.tokenName} ${shown(next)}`;
      throw this.fail(page, `the server sent ${what} again (page ${n}, as on page ${sentBefore}); the listing would never end`);
    }
    if (page.entries === 0) {
      if (++this.emptyRun > MAX_EMPTY_PAGES) {
        throw this.fail(page, `${this.emptyRun} pages in a row held no entries, each with a new ${page.tokenName}; the listing is not moving`);
      }
    } else {
      this.emptyRun = 0;
      const endedBefore = this.ends.get(page.end);
      if (endedBefore !== undefined) {
        throw this.fail(page, `page ${n} ends where page ${endedBefore} ended, under a new ${page.tokenName}; the listing is not moving`);
      }
      this.ends.set(page.end, n);
    }
    this.tokens.set(next, n);
    return true;
  }

  private fail(page: ListingPage, message: string): OssError {
    return new OssError({
      operation: this.ctx.operation,
      ...(this.ctx.bucket !== undefined ? { bucket: this.ctx.bucket } : {}),
      code: 'InvalidResponse',
      message,
      status: page.status,
      requestId: page.requestId,
      retryable: false,
    });
  }
}

export function objectsPage(r: ListObjectsV2Result): ListingPage {
  return {
    isTruncated: r.isTruncated,
    next: r.nextContinuationToken,
    tokenName: 'NextContinuationToken',
    entries: r.objects.length + r.prefixes.length,
    end: JSON.stringify([r.objects.at(-1)?.key ?? null, r.prefixes.at(-1) ?? null]),
    status: r.status,
    requestId: r.requestId,
  };
}

export function uploadsPage(r: ListMultipartUploadsResult): ListingPage {
  const key = r.nextKeyMarker ?? '';
  const id = r.nextUploadIdMarker ?? '';
  const last = r.uploads.at(-1);
  return {
    isTruncated: r.isTruncated,
    next: key || id ? JSON.stringify([key, id]) : undefined,
    tokenName: 'NextKeyMarker/NextUploadIdMarker',
    shownNext: `NextKeyMarker ${shown(key)} and NextUploadIdMarker ${shown(id)}`,
    entries: r.uploads.length + r.prefixes.length,
    end: JSON.stringify([last?.key ?? null, last?.uploadId ?? null, r.prefixes.at(-1) ?? null]),
    status: r.status,
    requestId: r.requestId,
  };
}

export function bucketsPage(r: ListBucketsResult): ListingPage {
  return {
    isTruncated: r.isTruncated,
    next: r.nextMarker,
    tokenName: 'NextMarker',
    entries: r.buckets.length,
    end: JSON.stringify(r.buckets.at(-1)?.name ?? null),
    status: r.status,
    requestId: r.requestId,
  };
}

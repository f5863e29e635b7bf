// The one guard every listing loop feeds its pages through: a server that keeps saying "more"
// without moving (no token, a token it sent before, the same page under a fresh token, empty
// pages forever) ends the listing with InvalidResponse instead of looping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OssError } from '../../src/oss/index.js';
import {
  ListingProgress,
  MAX_EMPTY_PAGES,
  bucketsPage,
  objectsPage,
  uploadsPage,
  type ListingPage,
} from '../../src/oss/client/listingProgress.js';
import type { ListBucketsResult, ListMultipartUploadsResult, ListObjectsV2Result } from '../../src/oss/types.js';

const meta = { status: 200, requestId: 'rid-page', headers: {} };

function page(next: string | undefined, entries: number, end: string, isTruncated = true): ListingPage {
  return { isTruncated, next, entries, end, tokenName: 'NextContinuationToken', status: 200, requestId: 'rid-page' };
}

function guard(): ListingProgress {
  return new ListingProgress({ operation: 'ListObjectsV2', bucket: 'b' });
}

function fails(g: ListingProgress, p: ListingPage, message: RegExp): OssError {
  let caught: unknown;
  try {
    g.more(p);
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof OssError, `expected OssError, got ${String(caught)}`);
  assert.equal(caught.code, 'InvalidResponse');
  assert.equal(caught.operation, 'ListObjectsV2');
  assert.equal(caught.bucket, 'b');
  assert.equal(caught.status, 200);
  assert.equal(caught.requestId, 'rid-page');
  assert.equal(caught.retryable, false);
  assert.match(caught.message, message);
  return caught;
}

test('a listing that moves forward goes on until a page is not truncated', () => {
  const g = guard();
  assert.equal(g.more(page('t1', 3, 'c')), true);
  assert.equal(g.more(page('t2', 3, 'f')), true);
  assert.equal(g.more(page(undefined, 1, 'g', false)), false);
});

test('the last page needs no token and may be empty or anything else', () => {
  assert.equal(guard().more(page(undefined, 0, '', false)), false);
  const g = guard();
  g.more(page('t1', 2, 'b'));
  assert.equal(g.more(page('t1', 2, 'b', false)), false);
});

test('truncated without a token fails', () => {
  fails(guard(), page(undefined, 3, 'c'), /IsTruncated.*no NextContinuationToken/);
  fails(guard(), page('', 3, 'c'), /no NextContinuationToken/);
});

test('the token just sent, or any earlier one, coming back fails', () => {
  const g = guard();
  g.more(page('t1', 3, 'c'));
  fails(g, page('t1', 3, 'f'), /NextContinuationToken "t1" again.*page 2.*never end/);
  const h = guard();
  h.more(page('A', 1, 'a'));
  h.more(page('B', 1, 'b'));
  fails(h, page('A', 1, 'c'), /"A" again/);
});

test('the same page under a fresh token fails (a server that ignores the token)', () => {
  const g = guard();
  g.more(page('t1', 3, 'c'));
  fails(g, page('t2', 3, 'c'), /page 2 ends where page 1 ended.*not moving/);
});

test(`empty truncated pages with fresh tokens are tolerated ${MAX_EMPTY_PAGES} times in a row, then fail`, () => {
  const g = guard();
  for (let i = 0; i < MAX_EMPTY_PAGES; i++) assert.equal(g.more(page(`e${i}`, 0, '')), true);
  // An entry resets the count.
  assert.equal(g.more(page('x', 1, 'k')), true);
  for (let i = 0; i < MAX_EMPTY_PAGES; i++) assert.equal(g.more(page(`f${i}`, 0, '')), true);
  fails(g, page('last', 0, ''), new RegExp(`${MAX_EMPTY_PAGES + 1} pages in a row held no entries`));
});

test('an empty truncated page repeating its token fails at once', () => {
  const g = guard();
  g.more(page('t1', 2, 'b'));
  fails(g, page('t1', 0, ''), /"t1" again/);
});

test('a long token is shortened in the message', () => {
  const g = guard();
  const long = 'x'.repeat(5000);
  g.more(page(long, 1, 'a'));
  const e = fails(g, page(long, 1, 'b'), /again/);
  assert.ok(e.message.length < 500, e.message);
});

test('objectsPage: token, entries from objects and prefixes, end from the last of each', () => {
  const r = (objects: string[], prefixes: string[], next?: string): ListObjectsV2Result => ({
    ...meta,
    name: 'b',
    prefix: '',
    objects: objects.map((key) => ({ key, lastModified: '', etag: '', size: 0, storageClass: '', type: '' })),
    prefixes,
    isTruncated: next !== undefined,
    keyCount: objects.length + prefixes.length,
    ...(next !== undefined ? { nextContinuationToken: next } : {}),
  });
  const p = objectsPage(r(['a', 'b'], ['c/'], 'T'));
  assert.deepEqual([p.isTruncated, p.next, p.entries, p.tokenName, p.requestId, p.status], [true, 'T', 3, 'NextContinuationToken', 'rid-page', 200]);
  // Different pages never share an end; the same entries always do.
  assert.notEqual(objectsPage(r(['a'], [])).end, objectsPage(r([], ['a'])).end);
  assert.equal(objectsPage(r(['a', 'b'], ['c/'], 'T')).end, objectsPage(r(['x', 'b'], ['c/'], 'U')).end);
});

test('uploadsPage: both markers make the token; either missing alone still moves', () => {
  const r = (uploads: [string, string][], keyMarker?: string, idMarker?: string): ListMultipartUploadsResult => ({
    ...meta,
    uploads: uploads.map(([key, uploadId]) => ({ key, uploadId, initiated: '' })),
    prefixes: [],
    isTruncated: true,
    ...(keyMarker ? { nextKeyMarker: keyMarker } : {}),
    ...(idMarker ? { nextUploadIdMarker: idMarker } : {}),
  });
  const g = new ListingProgress({ operation: 'ListMultipartUploads', bucket: 'b' });
  assert.equal(g.more(uploadsPage(r([['k', 'u1']], 'k', 'u1'))), true);
  // Same key, next upload id: progress.
  assert.equal(g.more(uploadsPage(r([['k', 'u2']], 'k', 'u2'))), true);
  assert.throws(() => g.more(uploadsPage(r([['k', 'u3']], 'k', 'u2'))), /NextKeyMarker "k" and NextUploadIdMarker "u2" again/);
  assert.throws(() => new ListingProgress({ operation: 'ListMultipartUploads' }).more(uploadsPage(r([]))), /no NextKeyMarker\/NextUploadIdMarker/);
});

test('bucketsPage: NextMarker and the last bucket', () => {
  const r = (names: string[], next?: string): ListBucketsResult => ({
    ...meta,
    buckets: names.map((name) => ({ name, location: '', region: '', creationDate: '' })),
    isTruncated: true,
    ...(next ? { nextMarker: next } : {}),
  });
  const g = new ListingProgress({ operation: 'ListBuckets' });
  assert.equal(g.more(bucketsPage(r(['a', 'b'], 'b'))), true);
  assert.throws(() => g.more(bucketsPage(r(['c', 'd'], 'b'))), /NextMarker "b" again/);
});

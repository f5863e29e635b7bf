// Listings that never end: a server that keeps answering IsTruncated=true without moving (the same
// token or marker, no token, the same page under a fresh token, empty pages forever). Every lister
// (folder download and delete, the upload's existing-key check, incomplete multipart uploads,
// buckets) must stop at once with InvalidResponse. A server standing for the old endless loop
// gives up after STOP_AFTER requests with AccessDenied, so a client that loops fails here instead
// of hanging the suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OssError } from '../../src/oss/index.js';
import { MAX_EMPTY_PAGES } from '../../src/oss/client/listingProgress.js';
import { listAllBuckets } from '../../src/transfer/listing/listAllBuckets.js';
import { listAllObjects } from '../../src/transfer/listing/listAllObjects.js';
import { listAllUploads } from '../../src/transfer/listing/listAllUploads.js';
import { startHostileServer, xmlError, type HostileServer } from './hostileServer.js';

const LIMIT = { timeout: 60_000 };
const STOP_AFTER = 1000;

type Page = (n: number, query: URLSearchParams) => string;

/** A server answering each request with `page(n, query)`, until STOP_AFTER requests. */
function listingServer(page: Page): Promise<HostileServer> {
  return startHostileServer((req: IncomingMessage, res: ServerResponse, n: number) => {
    if (n >= STOP_AFTER) {
      res.writeHead(403, { 'content-type': 'application/xml' }).end(xmlError('AccessDenied', 'the hostile server stopped answering'));
      return;
    }
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    res.writeHead(200, { 'content-type': 'application/xml', 'x-oss-request-id': `page-${n}` }).end(page(n, query));
  });
}

function objectsXml(keys: string[], token: string | undefined, opts: { prefixes?: string[]; truncated?: boolean } = {}): string {
  const contents = keys.map((k) => `<Contents><Key>${k}</Key><Size>1</Size></Contents>`).join('');
  const prefixes = (opts.prefixes ?? []).map((p) => `<CommonPrefixes><Prefix>${p}</Prefix></CommonPrefixes>`).join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Name>b</Name><IsTruncated>${opts.truncated ?? true}</IsTruncated>` +
    `${token !== undefined ? `<NextContinuationToken>${token}</NextContinuationToken>` : ''}${contents}${prefixes}</ListBucketResult>`
  );
}

function uploadsXml(uploads: [string, string][], keyMarker: string, idMarker: string): string {
  const items = uploads.map(([k, u]) => `<Upload><Key>${k}</Key><UploadId>${u}</UploadId><Initiated>2026-01-01T00:00:00.000Z</Initiated></Upload>`).join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult><Bucket>b</Bucket><IsTruncated>true</IsTruncated>` +
    `<NextKeyMarker>${keyMarker}</NextKeyMarker><NextUploadIdMarker>${idMarker}</NextUploadIdMarker>${items}</ListMultipartUploadsResult>`
  );
}

async function invalid(p: Promise<unknown>, message: RegExp): Promise<OssError> {
  const e = await p.then(
    () => assert.fail('the listing ended as if complete'),
    (x: unknown) => x,
  );
  assert.ok(e instanceof OssError, String(e));
  assert.equal(e.code, 'InvalidResponse', e.message);
  assert.equal(e.retryable, false);
  assert.match(e.message, message);
  return e;
}

test('folder listing: the same continuation token every time ends at the second page', LIMIT, async () => {
  const s = await listingServer((n) => objectsXml([`k${n}`], 'same-token'));
  try {
    const e = await invalid(listAllObjects(s.client(), 'b', ''), /NextContinuationToken "same-token" again/);
    assert.equal(e.operation, 'ListObjectsV2');
    assert.equal(e.bucket, 'b');
    assert.equal(e.requestId, 'page-1');
    assert.equal(s.requests.length, 2);
    assert.match(s.requests[1]!.url, /continuation-token=same-token/);
  } finally {
    await s.close();
  }
});

test('folder listing: a server that ignores the token (same page, fresh token) ends at the second page', LIMIT, async () => {
  const s = await listingServer((n) => objectsXml(['a', 'b'], `fresh-${n}`));
  try {
    await invalid(listAllObjects(s.client(), 'b', ''), /page 2 ends where page 1 ended/);
    assert.equal(s.requests.length, 2);
  } finally {
    await s.close();
  }
});

test('folder listing: a truncated page with no entries and no new token fails', LIMIT, async () => {
  const s = await listingServer((n, q) => (n === 0 ? objectsXml(['a'], 't1') : objectsXml([], q.get('continuation-token') ?? undefined)));
  try {
    await invalid(listAllObjects(s.client(), 'b', ''), /"t1" again/);
    assert.equal(s.requests.length, 2);
  } finally {
    await s.close();
  }
  const none = await listingServer(() => objectsXml([], undefined));
  try {
    await invalid(listAllObjects(none.client(), 'b', ''), /truncated but carries no NextContinuationToken/);
    assert.equal(none.requests.length, 1);
  } finally {
    await none.close();
  }
});

test(`folder listing: empty pages with fresh tokens end after ${MAX_EMPTY_PAGES} in a row`, LIMIT, async () => {
  const s = await listingServer((n) => objectsXml([], `empty-${n}`));
  try {
    await invalid(listAllObjects(s.client(), 'b', ''), /pages in a row held no entries/);
    assert.equal(s.requests.length, MAX_EMPTY_PAGES + 1);
  } finally {
    await s.close();
  }
});

test('delimited listing (the upload check for existing keys) stops on a repeated token too', LIMIT, async () => {
  const s = await listingServer((n) => objectsXml([`d/k${n}`], 'same', { prefixes: ['d/sub/'] }));
  try {
    await invalid(listAllObjects(s.client(), 'b', 'd/', { delimiter: '/' }), /"same" again/);
    assert.equal(s.requests.length, 2);
    assert.match(s.requests[0]!.url, /delimiter=%2F/);
  } finally {
    await s.close();
  }
});

test('a listing that moves forward is followed to its end', LIMIT, async () => {
  const s = await listingServer((n) => objectsXml([`k${n}`], n < 4 ? `t${n}` : undefined, { truncated: n < 4 }));
  try {
    const all = await listAllObjects(s.client(), 'b', '');
    assert.deepEqual(
      all.map((o) => o.key),
      ['k0', 'k1', 'k2', 'k3', 'k4'],
    );
  } finally {
    await s.close();
  }
});

test('incomplete multipart uploads: the same markers every time end at the second page', LIMIT, async () => {
  const s = await listingServer((n) => uploadsXml([[`k${n}`, `u${n}`]], 'k', 'u'));
  try {
    const e = await invalid(listAllUploads(s.client(), 'b'), /NextKeyMarker "k" and NextUploadIdMarker "u" again/);
    assert.equal(e.operation, 'ListMultipartUploads');
    assert.equal(s.requests.length, 2);
    assert.match(s.requests[1]!.url, /key-marker=k&.*upload-id-marker=u|upload-id-marker=u&.*key-marker=k/);
  } finally {
    await s.close();
  }
});

test('incomplete multipart uploads: a truncated page with no uploads and no markers fails at once', LIMIT, async () => {
  const s = await listingServer(() => uploadsXml([], '', ''));
  try {
    await invalid(listAllUploads(s.client(), 'b'), /no NextKeyMarker\/NextUploadIdMarker/);
    assert.equal(s.requests.length, 1);
  } finally {
    await s.close();
  }
});

test('incomplete multipart uploads that move forward are all listed', LIMIT, async () => {
  const s = await listingServer((n) => uploadsXml([[`k${n}`, `u${n}`]], `k${n}`, `u${n}`).replace('<IsTruncated>true', `<IsTruncated>${n < 2}`));
  try {
    const all = await listAllUploads(s.client(), 'b');
    assert.deepEqual(
      all.map((u) => u.uploadId),
      ['u0', 'u1', 'u2'],
    );
    assert.match(s.requests[2]!.url, /key-marker=k1/);
  } finally {
    await s.close();
  }
});

test('buckets: the same NextMarker every time ends at the second page', LIMIT, async () => {
  const s = await listingServer(
    (n) =>
      `<ListAllMyBucketsResult><IsTruncated>true</IsTruncated><NextMarker>m</NextMarker><Buckets><Bucket><Name>b${n}</Name></Bucket></Buckets></ListAllMyBucketsResult>`,
  );
  try {
    const e = await invalid(listAllBuckets(s.client()), /NextMarker "m" again/);
    assert.equal(e.operation, 'ListBuckets');
    assert.equal(s.requests.length, 2);
  } finally {
    await s.close();
  }
});

// A bucket of generated objects for tests that need many of them: keys and bodies are made up from
// their index as pages are asked for (`keyOf(i)` must sort in index order), so 100,000 objects cost
// the server nothing to hold. It answers ListObjectsV2 (prefix, max-keys, continuation-token),
// GetObject / HeadObject of a listed key, and DeleteMultipleObjects (deleted keys leave the
// listing), and lets a test hold any listing page back (`beforePage`). No signature is checked.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc64, crc64ToString } from '../../src/oss/crc/crc64.js';
import { etagOf } from './fakeOss.js';
import { startHostileServer, type HostileServer } from './hostileServer.js';

export interface ListingFakeOptions {
  count: number;
  keyOf?: (i: number) => string;
  bodyOf?: (key: string) => Buffer;
  /** Called before a listing page is sent (`page` counts from 0): return a promise to hold it back. */
  beforePage?: (page: number, last: boolean) => Promise<void> | void;
  /** Called when a GetObject is answered. */
  onGet?: (key: string) => void;
}

export interface ListingFake extends HostileServer {
  /** Requests per operation. */
  counts: Map<string, number>;
  deleted: Set<string>;
}

const LAST_MODIFIED = 'Wed, 28 Dec 2022 10:27:41 GMT';
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function startListingFake(o: ListingFakeOptions): Promise<ListingFake> {
  const keyOf = o.keyOf ?? ((i: number) => `many/${String(i).padStart(7, '0')}.bin`);
  const bodyOf = o.bodyOf ?? ((key: string) => Buffer.from(`data of ${key}`));
  const index = new Map<string, number>();
  const counts = new Map<string, number>();
  const deleted = new Set<string>();
  const count = (op: string): void => void counts.set(op, (counts.get(op) ?? 0) + 1);
  let pages = 0;
  const body = (req: IncomingMessage): Promise<string> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  const list = async (q: URLSearchParams, res: ServerResponse): Promise<void> => {
    count('ListObjectsV2');
    const prefix = q.get('prefix') ?? '';
    const max = Number(q.get('max-keys') ?? 1000);
    let i = q.has('continuation-token') ? Number(q.get('continuation-token')) : 0;
    const keys: string[] = [];
    for (; i < o.count && keys.length < max; i++) {
      const key = keyOf(i);
      index.set(key, i);
      if (key.startsWith(prefix) && !deleted.has(key)) keys.push(key);
    }
    const truncated = i < o.count;
    await o.beforePage?.(pages++, !truncated);
    const contents = keys
      .map((k) => `<Contents><Key>${esc(k)}</Key><LastModified>2022-12-28T10:27:41.000Z</LastModified><ETag>${etagOf(bodyOf(k))}</ETag><Size>${bodyOf(k).length}</Size><StorageClass>Standard</StorageClass><Type>Normal</Type></Contents>`)
      .join('');
    res.writeHead(200, { 'content-type': 'application/xml', 'x-oss-request-id': `list-${pages}` }).end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Name>b</Name><Prefix>${esc(prefix)}</Prefix><MaxKeys>${max}</MaxKeys><KeyCount>${keys.length}</KeyCount>` +
        `<IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextContinuationToken>${i}</NextContinuationToken>` : ''}${contents}</ListBucketResult>`,
    );
  };
  const server = await startHostileServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams;
    if (req.method === 'GET' && q.get('list-type') === '2') return list(q, res);
    if (req.method === 'POST' && q.has('delete')) {
      count('DeleteMultipleObjects');
      const xml = await body(req);
      for (const m of xml.matchAll(/<Key>([^<]*)<\/Key>/g)) deleted.add(decodeURIComponent(m[1]!));
      res.writeHead(200, { 'content-type': 'application/xml' }).end('<?xml version="1.0" encoding="UTF-8"?>\n<DeleteResult></DeleteResult>');
      return;
    }
    // Path-style: /<bucket>/<key>
    const key = decodeURIComponent(url.pathname.split('/').slice(2).join('/'));
    await body(req);
    if ((req.method === 'GET' || req.method === 'HEAD') && index.has(key) && !deleted.has(key)) {
      count(req.method === 'GET' ? 'GetObject' : 'HeadObject');
      const data = bodyOf(key);
      if (req.method === 'GET') o.onGet?.(key);
      res.writeHead(200, {
        'content-length': String(data.length),
        etag: etagOf(data),
        'last-modified': LAST_MODIFIED,
        'x-oss-hash-crc64ecma': crc64ToString(crc64(data)),
        'content-type': 'application/octet-stream',
      });
      res.end(req.method === 'GET' ? data : undefined);
      return;
    }
    count('Other');
    res.writeHead(404, { 'content-type': 'application/xml' }).end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code></Error>');
  });
  return Object.assign(server, { counts, deleted });
}

// A minimal, honest OSS for the hostile tests to bend: one object served by HEAD and (ranged) GET,
// and the upload calls (PutObject, Initiate / UploadPart / Complete) with real ETags and CRC-64s.
// A test changes what goes out through `tamper` (headers) or wraps `handle` for anything else, so
// each test states only the one thing its server gets wrong. No signature is checked.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc64, crc64Combine, crc64ToString } from '../../src/oss/crc/crc64.js';
import type { HostileHandler } from './hostileServer.js';

export type FakeOp = 'HeadObject' | 'GetObject' | 'PutObject' | 'InitiateMultipartUpload' | 'UploadPart' | 'CompleteMultipartUpload' | 'AbortMultipartUpload' | 'DeleteObject' | 'Other';

export interface FakeOssOptions {
  /** The object HEAD and GET serve. */
  object?: Buffer;
  /** Send x-oss-hash-crc64ecma (default true); gateways and custom domains often drop it. */
  crc?: boolean;
  /** Last chance to change a success answer's headers (n counts requests from 0). */
  tamper?: (op: FakeOp, headers: Record<string, string>, n: number) => void;
}

export interface FakeOss {
  handle: HostileHandler;
  /** The object as the last PutObject / Complete stored it. */
  stored?: Buffer;
  /** Parts received per part number, of the current upload. */
  parts: Map<number, Buffer>;
}

const UPLOAD_ID = 'fake-upload-id';
const LAST_MODIFIED = 'Wed, 28 Dec 2022 10:27:41 GMT';

export function opOf(req: IncomingMessage): FakeOp {
  const q = new URL(req.url ?? '/', 'http://x').searchParams;
  switch (req.method) {
    case 'HEAD':
      return 'HeadObject';
    case 'GET':
      return 'GetObject';
    case 'PUT':
      return q.has('partNumber') ? 'UploadPart' : 'PutObject';
    case 'POST':
      return q.has('uploads') ? 'InitiateMultipartUpload' : q.has('uploadId') ? 'CompleteMultipartUpload' : 'Other';
    case 'DELETE':
      return q.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
    default:
      return 'Other';
  }
}

export function etagOf(data: Buffer): string {
  return `"${createHash('md5').update(data).digest('hex').toUpperCase()}"`;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function fakeOss(options: FakeOssOptions = {}): FakeOss {
  const sendCrc = options.crc !== false;
  const state: FakeOss = { parts: new Map(), handle: async () => undefined };
  const reply = (res: ServerResponse, op: FakeOp, n: number, status: number, headers: Record<string, string>, body: Buffer | string = ''): void => {
    const h: Record<string, string> = { 'x-oss-request-id': `fake-${n}`, ...headers };
    if (!sendCrc) delete h['x-oss-hash-crc64ecma'];
    options.tamper?.(op, h, n);
    // Node would announce a HEAD answer without Content-Length as chunked, which undici refuses.
    if (op === 'HeadObject' && h['content-length'] === undefined) res.useChunkedEncodingByDefault = false;
    res.writeHead(status, h);
    res.end(body);
  };
  state.handle = async (req, res, n) => {
    const op = opOf(req);
    const object = options.object ?? Buffer.alloc(0);
    const objectHeaders = (): Record<string, string> => ({
      etag: etagOf(object),
      'last-modified': LAST_MODIFIED,
      'x-oss-hash-crc64ecma': crc64ToString(crc64(object)),
      'content-type': 'application/octet-stream',
    });
    switch (op) {
      case 'HeadObject':
        return reply(res, op, n, 200, { ...objectHeaders(), 'content-length': String(object.length) });
      case 'GetObject': {
        const m = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers.range ?? ''));
        if (!m) return reply(res, op, n, 200, { ...objectHeaders(), 'content-length': String(object.length) }, object);
        const start = Number(m[1]);
        const end = Math.min(Number(m[2]), object.length - 1);
        const slice = object.subarray(start, end + 1);
        return reply(
          res,
          op,
          n,
          206,
          { ...objectHeaders(), 'content-length': String(slice.length), 'content-range': `bytes ${start}-${end}/${object.length}` },
          slice,
        );
      }
      case 'PutObject': {
        const data = await readBody(req);
        state.stored = data;
        return reply(res, op, n, 200, { etag: etagOf(data), 'x-oss-hash-crc64ecma': crc64ToString(crc64(data)), 'content-length': '0' });
      }
      case 'InitiateMultipartUpload':
        await readBody(req);
        state.parts.clear();
        return reply(
          res,
          op,
          n,
          200,
          { 'content-type': 'application/xml' },
          `<?xml version="1.0" encoding="UTF-8"?>\n<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>${UPLOAD_ID}</UploadId></InitiateMultipartUploadResult>`,
        );
      case 'UploadPart': {
        const partNumber = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('partNumber'));
        const data = await readBody(req);
        state.parts.set(partNumber, data);
        return reply(res, op, n, 200, { etag: etagOf(data), 'x-oss-hash-crc64ecma': crc64ToString(crc64(data)), 'content-length': '0' });
      }
      case 'CompleteMultipartUpload': {
        const xml = (await readBody(req)).toString('utf8');
        const numbers = [...xml.matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((x) => Number(x[1]));
        const parts = numbers.map((p) => state.parts.get(p) ?? Buffer.alloc(0));
        const whole = Buffer.concat(parts);
        let crc = 0n;
        for (const p of parts) crc = crc64Combine(crc, crc64(p), p.length);
        state.stored = whole;
        const etag = `"${createHash('md5').update(whole).digest('hex').toUpperCase()}-${parts.length}"`;
        return reply(
          res,
          op,
          n,
          200,
          { 'content-type': 'application/xml', etag, 'x-oss-hash-crc64ecma': crc64ToString(crc) },
          `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUploadResult><Location>http://x/b/k</Location><Bucket>b</Bucket><Key>k</Key><ETag>${etag}</ETag></CompleteMultipartUploadResult>`,
        );
      }
      default:
        await readBody(req);
        return reply(res, op, n, 204, {});
    }
  };
  return state;
}

// The client's HTTP behaviour against a bare node:http server that misbehaves on purpose:
// aborts, stalls, resets, proxy pages, body-less errors, connection reuse, and the signature
// re-computed from exactly the headers that arrived.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Readable } from 'node:stream';
import { OssClient, OssError } from '../../src/oss/index.js';
import { v4Authorization } from '../../src/oss/signing/signV4.js';
import { v1Authorization } from '../../src/oss/signing/signV1.js';
import type { RequestLogEntry } from '../../src/oss/types.js';
import { scribbledChunks } from './scribbledChunks.js';

// A broken client would hang on these (a never-answering server), so each test is bounded.
const LIMIT = { timeout: 20_000 };

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let handler: Handler = (_req, res) => res.end();
let server: http.Server;
let endpoint: string;
const sockets = new Set<Socket>();
let connectionCount = 0;

before(async () => {
  server = http.createServer((req, res) => handler(req, res));
  server.on('connection', (s: Socket) => {
    connectionCount++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

const SECRET = 'secret-never-logged';
function client(extra: Partial<ConstructorParameters<typeof OssClient>[0]> = {}): OssClient {
  return new OssClient({ accessKeyId: 'ak', accessKeySecret: SECRET, endpoint, ...extra });
}

async function rejectsWith(p: Promise<unknown>, code: string): Promise<OssError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof OssError, `expected OssError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

function waitFor(cond: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const tick = (): void => (cond() ? resolve() : void setTimeout(tick, 5));
    tick();
  });
}

test('V4 and V1 signatures cover exactly the headers that arrived (with STS token)', LIMIT, async () => {
  const seen: Array<{ auth: string; recomputed: string }> = [];
  for (const version of ['v4', 'v1'] as const) {
    handler = (req, res) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (k !== 'authorization' && typeof v === 'string') headers[k] = v;
      const url = new URL(req.url!, 'http://x');
      const [, bucket, ...rest] = url.pathname.split('/');
      const query: Record<string, string> = {};
      for (const [k, v] of url.searchParams) query[k] = v;
      const sreq = { method: req.method!, bucket: decodeURIComponent(bucket!), key: decodeURIComponent(rest.join('/')), query, headers };
      const creds = { accessKeyId: 'ak', accessKeySecret: SECRET, securityToken: 'sts-token' };
      const recomputed = version === 'v4' ? v4Authorization(sreq, creds, 'cn-hangzhou') : v1Authorization(sreq, creds);
      seen.push({ auth: req.headers.authorization ?? '', recomputed });
      req.resume();
      req.on('end', () => res.writeHead(200, { etag: '"E"' }).end());
    };
    const c = client({ signatureVersion: version, securityToken: 'sts-token' });
    await c.putObject({
      bucket: 'bkt',
      key: 'dir/a b+c%20é😀',
      body: 'hello',
      headers: { 'x-oss-meta-Author': 'alice', 'Cache-Control': 'no-cache' },
      contentType: 'text/plain',
    });
    await c.close();
  }
  assert.equal(seen.length, 2);
  assert.match(seen[0]!.auth, /^OSS4-HMAC-SHA256 Credential=ak\/\d{8}\/cn-hangzhou\/oss\/aliyun_v4_request,Signature=[0-9a-f]{64}$/);
  assert.match(seen[1]!.auth, /^OSS ak:/);
  for (const s of seen) assert.equal(s.auth, s.recomputed);
});

test('abort mid-download: the body errors with RequestAborted and the socket is closed at once', LIMIT, async () => {
  let serverSocketClosed = false;
  handler = (req, res) => {
    res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
    res.write(Buffer.alloc(64 * 1024));
    req.socket.on('close', () => (serverSocketClosed = true));
    // ...and never sends the rest.
  };
  const c = client();
  const ac = new AbortController();
  const got = await c.getObject({ bucket: 'bkt', key: 'k', signal: ac.signal });
  let received = 0;
  const consumed = (async () => {
    for await (const chunk of got.body) {
      received += (chunk as Buffer).length;
      if (received >= 64 * 1024) ac.abort();
    }
  })();
  const err = await rejectsWith(consumed, 'RequestAborted');
  assert.equal(err.retryable, false);
  assert.equal(err.operation, 'GetObject');
  await waitFor(() => serverSocketClosed);
  await c.close();
});

test('abort mid-upload rejects with RequestAborted after some progress; already-aborted signals send nothing', LIMIT, async () => {
  let requests = 0;
  let serverSocketClosed = false;
  handler = (req) => {
    requests++;
    req.socket.on('close', () => (serverSocketClosed = true));
    req.on('data', () => {}); // reads, never answers
  };
  const c = client();
  const ac = new AbortController();
  const size = 8 * 1024 * 1024;
  let last = 0;
  const src = new Readable({
    read() {
      // A slow producer: 64 KiB per tick, so the abort lands mid-body.
      setTimeout(() => this.push(Buffer.alloc(64 * 1024)), 1);
    },
  });
  const p = c.putObject({
    bucket: 'bkt',
    key: 'k',
    body: src,
    contentLength: size,
    signal: ac.signal,
    onUploadProgress: (n) => {
      assert.ok(n >= last, 'progress is monotonic');
      last = n;
      if (n >= 256 * 1024) ac.abort();
    },
  });
  const err = await rejectsWith(p, 'RequestAborted');
  assert.equal(err.retryable, false);
  assert.ok(last >= 256 * 1024 && last < size, `aborted mid-body at ${last}`);
  await waitFor(() => serverSocketClosed);
  src.destroy();

  const before = requests;
  const gone = new AbortController();
  gone.abort();
  await rejectsWith(c.getObject({ bucket: 'bkt', key: 'k', signal: gone.signal }), 'RequestAborted');
  assert.equal(requests, before);
  await c.close();
});

test('upload progress counts every byte of a large buffer body and of a file-less stream', LIMIT, async () => {
  handler = (req, res) => {
    let n = 0;
    req.on('data', (c: Buffer) => (n += c.length));
    req.on('end', () => res.writeHead(200, { etag: `"${n}"` }).end());
  };
  const c = client();
  const calls: number[] = [];
  const r = await c.putObject({ bucket: 'bkt', key: 'k', body: Buffer.alloc(3 * 1024 * 1024 + 5), onUploadProgress: (n) => calls.push(n) });
  assert.equal(r.etag, `"${3 * 1024 * 1024 + 5}"`);
  assert.ok(calls.length > 1, 'several progress calls');
  assert.equal(calls.at(-1), 3 * 1024 * 1024 + 5);
  assert.deepEqual([...calls].sort((a, b) => a - b), calls);
  await c.close();
});

test('a stream shorter or longer than contentLength is a non-retryable BodyLengthMismatch', LIMIT, async () => {
  handler = (req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  };
  const c = client();
  const short = await rejectsWith(
    c.putObject({ bucket: 'bkt', key: 'k', body: Readable.from([Buffer.alloc(10)]), contentLength: 20 }),
    'BodyLengthMismatch',
  );
  assert.equal(short.retryable, false);
  await rejectsWith(c.putObject({ bucket: 'bkt', key: 'k', body: Readable.from([Buffer.alloc(30)]), contentLength: 20 }), 'BodyLengthMismatch');
  await rejectsWith(c.putObject({ bucket: 'bkt', key: 'k', body: Readable.from([Buffer.alloc(1)]) }), 'InvalidArgument');
  await c.close();
});

test('a chunk source body: its chunk buffers may be overwritten once the next chunk is asked for', LIMIT, async () => {
  // The producer scribbles over each chunk's buffer as soon as the client asks for the next one
  // (and reuses it two chunks later): if the client still held a chunk, the server would see
  // scribbles instead of the pattern. A server that reads slowly keeps the socket full.
  const CHUNK = 256 * 1024;
  const COUNT = 48;
  const check = scribbledChunks(CHUNK, COUNT);
  handler = check.handler;
  const c = client();
  const sent: number[] = [];
  await c.putObject({ bucket: 'bkt', key: 'k', body: check.source, contentLength: CHUNK * COUNT, onUploadProgress: (n) => sent.push(n) });
  assert.equal(check.verdict(), `ok ${CHUNK * COUNT}`);
  assert.equal(sent.at(-1), CHUNK * COUNT);

  // Wrong length and a failing producer are reported like a stream's.
  handler = (req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  };
  const gen = (n: number, fail = false) => ({
    async *[Symbol.asyncIterator]() {
      yield Buffer.alloc(n);
      if (fail) throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    },
  });
  await rejectsWith(c.putObject({ bucket: 'bkt', key: 'k', body: gen(10), contentLength: 20 }), 'BodyLengthMismatch');
  await rejectsWith(c.putObject({ bucket: 'bkt', key: 'k', body: gen(30), contentLength: 20 }), 'BodyLengthMismatch');
  const readFailure = await rejectsWith(c.putObject({ bucket: 'bkt', key: 'k', body: gen(10, true), contentLength: 20 }), 'LocalReadError');
  assert.match(readFailure.message, /EIO/);
  await rejectsWith(c.putObject({ bucket: 'bkt', key: 'k', body: gen(1) }), 'InvalidArgument');
  await c.close();
});

test('reset mid-download is a retryable ConnectionReset on the body stream', LIMIT, async () => {
  handler = (req, res) => {
    res.writeHead(200, { 'content-length': '1000000' });
    res.write(Buffer.alloc(1000), () => req.socket.destroy());
  };
  const c = client();
  const got = await c.getObject({ bucket: 'bkt', key: 'k' });
  const err = await rejectsWith(
    (async () => {
      for await (const _ of got.body) void _;
    })(),
    'ConnectionReset',
  );
  assert.equal(err.retryable, true);
  assert.equal(err.status, 0);
  await c.close();
});

test('timeouts: no response headers, a stalled download, a server that stops reading the upload', LIMIT, async () => {
  const c = client({ timeouts: { headersMs: 150, bodyIdleMs: 150 } });
  handler = () => {
    /* never answers */
  };
  assert.equal((await rejectsWith(c.headObject({ bucket: 'bkt', key: 'k' }), 'RequestTimeout')).retryable, true);

  handler = (_req, res) => {
    res.writeHead(200, { 'content-length': '100' });
    res.write(Buffer.alloc(10));
  };
  const got = await c.getObject({ bucket: 'bkt', key: 'k' });
  await rejectsWith(
    (async () => {
      for await (const _ of got.body) void _;
    })(),
    'RequestTimeout',
  );

  handler = (req) => req.pause(); // never reads: the request body stops moving once buffers fill
  const big = Buffer.alloc(64 * 1024 * 1024);
  await rejectsWith(c.putObject({ bucket: 'bkt', key: 'k', body: big }), 'RequestTimeout');
  await c.close();
});

test('error bodies: proxy HTML, body-less HEAD, Retry-After; sockets are reused after errors', LIMIT, async () => {
  const c = client();
  handler = (_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body><h1>Bad Gateway</h1></body></html>');
  const proxy = await rejectsWith(c.getObject({ bucket: 'bkt', key: 'k' }), 'InternalError');
  assert.equal(proxy.status, 502);
  assert.equal(proxy.retryable, true);
  assert.match(proxy.message, /Bad Gateway/);

  handler = (_req, res) => res.writeHead(404, { 'x-oss-request-id': 'RID-HEAD' }).end();
  const head = await rejectsWith(c.headObject({ bucket: 'bkt', key: 'k' }), 'NoSuchKey');
  assert.equal(head.requestId, 'RID-HEAD');
  assert.equal(head.status, 404);

  handler = (_req, res) =>
    res
      .writeHead(503, { 'retry-after': '4', 'content-type': 'application/xml', 'x-oss-request-id': 'R503' })
      .end('<?xml version="1.0"?><Error><Code>ServiceUnavailable</Code><Message>slow down</Message><RequestId>R503</RequestId></Error>');
  const busy = await rejectsWith(c.listObjectsV2({ bucket: 'bkt' }), 'ServiceUnavailable');
  assert.equal(busy.retryAfterMs, 4000);
  assert.equal(busy.retryable, true);
  assert.equal(busy.requestId, 'R503');

  handler = (_req, res) => res.writeHead(404).end('<Error><Code>NoSuchKey</Code><Message>' + 'x'.repeat(100_000) + '</Message></Error>');
  const startConnections = connectionCount;
  for (let i = 0; i < 5; i++) await rejectsWith(c.getObject({ bucket: 'bkt', key: 'k' }), 'NoSuchKey');
  assert.ok(connectionCount - startConnections <= 1, `error responses reused the connection (${connectionCount - startConnections} new)`);

  handler = (_req, res) => res.writeHead(200).end('<ListBucketResult><IsTruncated>yes</IsTruncated></ListBucketResult>');
  const bad = await rejectsWith(c.listObjectsV2({ bucket: 'bkt' }), 'InvalidResponse');
  assert.equal(bad.status, 200);
  await c.close();
});

test('request log: one entry per request, no secret, no signature', LIMIT, async () => {
  const entries: RequestLogEntry[] = [];
  const c = client({ onRequestLog: (e) => entries.push(e), securityToken: 'sts-secret-token' });
  handler = (_req, res) => res.writeHead(200, { 'x-oss-request-id': 'OK1', etag: '"E"' }).end();
  await c.putObject({ bucket: 'bkt', key: 'k', body: 'x' });
  handler = (_req, res) => res.writeHead(403, { 'x-oss-request-id': 'NO1' }).end('<Error><Code>AccessDenied</Code><Message>no</Message></Error>');
  await rejectsWith(c.deleteObject({ bucket: 'bkt', key: 'k' }), 'AccessDenied');
  assert.equal(entries.length, 2);
  assert.deepEqual(
    entries.map((e) => [e.operation, e.method, e.bucket, e.key, e.status, e.requestId, e.error]),
    [
      ['PutObject', 'PUT', 'bkt', 'k', 200, 'OK1', undefined],
      ['DeleteObject', 'DELETE', 'bkt', 'k', 403, 'NO1', 'AccessDenied'],
    ],
  );
  const dump = JSON.stringify(entries);
  assert.ok(!dump.includes(SECRET) && !dump.includes('sts-secret-token') && !/OSS4-HMAC|Signature/.test(dump));
  await c.close();
});

test('bad input is refused before sending, with clear codes', LIMIT, async () => {
  let requests = 0;
  handler = (_req, res) => {
    requests++;
    res.end();
  };
  const c = client();
  await rejectsWith(c.deleteObject({ bucket: 'bkt', key: '' }), 'InvalidObjectName');
  await rejectsWith(c.getObject({ bucket: 'bkt', key: 'k', range: { start: 5, end: 2 } }), 'InvalidArgument');
  await rejectsWith(c.uploadPart({ bucket: 'bkt', key: 'k', uploadId: 'u', partNumber: 0, body: 'x' }), 'InvalidArgument');
  await rejectsWith(c.uploadPart({ bucket: 'bkt', key: 'k', uploadId: 'u', partNumber: 10001, body: 'x' }), 'InvalidArgument');
  await rejectsWith(c.putObject({ bucket: 'bkt', key: 'k', body: { file: '/nonexistent/file' } }), 'InvalidArgument');
  await rejectsWith(c.listObjectsV2({ bucket: 'bkt', maxKeys: 5000 }), 'InvalidArgument');
  await rejectsWith(c.deleteObjects({ bucket: 'bkt', keys: ['ok', 'bad\u0001'] }), 'InvalidObjectName');
  await rejectsWith(c.putObject({ bucket: 'bkt', key: 'k', body: 'x', headers: { 'x-oss-meta-a': 'line\nbreak' } }), 'InvalidArgument');
  assert.equal(requests, 0);
  const empty = await c.deleteObjects({ bucket: 'bkt', keys: [] });
  assert.deepEqual([empty.deleted, empty.status, requests], [[], 0, 0]);
  await c.close();
});

test('one signal shared by many parallel requests: no listener-leak warning, and one abort cancels them all', LIMIT, async () => {
  const warnings: string[] = [];
  const onWarning = (w: Error): void => void warnings.push(w.name);
  process.on('warning', onWarning);
  try {
    let arrived = 0;
    handler = (req, res) => {
      arrived++;
      if (req.url?.includes('slow')) return; // answered never: only the abort ends these
      res.writeHead(200, { etag: '"E"', 'content-length': '0' }).end();
    };
    const c = client({ connections: 32 });
    const ac = new AbortController();
    for (let round = 0; round < 3; round++) {
      await Promise.all(Array.from({ length: 20 }, (_, i) => c.headObject({ bucket: 'bkt', key: `fast${i}`, signal: ac.signal })));
    }
    const slow = Array.from({ length: 20 }, (_, i) => c.headObject({ bucket: 'bkt', key: `slow${i}`, signal: ac.signal }));
    await waitFor(() => arrived >= 80);
    ac.abort();
    const results = await Promise.allSettled(slow);
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      assert.equal((r as PromiseRejectedResult).reason.code, 'RequestAborted');
    }
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(warnings.filter((w) => w === 'MaxListenersExceededWarning'), []);
    await c.close();
  } finally {
    process.off('warning', onWarning);
  }
});

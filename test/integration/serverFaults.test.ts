// The test server's fault rules and byte counters, which the client and engine tests rely on to
// prove what a retry or resume re-sent; and its robustness when clients vanish mid-body.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { v1Authorization } from '../../src/oss/signing/signV1.js';
import { formatRfc1123 } from '../../src/oss/signing/ossDate.js';
import { startOssServer, type OssServer } from '../server/index.js';
import { signedRequest, type RawRequest } from '../server/signedRequest.js';

const AK = { accessKeyId: 'ak', accessKeySecret: 'sk' };
let server: OssServer;
let dir: string;

const send = (r: Partial<RawRequest>) => signedRequest(server.endpoint, { method: 'GET', bucket: 'flt', creds: AK, ...r });
const field = (xml: string, name: string) => new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml)?.[1];

/** Waits (bounded) for a condition the server reaches asynchronously, e.g. temp-file cleanup. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await sleep(10);
  }
  assert.fail(`never happened: ${what}`);
}
const tmpEmpty = async () => (await readdir(join(dir, 'tmp'))).length === 0;

/** GET that keeps what arrived even when the connection breaks. */
function rawGet(key: string): Promise<{ status?: number; received: number; error?: string }> {
  const headers: Record<string, string> = { 'x-oss-date': formatRfc1123(new Date()) };
  headers.authorization = v1Authorization({ method: 'GET', bucket: 'flt', key, query: {}, headers }, AK);
  return new Promise((resolve) => {
    let received = 0;
    let status: number | undefined;
    const req = httpRequest(`${server.endpoint}/flt/${encodeURIComponent(key)}`, { headers, agent: false }, (res) => {
      status = res.statusCode;
      res.on('data', (c: Buffer) => (received += c.length));
      res.on('end', () => resolve({ status, received }));
      res.on('error', (e) => resolve({ status, received, error: e.message }));
    });
    req.on('error', (e) => resolve({ status, received, error: e.message }));
    req.end();
  });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oss-server-faults-'));
  server = await startOssServer({ dataDir: dir, credentials: [AK], buckets: ['flt'] });
});
after(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  server.faults.clear();
  server.stats.reset();
});

describe('reset', () => {
  test('on an upload: the socket dies after N request bytes, nothing is stored, the temp file goes', async () => {
    const id = server.faults.add({ op: 'PutObject', key: 'r1' }, { type: 'reset', afterBytes: 300_000 });
    await assert.rejects(send({ method: 'PUT', key: 'r1', body: randomBytes(1_000_000) }));
    assert.equal(server.faults.hits(id), 1);
    assert.equal(server.stats.get('PutObject').bytesIn, 300_000);
    assert.equal(server.objectPath('flt', 'r1'), undefined);
    await eventually(tmpEmpty, 'temp file removed');
    // used up: the next attempt goes through
    assert.equal((await send({ method: 'PUT', key: 'r1', body: 'ok' })).status, 200);
  });

  test('on an upload with afterBytes past the body: stored, but the answer is lost', async () => {
    server.faults.add({ op: 'PutObject', key: 'r2' }, { type: 'reset', afterBytes: 1000 });
    await assert.rejects(send({ method: 'PUT', key: 'r2', body: 'short body' }));
    assert.equal((await send({ method: 'HEAD', key: 'r2' })).status, 200);
  });

  test('on a download: exactly N body bytes arrive, then the connection breaks', async () => {
    await send({ method: 'PUT', key: 'r3', body: randomBytes(500_000) });
    server.stats.reset();
    server.faults.add({ op: 'GetObject', key: 'r3' }, { type: 'reset', afterBytes: 123_456 });
    const r = await rawGet('r3');
    assert.equal(r.status, 200);
    assert.equal(r.received, 123_456);
    assert.ok(r.error, 'the client sees the connection break');
    assert.equal(server.stats.get('GetObject').bytesOut, 123_456);
    assert.equal((await rawGet('r3')).received, 500_000);
  });

  test('afterBytes 0 on a response-side operation drops the connection before any header', async () => {
    server.faults.add({ op: 'HeadObject' }, { type: 'reset', afterBytes: 0 });
    await send({ method: 'PUT', key: 'r4', body: 'x' });
    await assert.rejects(send({ method: 'HEAD', key: 'r4' }));
  });
});

describe('status, stall, forgetUpload, replaceObject', () => {
  test('status: error XML with the code and Retry-After, for `times` requests; the body is drained and counted', async () => {
    const id = server.faults.add({ op: 'PutObject' }, { type: 'status', status: 503, retryAfterSeconds: 3 }, 2);
    for (let i = 0; i < 2; i++) {
      const r = await send({ method: 'PUT', key: 's1', body: Buffer.alloc(1000) });
      assert.equal(r.status, 503);
      assert.equal(field(r.text, 'Code'), 'ServiceUnavailable');
      assert.equal(r.headers['retry-after'], '3');
      assert.match(String(r.headers['x-oss-request-id']), /^[0-9A-F]{24}$/);
    }
    assert.equal(server.objectPath('flt', 's1'), undefined);
    assert.equal((await send({ method: 'PUT', key: 's1', body: Buffer.alloc(1000) })).status, 200);
    assert.equal(server.faults.hits(id), 2);
    const st = server.stats.get('PutObject');
    assert.deepEqual([st.requests, st.bytesIn], [3, 3000]);
    assert.ok(st.bytesOut > 0, 'error XML bodies count as bytes out');
    const custom = server.faults.add({ op: 'GetObject' }, { type: 'status', status: 500, code: 'InternalError', message: 'boom' });
    const r = await send({ key: 's1' });
    assert.equal([r.status, field(r.text, 'Code'), field(r.text, 'Message')].join(), '500,InternalError,boom');
    assert.equal(server.faults.hits(custom), 1);
  });

  test('rules match by operation, key and part number only', async () => {
    const id = server.faults.add({ op: ['PutObject', 'GetObject'], key: 'only-this' }, { type: 'status', status: 500 }, Infinity);
    assert.equal((await send({ method: 'PUT', key: 'not-this', body: 'x' })).status, 200);
    assert.equal((await send({ key: 'not-this' })).status, 200);
    assert.equal((await send({ method: 'PUT', key: 'only-this', body: 'x' })).status, 500);
    assert.equal((await send({ method: 'PUT', key: 'only-this', body: 'x' })).status, 500);
    assert.equal(server.faults.hits(id), 2);
    server.faults.remove(id);
    assert.equal((await send({ method: 'PUT', key: 'only-this', body: 'x' })).status, 200);
    assert.equal(server.faults.hits(id), 2);
  });

  test('stall: before the response, or after N body bytes; the request still completes', async () => {
    await send({ method: 'PUT', key: 'st', body: Buffer.alloc(10_000, 1) });
    const a = server.faults.add({ op: 'GetObject' }, { type: 'stall', ms: 30 });
    assert.equal((await send({ key: 'st' })).body.length, 10_000);
    const b = server.faults.add({ op: 'GetObject' }, { type: 'stall', ms: 30, afterBytes: 5000 });
    assert.equal((await send({ key: 'st' })).body.length, 10_000);
    const c = server.faults.add({ op: 'PutObject' }, { type: 'stall', ms: 30, afterBytes: 5000 });
    assert.equal((await send({ method: 'PUT', key: 'st2', body: Buffer.alloc(10_000) })).status, 200);
    assert.deepEqual([a, b, c].map((id) => server.faults.hits(id)), [1, 1, 1]);
  });

  test('forgetUpload: this request and later ones get NoSuchUpload', async () => {
    const init = await send({ method: 'POST', key: 'fu', query: { uploads: '' } });
    const uploadId = field(init.text, 'UploadId')!;
    const part = (n: number) => send({ method: 'PUT', key: 'fu', query: { partNumber: String(n), uploadId }, body: 'p' });
    server.faults.add({ op: 'UploadPart', partNumber: 2 }, { type: 'forgetUpload' });
    assert.equal((await part(1)).status, 200);
    assert.equal(field((await part(2)).text, 'Code'), 'NoSuchUpload');
    assert.equal(field((await part(3)).text, 'Code'), 'NoSuchUpload');
  });

  test('replaceObject: the object changes (new ETag) before it is served', async () => {
    await send({ method: 'PUT', key: 'ro', body: 'old content' });
    const before = await send({ method: 'HEAD', key: 'ro' });
    server.faults.add({ op: 'GetObject', key: 'ro' }, { type: 'replaceObject', content: Buffer.from('new content!') });
    const r = await send({ key: 'ro', headers: { 'if-match': String(before.headers.etag) } });
    assert.equal(r.status, 412, 'If-Match with the old ETag now fails');
    const now = await send({ key: 'ro' });
    assert.equal(now.text, 'new content!');
    assert.equal(now.headers.etag, `"${createHash('md5').update('new content!').digest('hex').toUpperCase()}"`);
  });

  test('pace: the GETs a rule matches share one rate, whole and byte-exact; other keys are not matched', async () => {
    const content = randomBytes(512 * 1024);
    await send({ method: 'PUT', key: 'paced', body: content });
    await send({ method: 'PUT', key: 'not-paced', body: 'x' });
    const rate = 1024 * 1024; // 1 MiB/s: two halves at once still take half a second together
    const id = server.faults.add({ op: 'GetObject', key: 'paced' }, { type: 'pace', bytesPerSecond: rate }, Infinity);
    const half = content.length / 2;
    const started = performance.now();
    const [a, b] = await Promise.all([
      send({ key: 'paced', headers: { range: `bytes=0-${half - 1}` } }),
      send({ key: 'paced', headers: { range: `bytes=${half}-` } }),
    ]);
    const seconds = (performance.now() - started) / 1000;
    assert.ok(Buffer.concat([a.body, b.body]).equals(content), 'the paced halves are the object, byte for byte');
    // A lower bound only (a busy machine is slower, never faster): each half alone would take 0.25 s.
    assert.ok(seconds >= (content.length / rate) * 0.9, `512 KiB at a shared 1 MiB/s took ${seconds.toFixed(2)} s`);
    assert.equal((await send({ key: 'not-paced' })).text, 'x');
    assert.equal(server.faults.hits(id), 2, 'only the GETs of the paced key hit the rule');
    assert.throws(() => server.faults.add({}, { type: 'pace', bytesPerSecond: 0 }), /bytesPerSecond/);
  });

  test('bad fault definitions are refused with a clear error', () => {
    assert.throws(() => server.faults.add({}, { type: 'reset', afterBytes: -1 }), /afterBytes/);
    assert.throws(() => server.faults.add({}, { type: 'status', status: 200 }), /status/);
    assert.throws(() => server.faults.add({}, { type: 'stall', ms: 1 }, 0), /times/);
  });
});

describe('stats', () => {
  test('per operation: requests and body bytes in and out; total, snapshot and reset', async () => {
    await send({ method: 'PUT', key: 'st-a', body: Buffer.alloc(1234) });
    await send({ key: 'st-a' });
    await send({ key: 'st-a', headers: { range: 'bytes=0-99' } });
    await send({ method: 'HEAD', key: 'st-a' });
    assert.deepEqual(server.stats.get('PutObject'), { requests: 1, bytesIn: 1234, bytesOut: 0 });
    assert.deepEqual(server.stats.get('GetObject'), { requests: 2, bytesIn: 0, bytesOut: 1334 });
    assert.deepEqual(server.stats.get('HeadObject'), { requests: 1, bytesIn: 0, bytesOut: 0 });
    assert.deepEqual(server.stats.total(), { requests: 4, bytesIn: 1234, bytesOut: 1334 });
    assert.deepEqual(Object.keys(server.stats.snapshot()).sort(), ['GetObject', 'HeadObject', 'PutObject']);
    server.stats.reset();
    assert.deepEqual(server.stats.total(), { requests: 0, bytesIn: 0, bytesOut: 0 });
  });
});

describe('robustness', () => {
  test('a client that disconnects mid-body leaves no temp file and no damage', async () => {
    await send({ method: 'PUT', key: 'keep', body: 'original' });
    const headers: Record<string, string> = { 'x-oss-date': formatRfc1123(new Date()), 'content-length': '1000000' };
    headers.authorization = v1Authorization({ method: 'PUT', bucket: 'flt', key: 'keep', query: {}, headers }, AK);
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${server.endpoint}/flt/keep`, { method: 'PUT', headers, agent: false });
      req.on('error', () => resolve());
      req.write(randomBytes(200_000), () => {
        req.destroy();
        resolve();
      });
    });
    await eventually(async () => server.stats.get('PutObject').bytesIn > 0 && (await tmpEmpty()), 'aborted upload cleaned up');
    assert.equal((await send({ key: 'keep' })).text, 'original');
  });

  test('a client that drops a download mid-body leaves the server serving', async () => {
    await send({ method: 'PUT', key: 'dl-drop', body: Buffer.alloc(24_000_000, 5) });
    const headers: Record<string, string> = { 'x-oss-date': formatRfc1123(new Date()) };
    headers.authorization = v1Authorization({ method: 'GET', bucket: 'flt', key: 'dl-drop', query: {}, headers }, AK);
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${server.endpoint}/flt/dl-drop`, { headers, agent: false }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => resolve());
      req.end();
    });
    const again = await send({ key: 'dl-drop', headers: { range: 'bytes=0-9' } });
    assert.equal(again.status, 206);
    assert.ok(server.stats.get('GetObject').bytesOut < 24_000_000, 'the dropped download stopped early');
  });

  test('many concurrent requests', async () => {
    const bodies = Array.from({ length: 24 }, (_, i) => randomBytes(20_000 + i));
    const puts = await Promise.all(bodies.map((b, i) => send({ method: 'PUT', key: `c/${i}`, body: b })));
    assert.ok(puts.every((r) => r.status === 200));
    const gets = await Promise.all(bodies.map((_, i) => send({ key: `c/${i}` })));
    gets.forEach((g, i) => assert.deepEqual(g.body, bodies[i]));
  });

  test('close() ends stalls and open sockets instead of waiting for them', async () => {
    const d = await mkdtemp(join(tmpdir(), 'oss-server-close-'));
    const s = await startOssServer({ dataDir: d, credentials: [AK], buckets: ['flt'] });
    const id = s.faults.add({ op: 'ListObjects' }, { type: 'stall', ms: 600_000 });
    const pending = signedRequest(s.endpoint, { method: 'GET', bucket: 'flt', creds: AK }).then(
      () => 'answered',
      () => 'dropped',
    );
    await eventually(async () => s.faults.hits(id) === 1, 'request reached the stall');
    await s.close();
    assert.equal(await pending, 'dropped');
    await rm(d, { recursive: true, force: true });
  });
});

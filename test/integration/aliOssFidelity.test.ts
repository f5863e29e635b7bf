// Proof of fidelity: the official ali-oss client (V1 signing by default, and V4) drives the test
// server through listing, object round trips, errors, presigned URLs and a multipartUpload that
// breaks mid-way (a server fault) and resumes from the checkpoint ali-oss handed to its progress
// callback. If ali-oss accepts the server, the server speaks OSS closely enough for our own tests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { crc64, crc64ToString } from '../../src/oss/crc/crc64.js';
import { startOssServer, type OssServer } from '../server/index.js';

// ali-oss ships no types; this is the slice of its API the test uses.
interface AliResponse {
  res: { status: number; headers: Record<string, string> };
}
interface AliClient {
  listBuckets(query?: Record<string, unknown>): Promise<AliResponse & { buckets: Array<{ name: string; region: string }> }>;
  put(name: string, body: Buffer, options?: Record<string, unknown>): Promise<AliResponse & { name: string }>;
  get(name: string, options?: Record<string, unknown>): Promise<AliResponse & { content: Buffer }>;
  head(name: string): Promise<AliResponse & { status: number; meta: Record<string, string> }>;
  delete(name: string): Promise<AliResponse>;
  deleteMulti(names: string[], options?: Record<string, unknown>): Promise<AliResponse & { deleted: unknown[] }>;
  copy(name: string, source: string): Promise<AliResponse & { data: { etag: string } }>;
  list(query: Record<string, unknown> | null, options?: Record<string, unknown>): Promise<AliResponse & { objects?: Array<{ name: string }>; prefixes?: string[] }>;
  listV2(query: Record<string, unknown>): Promise<
    AliResponse & { objects?: Array<{ name: string; size: number; etag: string }>; prefixes?: string[]; isTruncated: boolean; nextContinuationToken?: string }
  >;
  multipartUpload(name: string, file: string, options: Record<string, unknown>): Promise<AliResponse & { etag: string }>;
  listUploads(query: Record<string, unknown>): Promise<AliResponse & { uploads: Array<{ name: string; uploadId: string }> }>;
  abortMultipartUpload(name: string, uploadId: string): Promise<AliResponse>;
  signatureUrl(name: string, options: Record<string, unknown>): string;
  signatureUrlV4?(method: string, expires: number, request: unknown, name: string): Promise<string>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const OSS = require('ali-oss') as new (options: Record<string, unknown>) => AliClient;

const AK = { accessKeyId: 'fidelity-ak', accessKeySecret: 'fidelity-secret' };
const STS = { accessKeyId: 'fidelity-sts', accessKeySecret: 'sts-secret', securityToken: 'sts-token-value' };
const BUCKET = 'fidelity';
const KEYS = ['folder one/a b.txt', 'folder one/c+d.txt', 'folder one/100%.txt', 'folder one/ünï 中文.txt', 'folder one/sub/😀.txt', 'plus+root.txt'];

let server: OssServer;
let dir: string;

type Mode = 'v1' | 'v4';
function client(mode: Mode, extra: Record<string, unknown> = {}): AliClient {
  return new OSS({
    endpoint: server.endpoint, // an IP endpoint: ali-oss sends Host: <bucket>.oss-cn-hangzhou.aliyuncs.com
    accessKeyId: AK.accessKeyId,
    accessKeySecret: AK.accessKeySecret,
    bucket: BUCKET,
    region: mode === 'v4' ? 'cn-hangzhou' : 'oss-cn-hangzhou',
    authorizationV4: mode === 'v4',
    timeout: 60_000,
    ...extra,
  });
}

/**
 * Runs `fn` and hands back what it wrote with console.warn, instead of printing it: for a step
 * whose warnings (from a library) are expected and checked by the caller.
 */
async function consoleWarnings(fn: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    lines.push(format(...args));
  };
  try {
    await fn();
  } finally {
    console.warn = original;
  }
  return lines;
}

/** GET a URL built for a virtual-hosted host name: connect to the server, send that Host header. */
function fetchVirtualHosted(url: string): Promise<{ status: number; body: Buffer }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: server.port, path: u.pathname + u.search, headers: { host: u.host }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oss-fidelity-'));
  server = await startOssServer({ dataDir: dir, credentials: [AK, STS], buckets: [BUCKET, 'fidelity-second'] });
});
after(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

for (const mode of ['v1', 'v4'] as const) {
  describe(`ali-oss ${mode}`, () => {
    test('listBuckets sees every bucket in this region', async () => {
      const r = await client(mode).listBuckets();
      assert.equal(r.res.status, 200);
      assert.deepEqual(r.buckets.map((b) => b.name), [BUCKET, 'fidelity-second']);
      assert.ok(r.buckets.every((b) => b.region === 'oss-cn-hangzhou'));
    });

    test('put / get / head / range get / delete, with metadata and CRC', async () => {
      const c = client(mode);
      const body = randomBytes(64 * 1024);
      const key = `${mode}/round trip+%😀.bin`;
      const put = await c.put(key, body, { headers: { 'x-oss-meta-origin': 'ali-oss' }, mime: 'application/x-fidelity' });
      assert.equal(put.res.status, 200);
      assert.equal(put.res.headers['x-oss-hash-crc64ecma'], crc64ToString(crc64(body)));
      const got = await c.get(key);
      assert.equal(sha256(got.content), sha256(body));
      const head = await c.head(key);
      assert.equal(head.status, 200);
      assert.equal(head.meta.origin, 'ali-oss');
      assert.equal(head.res.headers['content-type'], 'application/x-fidelity');
      assert.equal(head.res.headers.etag, `"${createHash('md5').update(body).digest('hex').toUpperCase()}"`);
      const part = await c.get(key, { headers: { Range: 'bytes=100-199' } });
      assert.equal(part.res.status, 206);
      assert.deepEqual(part.content, body.subarray(100, 200));
      await c.delete(key);
      await assert.rejects(c.head(key), (e: { status?: number; code?: string }) => e.status === 404 && e.code === 'NoSuchKey');
      await assert.rejects(c.get(key), (e: { status?: number; code?: string; requestId?: string }) =>
        e.status === 404 && e.code === 'NoSuchKey' && /^[0-9A-F]{24}$/.test(String(e.requestId)));
    });

    test('listV2 and list with prefix and delimiter over awkward keys', async () => {
      const c = client(mode);
      const prefix = `${mode}-list/`;
      for (const k of KEYS) await c.put(prefix + k, Buffer.from(k));
      const top = await c.listV2({ prefix, delimiter: '/' });
      assert.deepEqual(top.prefixes, [`${prefix}folder one/`]);
      assert.deepEqual(top.objects?.map((o) => o.name), [`${prefix}plus+root.txt`]);
      const inner = await c.listV2({ prefix: `${prefix}folder one/`, delimiter: '/', 'max-keys': 100 });
      const expected = KEYS.filter((k) => k.startsWith('folder one/') && !k.includes('sub/'))
        .map((k) => prefix + k)
        .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      assert.deepEqual(inner.objects?.map((o) => o.name), expected);
      assert.deepEqual(inner.prefixes, [`${prefix}folder one/sub/`]);
      // paging with continuation tokens returns every key once
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await c.listV2({ prefix, 'max-keys': 2, ...(token ? { 'continuation-token': token } : {}) });
        seen.push(...(page.objects ?? []).map((o) => o.name));
        token = page.isTruncated ? page.nextContinuationToken : undefined;
      } while (token);
      assert.deepEqual(seen.sort(), KEYS.map((k) => prefix + k).sort());
      const v1 = await c.list({ prefix: `${prefix}folder one/`, delimiter: '/' });
      assert.deepEqual(v1.objects?.map((o) => o.name), expected);
      assert.deepEqual(v1.prefixes, [`${prefix}folder one/sub/`]);
      const del = await c.deleteMulti(KEYS.map((k) => prefix + k));
      assert.equal(del.deleted.length, KEYS.length);
      assert.equal((await c.listV2({ prefix })).objects?.length ?? 0, 0);
    });

    test('copy', async () => {
      const c = client(mode);
      await c.put(`${mode}/copy-src ✓`, Buffer.from('copy body'));
      const r = await c.copy(`${mode}/copy-dst ✓`, `${mode}/copy-src ✓`);
      assert.equal(r.res.status, 200);
      assert.equal((await c.get(`${mode}/copy-dst ✓`)).content.toString(), 'copy body');
    });

    test('errors come back as ali-oss error codes', async () => {
      const wrong = new OSS({ endpoint: server.endpoint, accessKeyId: AK.accessKeyId, accessKeySecret: 'not-the-secret', bucket: BUCKET, region: mode === 'v4' ? 'cn-hangzhou' : 'oss-cn-hangzhou', authorizationV4: mode === 'v4' });
      await assert.rejects(wrong.get('anything'), (e: { status?: number; code?: string }) => e.status === 403 && e.code === 'SignatureDoesNotMatch');
      const unknown = client(mode, { accessKeyId: 'who-is-this' });
      await assert.rejects(unknown.listBuckets(), (e: { code?: string }) => e.code === 'InvalidAccessKeyId');
      const noBucket = client(mode, { bucket: 'no-such-bucket-here' });
      await assert.rejects(noBucket.get('k'), (e: { status?: number; code?: string }) => e.status === 404 && e.code === 'NoSuchBucket');
    });

    test('STS credentials (stsToken) are accepted, a wrong token is not', async () => {
      // ali-oss warns on the console when an STS client cannot refresh its token; these can (to the same one).
      const refreshing = (stsToken: string) => ({ ...STS, stsToken, refreshSTSToken: async () => ({ ...STS, stsToken }) });
      const sts = client(mode, refreshing(STS.securityToken));
      await sts.put(`${mode}/sts.txt`, Buffer.from('via sts'));
      assert.equal((await sts.get(`${mode}/sts.txt`)).content.toString(), 'via sts');
      const bad = client(mode, refreshing('another-token'));
      await assert.rejects(bad.get(`${mode}/sts.txt`), (e: { status?: number }) => e.status === 403);
    });

    test('presigned GET (signatureUrl / signatureUrlV4)', async () => {
      const key = `${mode}/presigned a+b%.txt`;
      await client(mode).put(key, Buffer.from('presigned content'));
      // ali-oss refuses to build object URLs for IP endpoints, so it signs for a host name; the
      // request still goes to this server, carrying that Host header (virtual-hosted addressing).
      const named = client(mode, { endpoint: `http://localhost:${server.port}` });
      let url: string;
      if (mode === 'v1') {
        url = named.signatureUrl(key, { expires: 120 });
      } else {
        assert.equal(typeof named.signatureUrlV4, 'function', 'this ali-oss has signatureUrlV4');
        url = await named.signatureUrlV4!('GET', 120, undefined, key);
      }
      const r = await fetchVirtualHosted(url);
      assert.equal(r.status, 200, r.body.toString());
      assert.equal(r.body.toString(), 'presigned content');
      const tampered = await fetchVirtualHosted(url.replace('presigned', 'presignee'));
      assert.equal(tampered.status, 403);
    });

    test('multipartUpload of 25 MB breaks on a fault and resumes from its checkpoint, re-sending only missing parts', async () => {
      const c = client(mode);
      const file = join(dir, `${mode}-big.bin`);
      const data = randomBytes(25 * 1024 * 1024);
      await writeFile(file, data);
      const key = `${mode}/big upload 😀.bin`;
      const partSize = 1024 * 1024;
      server.stats.reset();
      // part 9 dies mid-body, once
      const fault = server.faults.add({ op: 'UploadPart', key, partNumber: 9 }, { type: 'reset', afterBytes: 300_000 });
      let checkpoint: { doneParts: Array<{ number: number }>; uploadId: string } | undefined;
      const progress = (_p: number, cpt: typeof checkpoint) => {
        if (cpt) checkpoint = cpt;
      };
      // one part at a time on the first run, so nothing is still in flight when it fails
      const warned = await consoleWarnings(() => assert.rejects(c.multipartUpload(key, file, { partSize, parallel: 1, progress })));
      assert.equal(server.faults.hits(fault), 1);
      // urllib (under ali-oss) gets both the write error and the end of the dropped connection, and
      // says so on the console ("callback twice!!!", "socket hang up"): expected here, for part 9 only.
      for (const line of warned) assert.match(line, /^\[urllib:warn\] .*partNumber=9&/s, line);
      assert.ok(checkpoint, 'ali-oss handed a checkpoint to the progress callback');
      const done = checkpoint.doneParts.length;
      assert.equal(done, 8, 'parts 1..8 finished before part 9 broke');
      const firstRun = server.stats.get('UploadPart');
      assert.equal(firstRun.bytesIn, 8 * partSize + 300_000);

      server.stats.reset();
      const r = await c.multipartUpload(key, file, { partSize, parallel: 2, progress, checkpoint });
      assert.equal(r.res.status, 200);
      const resumed = server.stats.get('UploadPart');
      // only the parts not in the checkpoint travel again
      assert.equal(resumed.requests, 25 - done);
      assert.equal(resumed.bytesIn, data.length - done * partSize);
      assert.equal(server.stats.get('InitiateMultipartUpload').requests, 0, 'the same upload id was reused');

      assert.match(r.etag, /^"[0-9A-F]{32}-25"$/);
      assert.equal(r.res.headers['x-oss-hash-crc64ecma'], crc64ToString(crc64(data)));
      assert.equal(sha256(await readFile(server.objectPath(BUCKET, key)!)), sha256(data));
      const head = await c.head(key);
      assert.equal(head.res.headers['x-oss-object-type'], 'Multipart');
      assert.equal(head.res.headers['content-length'], String(data.length));
      await rm(file, { force: true });
    });

    test('listUploads and abortMultipartUpload', async () => {
      const c = client(mode);
      const file = join(dir, `${mode}-abort.bin`);
      await writeFile(file, randomBytes(300 * 1024));
      const key = `${mode}/to abort.bin`;
      server.faults.add({ op: 'CompleteMultipartUpload', key }, { type: 'status', status: 500 });
      await assert.rejects(c.multipartUpload(key, file, { partSize: 100 * 1024 }));
      const listed = await c.listUploads({ prefix: `${mode}/to abort` });
      assert.equal(listed.uploads.length, 1);
      assert.equal(listed.uploads[0].name, key);
      await c.abortMultipartUpload(key, listed.uploads[0].uploadId);
      assert.equal((await c.listUploads({ prefix: `${mode}/to abort` })).uploads.length, 0);
    });
  });
}

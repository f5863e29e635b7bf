// A completed multipart upload is stored as its part files (no copy at Complete): GET, ranges
// across part boundaries, HEAD, conditions, faults, copy, overwrite, delete, restart and
// objectPath() must all see one object, and no part file may outlive it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { crc64, crc64ToString } from '../../src/oss/crc/crc64.js';
import { formatRfc1123 } from '../../src/oss/signing/ossDate.js';
import { v1Authorization } from '../../src/oss/signing/signV1.js';
import { DiskStore, keyHash } from '../server/diskStore.js';
import { startOssServer, type OssServer } from '../server/index.js';
import { openObjectReader } from '../server/objectReader.js';
import { signedRequest, type RawRequest } from '../server/signedRequest.js';

const AK = { accessKeyId: 'ak', accessKeySecret: 'sk' };
const KB = 1024;
const BUCKET = 'mpo';
let server: OssServer;
let dir: string;

const field = (xml: string, name: string) => new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml)?.[1];
const md5Hex = (b: Buffer) => createHash('md5').update(b).digest('hex').toUpperCase();
const sender = (s: OssServer) => (r: Partial<RawRequest>) => signedRequest(s.endpoint, { method: 'GET', bucket: BUCKET, creds: AK, signature: 'v4', ...r });
const send = (r: Partial<RawRequest>) => sender(server)(r);
const objectsDir = (dataDir: string, bucket = BUCKET) => join(dataDir, 'buckets', bucket, 'objects');

/** The data entries (files or .parts folders) the bucket's objects/ folder holds for `key`. */
async function dataEntries(dataDir: string, key: string, bucket = BUCKET): Promise<string[]> {
  const prefix = `${keyHash(key)}-`;
  return (await readdir(objectsDir(dataDir, bucket))).filter((f) => f.startsWith(prefix));
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Waits (bounded) for something the server does after answering, e.g. removing a released version. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await sleep(10);
  }
  assert.fail(`never happened: ${what}`);
}

interface Uploaded {
  parts: Buffer[];
  whole: Buffer;
  etag: string;
}

/**
 * Uploads `sizes` as parts 1..n plus one extra part that Complete leaves out, then completes with
 * parts 1..n. Returns the bytes and the expected multipart ETag.
 */
async function multipartObject(s: OssServer, key: string, sizes: number[]): Promise<Uploaded> {
  const req = sender(s);
  const init = await req({ method: 'POST', key, query: { uploads: '' }, headers: { 'content-type': 'application/x-mp', 'x-oss-meta-m': '1' } });
  assert.equal(init.status, 200, init.text);
  const uploadId = field(init.text, 'UploadId')!;
  const parts = sizes.map((n) => randomBytes(n));
  const etags: string[] = [];
  for (const [i, p] of parts.entries()) {
    const r = await req({ method: 'PUT', key, query: { partNumber: String(i + 1), uploadId }, body: p });
    assert.equal(r.status, 200, r.text);
    etags.push(String(r.headers.etag));
  }
  const unused = await req({ method: 'PUT', key, query: { partNumber: String(parts.length + 1), uploadId }, body: randomBytes(1000) });
  assert.equal(unused.status, 200);
  const xml = `<CompleteMultipartUpload>${etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
  const done = await req({ method: 'POST', key, query: { uploadId }, body: xml });
  assert.equal(done.status, 200, done.text);
  const etag = `${createHash('md5').update(Buffer.concat(parts.map((p) => Buffer.from(md5Hex(p), 'hex')))).digest('hex').toUpperCase()}-${parts.length}`;
  assert.equal(field(done.text, 'ETag'), `"${etag}"`);
  return { parts, whole: Buffer.concat(parts), etag };
}

/** GET that keeps what arrived even when the connection breaks; `at.reached` fires once `at.bytes` came. */
function rawGet(s: OssServer, key: string, at?: { bytes: number; reached: () => void }) {
  const headers: Record<string, string> = { 'x-oss-date': formatRfc1123(new Date()) };
  headers.authorization = v1Authorization({ method: 'GET', bucket: BUCKET, key, query: {}, headers }, AK);
  return new Promise<{ status?: number; body: Buffer; error?: string }>((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let status: number | undefined;
    const done = (error?: string) => resolve({ status, body: Buffer.concat(chunks), error });
    const req = httpRequest(`${s.endpoint}/${BUCKET}/${encodeURIComponent(key)}`, { headers, agent: false }, (res) => {
      status = res.statusCode;
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        received += c.length;
        if (at && received >= at.bytes) at.reached();
      });
      res.on('end', () => done());
      res.on('error', (e) => done(e.message));
    });
    req.on('error', (e) => done(e.message));
    req.end();
  });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oss-server-mpo-'));
  server = await startOssServer({ dataDir: dir, credentials: [AK], buckets: [BUCKET, 'mpo-other'] });
});
after(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('multipart objects kept as their parts', () => {
  // Odd sizes, so no boundary falls on a round number.
  const sizes = [150 * KB + 3, 100 * KB + 1, 12_345];
  const b1 = sizes[0];
  const b2 = sizes[0] + sizes[1];

  test('served whole and by ranges that cross part boundaries, byte for byte; HEAD and conditions', async () => {
    const key = 'ranges/😀 mp.bin';
    const { whole, etag } = await multipartObject(server, key, sizes);
    const size = whole.length;
    const got = await send({ key });
    assert.equal(got.status, 200);
    assert.ok(got.body.equals(whole), 'whole body');
    const ranges: Array<[string, number, number]> = [
      [`bytes=${b1 - 5}-${b1 + 4}`, b1 - 5, b1 + 4], // across the first boundary
      [`bytes=${b1 - 1}-${b1}`, b1 - 1, b1], // the last byte of part 1 and the first of part 2
      [`bytes=${b1}-${b2 - 1}`, b1, b2 - 1], // exactly part 2
      [`bytes=10-${b2 + 10}`, 10, b2 + 10], // across both boundaries
      [`bytes=${b1 - 7}-`, b1 - 7, size - 1], // open-ended
      [`bytes=-${sizes[2] + 9}`, size - sizes[2] - 9, size - 1], // suffix reaching into part 2
      [`bytes=${size - 1}-${size - 1}`, size - 1, size - 1], // the last byte
    ];
    for (const [header, start, end] of ranges) {
      const r = await send({ key, headers: { range: header } });
      assert.equal(r.status, 206, header);
      assert.equal(r.headers['content-range'], `bytes ${start}-${end}/${size}`, header);
      assert.equal(r.headers['content-length'], String(end - start + 1), header);
      assert.ok(r.body.equals(whole.subarray(start, end + 1)), `bytes of ${header}`);
    }
    const clamped = await send({ key, headers: { range: `bytes=${b2 - 2}-${size + 100}`, 'x-oss-range-behavior': 'standard' } });
    assert.equal(clamped.status, 206);
    assert.ok(clamped.body.equals(whole.subarray(b2 - 2)));

    const head = await send({ method: 'HEAD', key });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], String(size));
    assert.equal(head.headers.etag, `"${etag}"`);
    assert.equal(head.headers['x-oss-hash-crc64ecma'], crc64ToString(crc64(whole)));
    assert.equal(head.headers['x-oss-object-type'], 'Multipart');
    assert.equal(head.headers['content-type'], 'application/x-mp');
    assert.equal(head.headers['x-oss-meta-m'], '1');

    const matching = await send({ key, headers: { 'if-match': `"${etag}"`, range: `bytes=${b1 - 2}-${b1 + 1}` } });
    assert.equal(matching.status, 206);
    assert.ok(matching.body.equals(whole.subarray(b1 - 2, b1 + 2)));
    assert.equal((await send({ key, headers: { 'if-match': '"0123"' } })).status, 412);
    assert.equal((await send({ key, headers: { 'if-none-match': `"${etag}"` } })).status, 304);
  });

  test('Complete keeps the parts as files: no single data file, the upload folder and the unused part gone', async () => {
    const key = 'layout.bin';
    const { whole } = await multipartObject(server, key, sizes);
    const entries = await dataEntries(dir, key);
    assert.equal(entries.length, 1, `one version: ${entries.join()}`);
    assert.match(entries[0], /\.parts$/);
    const segDir = join(objectsDir(dir), entries[0]);
    const files = await readdir(segDir);
    const fileSizes = await Promise.all(files.map(async (f) => (await stat(join(segDir, f))).size));
    assert.deepEqual(fileSizes.sort((a, b) => a - b), [...sizes].sort((a, b) => a - b));
    assert.deepEqual(await readdir(join(dir, 'buckets', BUCKET, 'uploads')), []);
    // the test helper still hands out one file with the bytes
    const p = server.objectPath(BUCKET, key);
    assert.ok(p);
    assert.ok((await readFile(p)).equals(whole));
    assert.equal(server.objectPath(BUCKET, key), p, 'made once per version');
  });

  test('overwrite, DeleteObject and DeleteMultipleObjects remove every part file (and the objectPath copy)', async () => {
    const key = 'replace.bin';
    await multipartObject(server, key, sizes);
    const whole1 = server.objectPath(BUCKET, key)!;
    const [first] = await dataEntries(dir, key);
    const plain = randomBytes(5000);
    assert.equal((await send({ method: 'PUT', key, body: plain })).status, 200);
    const now = await dataEntries(dir, key);
    assert.equal(now.length, 1);
    assert.match(now[0], /\.data$/);
    assert.equal(await exists(join(objectsDir(dir), first)), false, 'the replaced parts are gone');
    assert.equal(await exists(whole1), false, 'the concatenated copy went with its version');
    assert.ok((await send({ key })).body.equals(plain));

    // multipart over plain, then multipart over multipart
    await multipartObject(server, key, sizes);
    const [second] = await dataEntries(dir, key);
    const third = await multipartObject(server, key, [100 * KB, 5]);
    assert.equal(await exists(join(objectsDir(dir), second)), false);
    assert.equal((await dataEntries(dir, key)).length, 1);
    assert.ok((await send({ key })).body.equals(third.whole));

    assert.equal((await send({ method: 'DELETE', key })).status, 204);
    assert.deepEqual(await dataEntries(dir, key), []);
    assert.equal(await exists(join(objectsDir(dir), `${keyHash(key)}.json`)), false);
    assert.equal(server.objectPath(BUCKET, key), undefined);

    await multipartObject(server, 'batch-a', sizes);
    await multipartObject(server, 'batch-b', [100 * KB, 1]);
    const wholeA = server.objectPath(BUCKET, 'batch-a')!;
    const xml = '<Delete><Quiet>true</Quiet><Object><Key>batch-a</Key></Object><Object><Key>batch-b</Key></Object></Delete>';
    const body = Buffer.from(xml);
    const del = await send({ method: 'POST', query: { delete: '' }, body, headers: { 'content-md5': createHash('md5').update(body).digest('base64') } });
    assert.equal(del.status, 200, del.text);
    assert.deepEqual([...(await dataEntries(dir, 'batch-a')), ...(await dataEntries(dir, 'batch-b'))], []);
    assert.equal(await exists(wholeA), false);
  });

  test('CopyObject of a multipart object: same bytes, ETag and CRC, independent of the source', async () => {
    const key = 'copy-src.bin';
    const { whole, etag } = await multipartObject(server, key, sizes);
    const copySource = `/${BUCKET}/${encodeURIComponent(key)}`;
    const c = await send({ method: 'PUT', bucket: 'mpo-other', key: 'copy-dst.bin', headers: { 'x-oss-copy-source': copySource } });
    assert.equal(c.status, 200, c.text);
    assert.equal(field(c.text, 'ETag'), `"${etag}"`);
    const same = await send({ method: 'PUT', key: 'copy-same-bucket.bin', headers: { 'x-oss-copy-source': copySource, 'x-oss-metadata-directive': 'REPLACE', 'content-type': 'text/x-new' } });
    assert.equal(same.status, 200, same.text);
    assert.equal((await send({ method: 'DELETE', key })).status, 204, 'the source goes away');
    const other = sender(server);
    for (const [bucket, k, type] of [['mpo-other', 'copy-dst.bin', 'application/x-mp'], [BUCKET, 'copy-same-bucket.bin', 'text/x-new']]) {
      const got = await other({ bucket, key: k });
      assert.equal(got.status, 200);
      assert.ok(got.body.equals(whole), `${k}: bytes`);
      const ranged = await other({ bucket, key: k, headers: { range: `bytes=${b1 - 3}-${b2 + 3}` } });
      assert.ok(ranged.body.equals(whole.subarray(b1 - 3, b2 + 4)), `${k}: range`);
      const head = await other({ method: 'HEAD', bucket, key: k });
      assert.equal(head.headers.etag, `"${etag}"`);
      assert.equal(head.headers['x-oss-hash-crc64ecma'], crc64ToString(crc64(whole)));
      assert.equal(head.headers['x-oss-object-type'], 'Multipart');
      assert.equal(head.headers['content-type'], type);
      assert.ok((await readFile(server.objectPath(bucket, k)!)).equals(whole), `${k}: objectPath`);
    }
    // copying a multipart object onto itself (new metadata) keeps its bytes and leaves one version
    const self = await send({ method: 'PUT', key: 'copy-same-bucket.bin', headers: { 'x-oss-copy-source': `/${BUCKET}/copy-same-bucket.bin`, 'x-oss-metadata-directive': 'REPLACE', 'content-type': 'text/x-self' } });
    assert.equal(self.status, 200, self.text);
    assert.ok((await send({ key: 'copy-same-bucket.bin' })).body.equals(whole));
    assert.equal((await dataEntries(dir, 'copy-same-bucket.bin')).length, 1);
  });

  test('a reset fault on GET cuts a multipart body after exactly N bytes, past a part boundary', async () => {
    const key = 'reset.bin';
    const { whole } = await multipartObject(server, key, sizes);
    const id = server.faults.add({ op: 'GetObject', key }, { type: 'reset', afterBytes: b1 + 777 });
    const r = await rawGet(server, key);
    assert.equal(server.faults.hits(id), 1);
    assert.equal(r.status, 200);
    assert.ok(r.error, 'the client sees the connection break');
    assert.ok(r.body.equals(whole.subarray(0, b1 + 777)));
    assert.ok((await rawGet(server, key)).body.equals(whole));
  });

  test('a part uploaded or an Abort racing Complete: one of them wins cleanly', async () => {
    for (const race of ['UploadPart', 'Abort'] as const) {
      const key = `race-${race}`;
      const init = await send({ method: 'POST', key, query: { uploads: '' } });
      const uploadId = field(init.text, 'UploadId')!;
      const p1 = randomBytes(100 * KB);
      const p2 = randomBytes(10);
      const e1 = String((await send({ method: 'PUT', key, query: { partNumber: '1', uploadId }, body: p1 })).headers.etag);
      const e2 = String((await send({ method: 'PUT', key, query: { partNumber: '2', uploadId }, body: p2 })).headers.etag);
      const xml = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${e1}</ETag></Part><Part><PartNumber>2</PartNumber><ETag>${e2}</ETag></Part></CompleteMultipartUpload>`;
      const other =
        race === 'UploadPart'
          ? send({ method: 'PUT', key, query: { partNumber: '1', uploadId }, body: randomBytes(100 * KB) })
          : send({ method: 'DELETE', key, query: { uploadId } });
      const [done, raced] = await Promise.all([send({ method: 'POST', key, query: { uploadId }, body: xml }), other]);
      const outcome = `${done.status} ${field(done.text, 'Code') ?? ''} / ${raced.status} ${field(raced.text, 'Code') ?? ''}`;
      if (done.status === 200) {
        // Complete won: the object holds the listed bytes, the late request found no upload
        assert.equal(raced.status, 404, outcome);
        assert.equal(field(raced.text, 'Code'), 'NoSuchUpload', outcome);
        assert.ok((await send({ key })).body.equals(Buffer.concat([p1, p2])), outcome);
      } else {
        assert.equal(field(done.text, 'Code'), race === 'UploadPart' ? 'InvalidPart' : 'NoSuchUpload', outcome);
        assert.equal((await send({ method: 'HEAD', key })).status, 404, outcome);
        assert.deepEqual(await dataEntries(dir, key), [], outcome);
      }
      await send({ method: 'DELETE', key, query: { uploadId } });
      assert.deepEqual(await readdir(join(dir, 'buckets', BUCKET, 'uploads')), [], outcome);
    }
  });
});

test('a restarted server serves a multipart object and sweeps the leftovers of an interrupted Complete', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'oss-server-mpo-restart-'));
  let s: OssServer | undefined;
  try {
    s = await startOssServer({ dataDir, credentials: [AK], buckets: [BUCKET] });
    const key = 'dir/restart mp.bin';
    const { whole, etag } = await multipartObject(s, key, [120 * KB, 100 * KB, 999]);
    const head1 = await sender(s)({ method: 'HEAD', key });
    const [live] = await dataEntries(dataDir, key);
    await s.close();

    // debris of a Complete interrupted before its metadata was written
    const stray = join(objectsDir(dataDir), `${keyHash(key)}-0badc0ffee00.parts`);
    await mkdir(stray);
    await writeFile(join(stray, 'part-1-000000000000.data'), 'x');

    s = await startOssServer({ dataDir, credentials: [AK], buckets: [BUCKET] });
    const req = sender(s);
    assert.equal(await exists(stray), false, 'the unreferenced part folder is swept');
    assert.deepEqual(await dataEntries(dataDir, key), [live], 'the live one is kept');
    assert.ok((await req({ key })).body.equals(whole));
    const r = await req({ key, headers: { range: `bytes=${120 * KB - 2}-${220 * KB + 1}` } });
    assert.ok(r.body.equals(whole.subarray(120 * KB - 2, 220 * KB + 2)));
    const head2 = await req({ method: 'HEAD', key });
    for (const h of ['etag', 'x-oss-hash-crc64ecma', 'content-length', 'last-modified', 'x-oss-object-type']) {
      assert.equal(head2.headers[h], head1.headers[h], h);
    }
    assert.equal(head2.headers.etag, `"${etag}"`);
    assert.ok((await readFile(s.objectPath(BUCKET, key)!)).equals(whole));
  } finally {
    await s?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('an overwrite during a GET of a multipart object: the GET keeps its version, whose parts go when it ends', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'oss-server-mpo-pin-'));
  let s: OssServer | undefined;
  try {
    s = await startOssServer({ dataDir, credentials: [AK], buckets: [BUCKET] });
    const key = 'pinned.bin';
    const { whole } = await multipartObject(s, key, [150 * KB, 100 * KB, 50 * KB]);
    const [old] = await dataEntries(dataDir, key);
    // The GET stalls (long) past the first boundary; the test ends the stall by closing the server.
    s.faults.add({ op: 'GetObject', key }, { type: 'stall', ms: 120_000, afterBytes: 200 * KB });
    let reached!: () => void;
    const atStall = new Promise<void>((r) => (reached = r));
    const get = rawGet(s, key, { bytes: 200 * KB, reached });
    await atStall;
    const fresh = randomBytes(3000);
    assert.equal((await sender(s)({ method: 'PUT', key, body: fresh })).status, 200);
    assert.ok((await sender(s)({ key })).body.equals(fresh), 'new readers get the new version');
    assert.equal(await exists(join(objectsDir(dataDir), old)), true, 'the stalled GET still holds the old parts');
    await s.close();
    const r = await get;
    assert.ok(r.body.equals(whole.subarray(0, r.body.length)) && r.body.length >= 200 * KB, 'what arrived is the old version');
    await eventually(async () => !(await exists(join(objectsDir(dataDir), old))), 'the old parts removed once released');
  } finally {
    await s?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('a version read to the end across an overwrite is the old bytes, whole (reader level)', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'oss-server-mpo-reader-'));
  try {
    const store = new DiskStore(dataDir);
    await store.open();
    const bucket = await store.createBucket('rd');
    const parts = [randomBytes(3000), randomBytes(1), randomBytes(4096)];
    const meta = { key: 'k', size: 7097, etag: 'E-3', crc64: '0', contentType: 'x/y', meta: {}, headers: {}, storageClass: 'Standard', lastModified: new Date().toISOString(), objectType: 'Multipart' as const };
    const v1 = await store.commitSegmented(bucket, meta, async (d) => {
      await Promise.all(parts.map((p, i) => writeFile(join(d, `s${i}`), p)));
      return parts.map((p, i) => ({ file: `s${i}`, size: p.length }));
    });
    const reader = openObjectReader(store, 'rd', v1);
    const chunks = reader.chunks(2990, 7000, 8);
    const got: Buffer[] = [(await chunks.next()).value as Buffer];
    // replaced while being read
    const tmp = store.tempPath();
    await writeFile(tmp, 'new');
    await store.commitObject(bucket, tmp, { ...meta, size: 3, objectType: 'Normal' });
    assert.throws(() => openObjectReader(store, 'rd', v1), /does not exist/, 'a new reader of the old version is refused');
    for await (const c of { [Symbol.asyncIterator]: () => chunks }) got.push(c);
    assert.ok(Buffer.concat(got).equals(Buffer.concat(parts).subarray(2990, 7001)));
    assert.equal(await exists(join(store.objectsDir('rd'), v1.dataFile)), true);
    reader.close();
    await eventually(async () => !(await exists(join(store.objectsDir('rd'), v1.dataFile))), 'removed after close');
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

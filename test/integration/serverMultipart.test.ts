// The test server's multipart operations: part rules, Complete's checks, the multipart ETag and the
// combined CRC-64, ListParts / ListMultipartUploads paging, abort.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc64, crc64ToString } from '../../src/oss/crc/crc64.js';
import { startOssServer, type OssServer } from '../server/index.js';
import { signedRequest, type RawRequest } from '../server/signedRequest.js';

const AK = { accessKeyId: 'ak', accessKeySecret: 'sk' };
const KB = 1024;
let server: OssServer;
let dir: string;

const send = (r: Partial<RawRequest>) => signedRequest(server.endpoint, { method: 'GET', bucket: 'mpb', creds: AK, signature: 'v4', ...r });
const field = (xml: string, name: string) => new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml)?.[1];
const fields = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1]);

async function initiate(key: string): Promise<string> {
  const r = await send({ method: 'POST', key, query: { uploads: '' }, headers: { 'content-type': 'video/x-test', 'x-oss-meta-k': 'v' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(field(r.text, 'Key'), key);
  const id = field(r.text, 'UploadId');
  assert.ok(id);
  return id;
}

async function uploadPart(key: string, uploadId: string, partNumber: number, body: Buffer) {
  return send({ method: 'PUT', key, query: { partNumber: String(partNumber), uploadId }, body });
}

function completeXml(parts: Array<[number, string]>): string {
  return `<CompleteMultipartUpload>${parts.map(([n, e]) => `<Part><PartNumber>${n}</PartNumber><ETag>${e}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
}

const complete = (key: string, uploadId: string, parts: Array<[number, string]>) =>
  send({ method: 'POST', key, query: { uploadId }, body: completeXml(parts) });

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oss-server-mp-'));
  server = await startOssServer({ dataDir: dir, credentials: [AK], buckets: ['mpb'] });
});
after(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('multipart', () => {
  test('a three-part upload completes with "<md5>-3", the combined CRC and the exact bytes', async () => {
    const key = 'big/😀 file.bin';
    const id = await initiate(key);
    const parts = [randomBytes(150 * KB), randomBytes(100 * KB), randomBytes(7)];
    const etags: string[] = [];
    for (const [i, p] of parts.entries()) {
      const r = await uploadPart(key, id, i + 1, p);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers.etag, `"${createHash('md5').update(p).digest('hex').toUpperCase()}"`);
      assert.equal(r.headers['x-oss-hash-crc64ecma'], crc64ToString(crc64(p)));
      etags.push(String(r.headers.etag));
    }
    // quoted and unquoted ETags are both accepted
    const r = await complete(key, id, [[1, etags[0]], [2, etags[1].replace(/"/g, '')], [3, etags[2].toLowerCase()]]);
    assert.equal(r.status, 200, r.text);
    const whole = Buffer.concat(parts);
    const expectedEtag = createHash('md5')
      .update(Buffer.concat(parts.map((p) => createHash('md5').update(p).digest())))
      .digest('hex')
      .toUpperCase();
    assert.equal(field(r.text, 'ETag'), `"${expectedEtag}-3"`);
    assert.equal(field(r.text, 'Key'), key);
    assert.equal(r.headers['x-oss-hash-crc64ecma'], crc64ToString(crc64(whole)));
    assert.deepEqual(await readFile(server.objectPath('mpb', key)!), whole);
    const h = await send({ method: 'HEAD', key });
    assert.equal(h.headers['x-oss-object-type'], 'Multipart');
    assert.equal(h.headers['content-type'], 'video/x-test');
    assert.equal(h.headers['x-oss-meta-k'], 'v');
    assert.equal(h.headers['x-oss-hash-crc64ecma'], crc64ToString(crc64(whole)));
    // the upload is gone once completed
    assert.equal(field((await uploadPart(key, id, 1, parts[2])).text, 'Code'), 'NoSuchUpload');
  });

  test('part numbers outside 1..10000 are InvalidArgument; unknown uploads NoSuchUpload', async () => {
    const id = await initiate('pn');
    for (const n of ['0', '10001', 'abc']) {
      const r = await send({ method: 'PUT', key: 'pn', query: { partNumber: n, uploadId: id }, body: 'x' });
      assert.equal(r.status, 400, n);
      assert.equal(field(r.text, 'Code'), 'InvalidArgument');
    }
    assert.equal((await uploadPart('pn', id, 10000, Buffer.from('x'))).status, 200);
    const nu = await uploadPart('pn', 'FFFF', 1, Buffer.from('x'));
    assert.equal(nu.status, 404);
    assert.equal(field(nu.text, 'Code'), 'NoSuchUpload');
    assert.equal(field(nu.text, 'UploadId'), 'FFFF');
    // an upload id belongs to its key
    assert.equal(field((await uploadPart('other-key', id, 1, Buffer.from('x'))).text, 'Code'), 'NoSuchUpload');
  });

  test('Complete checks order, ETags, presence and the 100 KB minimum', async () => {
    const key = 'checks';
    const id = await initiate(key);
    const big = randomBytes(100 * KB);
    const small = randomBytes(10);
    const e1 = String((await uploadPart(key, id, 1, big)).headers.etag);
    const e2 = String((await uploadPart(key, id, 2, small)).headers.etag);
    const e3 = String((await uploadPart(key, id, 3, small)).headers.etag);
    const order = await complete(key, id, [[2, e2], [1, e1]]);
    assert.equal([order.status, field(order.text, 'Code')].join(), '400,InvalidPartOrder');
    const wrong = await complete(key, id, [[1, e2]]);
    assert.equal([wrong.status, field(wrong.text, 'Code')].join(), '400,InvalidPart');
    const absent = await complete(key, id, [[1, e1], [4, e1]]);
    assert.equal(field(absent.text, 'Code'), 'InvalidPart');
    const tooSmall = await complete(key, id, [[1, e1], [2, e2], [3, e3]]);
    assert.equal([tooSmall.status, field(tooSmall.text, 'Code')].join(), '400,EntityTooSmall');
    const malformed = await send({ method: 'POST', key, query: { uploadId: id }, body: '<CompleteMultipartUpload><Part>' });
    assert.equal(field(malformed.text, 'Code'), 'MalformedXML');
    // gaps are allowed; a part re-uploaded replaces the earlier bytes
    const e3b = String((await uploadPart(key, id, 3, big)).headers.etag);
    const ok = await complete(key, id, [[1, e1], [3, e3b]]);
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(await readFile(server.objectPath('mpb', key)!), Buffer.concat([big, big]));
  });

  test('ListParts pages with max-parts and part-number-marker', async () => {
    const key = 'lp';
    const id = await initiate(key);
    for (const n of [1, 2, 3, 5, 8]) await uploadPart(key, id, n, Buffer.from(`part ${n}`));
    const p1 = await send({ key, query: { uploadId: id, 'max-parts': '2' } });
    assert.deepEqual(fields(p1.text, 'PartNumber'), ['1', '2']);
    assert.equal(field(p1.text, 'IsTruncated'), 'true');
    assert.equal(field(p1.text, 'NextPartNumberMarker'), '2');
    const p2 = await send({ key, query: { uploadId: id, 'part-number-marker': '2' } });
    assert.deepEqual(fields(p2.text, 'PartNumber'), ['3', '5', '8']);
    assert.equal(field(p2.text, 'IsTruncated'), 'false');
    assert.deepEqual(fields(p2.text, 'Size'), ['6', '6', '6']);
  });

  test('ListMultipartUploads, then abort removes the upload', async () => {
    const a = await initiate('up/a');
    const b = await initiate('up/b');
    await initiate('up/dir/c');
    const r = await send({ query: { uploads: '', prefix: 'up/', delimiter: '/' } });
    assert.deepEqual(fields(r.text, 'UploadId'), [a, b]);
    assert.deepEqual(fields(r.text, 'Prefix').slice(1), ['up/dir/']);
    const page = await send({ query: { uploads: '', prefix: 'up/', 'max-uploads': '1' } });
    assert.equal(field(page.text, 'IsTruncated'), 'true');
    assert.equal(field(page.text, 'NextKeyMarker'), 'up/a');
    const rest = await send({ query: { uploads: '', prefix: 'up/', 'key-marker': 'up/a' } });
    assert.equal(fields(rest.text, 'Key')[0], 'up/b');
    assert.equal((await send({ method: 'DELETE', key: 'up/a', query: { uploadId: a } })).status, 204);
    const again = await send({ method: 'DELETE', key: 'up/a', query: { uploadId: a } });
    assert.equal([again.status, field(again.text, 'Code')].join(), '404,NoSuchUpload');
    const after = await send({ query: { uploads: '', prefix: 'up/a' } });
    assert.deepEqual(fields(after.text, 'UploadId'), []);
  });

  test('a bucket with an upload in progress is not empty', async () => {
    await send({ method: 'PUT', bucket: 'mp-tmp' });
    const r = await send({ method: 'POST', bucket: 'mp-tmp', key: 'k', query: { uploads: '' } });
    const id = field(r.text, 'UploadId')!;
    assert.equal(field((await send({ method: 'DELETE', bucket: 'mp-tmp' })).text, 'Code'), 'BucketNotEmpty');
    await send({ method: 'DELETE', bucket: 'mp-tmp', key: 'k', query: { uploadId: id } });
    assert.equal((await send({ method: 'DELETE', bucket: 'mp-tmp' })).status, 204);
  });
});

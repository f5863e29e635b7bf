// The test server's object, bucket and listing operations over raw signed HTTP: status codes,
// headers, XML shapes and the naming rules of oss-protocol.md.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { crc64, crc64ToString } from '../../src/oss/crc/crc64.js';
import { startOssServer, type OssServer } from '../server/index.js';
import { signedRequest, type RawRequest } from '../server/signedRequest.js';

const AK = { accessKeyId: 'ak', accessKeySecret: 'sk' };
let server: OssServer;
let dir: string;

const send = (r: Partial<RawRequest>) => signedRequest(server.endpoint, { method: 'GET', bucket: 'objs', creds: AK, ...r });
const field = (xml: string, name: string) => new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml)?.[1];
const fields = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1]);
const md5b64 = (b: Buffer | string) => createHash('md5').update(b).digest('base64');
const md5hex = (b: Buffer | string) => createHash('md5').update(b).digest('hex').toUpperCase();

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oss-server-objects-'));
  server = await startOssServer({ dataDir: dir, credentials: [AK], buckets: ['objs', 'other'] });
});
after(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('put, get, head, delete', () => {
  const keys = ['plain.txt', 'a b/c d.txt', 'x+y=z.bin', '100%/real', '../dots/..', 'emoji/😀 ünï.txt', 'trailing/'];
  for (const signature of ['v1', 'v4'] as const) {
    test(`${signature}: any UTF-8 key round-trips, path style and virtual-hosted`, async () => {
      for (const [i, key] of keys.entries()) {
        const body = Buffer.from(`body of ${key} ${signature}`);
        const virtual = i % 2 === 1 ? { virtualHostSuffix: 'oss-cn-hangzhou.aliyuncs.com' } : {};
        const put = await send({ method: 'PUT', key, body, signature, headers: { 'content-type': 'text/plain' }, ...virtual });
        assert.equal(put.status, 200, `${key}: ${put.text}`);
        assert.equal(put.headers.etag, `"${md5hex(body)}"`);
        assert.equal(put.headers['x-oss-hash-crc64ecma'], crc64ToString(crc64(body)));
        const got = await send({ key, signature, ...virtual });
        assert.equal(got.status, 200);
        assert.deepEqual(got.body, body);
        const stored = server.objectPath('objs', key);
        assert.ok(stored);
        assert.match(basename(stored), /^[0-9a-f]{64}-[0-9a-f]+\.data$/); // never a path built from the key
        assert.deepEqual(await readFile(stored), body);
      }
    });
  }

  test('HEAD reports size, type, ETag, CRC, meta, storage class and object type', async () => {
    const body = Buffer.alloc(1000, 7);
    await send({
      method: 'PUT',
      key: 'meta.bin',
      body,
      headers: { 'content-type': 'application/x-test', 'x-oss-meta-owner': 'alice', 'x-oss-storage-class': 'IA', 'content-md5': md5b64(body) },
    });
    const h = await send({ method: 'HEAD', key: 'meta.bin' });
    assert.equal(h.status, 200);
    assert.equal(h.body.length, 0);
    assert.equal(h.headers['content-length'], '1000');
    assert.equal(h.headers['content-type'], 'application/x-test');
    assert.equal(h.headers.etag, `"${md5hex(body)}"`);
    assert.equal(h.headers['x-oss-hash-crc64ecma'], crc64ToString(crc64(body)));
    assert.equal(h.headers['x-oss-meta-owner'], 'alice');
    assert.equal(h.headers['x-oss-storage-class'], 'IA');
    assert.equal(h.headers['x-oss-object-type'], 'Normal');
    assert.ok(h.headers['last-modified']);
  });

  test('HEAD errors have no body but x-oss-err (base64 error XML) and x-oss-ec', async () => {
    const h = await send({ method: 'HEAD', key: 'missing' });
    assert.equal(h.status, 404);
    assert.equal(h.body.length, 0);
    const xml = Buffer.from(String(h.headers['x-oss-err']), 'base64').toString('utf8');
    assert.equal(field(xml, 'Code'), 'NoSuchKey');
    assert.equal(field(xml, 'RequestId'), h.headers['x-oss-request-id']);
    assert.equal(h.headers['x-oss-ec'], field(xml, 'EC'));
  });

  test('Content-MD5 mismatch is InvalidDigest and stores nothing', async () => {
    const r = await send({ method: 'PUT', key: 'digest', body: 'abc', headers: { 'content-md5': md5b64('abd') } });
    assert.equal(r.status, 400);
    assert.equal(field(r.text, 'Code'), 'InvalidDigest');
    assert.equal(server.objectPath('objs', 'digest'), undefined);
  });

  test('x-oss-forbid-overwrite refuses to replace an object', async () => {
    assert.equal((await send({ method: 'PUT', key: 'once', body: '1', headers: { 'x-oss-forbid-overwrite': 'true' } })).status, 200);
    const r = await send({ method: 'PUT', key: 'once', body: '2', headers: { 'x-oss-forbid-overwrite': 'true' } });
    assert.equal(r.status, 409);
    assert.equal(field(r.text, 'Code'), 'FileAlreadyExists');
    assert.equal((await send({ key: 'once' })).text, '1');
  });

  test('DELETE answers 204 even for absent keys; a missing bucket is NoSuchBucket', async () => {
    await send({ method: 'PUT', key: 'gone', body: 'x' });
    assert.equal((await send({ method: 'DELETE', key: 'gone' })).status, 204);
    assert.equal((await send({ key: 'gone' })).status, 404);
    assert.equal((await send({ method: 'DELETE', key: 'never-was' })).status, 204);
    const nb = await send({ method: 'DELETE', bucket: 'no-such-bucket', key: 'k' });
    assert.equal(nb.status, 404);
    assert.equal(field(nb.text, 'Code'), 'NoSuchBucket');
    assert.equal(field(nb.text, 'BucketName'), 'no-such-bucket');
  });

  test('naming rules: InvalidBucketName, InvalidObjectName', async () => {
    const bad = await send({ bucket: 'Bad_Bucket', key: 'k' });
    assert.equal(bad.status, 400);
    assert.equal(field(bad.text, 'Code'), 'InvalidBucketName');
    for (const key of ['/leading', '\\leading', 'x'.repeat(1024)]) {
      const r = await send({ method: 'PUT', key, body: 'x' });
      assert.equal(r.status, 400, key.slice(0, 10));
      assert.equal(field(r.text, 'Code'), 'InvalidObjectName');
    }
    assert.equal((await send({ method: 'PUT', key: 'é'.repeat(511), body: 'x' })).status, 200); // 1022 bytes
  });

  test('unimplemented sub-resources are refused, not mistaken for plain requests', async () => {
    const acl = await send({ key: 'plain.txt', query: { acl: '' } });
    assert.equal([acl.status, field(acl.text, 'Code')].join(), '501,NotImplemented');
    const append = await send({ method: 'POST', key: 'app', query: { append: '', position: '0' }, body: 'x' });
    assert.equal(append.status, 501);
    assert.equal(server.objectPath('objs', 'app'), undefined);
    const wrongMethod = await send({ method: 'POST', key: 'plain.txt' });
    assert.equal([wrongMethod.status, field(wrongMethod.text, 'Code')].join(), '405,MethodNotAllowed');
  });

  test('CopyObject copies bytes and metadata (or replaces them)', async () => {
    await send({ method: 'PUT', key: 'src 😀', body: 'copy me', headers: { 'x-oss-meta-a': '1', 'content-type': 'text/a' } });
    const c = await send({ method: 'PUT', bucket: 'other', key: 'dst', headers: { 'x-oss-copy-source': `/objs/${encodeURIComponent('src 😀')}` } });
    assert.equal(c.status, 200, c.text);
    assert.equal(field(c.text, 'ETag'), `"${md5hex('copy me')}"`);
    const h = await send({ method: 'HEAD', bucket: 'other', key: 'dst' });
    assert.equal(h.headers['x-oss-meta-a'], '1');
    assert.equal(h.headers['content-type'], 'text/a');
    await send({ method: 'PUT', bucket: 'other', key: 'dst2', headers: { 'x-oss-copy-source': '/objs/src%20%F0%9F%98%80', 'x-oss-metadata-directive': 'REPLACE', 'content-type': 'text/b' } });
    const h2 = await send({ method: 'HEAD', bucket: 'other', key: 'dst2' });
    assert.equal(h2.headers['x-oss-meta-a'], undefined);
    assert.equal(h2.headers['content-type'], 'text/b');
    const missing = await send({ method: 'PUT', bucket: 'other', key: 'dst3', headers: { 'x-oss-copy-source': '/objs/none' } });
    assert.equal(field(missing.text, 'Code'), 'NoSuchKey');
  });
});

describe('ranges and conditions', () => {
  const body = Buffer.from('0123456789');
  before(async () => {
    await send({ method: 'PUT', key: 'digits', body });
  });
  const range = (range: string, standard = false) =>
    send({ key: 'digits', headers: { range, ...(standard ? { 'x-oss-range-behavior': 'standard' } : {}) } });

  test('a-b, a- and -n give 206 with Content-Range', async () => {
    for (const [h, text, cr] of [
      ['bytes=2-4', '234', 'bytes 2-4/10'],
      ['bytes=7-', '789', 'bytes 7-9/10'],
      ['bytes=-3', '789', 'bytes 7-9/10'],
    ]) {
      const r = await range(h);
      assert.equal(r.status, 206, h);
      assert.equal(r.text, text);
      assert.equal(r.headers['content-range'], cr);
    }
  });

  test('invalid or out-of-range ranges give the whole object (default behaviour)', async () => {
    for (const h of ['bytes=5-2', 'bytes=20-30', 'bytes=5-20', 'lines=1-2', 'bytes=1-2,4-5']) {
      const r = await range(h);
      assert.equal(r.status, 200, h);
      assert.equal(r.text, '0123456789');
    }
  });

  test('x-oss-range-behavior: standard clamps the end and refuses a start past the size', async () => {
    const clamped = await range('bytes=5-20', true);
    assert.equal(clamped.status, 206);
    assert.equal(clamped.headers['content-range'], 'bytes 5-9/10');
    const refused = await range('bytes=10-20', true);
    assert.equal(refused.status, 416);
    assert.equal(field(refused.text, 'Code'), 'InvalidRange');
  });

  test('If-Match mismatch is 412; If-None-Match match is 304', async () => {
    const etag = `"${md5hex(body)}"`;
    assert.equal((await send({ key: 'digits', headers: { 'if-match': etag } })).status, 200);
    const pf = await send({ key: 'digits', headers: { 'if-match': '"0000"' } });
    assert.equal(pf.status, 412);
    assert.equal(field(pf.text, 'Code'), 'PreconditionFailed');
    const nm = await send({ key: 'digits', headers: { 'if-none-match': etag } });
    assert.equal(nm.status, 304);
    assert.equal(nm.body.length, 0);
    assert.equal((await send({ key: 'digits', headers: { 'if-none-match': '"0000"' } })).status, 200);
  });
});

describe('listing', () => {
  const keys = ['list/a', 'list/b b', 'list/c+c', 'list/d%d', 'list/dir/x', 'list/dir/y', 'list/Z', 'list/é', 'list/😀', 'list/ｚ'];
  before(async () => {
    for (const k of keys) await send({ method: 'PUT', bucket: 'other', key: k, body: k });
  });
  const list = (query: Record<string, string>) => send({ bucket: 'other', query: { 'list-type': '2', ...query } });
  const decode = (xs: string[]) => xs.map(decodeURIComponent);

  test('V2: UTF-8 byte order, delimiter groups, url encoding', async () => {
    const r = await list({ prefix: 'list/', delimiter: '/', 'encoding-type': 'url' });
    assert.equal(r.status, 200);
    assert.equal(field(r.text, 'EncodingType'), 'url');
    const got = decode(fields(r.text, 'Key'));
    const bytes = keys.filter((k) => !k.startsWith('list/dir/')).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    assert.deepEqual(got, bytes);
    assert.deepEqual(decode(fields(r.text, 'Prefix')).slice(1), ['list/dir/']); // first <Prefix> is the request's
    assert.equal(field(r.text, 'KeyCount'), String(bytes.length + 1));
    assert.ok(fields(r.text, 'Key').includes('list%2Fb%20b'));
  });

  test('V2: max-keys pages with continuation tokens cover everything once', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await list({ prefix: 'list/', delimiter: '/', 'max-keys': '3', ...(token ? { 'continuation-token': token } : {}) });
      assert.equal(r.status, 200, r.text);
      seen.push(...fields(r.text, 'Key'), ...fields(r.text, 'Prefix').slice(1));
      token = field(r.text, 'IsTruncated') === 'true' ? field(r.text, 'NextContinuationToken') : undefined;
      pages += 1;
    } while (token);
    assert.equal(pages, 3);
    assert.equal(seen.length, 9);
    assert.equal(new Set(seen).size, 9);
  });

  test('V2: start-after, fetch-owner, bad max-keys', async () => {
    const r = await list({ prefix: 'list/', 'start-after': 'list/dir/x', 'fetch-owner': 'true' });
    assert.equal(fields(r.text, 'Key')[0], 'list/dir/y');
    assert.ok(field(r.text, 'Owner'));
    const bad = await list({ 'max-keys': '1001' });
    assert.equal(bad.status, 400);
    assert.equal(field(bad.text, 'Code'), 'InvalidArgument');
  });

  test('V1: marker and NextMarker', async () => {
    const r = await send({ bucket: 'other', query: { prefix: 'list/', 'max-keys': '4' } });
    assert.equal(field(r.text, 'IsTruncated'), 'true');
    const next = field(r.text, 'NextMarker')!;
    assert.equal(next, fields(r.text, 'Key')[3]);
    const r2 = await send({ bucket: 'other', query: { prefix: 'list/', marker: next, 'max-keys': '100' } });
    assert.equal(fields(r2.text, 'Key').length, keys.length - 4);
  });

  test('DeleteMultipleObjects: Content-MD5 required, quiet, url-encoded result', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>false</Quiet><Object><Key>list/b b</Key></Object><Object><Key>list/&#x1F600;</Key></Object></Delete>`;
    const noMd5 = await send({ method: 'POST', bucket: 'other', query: { delete: '' }, body: xml });
    assert.equal(noMd5.status, 400);
    const r = await send({ method: 'POST', bucket: 'other', query: { delete: '', 'encoding-type': 'url' }, body: xml, headers: { 'content-md5': md5b64(xml) } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(decode(fields(r.text, 'Key')), ['list/b b', 'list/😀']);
    assert.equal(server.objectPath('other', 'list/😀'), undefined);
    const quiet = xml.replace('false', 'true');
    const q = await send({ method: 'POST', bucket: 'other', query: { delete: '' }, body: quiet, headers: { 'content-md5': md5b64(quiet) } });
    assert.equal(fields(q.text, 'Key').length, 0);
  });
});

describe('buckets', () => {
  test('ListBuckets pages and names this server as every bucket endpoint', async () => {
    const r = await send({ bucket: undefined });
    assert.equal(r.status, 200);
    assert.deepEqual(fields(r.text, 'Name'), ['objs', 'other']);
    const host = new URL(server.endpoint).host;
    assert.equal(field(r.text, 'ExtranetEndpoint'), host);
    assert.equal(field(r.text, 'Location'), 'oss-cn-hangzhou');
    assert.equal(field(r.text, 'Region'), 'cn-hangzhou');
    const p = await send({ bucket: undefined, query: { 'max-keys': '1' } });
    assert.equal(field(p.text, 'IsTruncated'), 'true');
    assert.equal(field(p.text, 'NextMarker'), 'objs');
    const p2 = await send({ bucket: undefined, query: { marker: 'objs' } });
    assert.deepEqual(fields(p2.text, 'Name'), ['other']);
  });

  test('PutBucket, BucketAlreadyExists, info, location, BucketNotEmpty, DeleteBucket', async () => {
    assert.equal((await send({ method: 'PUT', bucket: 'fresh-1' })).status, 200);
    assert.equal(field((await send({ method: 'PUT', bucket: 'fresh-1' })).text, 'Code'), 'BucketAlreadyExists');
    const info = await send({ bucket: 'fresh-1', query: { bucketInfo: '' } });
    assert.equal(field(info.text, 'Name'), 'fresh-1');
    const loc = await send({ bucket: 'fresh-1', query: { location: '' } });
    assert.equal(field(loc.text, 'LocationConstraint'), 'oss-cn-hangzhou');
    await send({ method: 'PUT', bucket: 'fresh-1', key: 'k', body: 'x' });
    const ne = await send({ method: 'DELETE', bucket: 'fresh-1' });
    assert.equal(ne.status, 409);
    assert.equal(field(ne.text, 'Code'), 'BucketNotEmpty');
    await send({ method: 'DELETE', bucket: 'fresh-1', key: 'k' });
    assert.equal((await send({ method: 'DELETE', bucket: 'fresh-1' })).status, 204);
    assert.equal(field((await send({ bucket: 'fresh-1', query: { bucketInfo: '' } })).text, 'Code'), 'NoSuchBucket');
  });
});

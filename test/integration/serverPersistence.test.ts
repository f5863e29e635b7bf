// A restarted test server serves what it stored: objects with their metadata, multipart uploads in
// progress with their parts; leftovers of interrupted writes are swept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOssServer, type OssServer } from '../server/index.js';
import { signedRequest, type RawRequest } from '../server/signedRequest.js';

const AK = { accessKeyId: 'ak', accessKeySecret: 'sk' };
const field = (xml: string, name: string) => new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml)?.[1];
const fields = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1]);

test('objects, metadata and multipart uploads survive a restart', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'oss-server-persist-'));
  let server: OssServer | undefined;
  try {
    server = await startOssServer({ dataDir: dir, credentials: [AK], buckets: ['keep'] });
    const s1 = server;
    const send = (r: Partial<RawRequest>) => signedRequest(s1.endpoint, { method: 'GET', bucket: 'keep', creds: AK, ...r });
    const body = randomBytes(300_000);
    const key = 'dir/😀 restart.bin';
    await send({ method: 'PUT', key, body, headers: { 'content-type': 'image/x-test', 'x-oss-meta-who': 'me', 'cache-control': 'no-store' } });
    const head1 = await send({ method: 'HEAD', key });
    await send({ method: 'PUT', bucket: 'made-later' });
    const init = await send({ method: 'POST', key: 'mp', query: { uploads: '' } });
    const uploadId = field(init.text, 'UploadId')!;
    const part1 = randomBytes(120_000);
    const e1 = String((await send({ method: 'PUT', key: 'mp', query: { partNumber: '1', uploadId }, body: part1 })).headers.etag);
    await server.close();

    // debris of a crash: a half-written temp body and an unreferenced data file
    await writeFile(join(dir, 'tmp', 'stale.part'), 'x');
    await writeFile(join(dir, 'buckets', 'keep', 'objects', 'orphan-0.data'), 'x');

    server = await startOssServer({ dataDir: dir, credentials: [AK], buckets: ['keep'] });
    const s2 = server;
    const send2 = (r: Partial<RawRequest>) => signedRequest(s2.endpoint, { method: 'GET', bucket: 'keep', creds: AK, ...r });
    const got = await send2({ key });
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, body);
    const head2 = await send2({ method: 'HEAD', key });
    for (const h of ['etag', 'x-oss-hash-crc64ecma', 'content-type', 'x-oss-meta-who', 'cache-control', 'last-modified', 'content-length']) {
      assert.equal(head2.headers[h], head1.headers[h], h);
    }
    const buckets = await send2({ bucket: undefined });
    assert.deepEqual(fields(buckets.text, 'Name'), ['keep', 'made-later']);
    const listed = await send2({ query: { 'list-type': '2' } });
    assert.deepEqual(fields(listed.text, 'Key'), [key]);
    const parts = await send2({ key: 'mp', query: { uploadId } });
    assert.deepEqual(fields(parts.text, 'PartNumber'), ['1']);
    const part2 = randomBytes(10);
    const e2 = String((await send2({ method: 'PUT', key: 'mp', query: { partNumber: '2', uploadId }, body: part2 })).headers.etag);
    const xml = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${e1}</ETag></Part><Part><PartNumber>2</PartNumber><ETag>${e2}</ETag></Part></CompleteMultipartUpload>`;
    const done = await send2({ method: 'POST', key: 'mp', query: { uploadId }, body: xml });
    assert.equal(done.status, 200, done.text);
    assert.deepEqual((await send2({ key: 'mp' })).body, Buffer.concat([part1, part2]));
    assert.deepEqual(await readdir(join(dir, 'tmp')), []);
    assert.ok(!(await readdir(join(dir, 'buckets', 'keep', 'objects'))).includes('orphan-0.data'));
  } finally {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  }
});

// Every client operation against the test server, once with V4 and once with V1 signing.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { OssError, crc64, crc64Combine, crc64ToString, type OssClient } from '../../src/oss/index.js';
import { BUCKET, STS_AK, STS_SK, STS_TOKEN, patternBytes, readAll, rejectsWith, startHarness, type Harness } from './ossClientHarness.js';

const LIMIT = { timeout: 30_000 };
const md5Etag = (b: Buffer): string => `"${createHash('md5').update(b).digest('hex').toUpperCase()}"`;

for (const version of ['v4', 'v1'] as const) {
  describe(`operations with signature ${version}`, LIMIT, () => {
    let h: Harness;
    let c: OssClient;
    before(async () => {
      h = await startHarness();
      c = h.client({ signatureVersion: version });
    });
    after(async () => h.close());

    test('listBuckets, createBucket, getBucketInfo, deleteBucket', async () => {
      const created = await c.createBucket({ bucket: 'made-by-test' });
      assert.equal(created.status, 200);
      const list = await c.listBuckets();
      assert.equal(list.status, 200);
      assert.ok(list.requestId);
      const names = list.buckets.map((b) => b.name);
      assert.ok(names.includes(BUCKET) && names.includes('made-by-test'), names.join(','));
      assert.equal(list.isTruncated, false);
      const b = list.buckets.find((x) => x.name === BUCKET)!;
      assert.equal(b.region, 'cn-hangzhou');
      // A local endpoint keeps serving every bucket, whatever the listing says.
      assert.equal(c.bucketEndpoint(BUCKET), h.server.endpoint);

      const page = await c.listBuckets({ maxKeys: 1 });
      assert.equal(page.buckets.length, 1);
      assert.equal(page.isTruncated, true);
      const rest = await c.listBuckets({ marker: page.nextMarker! });
      assert.ok(!rest.buckets.some((x) => x.name === page.buckets[0]!.name));

      const info = await c.getBucketInfo({ bucket: 'made-by-test' });
      assert.equal(info.name, 'made-by-test');
      assert.equal(info.region, 'cn-hangzhou');
      const deleted = await c.deleteBucket({ bucket: 'made-by-test' });
      assert.equal(deleted.status, 204);
      await rejectsWith(c.getBucketInfo({ bucket: 'made-by-test' }), 'NoSuchBucket');
    });

    test('putObject from string, buffer, stream and file region; headObject; getObject', async () => {
      const data = patternBytes(300_000, 7);
      const file = join(h.dir, 'src.bin');
      await writeFile(file, data);
      const cases: Array<[string, Parameters<OssClient['putObject']>[0]['body'], Buffer, number?]> = [
        ['str', 'héllo wörld', Buffer.from('héllo wörld')],
        ['buf', data, data],
        ['u8', new Uint8Array(data.buffer, data.byteOffset + 5, 10), data.subarray(5, 15)],
        ['stream', Readable.from([data.subarray(0, 1000), data.subarray(1000, 5000)]), data.subarray(0, 5000), 5000],
        ['file-all', { file }, data],
        ['file-region', { file, start: 100_000, length: 150_001 }, data.subarray(100_000, 250_001)],
        ['file-tail', { file, start: 299_990 }, data.subarray(299_990)],
      ];
      for (const [name, body, expected, contentLength] of cases) {
        const key = `put/${name}`;
        let progress = 0;
        const put = await c.putObject({
          bucket: BUCKET,
          key,
          body,
          ...(contentLength !== undefined ? { contentLength } : {}),
          contentType: 'application/x-test',
          headers: { 'x-oss-meta-origin': name },
          onUploadProgress: (n) => (progress = n),
        });
        assert.equal(put.etag, md5Etag(expected), name);
        assert.equal(put.crc64, crc64ToString(crc64(expected)), name);
        assert.equal(progress, expected.length, `${name}: progress reached the body size`);

        const head = await c.headObject({ bucket: BUCKET, key });
        assert.equal(head.size, expected.length);
        assert.equal(head.etag, put.etag);
        assert.equal(head.crc64, put.crc64);
        assert.equal(head.contentType, 'application/x-test');
        assert.deepEqual(head.meta, { origin: name });
        assert.ok(head.lastModified);

        const got = await c.getObject({ bucket: BUCKET, key });
        assert.equal(got.status, 200);
        assert.equal(got.contentLength, expected.length);
        assert.equal(got.etag, put.etag);
        assert.equal(got.crc64, put.crc64);
        assert.ok((await readAll(got.body)).equals(expected), name);
      }
    });

    test('0-byte objects: string, buffer, file region', async () => {
      const file = join(h.dir, 'empty.bin');
      await writeFile(file, '');
      for (const [i, body] of (['', Buffer.alloc(0), { file }, { file: join(h.dir, 'src.bin'), start: 10, length: 0 }] as const).entries()) {
        const key = `zero/${i}`;
        const put = await c.putObject({ bucket: BUCKET, key, body });
        assert.equal(put.etag, '"D41D8CD98F00B204E9800998ECF8427E"');
        assert.equal(put.crc64, '0');
        const head = await c.headObject({ bucket: BUCKET, key });
        assert.equal(head.size, 0);
        const got = await c.getObject({ bucket: BUCKET, key });
        assert.equal(got.contentLength, 0);
        assert.equal((await readAll(got.body)).length, 0);
      }
    });

    test('range GET, strict range, If-Match / If-None-Match', async () => {
      const data = patternBytes(10_000, 3);
      const put = await c.putObject({ bucket: BUCKET, key: 'range/obj', body: data });
      const r = await c.getObject({ bucket: BUCKET, key: 'range/obj', range: { start: 100, end: 1099 } });
      assert.equal(r.status, 206);
      assert.deepEqual(r.contentRange, { start: 100, end: 1099, total: 10_000 });
      assert.equal(r.contentLength, 1000);
      assert.ok((await readAll(r.body)).equals(data.subarray(100, 1100)));

      const last = await c.getObject({ bucket: BUCKET, key: 'range/obj', range: { start: 9_999, end: 9_999 }, ifMatch: put.etag });
      assert.deepEqual([...(await readAll(last.body))], [data[9_999]]);

      // Non-strict: an end past the size is ignored (whole object, 200) as OSS does by default.
      const loose = await c.getObject({ bucket: BUCKET, key: 'range/obj', range: { start: 20_000, end: 30_000 } });
      assert.equal(loose.status, 200);
      assert.equal(loose.contentRange, undefined);
      assert.equal((await readAll(loose.body)).length, 10_000);
      const clamped = await c.getObject({ bucket: BUCKET, key: 'range/obj', range: { start: 9_000, end: 30_000 }, strictRange: true });
      assert.deepEqual(clamped.contentRange, { start: 9_000, end: 9_999, total: 10_000 });
      await readAll(clamped.body);
      await rejectsWith(c.getObject({ bucket: BUCKET, key: 'range/obj', range: { start: 20_000, end: 30_000 }, strictRange: true }), 'InvalidRange');

      const pf = await rejectsWith(c.getObject({ bucket: BUCKET, key: 'range/obj', ifMatch: '"0123456789ABCDEF0123456789ABCDEF"' }), 'PreconditionFailed');
      assert.equal(pf.status, 412);
      assert.equal(pf.retryable, false);
      assert.ok(pf.requestId);
      const nm = await rejectsWith(c.getObject({ bucket: BUCKET, key: 'range/obj', ifNoneMatch: put.etag }), 'NotModified');
      assert.equal(nm.status, 304);
    });

    test('listObjectsV2: delimiter, pagination with continuation, start-after, prefix', async () => {
      const keys = ['list/a', 'list/b/1', 'list/b/2', 'list/c', 'list/d/x/y', 'list/e', 'list/007', 'list/1e3'];
      for (const key of keys) await c.putObject({ bucket: BUCKET, key, body: key });
      const top = await c.listObjectsV2({ bucket: BUCKET, prefix: 'list/', delimiter: '/' });
      assert.equal(top.prefix, 'list/');
      assert.equal(top.delimiter, '/');
      assert.deepEqual(top.objects.map((o) => o.key), ['list/007', 'list/1e3', 'list/a', 'list/c', 'list/e']);
      assert.deepEqual(top.prefixes, ['list/b/', 'list/d/']);
      assert.equal(top.keyCount, 7);
      assert.equal(top.isTruncated, false);
      const first = top.objects[0]!;
      assert.equal(typeof first.key, 'string');
      assert.equal(first.size, 'list/007'.length);
      assert.match(first.etag, /^"[0-9A-F]{32}"$/);
      assert.equal(first.type, 'Normal');

      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await c.listObjectsV2({ bucket: BUCKET, prefix: 'list/', maxKeys: 3, ...(token ? { continuationToken: token } : {}) });
        pages++;
        seen.push(...page.objects.map((o) => o.key));
        assert.ok(page.objects.length <= 3);
        token = page.isTruncated ? page.nextContinuationToken : undefined;
        if (page.isTruncated) assert.ok(token);
      } while (token);
      assert.equal(pages, 3);
      assert.deepEqual(seen, [...keys].sort());

      const after = await c.listObjectsV2({ bucket: BUCKET, prefix: 'list/', startAfter: 'list/c' });
      assert.deepEqual(after.objects.map((o) => o.key), ['list/d/x/y', 'list/e']);
      const none = await c.listObjectsV2({ bucket: BUCKET, prefix: 'nothing-here/' });
      assert.deepEqual([none.objects, none.prefixes, none.keyCount], [[], [], 0]);
    });

    test('copyObject, deleteObject, deleteObjects in batches of 1000', async () => {
      const src = patternBytes(5000, 9);
      await c.putObject({ bucket: BUCKET, key: 'copy/src key+1', body: src });
      const cp = await c.copyObject({ bucket: BUCKET, key: 'copy/dst', sourceBucket: BUCKET, sourceKey: 'copy/src key+1' });
      assert.equal(cp.etag, md5Etag(src));
      assert.ok(cp.lastModified);
      assert.ok((await readAll((await c.getObject({ bucket: BUCKET, key: 'copy/dst' })).body)).equals(src));
      await rejectsWith(c.copyObject({ bucket: BUCKET, key: 'copy/x', sourceBucket: BUCKET, sourceKey: 'copy/missing' }), 'NoSuchKey');

      const del = await c.deleteObject({ bucket: BUCKET, key: 'copy/dst' });
      assert.equal(del.status, 204);
      assert.equal((await c.deleteObject({ bucket: BUCKET, key: 'copy/dst' })).status, 204, 'deleting a missing key is fine');
      await rejectsWith(c.headObject({ bucket: BUCKET, key: 'copy/dst' }), 'NoSuchKey');

      const real = ['batch/a', 'batch/b <&>', 'batch/c%20d'];
      for (const k of real) await c.putObject({ bucket: BUCKET, key: k, body: 'x' });
      const keys = [...real];
      for (let i = 0; i < 1200; i++) keys.push(`batch/missing-${i}`);
      h.server.stats.reset();
      const res = await c.deleteObjects({ bucket: BUCKET, keys });
      assert.equal(h.server.stats.get('DeleteMultipleObjects').requests, 2, '1203 keys take two requests');
      assert.equal(res.status, 200);
      for (const k of real) assert.ok(res.deleted.includes(k), k);
      const left = await c.listObjectsV2({ bucket: BUCKET, prefix: 'batch/' });
      assert.deepEqual(left.objects, []);
      const quiet = await c.deleteObjects({ bucket: BUCKET, keys: ['batch/none'], quiet: true });
      assert.deepEqual(quiet.deleted, []);
    });

    test('multipart: initiate, upload parts (file regions), list, complete with combined CRC; abort', async () => {
      const part = 100 * 1024;
      const data = patternBytes(2 * part + 17, 11);
      const file = join(h.dir, 'mp.bin');
      await writeFile(file, data);
      const key = 'mp/big object+1';
      const init = await c.initiateMultipartUpload({ bucket: BUCKET, key, contentType: 'video/mp4', headers: { 'x-oss-meta-kind': 'mp' } });
      assert.ok(init.uploadId);
      const ranges = [
        [0, part],
        [part, part],
        [2 * part, 17],
      ] as const;
      const parts = [];
      let combined = 0n;
      for (const [i, [start, length]] of ranges.entries()) {
        let progress = 0;
        const up = await c.uploadPart({
          bucket: BUCKET,
          key,
          uploadId: init.uploadId,
          partNumber: i + 1,
          body: { file, start, length },
          onUploadProgress: (n) => (progress = n),
        });
        const bytes = data.subarray(start, start + length);
        assert.equal(progress, length);
        assert.equal(up.etag, md5Etag(bytes));
        assert.equal(up.crc64, crc64ToString(crc64(bytes)));
        combined = i === 0 ? crc64(bytes) : crc64Combine(combined, crc64(bytes), length);
        parts.push({ partNumber: i + 1, etag: up.etag });
      }
      const listed = await c.listParts({ bucket: BUCKET, key, uploadId: init.uploadId });
      assert.deepEqual(listed.parts.map((p) => [p.partNumber, p.size, p.etag]), parts.map((p, i) => [p.partNumber, ranges[i]![1], p.etag]));
      assert.equal(listed.isTruncated, false);
      const paged = await c.listParts({ bucket: BUCKET, key, uploadId: init.uploadId, maxParts: 2 });
      assert.equal(paged.parts.length, 2);
      assert.equal(paged.isTruncated, true);
      assert.equal(paged.nextPartNumberMarker, 2);
      const rest = await c.listParts({ bucket: BUCKET, key, uploadId: init.uploadId, partNumberMarker: 2 });
      assert.deepEqual(rest.parts.map((p) => p.partNumber), [3]);

      const uploads = await c.listMultipartUploads({ bucket: BUCKET, prefix: 'mp/' });
      assert.deepEqual(uploads.uploads.map((u) => [u.key, u.uploadId]), [[key, init.uploadId]]);
      const grouped = await c.listMultipartUploads({ bucket: BUCKET, delimiter: '/' });
      assert.ok(grouped.prefixes.includes('mp/'));

      const done = await c.completeMultipartUpload({ bucket: BUCKET, key, uploadId: init.uploadId, parts });
      assert.equal(done.crc64, crc64ToString(combined));
      assert.ok(done.etag.length > 2);
      const head = await c.headObject({ bucket: BUCKET, key });
      assert.equal(head.size, data.length);
      assert.equal(head.crc64, done.crc64);
      assert.equal(head.contentType, 'video/mp4');
      assert.equal(head.meta.kind, 'mp');
      assert.ok((await readAll((await c.getObject({ bucket: BUCKET, key })).body)).equals(data));
      assert.deepEqual((await c.listMultipartUploads({ bucket: BUCKET, prefix: 'mp/' })).uploads, []);

      const second = await c.initiateMultipartUpload({ bucket: BUCKET, key: 'mp/aborted' });
      await c.uploadPart({ bucket: BUCKET, key: 'mp/aborted', uploadId: second.uploadId, partNumber: 1, body: 'abc' });
      const ab = await c.abortMultipartUpload({ bucket: BUCKET, key: 'mp/aborted', uploadId: second.uploadId });
      assert.equal(ab.status, 204);
      await rejectsWith(c.listParts({ bucket: BUCKET, key: 'mp/aborted', uploadId: second.uploadId }), 'NoSuchUpload');
    });

    test('presigned GET URLs work with plain fetch (and fail once tampered with)', async () => {
      const body = 'presigned content é';
      await c.putObject({ bucket: BUCKET, key: 'pre/a b+c.txt', body, contentType: 'text/plain' });
      const url = c.presignUrl({ bucket: BUCKET, key: 'pre/a b+c.txt', expiresSeconds: 300 });
      assert.ok(url.startsWith(`${h.server.endpoint}/${BUCKET}/pre/a%20b%2Bc.txt?`), url);
      const res = await fetch(url);
      assert.equal(res.status, 200);
      assert.equal(await res.text(), body);

      const ranged = c.presignUrl({ bucket: BUCKET, key: 'pre/a b+c.txt', expiresSeconds: 300, query: { 'response-content-type': 'application/json' } });
      const r2 = await fetch(ranged);
      assert.equal(r2.status, 200);
      await r2.arrayBuffer();

      const tampered = url.replace('/pre/a%20b%2Bc.txt', '/pre/other.txt');
      const bad = await fetch(tampered);
      assert.equal(bad.status, 403);
      assert.match(await bad.text(), /SignatureDoesNotMatch/);

      const put = c.presignUrl({ bucket: BUCKET, key: 'pre/put.txt', method: 'PUT', expiresSeconds: 60, headers: { 'content-type': 'text/plain' } });
      const pr = await fetch(put, { method: 'PUT', body: 'via url', headers: { 'content-type': 'text/plain' } });
      assert.equal(pr.status, 200, await pr.text());
      assert.equal((await readAll((await c.getObject({ bucket: BUCKET, key: 'pre/put.txt' })).body)).toString(), 'via url');
    });

    test('STS credentials: token sent (headers and presign); missing token refused', async () => {
      const sts = h.client({ signatureVersion: version, accessKeyId: STS_AK, accessKeySecret: STS_SK, securityToken: STS_TOKEN });
      await sts.putObject({ bucket: BUCKET, key: 'sts/k', body: 'sts' });
      assert.equal((await readAll((await sts.getObject({ bucket: BUCKET, key: 'sts/k' })).body)).toString(), 'sts');
      const res = await fetch(sts.presignUrl({ bucket: BUCKET, key: 'sts/k', expiresSeconds: 60 }));
      assert.equal(res.status, 200);
      assert.equal(await res.text(), 'sts');
      const noToken = h.client({ signatureVersion: version, accessKeyId: STS_AK, accessKeySecret: STS_SK });
      // HEAD has no body: the code comes from the base64 x-oss-err header.
      // A temporary key without its token is refused (servers differ on the code); HEAD has no
      // body, so code and message come from the base64 x-oss-err header, not the status.
      const e = await noToken.headObject({ bucket: BUCKET, key: 'sts/k' }).then(
        () => assert.fail('a temporary key without its token must be refused'),
        (err: OssError) => err,
      );
      assert.ok(e instanceof OssError);
      assert.ok(['AccessDenied', 'InvalidAccessKeyId'].includes(e.code), e.code);
      assert.equal(e.status, 403);
      assert.doesNotMatch(e.serverMessage, /without an error body/);
      assert.ok(e.requestId);
      const wrong = h.client({ signatureVersion: version, accessKeyId: STS_AK, accessKeySecret: STS_SK, securityToken: 'not-the-token' });
      await rejectsWith(wrong.getObject({ bucket: BUCKET, key: 'sts/k' }), 'InvalidSecurityToken');
      assert.equal(e.status, 403);
    });

    test('parallel requests share the pool', async () => {
      const data = patternBytes(64 * 1024, 5);
      await Promise.all(Array.from({ length: 24 }, (_, i) => c.putObject({ bucket: BUCKET, key: `par/${i}`, body: data })));
      const got = await Promise.all(Array.from({ length: 24 }, async (_, i) => readAll((await c.getObject({ bucket: BUCKET, key: `par/${i}` })).body)));
      for (const g of got) assert.ok(g.equals(data));
    });
  });
}

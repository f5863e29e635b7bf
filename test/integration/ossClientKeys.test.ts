// Keys that break naive encoders travel intact through every key-bearing operation, under both
// signature versions and both V1/V4 presigned URLs.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { OssClient } from '../../src/oss/index.js';
import { BUCKET, readAll, startHarness, type Harness } from './ossClientHarness.js';

const LIMIT = { timeout: 30_000 };

function hasDotSegment(key: string): boolean {
  return key.split('/').some((s) => s === '.' || s === '..');
}

/** GET with the URL's path and query sent exactly as written. */
function getVerbatim(url: string): Promise<{ status: number; text: string }> {
  const m = /^http:\/\/([^/]+)(\/.*)$/.exec(url);
  if (!m) throw new Error(`not an http URL: ${url}`);
  const [host, port] = m[1]!.split(':');
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port: Number(port), path: m[2], method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

const TRICKY_KEYS = [
  'with space',
  'a+b',
  '100%',
  'literal%20not-a-space',
  '%2F-not-a-slash',
  'ünïcödé/日本語/файл',
  'emoji 😀🎉',
  '..',
  'dir/../escape',
  './dot',
  'a//b',
  'trailing/',
  'ends with space ',
  ' starts with space',
  "quote\"apos'amp&lt<gt>",
  'question?hash#semi;colon:at@eq=comma,',
  'brackets[]{}()!*$~',
  'tab\there',
  '007',
  '1e3',
  `long/${'k'.repeat(1000)}`,
  `utf8-long/${'é'.repeat(500)}`,
];

for (const version of ['v4', 'v1'] as const) {
  describe(`tricky keys with signature ${version}`, LIMIT, () => {
    let h: Harness;
    let c: OssClient;
    const prefix = `keys-${version}/`;
    before(async () => {
      h = await startHarness();
      c = h.client({ signatureVersion: version });
    });
    after(async () => h.close());

    test('put, head, get, list, copy, presign, multipart, delete', async () => {
      for (const raw of TRICKY_KEYS) {
        const key = prefix + raw;
        const body = `body of ${raw}`;
        const put = await c.putObject({ bucket: BUCKET, key, body });
        assert.ok(h.server.objectPath(BUCKET, key), `stored under the exact key ${JSON.stringify(key)}`);
        const head = await c.headObject({ bucket: BUCKET, key });
        assert.equal(head.etag, put.etag, key);
        assert.equal((await readAll((await c.getObject({ bucket: BUCKET, key })).body)).toString(), body, key);
        const url = c.presignUrl({ bucket: BUCKET, key, expiresSeconds: 120 });
        // WHATWG URLs (fetch, browsers) drop '.' and '..' path segments, even as %2E, so such
        // keys are fetched with the path sent verbatim; the signature is the same either way.
        const res = hasDotSegment(key) ? await getVerbatim(url) : await fetch(url).then(async (r) => ({ status: r.status, text: await r.text() }));
        assert.equal(res.status, 200, `presigned ${key}`);
        assert.equal(res.text, body);
      }

      const listed: string[] = [];
      let token: string | undefined;
      do {
        const page = await c.listObjectsV2({ bucket: BUCKET, prefix, maxKeys: 7, ...(token ? { continuationToken: token } : {}) });
        listed.push(...page.objects.map((o) => o.key));
        token = page.nextContinuationToken;
      } while (token);
      assert.deepEqual(listed, TRICKY_KEYS.map((k) => prefix + k).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));

      const withDelim = await c.listObjectsV2({ bucket: BUCKET, prefix: prefix + 'ünïcödé/', delimiter: '/' });
      assert.deepEqual(withDelim.prefixes, [prefix + 'ünïcödé/日本語/']);
      const pctPrefix = await c.listObjectsV2({ bucket: BUCKET, prefix: prefix + 'literal%20' });
      assert.deepEqual(pctPrefix.objects.map((o) => o.key), [prefix + 'literal%20not-a-space']);
      // Byte order: the UTF-8 keys sort after ASCII ones.
      const after = await c.listObjectsV2({ bucket: BUCKET, prefix, startAfter: prefix + 'with space' });
      assert.deepEqual(after.objects.map((o) => o.key), listed.slice(listed.indexOf(prefix + 'with space') + 1));
      assert.ok(after.objects.length >= 1);

      const src = prefix + 'emoji 😀🎉';
      await c.copyObject({ bucket: BUCKET, key: prefix + 'copy of a+b %20', sourceBucket: BUCKET, sourceKey: src });
      assert.equal((await readAll((await c.getObject({ bucket: BUCKET, key: prefix + 'copy of a+b %20' })).body)).toString(), 'body of emoji 😀🎉');

      const mpKey = prefix + 'multipart ü+%20/..';
      const init = await c.initiateMultipartUpload({ bucket: BUCKET, key: mpKey });
      const part = await c.uploadPart({ bucket: BUCKET, key: mpKey, uploadId: init.uploadId, partNumber: 1, body: 'mp' });
      const uploads = await c.listMultipartUploads({ bucket: BUCKET, prefix });
      assert.deepEqual(uploads.uploads.map((u) => u.key), [mpKey]);
      assert.equal((await c.listParts({ bucket: BUCKET, key: mpKey, uploadId: init.uploadId })).parts.length, 1);
      await c.completeMultipartUpload({ bucket: BUCKET, key: mpKey, uploadId: init.uploadId, parts: [{ partNumber: 1, etag: part.etag }] });
      assert.equal((await c.headObject({ bucket: BUCKET, key: mpKey })).size, 2);

      const all = [...TRICKY_KEYS.map((k) => prefix + k), prefix + 'copy of a+b %20', mpKey];
      const half = Math.floor(all.length / 2);
      for (const key of all.slice(0, half)) await c.deleteObject({ bucket: BUCKET, key });
      const res = await c.deleteObjects({ bucket: BUCKET, keys: all.slice(half) });
      assert.deepEqual([...res.deleted].sort(), all.slice(half).sort());
      assert.deepEqual((await c.listObjectsV2({ bucket: BUCKET, prefix })).objects, []);
    });
  });
}

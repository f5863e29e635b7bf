// uploadImage (what a paste or drop into Markdown runs) against the local OSS server: the link it
// gives fetches the very bytes, the same image is reused and never replaces anything, a different
// object at the key is left alone with a clear error, and a failed upload leaves no temp file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { OssError } from '../../src/oss/index.js';
import { imageKey, DEFAULT_NAME_PATTERN } from '../../src/vscode/markdown/imageNaming.js';
import { ImageKeyTakenError, uploadImage, type ImageUploadOptions } from '../../src/vscode/markdown/imageUploader.js';
import type { ImageTarget } from '../../src/vscode/markdown/imageTarget.js';
import { BUCKET, startHarness, type Harness } from './ossClientHarness.js';

let h: Harness;
let tempDir: string;
const now = new Date(2026, 4, 4, 12, 0, 0);
const target: ImageTarget = { profile: 'test', bucket: BUCKET, prefix: 'notes/img', link: { kind: 'presigned', expiresSeconds: 3600 } };

before(async () => {
  h = await startHarness();
  tempDir = join(h.dir, 'tmp');
  await mkdir(tempDir);
});
after(async () => {
  await h.close();
});

function opts(extra: Partial<ImageUploadOptions> = {}): ImageUploadOptions {
  return { client: h.client(), namePattern: DEFAULT_NAME_PATTERN, now, tempDir, ...extra };
}

async function fetchBytes(url: string): Promise<{ status: number; type: string | null; body: Buffer }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
}

test('an image lands under the target folder with its type, and its presigned link fetches the same bytes', async () => {
  const png = randomBytes(200 * 1024);
  const lines: string[] = [];
  const up = await uploadImage(target, { bytes: png, mime: 'image/png', fileName: 'image.png' }, opts({ log: (l) => lines.push(l) }));
  assert.equal(up.key, imageKey('notes/img/', DEFAULT_NAME_PATTERN, { bytes: png, mime: 'image/png', now }));
  assert.match(up.key, /^notes\/img\/2026-05-04-[0-9a-f]{12}\.png$/);
  assert.equal(up.reused, false);
  const got = await fetchBytes(up.url);
  assert.equal(got.status, 200);
  assert.equal(got.type, 'image/png');
  assert.ok(got.body.equals(png), 'the link serves the pasted bytes');
  assert.deepEqual(await readdir(tempDir), [], 'the temp file is gone');
  assert.ok(lines.length > 0 && lines.every((l) => !l.includes('x-oss-signature') && !l.includes(up.url)), 'the log never holds the presigned URL');
});

test('the same image again reuses the object; a different one gets its own key', async () => {
  const png = randomBytes(10 * 1024);
  const first = await uploadImage(target, { bytes: png, mime: 'image/png' }, opts());
  const etag = (await h.client().headObject({ bucket: BUCKET, key: first.key })).etag;
  const again = await uploadImage(target, { bytes: Buffer.from(png), mime: 'image/png' }, opts());
  assert.equal(again.key, first.key);
  assert.equal(again.reused, true);
  assert.equal((await h.client().headObject({ bucket: BUCKET, key: first.key })).etag, etag, 'the object was not written again');
  const other = await uploadImage(target, { bytes: randomBytes(10 * 1024), mime: 'image/png' }, opts());
  assert.notEqual(other.key, first.key);
  assert.ok((await fetchBytes(first.url)).body.equals(png), 'the first image is still what its link serves');
});

test('a different object already at the key is left alone and the error says what to change', async () => {
  const png = randomBytes(4096);
  const key = imageKey(target.prefix, DEFAULT_NAME_PATTERN, { bytes: png, mime: 'image/png', now });
  const someoneElses = Buffer.from('not this image');
  await h.client().putObject({ bucket: BUCKET, key, body: someoneElses });
  await assert.rejects(uploadImage(target, { bytes: png, mime: 'image/png' }, opts()), (e: unknown) => {
    assert.ok(e instanceof ImageKeyTakenError);
    assert.match(e.message, /already holds a different object, which was left alone/);
    assert.match(e.nextStep, /namePattern/);
    return true;
  });
  const { body } = await h.client().getObject({ bucket: BUCKET, key });
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c as Buffer);
  assert.ok(Buffer.concat(chunks).equals(someoneElses));
  assert.deepEqual(await readdir(tempDir), []);
});

test('an answer lost after the object landed: the retry finds the same bytes there and links them', async () => {
  const png = randomBytes(64 * 1024);
  // The PUT is carried out, then the connection drops instead of the answer.
  const fault = h.server.faults.add({ op: 'PutObject', bucket: BUCKET }, { type: 'reset', afterBytes: png.length + 1 }, 1);
  const up = await uploadImage(target, { bytes: png, mime: 'image/png' }, opts());
  assert.equal(h.server.faults.hits(fault), 1, 'the first answer was lost');
  assert.equal(up.reused, true, 'the retry found the object there and did not replace it');
  assert.ok((await fetchBytes(up.url)).body.equals(png));
});

test('a failed upload throws the OSS error (code, status, request id) and leaves no temp file', async () => {
  const missing: ImageTarget = { ...target, bucket: 'no-such-bucket-here' };
  await assert.rejects(uploadImage(missing, { bytes: randomBytes(100), mime: 'image/png' }, opts()), (e: unknown) => {
    assert.ok(e instanceof OssError, String(e));
    assert.equal(e.code, 'NoSuchBucket');
    assert.equal(e.status, 404);
    assert.ok(e.requestId);
    return true;
  });
  assert.deepEqual(await readdir(tempDir), []);
});

test('a public link is the plain object address (this server serves only signed requests: 403 without a signature)', async () => {
  const png = randomBytes(100);
  const up = await uploadImage({ ...target, link: { kind: 'public' } }, { bytes: png, mime: 'image/png' }, opts());
  assert.equal(up.url, `${h.server.endpoint}/${BUCKET}/${up.key}`);
  assert.equal((await fetchBytes(up.url)).status, 403);
});

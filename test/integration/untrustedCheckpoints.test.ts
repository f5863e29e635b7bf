// A checkpoint is a file anyone can write: a broken one, or another transfer's, must never make
// the engine (or Discard) act on the work it names — another bucket's live multipart upload,
// another folder's temp file — and one whose part plan can no longer be rebuilt is dropped with
// a logged reason instead of failing the transfer on every run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { checkpointPathFor, discardTransfer, resumableDownload, resumableUpload } from '../../src/transfer/index.js';
import { encodeCheckpoint, type Checkpoint } from '../../src/transfer/checkpoint/checkpointCodec.js';
import { BUCKET, exists, makeFile, sha256File, startFixture, wrapClient, type Fixture } from './resumeFixture.js';

const PART = 100 * 1024;
const OTHER_BUCKET = 'engine-other';
let fx: Fixture;

before(async () => {
  fx = await startFixture();
  await fx.client.createBucket({ bucket: OTHER_BUCKET });
});
after(async () => {
  await fx.close();
});

async function openUploads(bucket: string, key: string): Promise<string[]> {
  const r = await fx.client.listMultipartUploads({ bucket, prefix: key });
  return r.uploads.filter((u) => u.key === key).map((u) => u.uploadId);
}

/** Another transfer's upload, interrupted after two parts, its checkpoint beside its file. */
async function otherInterruptedUpload(name: string): Promise<{ file: string; key: string; uploadId: string; sha: string }> {
  const file = path.join(fx.dir, 'other', name);
  const sha = await makeFile(file, 4 * PART);
  const key = `victim/${name}`;
  const deny = fx.server.faults.add({ op: 'UploadPart', key, partNumber: 3 }, { type: 'status', status: 403, code: 'AccessDenied' }, Infinity);
  try {
    await assert.rejects(resumableUpload(fx.client, { bucket: OTHER_BUCKET, key, file, partSize: PART, parallel: 1 }));
  } finally {
    fx.server.faults.remove(deny);
  }
  const [uploadId] = await openUploads(OTHER_BUCKET, key);
  assert.ok(uploadId);
  return { file, key, uploadId, sha };
}

/** The other upload must still be there and resumable: it finishes from its own checkpoint. */
async function assertOtherUploadCompletes(o: { file: string; key: string; uploadId: string; sha: string }): Promise<void> {
  assert.deepEqual(await openUploads(OTHER_BUCKET, o.key), [o.uploadId], "the other bucket's upload is still live");
  const r = await resumableUpload(fx.client, { bucket: OTHER_BUCKET, key: o.key, file: o.file, partSize: PART });
  assert.equal(r.resumed, true, 'it resumed its own upload');
  assert.equal(await sha256File(fx.server.objectPath(OTHER_BUCKET, o.key)!), o.sha);
}

function uploadCheckpoint(over: Partial<Extract<Checkpoint, { direction: 'upload' }>>): Checkpoint {
  const now = new Date().toISOString();
  return {
    direction: 'upload', endpoint: fx.client.endpoint, bucket: BUCKET, key: 'k', file: '/nowhere', partSize: PART,
    createdAt: now, updatedAt: now, source: { size: 1, mtimeMs: 1 }, uploadId: 'none', parts: [], ...over,
  };
}

function downloadCheckpoint(over: Partial<Extract<Checkpoint, { direction: 'download' }>>): Checkpoint {
  const now = new Date().toISOString();
  return {
    direction: 'download', endpoint: fx.client.endpoint, bucket: BUCKET, key: 'k', file: '/nowhere', partSize: PART,
    createdAt: now, updatedAt: now, object: { etag: '"x"', size: 1 }, tempFile: '/nowhere.osstmp-00000000', parts: [], ...over,
  };
}

/** The checkpoint as text with its checksum broken (a field edited after it was written). */
function broken(cpt: Checkpoint): string {
  return encodeCheckpoint(cpt).replace(/"updatedAt": "[^"]*"/, '"updatedAt": "edited"');
}

test("a broken checkpoint naming another bucket's live upload: that upload is not aborted and still completes", async () => {
  const other = await otherInterruptedUpload('a.bin');
  const file = path.join(fx.dir, 'mine', 'a.bin');
  const sha = await makeFile(file, 3 * PART);
  const stat = await fsp.stat(file);
  await fsp.writeFile(
    file + '.cpt',
    broken(uploadCheckpoint({ bucket: OTHER_BUCKET, key: other.key, uploadId: other.uploadId, file, source: { size: stat.size, mtimeMs: stat.mtimeMs } })),
  );
  const r = await resumableUpload(fx.client, { bucket: BUCKET, key: 'mine/a.bin', file, partSize: PART });
  assert.equal(r.resumed, false);
  assert.equal(await sha256File(fx.server.objectPath(BUCKET, 'mine/a.bin')!), sha);
  assert.equal(await exists(file + '.cpt'), false, 'the broken checkpoint is gone');
  await assertOtherUploadCompletes(other);
});

test("an intact checkpoint of another transfer at this one's path: the upload it names is left alone", async () => {
  const other = await otherInterruptedUpload('b.bin');
  const file = path.join(fx.dir, 'mine', 'b.bin');
  const sha = await makeFile(file, 3 * PART);
  const cptFile = path.join(fx.dir, 'mine', 'shared-b.cpt');
  // What the other transfer's own checkpoint says, copied to where this transfer keeps its own.
  await fsp.copyFile(other.file + '.cpt', cptFile);
  const r = await resumableUpload(fx.client, { bucket: BUCKET, key: 'mine/b.bin', file, partSize: PART, cptFile });
  assert.equal(r.resumed, false);
  assert.equal(await sha256File(fx.server.objectPath(BUCKET, 'mine/b.bin')!), sha);
  await assertOtherUploadCompletes(other);
});

test("a broken upload checkpoint on this transfer's own key: its upload is verified as this key's and aborted", async () => {
  const file = path.join(fx.dir, 'mine', 'own.bin');
  const sha = await makeFile(file, 3 * PART);
  const { uploadId } = await fx.client.initiateMultipartUpload({ bucket: BUCKET, key: 'mine/own.bin' });
  await fsp.writeFile(file + '.cpt', broken(uploadCheckpoint({ key: 'mine/own.bin', uploadId, file })));
  const r = await resumableUpload(fx.client, { bucket: BUCKET, key: 'mine/own.bin', file, partSize: PART });
  assert.equal(r.resumed, false);
  assert.equal(await sha256File(fx.server.objectPath(BUCKET, 'mine/own.bin')!), sha);
  assert.deepEqual(await openUploads(BUCKET, 'mine/own.bin'), [], 'nothing orphaned on this key');
});

test("a broken checkpoint naming another folder's temp file: the download leaves that file alone", async () => {
  const src = path.join(fx.dir, 'seed', 'c.bin');
  const sha = await makeFile(src, 3 * PART);
  await fx.client.putObject({ bucket: BUCKET, key: 'mine/c.bin', body: { file: src } });
  const victim = path.join(fx.dir, 'elsewhere', 'c.bin.osstmp-0a0b0c0d');
  await fsp.mkdir(path.dirname(victim), { recursive: true });
  await fsp.writeFile(victim, 'another download in progress');
  const dest = path.join(fx.dir, 'down', 'c.bin');
  await fsp.mkdir(path.dirname(dest), { recursive: true });
  await fsp.writeFile(dest + '.cpt', broken(downloadCheckpoint({ key: 'mine/c.bin', file: dest, tempFile: victim })));
  const r = await resumableDownload(fx.client, { bucket: BUCKET, key: 'mine/c.bin', file: dest, partSize: PART });
  assert.equal(r.resumed, false);
  assert.equal(await sha256File(dest), sha);
  assert.equal(await fsp.readFile(victim, 'utf8'), 'another download in progress', "the other folder's temp file is untouched");

  // Nor does an upload whose checkpoint path holds such a checkpoint, broken or intact.
  const file = path.join(fx.dir, 'mine', 'c-up.bin');
  await makeFile(file, 2 * PART);
  for (const text of [broken(downloadCheckpoint({ tempFile: victim })), encodeCheckpoint(downloadCheckpoint({ tempFile: victim }))]) {
    await fsp.writeFile(file + '.cpt', text);
    await resumableUpload(fx.client, { bucket: BUCKET, key: 'mine/c-up.bin', file, partSize: PART });
    assert.ok(await exists(victim));
  }
});

test("Discard of a checkpoint that is not where its transfer's would be touches nothing it names", async () => {
  const other = await otherInterruptedUpload('d.bin');
  const cptDir = path.join(fx.dir, 'cpt-d');
  await fsp.mkdir(cptDir, { recursive: true });
  const victim = path.join(fx.dir, 'elsewhere', 'd.bin.osstmp-0a0b0c0d');
  await fsp.mkdir(path.dirname(victim), { recursive: true });
  await fsp.writeFile(victim, 'x');
  // Planted under a name of the form the extension uses, but not the one its content hashes to.
  const plantedUp = path.join(cptDir, `upload-d.bin-${'0'.repeat(32)}.cpt`);
  await fsp.copyFile(other.file + '.cpt', plantedUp);
  const plantedDown = path.join(cptDir, `download-d.bin-${'1'.repeat(32)}.cpt`);
  await fsp.writeFile(plantedDown, encodeCheckpoint(downloadCheckpoint({ file: path.join(fx.dir, 'elsewhere', 'd.bin'), tempFile: victim })));
  // And a broken one: what it still names cannot be trusted either.
  const brokenUp = path.join(cptDir, `upload-d2.bin-${'2'.repeat(32)}.cpt`);
  await fsp.writeFile(brokenUp, broken(uploadCheckpoint({ bucket: OTHER_BUCKET, key: other.key, uploadId: other.uploadId })));
  for (const p of [plantedUp, plantedDown, brokenUp]) {
    await discardTransfer(fx.client, p);
    assert.equal(await exists(p), false, 'the checkpoint itself is discarded');
  }
  assert.ok(await exists(victim), 'the temp file it named is untouched');
  await assertOtherUploadCompletes(other);
});

test("Discard of a broken checkpoint at its transfer's own name still aborts that transfer's upload", async () => {
  const cptDir = path.join(fx.dir, 'cpt-e');
  await fsp.mkdir(cptDir, { recursive: true });
  const file = path.join(fx.dir, 'mine', 'e.bin');
  const { uploadId } = await fx.client.initiateMultipartUpload({ bucket: BUCKET, key: 'mine/e.bin' });
  const id = { direction: 'upload' as const, endpoint: fx.client.endpoint, bucket: BUCKET, key: 'mine/e.bin', file };
  const cptPath = checkpointPathFor({ ...id, checkpointDir: cptDir });
  await fsp.writeFile(cptPath, broken(uploadCheckpoint({ ...id, uploadId })));
  await discardTransfer(fx.client, cptPath);
  assert.equal(await exists(cptPath), false);
  assert.deepEqual(await openUploads(BUCKET, 'mine/e.bin'), [], 'its own upload, verified on the server, was aborted');
});

test('Discard of a checkpoint under a name of the caller\'s choosing (cptFile) cleans up only for the owner the caller names', async () => {
  const file = path.join(fx.dir, 'mine', 'i.bin');
  await makeFile(file, 4 * PART);
  const cptFile = path.join(fx.dir, 'mine', 'my-own-name.state');
  const key = 'mine/i.bin';
  const deny = fx.server.faults.add({ op: 'UploadPart', key, partNumber: 3 }, { type: 'status', status: 403, code: 'AccessDenied' }, Infinity);
  try {
    await assert.rejects(resumableUpload(fx.client, { bucket: BUCKET, key, file, partSize: PART, parallel: 1, cptFile }));
  } finally {
    fx.server.faults.remove(deny);
  }
  const [uploadId] = await openUploads(BUCKET, key);
  assert.ok(uploadId);
  const saved = await fsp.readFile(cptFile);
  // Nothing says whose it is: only the checkpoint goes.
  await discardTransfer(fx.client, cptFile);
  assert.equal(await exists(cptFile), false);
  assert.deepEqual(await openUploads(BUCKET, key), [uploadId]);
  // The caller names the transfer it belongs to: its upload goes too.
  await fsp.writeFile(cptFile, saved);
  await discardTransfer(fx.client, cptFile, { direction: 'upload', endpoint: fx.client.endpoint, bucket: BUCKET, key, file });
  assert.deepEqual(await openUploads(BUCKET, key), []);
  assert.equal(await exists(cptFile), false);
});

test('an own checkpoint whose part plan cannot be rebuilt (part size 1) is discarded with a logged reason; the upload completes', async () => {
  const file = path.join(fx.dir, 'mine', 'f.bin');
  const sha = await makeFile(file, 3 * PART);
  const stat = await fsp.stat(file);
  const { uploadId } = await fx.client.initiateMultipartUpload({ bucket: BUCKET, key: 'mine/f.bin' });
  await fsp.writeFile(
    file + '.cpt',
    encodeCheckpoint(uploadCheckpoint({ key: 'mine/f.bin', file, uploadId, partSize: 1, source: { size: stat.size, mtimeMs: stat.mtimeMs } })),
  );
  for (let run = 1; run <= 2; run++) {
    const lines: string[] = [];
    const r = await resumableUpload(fx.client, { bucket: BUCKET, key: 'mine/f.bin', file, onLog: (l: string) => lines.push(l) });
    assert.equal(r.resumed, false);
    assert.equal(await sha256File(fx.server.objectPath(BUCKET, 'mine/f.bin')!), sha);
    assert.equal(await exists(file + '.cpt'), false);
    if (run === 1) {
      assert.ok(lines.some((l) => /checkpoint/i.test(l) && l.includes('307200 parts exceed the limit of 10000') && l.includes(file)), lines.join('\n'));
      assert.deepEqual(await openUploads(BUCKET, 'mine/f.bin'), [], 'the upload it recorded was aborted');
      // Once more, with a part size below the minimum: every Complete would fail (EntityTooSmall).
      const again = await fx.client.initiateMultipartUpload({ bucket: BUCKET, key: 'mine/f.bin' });
      await fsp.writeFile(
        file + '.cpt',
        encodeCheckpoint(uploadCheckpoint({ key: 'mine/f.bin', file, uploadId: again.uploadId, partSize: 60 * 1024, source: { size: stat.size, mtimeMs: stat.mtimeMs } })),
      );
    } else {
      assert.ok(lines.some((l) => /checkpoint/i.test(l) && /part size 61440 .*minimum/.test(l)), lines.join('\n'));
      assert.deepEqual(await openUploads(BUCKET, 'mine/f.bin'), []);
    }
  }
});

test('a download checkpoint with part size 1 is discarded with a logged reason, its temp file removed; the download completes', async () => {
  const src = path.join(fx.dir, 'seed', 'g.bin');
  const sha = await makeFile(src, 3 * PART);
  await fx.client.putObject({ bucket: BUCKET, key: 'mine/g.bin', body: { file: src } });
  const head = await fx.client.headObject({ bucket: BUCKET, key: 'mine/g.bin' });
  const dest = path.join(fx.dir, 'down', 'g.bin');
  await fsp.mkdir(path.dirname(dest), { recursive: true });
  const temp = dest + '.osstmp-0f0f0f0f';
  await fsp.writeFile(temp, Buffer.alloc(head.size));
  await fsp.writeFile(
    dest + '.cpt',
    encodeCheckpoint(downloadCheckpoint({ key: 'mine/g.bin', file: dest, tempFile: temp, partSize: 1, object: { etag: head.etag, size: head.size, crc64: head.crc64! } })),
  );
  const lines: string[] = [];
  const r = await resumableDownload(fx.client, { bucket: BUCKET, key: 'mine/g.bin', file: dest, onLog: (l: string) => lines.push(l) });
  assert.equal(r.resumed, false);
  assert.equal(await sha256File(dest), sha);
  assert.ok(lines.some((l) => /checkpoint/i.test(l) && l.includes('parts exceed the limit of 10000') && l.includes(dest)), lines.join('\n'));
  assert.deepEqual((await fsp.readdir(path.dirname(dest))).filter((n) => n.startsWith('g.bin')), ['g.bin'], 'temp file and checkpoint gone');
});

test('a server that cannot confirm the upload id (ListParts fails) keeps it from being aborted; the transfer still completes', async () => {
  const file = path.join(fx.dir, 'mine', 'h.bin');
  const sha = await makeFile(file, 2 * PART);
  const { uploadId } = await fx.client.initiateMultipartUpload({ bucket: BUCKET, key: 'mine/h.bin' });
  await fsp.writeFile(file + '.cpt', broken(uploadCheckpoint({ key: 'mine/h.bin', uploadId, file })));
  const refusing = wrapClient(fx.client, {
    listParts: async () => {
      throw Object.assign(new Error('AccessDenied'), { code: 'AccessDenied', status: 403, retryable: false });
    },
  });
  await resumableUpload(refusing, { bucket: BUCKET, key: 'mine/h.bin', file, partSize: PART });
  assert.equal(await sha256File(fx.server.objectPath(BUCKET, 'mine/h.bin')!), sha);
  assert.deepEqual(await openUploads(BUCKET, 'mine/h.bin'), [uploadId], 'unverified: left for the user to list and abort');
});

// Checkpoints kept in a checkpoint folder (what the extension does): stable names, listing with
// progress, discarding (upload aborted on the server, temp file removed), and foreign or broken
// checkpoints never trusted. No secret ever lands in a checkpoint.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import {
  checkpointPathFor,
  discardTransfer,
  listCheckpoints,
  resumableDownload,
  resumableUpload,
} from '../../src/transfer/index.js';
import { BUCKET, CREDS, exists, makeFile, sha256File, startFixture, wrapClient, type Fixture } from './resumeFixture.js';

const PART = 100 * 1024;
let fx: Fixture;
let cptDir: string;

before(async () => {
  fx = await startFixture();
  cptDir = path.join(fx.dir, 'checkpoints');
});
after(async () => {
  await fx.close();
});

async function interruptedUpload(key: string, size: number): Promise<string> {
  const file = path.join(fx.dir, 'up', key);
  await makeFile(file, size);
  const deny = fx.server.faults.add({ op: 'UploadPart', key, partNumber: 3 }, { type: 'status', status: 403, code: 'AccessDenied' }, Infinity);
  await assert.rejects(resumableUpload(fx.client, { bucket: BUCKET, key, file, partSize: PART, parallel: 1, checkpointDir: cptDir }));
  fx.server.faults.remove(deny);
  return file;
}

async function interruptedDownload(key: string, size: number): Promise<string> {
  const src = path.join(fx.dir, 'seed', key);
  await makeFile(src, size);
  await fx.client.putObject({ bucket: BUCKET, key, body: { file: src } });
  const dest = path.join(fx.dir, 'down', key);
  // The first two ranges succeed, then the credentials are "revoked" (a fatal 403).
  let calls = 0;
  const revoking = wrapClient(fx.client, {
    getObject: async (o) => {
      if (++calls > 2) throw Object.assign(new Error('AccessDenied'), { code: 'AccessDenied', status: 403, retryable: false });
      return fx.client.getObject(o);
    },
  });
  await assert.rejects(resumableDownload(revoking, { bucket: BUCKET, key, file: dest, partSize: PART, parallel: 1, checkpointDir: cptDir }));
  return dest;
}

test('checkpoints in a folder: listed with their progress, resumed under the same name, secret-free', async () => {
  const file = await interruptedUpload('list-up.bin', 5 * PART + 10);
  const expectedPath = checkpointPathFor({ direction: 'upload', endpoint: fx.client.endpoint, bucket: BUCKET, key: 'list-up.bin', file, checkpointDir: cptDir });
  assert.ok(await exists(expectedPath), 'the name resumableUpload used is the one checkpointPathFor gives');
  assert.equal(await exists(file + '.cpt'), false, 'nothing beside the file when checkpointDir is given');
  const text = await fsp.readFile(expectedPath, 'utf8');
  assert.ok(!text.includes(CREDS.accessKeySecret) && !text.includes(CREDS.accessKeyId), 'no credentials in the checkpoint');
  await fsp.writeFile(path.join(cptDir, 'journal.json'), '{}'); // someone else's file in the folder is ignored
  await fsp.writeFile(path.join(cptDir, 'broken.cpt'), '{"format":"oss-transfer-checkpoint"');

  const { valid, invalid } = await listCheckpoints(cptDir);
  assert.deepEqual(invalid, [path.join(cptDir, 'broken.cpt')]);
  assert.equal(valid.length, 1);
  const s = valid[0]!;
  assert.equal(s.path, expectedPath);
  assert.deepEqual([s.direction, s.endpoint, s.bucket, s.key, s.file, s.totalBytes, s.doneBytes], ['upload', fx.client.endpoint, BUCKET, 'list-up.bin', file, 5 * PART + 10, 2 * PART]);
  assert.ok(s.uploadId);
  assert.ok(!Number.isNaN(Date.parse(s.updatedAt)));

  fx.server.stats.reset();
  const r = await resumableUpload(fx.client, { bucket: BUCKET, key: 'list-up.bin', file, partSize: PART, checkpointDir: cptDir });
  assert.equal(r.resumed, true);
  assert.equal(fx.server.stats.get('UploadPart').bytesIn, 3 * PART + 10);
  assert.equal(await exists(expectedPath), false);
  await fsp.rm(path.join(cptDir, 'broken.cpt'));
});

test('discardTransfer aborts the upload on the server and deletes the checkpoint; idempotent', async () => {
  await interruptedUpload('discard-up.bin', 4 * PART);
  const [s] = (await listCheckpoints(cptDir)).valid.filter((v) => v.key === 'discard-up.bin');
  assert.ok(s?.uploadId);
  const before = await fx.client.listMultipartUploads({ bucket: BUCKET, prefix: 'discard-up.bin' });
  assert.equal(before.uploads.length, 1);
  await discardTransfer(fx.client, s.path);
  assert.equal(await exists(s.path), false);
  const afterList = await fx.client.listMultipartUploads({ bucket: BUCKET, prefix: 'discard-up.bin' });
  assert.equal(afterList.uploads.length, 0, 'no orphaned upload left');
  await discardTransfer(fx.client, s.path); // again: nothing to do, no error
});

test('discardTransfer on a download removes its temp file; listing shows its progress', async () => {
  const dest = await interruptedDownload('discard-down.bin', 4 * PART);
  const [s] = (await listCheckpoints(cptDir)).valid.filter((v) => v.key === 'discard-down.bin');
  assert.ok(s);
  assert.equal(s.direction, 'download');
  assert.equal(s.doneBytes, 2 * PART);
  assert.ok(s.tempFile && (await exists(s.tempFile)));
  assert.equal(await exists(dest), false);
  await discardTransfer(undefined, s.path);
  assert.equal(await exists(s.tempFile), false);
  assert.equal(await exists(s.path), false);
  assert.deepEqual(await fsp.readdir(path.dirname(dest)), []);
});

test('a checkpoint belonging to another transfer is discarded, not used, and the upload it names is not this one\'s to abort', async () => {
  const file = await interruptedUpload('foreign-a.bin', 4 * PART);
  const mine = checkpointPathFor({ direction: 'upload', endpoint: fx.client.endpoint, bucket: BUCKET, key: 'foreign-a.bin', file, checkpointDir: cptDir });
  // Point a different key at the same checkpoint file via cptFile.
  fx.server.stats.reset();
  const r = await resumableUpload(fx.client, { bucket: BUCKET, key: 'foreign-b.bin', file, partSize: PART, cptFile: mine });
  assert.equal(r.resumed, false);
  assert.equal(fx.server.stats.get('UploadPart').bytesIn, 4 * PART, 'started from scratch');
  assert.equal(await sha256File(fx.server.objectPath(BUCKET, 'foreign-b.bin')!), await sha256File(file));
  // Issue 15: a checkpoint found at this transfer's path but naming another object is not
  // evidence that its upload may go; it stays for its owner (and the incomplete-uploads list).
  const left = await fx.client.listMultipartUploads({ bucket: BUCKET, prefix: 'foreign-a.bin' });
  assert.equal(left.uploads.length, 1, "the other transfer's upload is left alone");
});

test('a download checkpoint with a different part size given explicitly starts over instead of mixing layouts', async () => {
  const dest = await interruptedDownload('reshape.bin', 6 * PART);
  fx.server.stats.reset();
  const r = await resumableDownload(fx.client, { bucket: BUCKET, key: 'reshape.bin', file: dest, partSize: 2 * PART, checkpointDir: cptDir });
  assert.equal(r.resumed, false);
  assert.equal(fx.server.stats.get('GetObject').bytesOut, 6 * PART);
  assert.equal(await sha256File(dest), await sha256File(path.join(fx.dir, 'seed', 'reshape.bin')));
  assert.deepEqual((await fsp.readdir(path.dirname(dest))).filter((n) => n.includes('.osstmp-')), [], 'the old temp file was removed');
});

test('died right after Complete, before deleting the checkpoint: the next run finishes without re-sending', async () => {
  const file = path.join(fx.dir, 'up', 'after-complete.bin');
  const sha = await makeFile(file, 4 * PART);
  const dying = wrapClient(fx.client, {
    completeMultipartUpload: async (o) => {
      await fx.client.completeMultipartUpload(o);
      throw Object.assign(new Error('process died'), { code: 'AccessDenied', status: 403, retryable: false });
    },
  });
  await assert.rejects(resumableUpload(dying, { bucket: BUCKET, key: 'after-complete.bin', file, partSize: PART, checkpointDir: cptDir }));
  assert.equal((await listCheckpoints(cptDir)).valid.filter((v) => v.key === 'after-complete.bin').length, 1);
  fx.server.stats.reset();
  const r = await resumableUpload(fx.client, { bucket: BUCKET, key: 'after-complete.bin', file, partSize: PART, checkpointDir: cptDir });
  assert.equal(r.resumed, true);
  assert.equal(fx.server.stats.get('UploadPart').bytesIn, 0, 'nothing re-sent');
  assert.equal(fx.server.stats.get('InitiateMultipartUpload').requests, 0, 'no new upload');
  assert.equal(await sha256File(fx.server.objectPath(BUCKET, 'after-complete.bin')!), sha);
  assert.equal((await listCheckpoints(cptDir)).valid.filter((v) => v.key === 'after-complete.bin').length, 0);
});

test('died right after the rename, before deleting the checkpoint: the next run verifies the file and finishes', async () => {
  const src = path.join(fx.dir, 'seed', 'after-rename.bin');
  const sha = await makeFile(src, 3 * PART);
  await fx.client.putObject({ bucket: BUCKET, key: 'after-rename.bin', body: { file: src } });
  const dest = path.join(fx.dir, 'down', 'after-rename.bin');
  const cpt = path.join(fx.dir, 'after-rename.cpt');
  const saved = path.join(fx.dir, 'after-rename.saved');
  // Capture the checkpoint as it is just before the rename (every part recorded), then put it
  // back afterwards: the state a crash between the rename and the unlink leaves behind.
  await resumableDownload(fx.client, {
    bucket: BUCKET, key: 'after-rename.bin', file: dest, partSize: PART, cptFile: cpt,
    onProgress: (pr) => {
      if (pr.phase === 'completing') copyFileSync(cpt, saved);
    },
  });
  await fsp.copyFile(saved, cpt);
  assert.ok(await exists(cpt));
  fx.server.stats.reset();
  const r = await resumableDownload(fx.client, { bucket: BUCKET, key: 'after-rename.bin', file: dest, partSize: PART, cptFile: cpt });
  assert.equal(r.resumed, true);
  assert.equal(fx.server.stats.get('GetObject').requests, 0, 'nothing fetched again');
  assert.equal(await sha256File(dest), sha);
  assert.equal(await exists(cpt), false);
  // If the destination is not the object, the checkpoint is dropped and the download starts over.
  await fsp.copyFile(saved, cpt);
  await fsp.writeFile(dest, Buffer.alloc(3 * PART, 1));
  const again = await resumableDownload(fx.client, { bucket: BUCKET, key: 'after-rename.bin', file: dest, partSize: PART, cptFile: cpt });
  assert.equal(again.resumed, false);
  assert.equal(await sha256File(dest), sha);
});

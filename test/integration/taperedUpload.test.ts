// Uploads whose part size the engine chooses are cut in tapered parts (partPlan.ts): proven here
// through what the server received and what the checkpoint holds, a resume of such a checkpoint,
// and the checkpoints that must not be resumed as tapered (an explicit part size) or must still be
// resumed as even (one left by a release before the taper).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { crc64, crc64ToString } from '../../src/oss/crc/crc64.js';
import { listCheckpoints, resumableUpload } from '../../src/transfer/index.js';
import { decodeCheckpoint } from '../../src/transfer/checkpoint/checkpointCodec.js';
import { automaticPartSize, planParts } from '../../src/transfer/engine/partPlan.js';
import { BUCKET, makeFile, sha256File, startFixture, type Fixture } from './resumeFixture.js';

const MiB = 1024 * 1024;
const SIZE = 40 * MiB + 12345; // 21 automatic parts of 2 MiB: more than one wave, so tapered
let fx: Fixture;

before(async () => {
  fx = await startFixture();
});
after(async () => {
  await fx.close();
});

async function readCpt(file: string) {
  const text = await fsp.readFile(file + '.cpt', 'utf8');
  const r = decodeCheckpoint(text);
  assert.ok(r.ok, 'the checkpoint decodes');
  return { version: (JSON.parse(text) as { version: number }).version, cpt: r.checkpoint };
}

/** Runs an upload that the server refuses at `partNumber` (403, not retried), leaving a checkpoint. */
async function stopAt(key: string, file: string, partNumber: number, extra: { partSize?: number; parallel?: number } = {}): Promise<void> {
  const deny = fx.server.faults.add({ op: 'UploadPart', key, partNumber }, { type: 'status', status: 403, code: 'AccessDenied' }, Infinity);
  try {
    await assert.rejects(resumableUpload(fx.client, { bucket: BUCKET, key, file, parallel: 1, ...extra }), (e: unknown) => (e as { code?: string }).code === 'AccessDenied');
  } finally {
    fx.server.faults.remove(deny);
  }
}

async function objectSha(key: string): Promise<string> {
  const p = fx.server.objectPath(BUCKET, key);
  assert.ok(p, `object ${key} exists`);
  return sha256File(p);
}

test('an automatic part size cuts tapered parts: the checkpoint is version 2 and its parts are the tapered ranges', async () => {
  const file = path.join(fx.dir, 'tapered.bin');
  const sha = await makeFile(file, SIZE);
  const partSize = automaticPartSize(SIZE);
  const plan = planParts(SIZE, partSize, 'tapered');
  assert.ok(plan.length > Math.ceil(SIZE / partSize), 'the taper adds parts at the end');
  await stopAt('tapered.bin', file, 6);
  const { version, cpt } = await readCpt(file);
  assert.equal(version, 2);
  assert.equal(cpt.partShape, 'tapered');
  assert.equal(cpt.partSize, partSize);
  assert.deepEqual(cpt.parts.map((p) => p.partNumber), [1, 2, 3, 4, 5]);
  // Each recorded CRC-64 is the one of that tapered range of the file, not of an even part.
  const bytes = await fsp.readFile(file);
  for (const p of cpt.parts) {
    const r = plan[p.partNumber - 1]!;
    assert.equal(p.crc64, crc64ToString(crc64(bytes.subarray(r.start, r.start + r.length))), `part ${p.partNumber}`);
  }
  const done = plan.slice(0, 5).reduce((n, p) => n + p.length, 0);
  // The Transfers view's progress of an interrupted upload counts the tapered parts' own lengths.
  const cptDir = path.join(fx.dir, 'cpts');
  await fsp.mkdir(cptDir, { recursive: true });
  await fsp.copyFile(file + '.cpt', path.join(cptDir, 'tapered.cpt'));
  const listed = await listCheckpoints(cptDir);
  assert.deepEqual(listed.valid.map((s) => [s.totalBytes, s.doneBytes]), [[SIZE, done]]);
  await fsp.rm(cptDir, { recursive: true });
  const sentBefore = fx.server.stats.get('UploadPart').bytesIn;
  fx.server.stats.reset();
  const r = await resumableUpload(fx.client, { bucket: BUCKET, key: 'tapered.bin', file });
  assert.equal(r.resumed, true);
  assert.equal(await objectSha('tapered.bin'), sha);
  assert.equal(fx.server.stats.get('UploadPart').bytesIn, SIZE - done, 'the resume sent exactly the parts not finished');
  assert.equal(fx.server.stats.get('UploadPart').requests, plan.length - 5);
  assert.ok(sentBefore >= done);
  await assert.rejects(fsp.stat(file + '.cpt'), 'the checkpoint is gone');
});

test('an explicit part size is not resumed from a tapered checkpoint: it starts over in even parts of that size', async () => {
  const file = path.join(fx.dir, 'explicit.bin');
  const sha = await makeFile(file, SIZE);
  await stopAt('explicit.bin', file, 4);
  assert.equal((await readCpt(file)).cpt.partShape, 'tapered');
  fx.server.stats.reset();
  const partSize = 2 * MiB;
  const r = await resumableUpload(fx.client, { bucket: BUCKET, key: 'explicit.bin', file, partSize, parallel: 2 });
  assert.equal(r.resumed, false);
  assert.equal(await objectSha('explicit.bin'), sha);
  assert.equal(fx.server.stats.get('UploadPart').requests, Math.ceil(SIZE / partSize), 'even parts of the size asked for');
  assert.equal(fx.server.stats.get('UploadPart').bytesIn, SIZE);
  const open = await fx.client.listMultipartUploads({ bucket: BUCKET, prefix: 'explicit.bin' });
  assert.deepEqual(open.uploads.map((u) => u.key), [], 'the tapered upload was aborted, not orphaned');
});

test('an even checkpoint (version 1, as releases before the taper wrote) is resumed in its even parts', async () => {
  const file = path.join(fx.dir, 'even.bin');
  const sha = await makeFile(file, SIZE);
  const partSize = automaticPartSize(SIZE);
  // An explicit part size writes what an earlier release wrote for an automatic one: even parts, version 1.
  await stopAt('even.bin', file, 5, { partSize });
  const { version, cpt } = await readCpt(file);
  assert.equal(version, 1);
  assert.equal(cpt.partShape, undefined);
  fx.server.stats.reset();
  const r = await resumableUpload(fx.client, { bucket: BUCKET, key: 'even.bin', file });
  assert.equal(r.resumed, true);
  assert.equal(await objectSha('even.bin'), sha);
  const even = planParts(SIZE, partSize);
  assert.equal(fx.server.stats.get('UploadPart').requests, even.length - 4);
  assert.equal(fx.server.stats.get('UploadPart').bytesIn, SIZE - 4 * partSize);
});

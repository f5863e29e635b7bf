// Issue 17 for uploads: OSS has no partial part, so a part in flight is sent again whole. A paused
// upload's last report says exactly what its checkpoint keeps (the finished parts, not the bytes
// sent), and the resumed run starts from that figure, never below it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { decodeCheckpoint } from '../../src/transfer/checkpoint/checkpointCodec.js';
import { resumableUpload, TransferError, type TransferProgress } from '../../src/transfer/index.js';
import { BUCKET, makeFile, sha256File, startFixture, type Fixture } from './resumeFixture.js';

const KB = 1024;
const PART = 100 * KB;
let fx: Fixture;

before(async () => {
  fx = await startFixture();
});
after(async () => {
  await fx.close();
});

test('a paused upload keeps its finished parts and says so; the resume starts there', async () => {
  const file = path.join(fx.dir, 'up.bin');
  const sha = await makeFile(file, 3 * PART);
  const cptFile = path.join(fx.dir, 'up.cpt');
  // Part 1 goes through; parts 2 and 3 stop halfway through their bodies.
  fx.server.faults.add({ op: 'UploadPart', key: 'kept/up.bin', partNumber: 1 }, { type: 'stall', ms: 0 }); // the first matching rule wins
  const stall = fx.server.faults.add({ op: 'UploadPart', key: 'kept/up.bin' }, { type: 'stall', ms: 60_000, afterBytes: 50 * KB }, Infinity);
  const ac = new AbortController();
  const reports: TransferProgress[] = [];
  const run = resumableUpload(fx.client, { bucket: BUCKET, key: 'kept/up.bin', file, cptFile, partSize: PART, parallel: 3, signal: ac.signal, onProgress: (p) => reports.push(p) });
  const until = Date.now() + 30_000;
  // Part 1 is in the checkpoint and the other two are halfway through their bodies.
  const partOneRecorded = async (): Promise<boolean> => {
    const d = decodeCheckpoint(await fsp.readFile(cptFile, 'utf8').catch(() => ''));
    return d.ok && d.checkpoint.parts.some((p) => p.partNumber === 1);
  };
  while (!(fx.server.faults.hits(stall) >= 2 && (reports.at(-1)?.transferredBytes ?? 0) >= PART + 100 * KB && (await partOneRecorded()))) {
    if (Date.now() > until) throw new Error(`no progress: ${JSON.stringify(reports.at(-1))}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  ac.abort();
  await assert.rejects(run, (e: unknown) => e instanceof TransferError && e.code === 'Aborted');
  fx.server.faults.clear();
  const last = reports.at(-1)!;
  assert.ok(last.transferredBytes > PART, `bytes were sent beyond part 1 (${last.transferredBytes})`);
  assert.equal(last.keptBytes, PART, 'kept: part 1 only; the halves in flight are sent again whole');

  const resumed: TransferProgress[] = [];
  const r = await resumableUpload(fx.client, { bucket: BUCKET, key: 'kept/up.bin', file, cptFile, partSize: PART, parallel: 3, onProgress: (p) => resumed.push(p) });
  assert.equal(r.resumed, true);
  assert.equal(resumed[0]!.transferredBytes, PART, 'the resumed run starts at what was kept');
  assert.equal(await sha256File(fx.server.objectPath(BUCKET, 'kept/up.bin')!), sha);
});

test('without a checkpoint nothing is kept', async () => {
  const file = path.join(fx.dir, 'nocpt.bin');
  await makeFile(file, 3 * PART);
  fx.server.faults.add({ op: 'UploadPart', key: 'kept/nocpt.bin', partNumber: 2 }, { type: 'stall', ms: 60_000, afterBytes: 50 * KB });
  const ac = new AbortController();
  const reports: TransferProgress[] = [];
  const run = resumableUpload(fx.client, { bucket: BUCKET, key: 'kept/nocpt.bin', file, disableCheckpoint: true, partSize: PART, parallel: 1, signal: ac.signal, onProgress: (p) => reports.push(p) });
  const until = Date.now() + 30_000;
  while ((reports.at(-1)?.transferredBytes ?? 0) < PART + 40 * KB) {
    if (Date.now() > until) throw new Error('no progress');
    await new Promise((r) => setTimeout(r, 10));
  }
  ac.abort();
  await assert.rejects(run);
  fx.server.faults.clear();
  assert.equal(reports.at(-1)!.keptBytes, 0);
});

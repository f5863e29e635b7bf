// resumableUpload against the test server: the PutObject/multipart split, integrity checks,
// retries proven with fault rules and byte counters, cancel, fatal errors and resume.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { resumableUpload, TransferError, type TransferProgress } from '../../src/transfer/index.js';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/transfer/checkpoint/checkpointCodec.js';
import { writeAtomically } from '../../src/transfer/checkpoint/checkpointStore.js';
import { BUCKET, exists, makeFile, sha256File, startFixture, wrapClient, type Fixture } from './resumeFixture.js';

const KB = 1024;
const PART = 100 * KB;
let fx: Fixture;

before(async () => {
  fx = await startFixture();
});
after(async () => {
  await fx.close();
});

const noDelay = { baseDelayMs: 1, maxDelayMs: 5 };

async function objectSha(key: string): Promise<string> {
  const p = fx.server.objectPath(BUCKET, key);
  assert.ok(p, `object ${key} exists on the server`);
  return sha256File(p);
}

function progressChecker() {
  const seen: TransferProgress[] = [];
  return {
    seen,
    onProgress: (p: TransferProgress) => seen.push(p),
    check(total: number, startAt = 0) {
      assert.ok(seen.length > 0, 'progress was reported');
      for (let i = 0; i < seen.length; i++) {
        const p = seen[i]!;
        assert.ok(p.transferredBytes <= p.totalBytes, 'never above the total');
        if (i > 0) assert.ok(p.transferredBytes >= seen[i - 1]!.transferredBytes, 'never backwards');
        if (p.phase === 'done') assert.equal(i, seen.length - 1, 'done is the last report');
      }
      const firstMoving = seen.find((p) => p.phase === 'transferring');
      if (firstMoving) assert.ok(firstMoving.transferredBytes >= startAt, 'a resumed transfer starts at the bytes already done');
      assert.deepEqual([seen.at(-1)!.phase, seen.at(-1)!.transferredBytes, seen.at(-1)!.totalBytes], ['done', total, total]);
    },
  };
}

/** Leaves an interrupted upload behind: parts before `partNumber` done, that part denied (403). */
async function stopUploadAtPart(key: string, file: string, partNumber: number): Promise<void> {
  const deny = fx.server.faults.add({ op: 'UploadPart', key, partNumber }, { type: 'status', status: 403, code: 'AccessDenied' }, Infinity);
  try {
    await assert.rejects(resumableUpload(fx.client, { bucket: BUCKET, key, file, partSize: PART, parallel: 1 }));
  } finally {
    fx.server.faults.remove(deny);
  }
}

async function openUploads(key: string): Promise<string[]> {
  const r = await fx.client.listMultipartUploads({ bucket: BUCKET, prefix: key });
  return r.uploads.filter((u) => u.key === key).map((u) => u.uploadId);
}

test('a file up to one part goes up as a single PutObject with its CRC-64 checked', async () => {
  const file = path.join(fx.dir, 'small.bin');
  const sha = await makeFile(file, 50 * KB);
  fx.server.stats.reset();
  const pc = progressChecker();
  const r = await resumableUpload(fx.client, { bucket: BUCKET, key: 'small.bin', file, partSize: PART, onProgress: pc.onProgress });
  assert.equal(fx.server.stats.get('PutObject').requests, 1);
  assert.equal(fx.server.stats.get('InitiateMultipartUpload').requests, 0);
  assert.equal(await objectSha('small.bin'), sha);
  const head = await fx.client.headObject({ bucket: BUCKET, key: 'small.bin' });
  assert.deepEqual([r.crc64, r.etag, r.size, r.resumed, r.verifiedBy], [head.crc64, head.etag, 50 * KB, false, 'crc64']);
  pc.check(50 * KB);
  assert.equal(await exists(file + '.cpt'), false);
});

test('multipart: parallel parts, byte-identical, each byte sent once, checkpoint removed', async () => {
  const file = path.join(fx.dir, 'multi.bin');
  const size = 10 * PART + 7;
  const sha = await makeFile(file, size);
  fx.server.stats.reset();
  const pc = progressChecker();
  const r = await resumableUpload(fx.client, { bucket: BUCKET, key: 'multi.bin', file, partSize: PART, parallel: 3, onProgress: pc.onProgress });
  assert.equal(await objectSha('multi.bin'), sha);
  const up = fx.server.stats.get('UploadPart');
  assert.equal(up.requests, 11);
  assert.equal(up.bytesIn, size, 'no byte sent twice');
  const head = await fx.client.headObject({ bucket: BUCKET, key: 'multi.bin' });
  assert.equal(r.crc64, head.crc64);
  assert.equal(r.etag, head.etag);
  pc.check(size);
  assert.equal(await exists(file + '.cpt'), false, 'checkpoint removed on success');
  assert.deepEqual(await openUploads('multi.bin'), []);
});

test('exact multiple of the part size, 0-byte file, unicode key with spaces, headers kept', async () => {
  const file = path.join(fx.dir, 'exact.bin');
  const sha = await makeFile(file, 4 * PART);
  const key = 'dir with space/ünïcødé 文件 😀.bin';
  await resumableUpload(fx.client, {
    bucket: BUCKET, key, file, partSize: PART,
    headers: { 'Content-Type': 'application/x-test', 'x-oss-meta-origin': 'engine' },
  });
  assert.equal(await objectSha(key), sha);
  const head = await fx.client.headObject({ bucket: BUCKET, key });
  assert.equal(head.size, 4 * PART);
  assert.equal(head.contentType, 'application/x-test');
  assert.equal(head.meta.origin, 'engine');

  const empty = path.join(fx.dir, 'empty.bin');
  await fsp.writeFile(empty, '');
  const r = await resumableUpload(fx.client, { bucket: BUCKET, key: 'empty.bin', file: empty, partSize: PART });
  assert.equal(r.size, 0);
  assert.equal(r.crc64, '0');
  assert.equal((await fx.client.headObject({ bucket: BUCKET, key: 'empty.bin' })).size, 0);
});

test('bad input gets a clear error before anything moves', async () => {
  const file = path.join(fx.dir, 'multi.bin');
  await assert.rejects(resumableUpload(fx.client, { bucket: BUCKET, key: '', file }), (e: unknown) => e instanceof TransferError && e.code === 'InvalidArgument');
  await assert.rejects(resumableUpload(fx.client, { bucket: BUCKET, key: 'k', file, partSize: 1000 }), (e: unknown) => e instanceof TransferError && e.code === 'InvalidArgument');
  await assert.rejects(resumableUpload(fx.client, { bucket: BUCKET, key: 'k', file: path.join(fx.dir, 'nope.bin') }), (e: unknown) => e instanceof TransferError && e.code === 'FileNotFound');
  await assert.rejects(resumableUpload(fx.client, { bucket: BUCKET, key: 'k', file: fx.dir }), (e: unknown) => e instanceof TransferError && e.code === 'InvalidArgument');
});

test('transient faults are retried per part; only the broken attempts are re-sent', async () => {
  const file = path.join(fx.dir, 'flaky.bin');
  const size = 8 * PART;
  const sha = await makeFile(file, size);
  fx.server.stats.reset();
  const reset = fx.server.faults.add({ op: 'UploadPart', key: 'flaky.bin', partNumber: 2 }, { type: 'reset', afterBytes: 50 * KB });
  const busy = fx.server.faults.add({ op: 'UploadPart', key: 'flaky.bin', partNumber: 5 }, { type: 'status', status: 503, code: 'ServiceUnavailable', retryAfterSeconds: 0 }, 2);
  const initFail = fx.server.faults.add({ op: 'InitiateMultipartUpload', key: 'flaky.bin' }, { type: 'status', status: 500, code: 'InternalError' });
  const pc = progressChecker();
  await resumableUpload(fx.client, { bucket: BUCKET, key: 'flaky.bin', file, partSize: PART, parallel: 4, retry: noDelay, onProgress: pc.onProgress });
  assert.equal(await objectSha('flaky.bin'), sha);
  assert.equal(fx.server.faults.hits(reset), 1);
  assert.equal(fx.server.faults.hits(busy), 2);
  assert.equal(fx.server.faults.hits(initFail), 1);
  const up = fx.server.stats.get('UploadPart');
  assert.equal(up.requests, 8 + 1 + 2);
  // Part 2 was cut after 50 KB and part 5 refused twice (its body is drained, at most one part each).
  assert.ok(up.bytesIn >= size + 50 * KB && up.bytesIn <= size + 50 * KB + 2 * PART, `bytesIn ${up.bytesIn}`);
  pc.check(size);
});

test('a fatal error stops at once, keeps the checkpoint, and the resume sends only the missing parts', async () => {
  const file = path.join(fx.dir, 'fatal.bin');
  const size = 12 * PART;
  const sha = await makeFile(file, size);
  const deny = fx.server.faults.add({ op: 'UploadPart', key: 'fatal.bin', partNumber: 7 }, { type: 'status', status: 403, code: 'AccessDenied' }, Infinity);
  fx.server.stats.reset();
  await assert.rejects(
    resumableUpload(fx.client, { bucket: BUCKET, key: 'fatal.bin', file, partSize: PART, parallel: 2, retry: noDelay }),
    (e: unknown) => (e as { code?: string }).code === 'AccessDenied' && (e as { status?: number }).status === 403,
  );
  assert.equal(fx.server.faults.hits(deny), 1, 'a 403 is not retried');
  assert.ok(fx.server.stats.get('UploadPart').requests < 12, 'scheduling stopped');
  assert.ok(await exists(file + '.cpt'), 'checkpoint kept');
  fx.server.faults.remove(deny);
  const firstRun = fx.server.stats.get('UploadPart').bytesIn;
  fx.server.stats.reset();
  const pc = progressChecker();
  const r = await resumableUpload(fx.client, { bucket: BUCKET, key: 'fatal.bin', file, partSize: PART, parallel: 2, onProgress: pc.onProgress });
  assert.equal(r.resumed, true);
  assert.equal(await objectSha('fatal.bin'), sha);
  const second = fx.server.stats.get('UploadPart').bytesIn;
  assert.ok(second < size, 'finished parts were not sent again');
  assert.ok(firstRun + second <= size + 2 * PART, `re-sent within parallel x partSize: ${firstRun} + ${second}`);
  assert.equal(fx.server.stats.get('InitiateMultipartUpload').requests, 0, 'the upload id was reused');
  pc.check(size, size - second);
  assert.deepEqual(await openUploads('fatal.bin'), []);
});

test('cancel: in-flight requests stop, the error is Aborted, the checkpoint survives, another transfer is untouched', async () => {
  const file = path.join(fx.dir, 'cancel.bin');
  const other = path.join(fx.dir, 'other.bin');
  const size = 10 * PART;
  const sha = await makeFile(file, size);
  const otherSha = await makeFile(other, size);
  // Part 4 hangs mid-body so the cancel certainly hits a request in flight.
  const stall = fx.server.faults.add({ op: 'UploadPart', key: 'cancel.bin', partNumber: 4 }, { type: 'stall', ms: 30_000, afterBytes: 10 * KB });
  const ac = new AbortController();
  let cancelled = false;
  const otherRun = resumableUpload(fx.client, { bucket: BUCKET, key: 'other.bin', file: other, partSize: PART, parallel: 2 });
  const run = resumableUpload(fx.client, {
    bucket: BUCKET, key: 'cancel.bin', file, partSize: PART, parallel: 2, signal: ac.signal,
    onProgress: (p) => {
      if (!cancelled && p.transferredBytes >= 5 * PART) {
        cancelled = true;
        ac.abort();
      }
    },
  });
  await assert.rejects(run, (e: unknown) => e instanceof TransferError && e.code === 'Aborted');
  assert.equal(fx.server.faults.hits(stall), 1);
  assert.ok(await exists(file + '.cpt'), 'checkpoint kept');
  await otherRun;
  assert.equal(await objectSha('other.bin'), otherSha);
  fx.server.faults.remove(stall);
  const r = await resumableUpload(fx.client, { bucket: BUCKET, key: 'cancel.bin', file, partSize: PART, parallel: 2 });
  assert.equal(r.resumed, true);
  assert.equal(await objectSha('cancel.bin'), sha);
});

test('the local file changed since the interrupted upload: FileChanged before any byte moves, then a clean start', async () => {
  const file = path.join(fx.dir, 'changed.bin');
  await makeFile(file, 6 * PART);
  const deny = fx.server.faults.add({ op: 'UploadPart', key: 'changed.bin', partNumber: 3 }, { type: 'status', status: 403, code: 'AccessDenied' }, Infinity);
  await assert.rejects(resumableUpload(fx.client, { bucket: BUCKET, key: 'changed.bin', file, partSize: PART, parallel: 1 }));
  fx.server.faults.remove(deny);
  assert.equal((await openUploads('changed.bin')).length, 1);
  const sha = await makeFile(file, 6 * PART + 1);
  fx.server.stats.reset();
  await assert.rejects(
    resumableUpload(fx.client, { bucket: BUCKET, key: 'changed.bin', file, partSize: PART }),
    (e: unknown) => e instanceof TransferError && e.code === 'FileChanged' && e.nextStep.length > 0,
  );
  assert.equal(fx.server.stats.get('UploadPart').requests, 0, 'no byte moved');
  assert.equal(await exists(file + '.cpt'), false, 'checkpoint deleted');
  assert.deepEqual(await openUploads('changed.bin'), [], 'old upload aborted on the server');
  const r = await resumableUpload(fx.client, { bucket: BUCKET, key: 'changed.bin', file, partSize: PART });
  assert.equal(r.resumed, false);
  assert.equal(await objectSha('changed.bin'), sha);
});

test('a corrupt checkpoint is never trusted: its upload is aborted and the transfer starts fresh', async () => {
  const file = path.join(fx.dir, 'corrupt.bin');
  const sha = await makeFile(file, 5 * PART);
  await stopUploadAtPart('corrupt.bin', file, 4);
  const [oldId] = await openUploads('corrupt.bin');
  assert.ok(oldId);
  const cpt = file + '.cpt';
  const text = await fsp.readFile(cpt, 'utf8');
  await fsp.writeFile(cpt, text.replace(/"partSize": \d+/, '"partSize": 999999'));
  const r = await resumableUpload(fx.client, { bucket: BUCKET, key: 'corrupt.bin', file, partSize: PART });
  assert.equal(r.resumed, false);
  assert.equal(await objectSha('corrupt.bin'), sha);
  assert.deepEqual(await openUploads('corrupt.bin'), [], 'the upload the bad checkpoint named was aborted');
});

test("a download's checkpoint at the upload's cptFile is discarded; the temp file it names is not the upload's to delete", async () => {
  const file = path.join(fx.dir, 'foreign.bin');
  const sha = await makeFile(file, 3 * PART);
  const tempFile = path.join(fx.dir, 'elsewhere.bin.osstmp-0a0b0c0d');
  await fsp.writeFile(tempFile, 'partial');
  const cptFile = path.join(fx.dir, 'foreign.cpt');
  const now = new Date().toISOString();
  await writeAtomically(
    cptFile,
    encodeCheckpoint({
      direction: 'download', endpoint: fx.client.endpoint, bucket: BUCKET, key: 'elsewhere.bin', file: path.join(fx.dir, 'elsewhere.bin'),
      partSize: PART, createdAt: now, updatedAt: now, object: { etag: '"x"', size: 7 }, tempFile, parts: [],
    }),
  );
  const r = await resumableUpload(fx.client, { bucket: BUCKET, key: 'foreign.bin', file, partSize: PART, cptFile });
  assert.equal(r.resumed, false);
  assert.equal(await objectSha('foreign.bin'), sha);
  // Issue 15: only a download's own destination's temp file may go on a checkpoint's word.
  assert.equal(await exists(tempFile), true, "another transfer's temp file is left alone");
  assert.equal(await exists(cptFile), false);
});

test('the server forgot the upload (NoSuchUpload): the engine starts fresh once, automatically', async () => {
  const file = path.join(fx.dir, 'forgot.bin');
  const sha = await makeFile(file, 6 * PART);
  await stopUploadAtPart('forgot.bin', file, 4);
  const forget = fx.server.faults.add({ op: 'UploadPart', key: 'forgot.bin' }, { type: 'forgetUpload' });
  fx.server.stats.reset();
  const r = await resumableUpload(fx.client, { bucket: BUCKET, key: 'forgot.bin', file, partSize: PART, parallel: 1 });
  assert.equal(fx.server.faults.hits(forget), 1);
  assert.equal(r.resumed, false);
  assert.equal(fx.server.stats.get('InitiateMultipartUpload').requests, 1, 'a new upload');
  assert.equal(await objectSha('forgot.bin'), sha);
});

test('disableCheckpoint writes no checkpoint and leaves no upload behind when interrupted', async () => {
  const file = path.join(fx.dir, 'nocpt.bin');
  await makeFile(file, 5 * PART);
  const deny = fx.server.faults.add({ op: 'UploadPart', key: 'nocpt.bin', partNumber: 3 }, { type: 'status', status: 403, code: 'AccessDenied' }, Infinity);
  await assert.rejects(resumableUpload(fx.client, { bucket: BUCKET, key: 'nocpt.bin', file, partSize: PART, parallel: 1, disableCheckpoint: true }));
  fx.server.faults.remove(deny);
  assert.equal(await exists(file + '.cpt'), false);
  assert.deepEqual(await openUploads('nocpt.bin'), []);
});

test('CRC-64 mismatches: a bad part answer is retried; a bad Complete never leaves an object', async () => {
  const file = path.join(fx.dir, 'crc.bin');
  const sha = await makeFile(file, 4 * PART);
  let lies = 1;
  const liar = wrapClient(fx.client, {
    uploadPart: async (o) => {
      const r = await fx.client.uploadPart(o);
      if (o.partNumber === 2 && lies-- > 0) return { ...r, crc64: '12345' };
      return r;
    },
  });
  fx.server.stats.reset();
  await resumableUpload(liar, { bucket: BUCKET, key: 'crc.bin', file, partSize: PART, retry: noDelay });
  assert.equal(fx.server.stats.get('UploadPart').requests, 5, 'part 2 was sent again');
  assert.equal(await objectSha('crc.bin'), sha);

  const badComplete = wrapClient(fx.client, {
    completeMultipartUpload: async (o) => ({ ...(await fx.client.completeMultipartUpload(o)), crc64: '1' }),
  });
  await assert.rejects(
    resumableUpload(badComplete, { bucket: BUCKET, key: 'crc-bad.bin', file, partSize: PART }),
    (e: unknown) => e instanceof TransferError && e.code === 'CrcMismatch',
  );
  assert.equal(fx.server.objectPath(BUCKET, 'crc-bad.bin'), undefined, 'the corrupt object was deleted');
  assert.equal(await exists(file + '.cpt'), false);
});

test('Complete without a CRC-64: the size and ETag are checked with a HEAD before the upload counts as verified', async () => {
  const file = path.join(fx.dir, 'nocrc.bin');
  const sha = await makeFile(file, 3 * PART + 17);
  const noCrc = (extra: Partial<Parameters<typeof wrapClient>[1]> = {}) =>
    wrapClient(fx.client, {
      completeMultipartUpload: async (o) => ({ ...(await fx.client.completeMultipartUpload(o)), crc64: undefined }),
      ...extra,
    });
  const ok = await resumableUpload(noCrc(), { bucket: BUCKET, key: 'nocrc.bin', file, partSize: PART });
  assert.equal(ok.verifiedBy, 'size+etag');
  assert.equal(await objectSha('nocrc.bin'), sha);

  // A gateway that stored something else than what was sent: never reported as done.
  const shortHead = noCrc({ headObject: async (o) => ({ ...(await fx.client.headObject(o)), size: 3 * PART }) });
  await assert.rejects(
    resumableUpload(shortHead, { bucket: BUCKET, key: 'nocrc-short.bin', file, partSize: PART }),
    (e: unknown) => e instanceof TransferError && e.code === 'SizeMismatch' && /was deleted/.test(e.message),
  );
  assert.equal(fx.server.objectPath(BUCKET, 'nocrc-short.bin'), undefined, 'the wrong object was deleted');
  assert.equal(await exists(file + '.cpt'), false);
});

test('the file modified during the upload: FileChanged, no object, upload aborted, checkpoint gone', async () => {
  const file = path.join(fx.dir, 'moving.bin');
  await makeFile(file, 6 * PART);
  let touched = false;
  const touching = wrapClient(fx.client, {
    uploadPart: async (o) => {
      const r = await fx.client.uploadPart(o);
      if (!touched) {
        touched = true; // someone saves the file while part 1 is in the air
        const later = new Date(Date.now() + 5000);
        await fsp.utimes(file, later, later);
      }
      return r;
    },
  });
  await assert.rejects(
    resumableUpload(touching, { bucket: BUCKET, key: 'moving.bin', file, partSize: PART, parallel: 1 }),
    (e: unknown) => e instanceof TransferError && e.code === 'FileChanged',
  );
  assert.ok(touched);
  assert.equal(fx.server.objectPath(BUCKET, 'moving.bin'), undefined, 'never completed');
  assert.deepEqual(await openUploads('moving.bin'), []);
  assert.equal(await exists(file + '.cpt'), false);
});

test('the file shrinks under a part: FileChanged, the upload aborted and its checkpoint gone', async () => {
  const file = path.join(fx.dir, 'shrink.bin');
  await makeFile(file, 4 * PART);
  let calls = 0;
  const shrinking = wrapClient(fx.client, {
    uploadPart: async (o) => {
      if (++calls === 2) await fsp.truncate(file, PART + 10);
      return fx.client.uploadPart(o);
    },
  });
  await assert.rejects(
    resumableUpload(shrinking, { bucket: BUCKET, key: 'shrink.bin', file, partSize: PART, parallel: 1, retry: noDelay }),
    (e: unknown) => e instanceof TransferError && e.code === 'FileChanged',
  );
  assert.deepEqual(await openUploads('shrink.bin'), []);
  assert.equal(await exists(file + '.cpt'), false);
});

test('the checkpoint names the upload id before the first part moves, so a kill then orphans nothing', async () => {
  const file = path.join(fx.dir, 'early-cpt.bin');
  const sha = await makeFile(file, 3 * PART);
  let seen: { uploadId?: string; parts?: unknown[] } | undefined;
  let uploadId = '';
  const peeking = wrapClient(fx.client, {
    uploadPart: async (o) => {
      if (!seen) {
        uploadId = o.uploadId;
        const r = decodeCheckpoint(await fsp.readFile(file + '.cpt', 'utf8'));
        assert.ok(r.ok, 'a valid checkpoint is on disk');
        seen = r.checkpoint as { uploadId?: string; parts?: unknown[] };
      }
      return fx.client.uploadPart(o);
    },
  });
  await resumableUpload(peeking, { bucket: BUCKET, key: 'early-cpt.bin', file, partSize: PART, parallel: 1 });
  assert.equal(seen?.uploadId, uploadId);
  assert.deepEqual(seen?.parts, []);
  assert.equal(await objectSha('early-cpt.bin'), sha);
});

test('a second run of the same transfer while the first is running is refused; the first is unharmed', async () => {
  const file = path.join(fx.dir, 'twice.bin');
  const sha = await makeFile(file, 4 * PART);
  const first = resumableUpload(fx.client, { bucket: BUCKET, key: 'twice.bin', file, partSize: PART });
  await assert.rejects(
    resumableUpload(fx.client, { bucket: BUCKET, key: 'twice.bin', file, partSize: PART }),
    (e: unknown) => e instanceof TransferError && e.code === 'AlreadyRunning',
  );
  await first;
  assert.equal(await objectSha('twice.bin'), sha);
  await resumableUpload(fx.client, { bucket: BUCKET, key: 'twice.bin', file, partSize: PART }); // free again afterwards
});

test('a checkpoint that cannot be written: a clear error and no upload left on the server', async () => {
  const file = path.join(fx.dir, 'cpt-ro.bin');
  await makeFile(file, 3 * PART);
  const cptFile = process.getuid?.() === 0 ? '/sys/oss-engine.cpt' : path.join(fx.dir, 'ro-dir', 'x.cpt');
  if (process.getuid?.() !== 0) {
    await fsp.mkdir(path.dirname(cptFile));
    await fsp.chmod(path.dirname(cptFile), 0o555);
  }
  await assert.rejects(
    resumableUpload(fx.client, { bucket: BUCKET, key: 'cpt-ro.bin', file, partSize: PART, cptFile }),
    (e: unknown) => e instanceof TransferError && e.code === 'NotWritable',
  );
  assert.deepEqual(await openUploads('cpt-ro.bin'), []);
});

test('a small file changed during its single PutObject fails with FileChanged that says the object must be uploaded again', async () => {
  const file = path.join(fx.dir, 'changes-during-put.bin');
  await makeFile(file, 50 * KB);
  // Hold the answer so the file can change after its bytes were sent.
  const stall = fx.server.faults.add({ op: 'PutObject', key: 'changes-during-put.bin' }, { type: 'stall', ms: 400 });
  try {
    fx.server.stats.reset();
    const run = resumableUpload(fx.client, { bucket: BUCKET, key: 'changes-during-put.bin', file, disableCheckpoint: true, retry: noDelay });
    // Change the file only once the PUT is at the server (the engine has taken its baseline by then).
    for (let i = 0; i < 500 && fx.server.stats.get('PutObject').requests === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(fx.server.stats.get('PutObject').requests, 1, 'the PUT reached the server');
    const later = new Date(Date.now() + 60_000);
    await fsp.utimes(file, later, later);
    await assert.rejects(run, (e: unknown) => {
      assert.ok(e instanceof TransferError);
      assert.equal(e.code, 'FileChanged');
      assert.match(e.message, /upload it again/);
      assert.doesNotMatch(e.message, /discarded/, 'the PUT already replaced the object; nothing was discarded');
      return true;
    });
  } finally {
    fx.server.faults.remove(stall);
  }
});

test('a single PutObject answered without CRC-64: a wrong stored size is caught by HEAD and the object deleted', async () => {
  const file = path.join(fx.dir, 'put-nocrc.bin');
  await makeFile(file, 50 * KB);
  const shortHead = wrapClient(fx.client, {
    putObject: async (o) => ({ ...(await fx.client.putObject(o)), crc64: undefined }),
    headObject: async (o) => ({ ...(await fx.client.headObject(o)), size: 1 }),
  });
  await assert.rejects(
    resumableUpload(shortHead, { bucket: BUCKET, key: 'put-nocrc.bin', file, partSize: PART }),
    (e: unknown) => e instanceof TransferError && e.code === 'SizeMismatch' && /was deleted/.test(e.message),
  );
  assert.equal(fx.server.objectPath(BUCKET, 'put-nocrc.bin'), undefined, 'the wrong object was deleted');
});

// The transfer manager with the real engine and client against the test server: concurrency
// bound, one batch cancelled while another runs, pause/resume, retry, discard, and restoring a
// closed "window"'s transfers in a new manager on the same checkpoint folder.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OssClient } from '../../src/oss/index.js';
import { listCheckpoints } from '../../src/transfer/index.js';
import { TransferManager } from '../../src/transfer/batch/transferManager.js';
import type { TransferItem, TransferSettings, TransferSpec } from '../../src/transfer/batch/transferTypes.js';
import { startOssServer } from '../server/index.js';
import type { OssServer } from '../server/serverTypes.js';

const CREDS = { accessKeyId: 'mgr-ak', accessKeySecret: 'mgr-sk' };
const BUCKET = 'mgr';
const KB = 1024;
const PART = 100 * KB;

let root: string;
let server: OssServer;
let client: OssClient;

before(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'mgr-it-'));
  server = await startOssServer({ port: 0, dataDir: path.join(root, 'server'), credentials: [CREDS], buckets: [BUCKET] });
  client = new OssClient({ ...CREDS, endpoint: server.endpoint, region: 'cn-hangzhou' });
});

after(async () => {
  await client.close();
  await server.close();
  await fsp.rm(root, { recursive: true, force: true });
});

/** A fresh folder per test, so checkpoints and journals of one test never meet another's. */
async function world(name: string, settings: Partial<TransferSettings> = {}) {
  const dir = path.join(root, name);
  await fsp.mkdir(dir, { recursive: true });
  const cptDir = path.join(dir, 'checkpoints');
  const logs: string[] = [];
  const managers: TransferManager[] = [];
  const mk = (): TransferManager => {
    const m = new TransferManager({
      clientFor: async (profileId) => {
        if (profileId !== 'test') throw new Error(`unknown profile ${profileId}`);
        return client;
      },
      checkpointDir: cptDir,
      settings: () => ({ concurrentFiles: 2, partSize: PART, parallel: 1, disableCheckpoint: false, ...settings }),
      log: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(String(m)) },
    });
    managers.push(m);
    return m;
  };
  return {
    dir,
    cptDir,
    logs,
    mk,
    async close() {
      for (const m of managers) await m.close();
      server.faults.clear();
    },
  };
}

async function makeFile(file: string, size: number): Promise<string> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const data = randomBytes(size);
  await fsp.writeFile(file, data);
  return createHash('sha256').update(data).digest('hex');
}

async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(file)) h.update(c as Buffer);
  return h.digest('hex');
}

async function serverSha(key: string): Promise<string> {
  const p = server.objectPath(BUCKET, key);
  assert.ok(p, `object ${key} exists on the server`);
  return sha256File(p);
}

function up(file: string, key: string, size: number): TransferSpec {
  return { direction: 'upload', profileId: 'test', bucket: BUCKET, key, file, size };
}

/** Resolves when `pred` holds for the manager's items, checked on every change (no polling clock). */
function when(mgr: TransferManager, pred: (items: TransferItem[]) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (pred(mgr.items())) return resolve();
    const sub = mgr.onDidChange(() => {
      if (pred(mgr.items())) {
        sub.dispose();
        resolve();
      }
    });
  });
}

const HANG = 30_000; // longer than any test: a request held this long is only ever ended by an abort

/** Parts before `partNumber` go through; that part (and any retry of it) hangs until aborted. */
function holdUploadAt(key: string, partNumber: number): string {
  return server.faults.add({ op: 'UploadPart', bucket: BUCKET, key, partNumber }, { type: 'stall', ms: HANG }, Infinity);
}

/** The first `passing` GETs of the key go through, later ones hang until aborted (parallel = 1). */
function holdDownloadAfter(key: string, passing: number): void {
  server.faults.add({ op: 'GetObject', bucket: BUCKET, key }, { type: 'stall', ms: 0 }, passing);
  server.faults.add({ op: 'GetObject', bucket: BUCKET, key }, { type: 'stall', ms: HANG }, Infinity);
}

const byKey = (items: TransferItem[], key: string): TransferItem | undefined => items.find((i) => i.spec.key === key);

test('runs no more than concurrentFiles at once and uploads every file intact', { timeout: 60_000 }, async () => {
  const w = await world('concurrency');
  try {
    const mgr = w.mk();
    const specs: TransferSpec[] = [];
    const hashes = new Map<string, string>();
    for (let i = 0; i < 5; i++) {
      const file = path.join(w.dir, 'src', `f${i}.bin`);
      const size = 3 * PART + 7 * KB;
      hashes.set(`c/f${i}.bin`, await makeFile(file, size));
      specs.push(up(file, `c/f${i}.bin`, size));
    }
    let maxRunning = 0;
    const sub = mgr.onDidChange(() => {
      maxRunning = Math.max(maxRunning, mgr.items().filter((i) => i.state === 'running').length);
    });
    const batch = mgr.startBatch('five files', specs);
    const r = await batch.result;
    sub.dispose();
    assert.equal(r.done.length, 5, JSON.stringify(r.failed.map((f) => String(f.error))));
    assert.equal(maxRunning, 2);
    for (const [key, sha] of hashes) assert.equal(await serverSha(key), sha, key);
    // Finished transfers leave neither checkpoint nor journal behind.
    assert.deepEqual(await fsp.readdir(w.cptDir), []);
  } finally {
    await w.close();
  }
});

test('cancelling one batch stops only that batch and keeps its checkpoint', { timeout: 60_000 }, async () => {
  const w = await world('cancel');
  try {
    const mgr = w.mk();
    const size = 8 * PART;
    const fa = path.join(w.dir, 'a.bin');
    const fb = path.join(w.dir, 'b.bin');
    await makeFile(fa, size);
    const shaB = await makeFile(fb, size);
    holdUploadAt('cancel/a.bin', 3);
    // B pauses 2 s at its third part, so it is surely still running when A's cancel has settled.
    server.faults.add({ op: 'UploadPart', bucket: BUCKET, key: 'cancel/b.bin', partNumber: 3 }, { type: 'stall', ms: 2000 }, 1);
    const b1 = mgr.startBatch('A', [up(fa, 'cancel/a.bin', size)]);
    const b2 = mgr.startBatch('B', [up(fb, 'cancel/b.bin', size)]);
    await when(mgr, (items) => items.every((i) => i.state === 'running' && i.transferredBytes >= 2 * PART));
    b1.cancel();
    const r1 = await b1.result;
    assert.equal(r1.cancelled.length, 1);
    assert.equal(byKey(mgr.items(), 'cancel/b.bin')!.state, 'running', 'the other batch keeps going');
    const r2 = await b2.result;
    assert.equal(r2.done.length, 1);
    assert.equal(await serverSha('cancel/b.bin'), shaB);
    assert.equal(server.objectPath(BUCKET, 'cancel/a.bin'), undefined, 'the cancelled upload did not complete');
    const cpts = await listCheckpoints(w.cptDir);
    assert.deepEqual(cpts.valid.map((c) => c.key), ['cancel/a.bin']);
    const uploads = await client.listMultipartUploads({ bucket: BUCKET, prefix: 'cancel/' });
    assert.deepEqual(uploads.uploads.map((u) => u.key), ['cancel/a.bin'], 'its multipart upload waits on the server for a resume');
  } finally {
    await w.close();
  }
});

test('pause then resume continues from the checkpoint instead of starting over', { timeout: 60_000 }, async () => {
  const w = await world('pause');
  try {
    const mgr = w.mk();
    const size = 10 * PART + 5;
    const file = path.join(w.dir, 'p.bin');
    const sha = await makeFile(file, size);
    const gate = holdUploadAt('pause/p.bin', 5);
    server.stats.reset();
    const batch = mgr.startBatch('P', [up(file, 'pause/p.bin', size)]);
    const id = batch.items[0]!.id;
    await when(mgr, (items) => byKey(items, 'pause/p.bin')!.transferredBytes >= 4 * PART);
    mgr.pause(id);
    await when(mgr, (items) => byKey(items, 'pause/p.bin')!.state === 'paused');
    const pausedAt = mgr.get(id)!.transferredBytes;
    assert.ok(pausedAt < size);
    server.faults.remove(gate);
    mgr.resume(id);
    const r = await batch.result;
    assert.equal(r.done.length, 1, String(r.failed[0]?.error));
    assert.equal(await serverSha('pause/p.bin'), sha);
    // Sent at most the file plus the part that was in flight when paused (parallel = 1).
    const sent = server.stats.get('UploadPart').bytesIn;
    assert.ok(sent <= size + PART, `sent ${sent} bytes for a ${size}-byte file`);
  } finally {
    await w.close();
  }
});

test('a failed transfer reports the OSS error and succeeds on retry', { timeout: 60_000 }, async () => {
  const w = await world('retry');
  try {
    const mgr = w.mk();
    const size = 3 * PART;
    const file = path.join(w.dir, 'r.bin');
    const sha = await makeFile(file, size);
    const deny = server.faults.add({ op: 'InitiateMultipartUpload', bucket: BUCKET, key: 'retry/r.bin' }, { type: 'status', status: 403, code: 'AccessDenied' }, Infinity);
    const r = await mgr.startBatch('R', [up(file, 'retry/r.bin', size)]).result;
    assert.equal(r.failed.length, 1);
    const err = r.failed[0]!.error as { code?: string; status?: number; requestId?: string };
    assert.equal(err.code, 'AccessDenied');
    assert.equal(err.status, 403);
    assert.ok(err.requestId, 'the error carries the request id');
    assert.ok(w.logs.some((l) => l.includes('AccessDenied')), 'the failure is logged');
    server.faults.remove(deny);
    const id = r.failed[0]!.id;
    mgr.retry(id);
    await when(mgr, (items) => items.find((i) => i.id === id)!.state === 'done' || items.find((i) => i.id === id)!.state === 'failed');
    assert.equal(mgr.get(id)!.state, 'done', String(mgr.get(id)!.error));
    assert.equal(await serverSha('retry/r.bin'), sha);
  } finally {
    await w.close();
  }
});

test('discard aborts the multipart upload on the server and deletes checkpoint, journal and temp file', { timeout: 60_000 }, async () => {
  const w = await world('discard');
  try {
    const mgr = w.mk();
    // An upload, paused midway.
    const size = 8 * PART;
    const file = path.join(w.dir, 'd.bin');
    await makeFile(file, size);
    holdUploadAt('discard/d.bin', 3);
    const b = mgr.startBatch('D', [up(file, 'discard/d.bin', size)]);
    const upId = b.items[0]!.id;
    await when(mgr, (items) => byKey(items, 'discard/d.bin')!.transferredBytes >= 2 * PART);
    mgr.pause(upId);
    await when(mgr, (items) => byKey(items, 'discard/d.bin')!.state === 'paused');
    assert.equal((await client.listMultipartUploads({ bucket: BUCKET, prefix: 'discard/' })).uploads.length, 1);

    // A download, paused midway: its temp file sits beside the destination.
    const objSize = 8 * PART;
    await client.putObject({ bucket: BUCKET, key: 'discard/obj.bin', body: randomBytes(objSize) });
    holdDownloadAfter('discard/obj.bin', 2);
    const destDir = path.join(w.dir, 'dl');
    const dest = path.join(destDir, 'obj.bin');
    const db = mgr.startBatch('DL', [{ direction: 'download', profileId: 'test', bucket: BUCKET, key: 'discard/obj.bin', file: dest, size: objSize }]);
    const dlId = db.items[0]!.id;
    await when(mgr, (items) => byKey(items, 'discard/obj.bin')!.transferredBytes >= 2 * PART);
    mgr.pause(dlId);
    await when(mgr, (items) => byKey(items, 'discard/obj.bin')!.state === 'paused');
    const temps = (await fsp.readdir(destDir)).filter((n) => n.includes('.osstmp-'));
    assert.equal(temps.length, 1, 'a temp file exists before discard');
    assert.equal((await fsp.readdir(w.cptDir)).filter((n) => n.endsWith('.cpt')).length, 2);

    await mgr.discard(upId);
    await mgr.discard(dlId);
    assert.deepEqual((await client.listMultipartUploads({ bucket: BUCKET, prefix: 'discard/' })).uploads, []);
    assert.deepEqual(await fsp.readdir(destDir), [], 'temp file removed, destination never created');
    assert.deepEqual(await fsp.readdir(w.cptDir), [], 'checkpoints and journal records removed');
    assert.equal(mgr.items().length, 0);
    assert.equal((await b.result).cancelled.length, 1);
    assert.equal((await db.result).cancelled.length, 1);
  } finally {
    await w.close();
  }
});

test('a new manager on the same folder restores and resumes what a closed one left', { timeout: 60_000 }, async () => {
  const w = await world('restore');
  try {
    const first = w.mk();
    const objSize = 10 * PART + 3;
    const content = randomBytes(objSize);
    await client.putObject({ bucket: BUCKET, key: 'restore/big.bin', body: content });
    const upSize = 6 * PART;
    const upFile = path.join(w.dir, 'u.bin');
    const upSha = await makeFile(upFile, upSize);
    holdDownloadAfter('restore/big.bin', 2);
    holdUploadAt('restore/u.bin', 3);
    const dest = path.join(w.dir, 'out', 'big.bin');
    first.startBatch('window 1', [
      { direction: 'download', profileId: 'test', bucket: BUCKET, key: 'restore/big.bin', file: dest, size: objSize },
      up(upFile, 'restore/u.bin', upSize),
    ]);
    await when(first, (items) => items.every((i) => i.transferredBytes >= 2 * PART));
    await first.close(); // the window closes

    server.stats.reset();
    const second = w.mk();
    const restored = await second.restoreInterrupted();
    assert.deepEqual(restored.map((i) => [i.spec.key, i.state, i.spec.profileId]).sort(), [
      ['restore/big.bin', 'interrupted', 'test'],
      ['restore/u.bin', 'interrupted', 'test'],
    ]);
    for (const i of restored) assert.ok(i.transferredBytes >= 2 * PART && i.transferredBytes < i.totalBytes, `${i.spec.key} shows partial progress`);
    server.faults.clear();
    for (const i of restored) second.resume(i.id);
    await when(second, (items) => items.every((i) => i.state === 'done' || i.state === 'failed'));
    for (const i of second.items()) assert.equal(i.state, 'done', `${i.spec.key}: ${String(i.error)}`);
    assert.equal(await sha256File(dest), createHash('sha256').update(content).digest('hex'));
    assert.equal(await serverSha('restore/u.bin'), upSha);
    const fetched = server.stats.get('GetObject').bytesOut;
    const sent = server.stats.get('UploadPart').bytesIn;
    assert.ok(fetched <= objSize - 2 * PART + PART, `download resumed: fetched ${fetched} of ${objSize}`);
    assert.ok(sent <= upSize - 2 * PART + PART, `upload resumed: sent ${sent} of ${upSize}`);
    assert.deepEqual(await fsp.readdir(w.cptDir), [], 'nothing left once both finished');
  } finally {
    await w.close();
  }
});

// The manager's scheduling and state rules, with a scripted engine standing in for the real one
// (the integration test runs the real engine against the test server).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OssClient } from '../../src/oss/index.js';
import { encodeCheckpoint, type UploadCheckpoint } from '../../src/transfer/checkpoint/checkpointCodec.js';
import { checkpointPathFor } from '../../src/transfer/index.js';
import { TransferManager } from '../../src/transfer/batch/transferManager.js';
import type { TransferEngine, TransferItem, TransferManagerDeps, TransferSettings, TransferSpec } from '../../src/transfer/batch/transferTypes.js';
import { LinkPacer, START_REQUESTS, type SlotSource } from '../../src/transfer/pacing/linkPacer.js';
import { processStartTicks } from '../../src/transfer/locking/processLiveness.js';
import { TransferJournal, type JournalRecord } from '../../src/transfer/batch/transferJournal.js';
import { readBatchJournals } from '../../src/transfer/batch/batchJournalFormat.js';

const ENDPOINT = 'http://fake.invalid';

interface Call {
  key: string;
  signal: AbortSignal;
  opts: Record<string, unknown>;
  progress(done: number, total: number): void;
  finish(size: number): void;
  fail(err: unknown): void;
}

class ScriptedEngine {
  readonly calls: Call[] = [];
  readonly active = new Set<Call>();
  maxActive = 0;
  private waiters: Array<() => void> = [];

  readonly engine: TransferEngine = {
    resumableUpload: ((_c: unknown, opts: never) => this.call(opts)) as unknown as TransferEngine['resumableUpload'],
    resumableDownload: ((_c: unknown, opts: never) => this.call(opts)) as unknown as TransferEngine['resumableDownload'],
  };

  private call(opts: { key: string; signal: AbortSignal; onProgress?: (p: object) => void }): Promise<{ etag: string; crc64: string; size: number; resumed: boolean }> {
    return new Promise((resolve, reject) => {
      const c: Call = {
        key: opts.key,
        signal: opts.signal,
        opts: opts as unknown as Record<string, unknown>,
        progress: (done, total) => opts.onProgress?.({ transferredBytes: done, totalBytes: total, bytesPerSecond: 1, phase: 'transferring' }),
        finish: (size) => {
          this.active.delete(c);
          // As the engine's progress meter does: the bytes moved reach the shared pacer.
          (opts as { pacer?: SlotSource }).pacer?.moved(size);
          resolve({ etag: '"e"', crc64: '0', size, resumed: false });
        },
        fail: (err) => {
          this.active.delete(c);
          reject(err);
        },
      };
      // Like the engine: an abort ends the call with an error.
      opts.signal.addEventListener('abort', () => c.fail(Object.assign(new Error('aborted'), { code: 'Aborted' })), { once: true });
      this.calls.push(c);
      this.active.add(c);
      this.maxActive = Math.max(this.maxActive, this.active.size);
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Resolves once `n` calls have been made in total. */
  async waitCalls(n: number): Promise<void> {
    while (this.calls.length < n) await new Promise<void>((r) => this.waiters.push(r));
  }
}

async function setup(t: { after(fn: () => Promise<void> | void): void }, settings: Partial<TransferSettings> = {}, deps: Partial<TransferManagerDeps> = {}) {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'mgr-'));
  const cptDir = path.join(dir, 'checkpoints');
  const eng = new ScriptedEngine();
  const clientRequests: string[] = [];
  const aborted: string[] = [];
  const logs: string[] = [];
  const mk = (): TransferManager =>
    new TransferManager({
      clientFor: async (profileId, bucket) => {
        clientRequests.push(`${profileId}/${bucket}`);
        if (profileId === 'broken') throw new Error('profile has no secret');
        return {
          endpoint: ENDPOINT,
          abortMultipartUpload: async (o: { bucket: string; key: string; uploadId: string }) => {
            aborted.push(`${o.bucket}/${o.key}/${o.uploadId}`);
          },
        } as unknown as OssClient;
      },
      checkpointDir: cptDir,
      settings: () => ({ concurrentFiles: 2, disableCheckpoint: false, ...settings }),
      engine: eng.engine,
      log: { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${String(m)}`) },
      ...deps,
    });
  const mgr = mk();
  t.after(async () => {
    await mgr.close();
    await fsp.rm(dir, { recursive: true, force: true });
  });
  return { dir, cptDir, eng, mgr, mk, clientRequests, logs, aborted };
}

function spec(key: string, extra: Partial<TransferSpec> = {}): TransferSpec {
  return { direction: 'upload', profileId: 'p1', bucket: 'b', key, file: path.join(os.tmpdir(), 'src', key), size: 100, ...extra };
}

const tick = () => new Promise<void>((r) => setImmediate(r));
/** Lets pending file-system callbacks run until `cond` holds (bounded, so a bug fails instead of hanging). */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 5000 && !cond(); i++) await new Promise<void>((r) => setTimeout(r, 1));
  assert.ok(cond(), `timed out waiting for ${what}`);
}
const stateOf = (mgr: TransferManager, key: string): string | undefined => mgr.items().find((i) => i.spec.key === key)?.state;

test('runs at most concurrentFiles at once and finishes the whole batch', async (t) => {
  const { eng, mgr } = await setup(t);
  const batch = mgr.startBatch('five', ['a', 'b', 'c', 'd', 'e'].map((k) => spec(k)));
  assert.equal(batch.items.length, 5);
  await eng.waitCalls(2);
  await tick();
  assert.equal(eng.active.size, 2);
  assert.deepEqual(batch.items.map((i) => i.state), ['running', 'running', 'queued', 'queued', 'queued']);
  for (let n = 0; n < 5; n++) {
    await eng.waitCalls(Math.min(n + 2, 5));
    const c = eng.calls[n]!;
    c.progress(50, 100);
    c.finish(100);
    await tick();
  }
  const r = await batch.result;
  assert.equal(r.done.length, 5);
  assert.equal(eng.maxActive, 2);
  assert.ok(r.done.every((i) => i.transferredBytes === 100 && i.totalBytes === 100));
});

test('progress lands on the item and the engine gets the settings and the checkpoint folder', async (t) => {
  const { eng, mgr, cptDir } = await setup(t, { partSize: 200 * 1024, parallel: 3 });
  const seen: TransferItem[] = [];
  const sub = mgr.onDidChange((it) => it && seen.push(it));
  const batch = mgr.startBatch('one', [spec('x', { headers: { 'Content-Type': 'text/plain' } })]);
  await eng.waitCalls(1);
  const c = eng.calls[0]!;
  assert.equal(c.opts.partSize, 200 * 1024);
  assert.equal(c.opts.parallel, 3);
  // The manager computes the checkpoint path once and hands the engine that very path, the one it journals.
  assert.equal(path.dirname(c.opts.cptFile as string), cptDir);
  const [journal] = (await readBatchJournals(cptDir)).journals;
  assert.equal(journal!.items[0]!.cptPath, c.opts.cptFile);
  assert.equal(c.opts.checkpointDir, undefined, 'the engine derives no checkpoint path of its own');
  assert.deepEqual(c.opts.headers, { 'Content-Type': 'text/plain' });
  c.progress(40, 100);
  assert.equal(mgr.items()[0]!.transferredBytes, 40);
  c.finish(100);
  await batch.result;
  sub.dispose();
  assert.ok(seen.some((i) => i.state === 'running' && i.transferredBytes === 40));
  assert.equal(seen.at(-1)!.state, 'done');
});

test('cancelling one batch leaves another running, and keeps the cancelled journal records', async (t) => {
  const { eng, mgr, cptDir } = await setup(t, { concurrentFiles: 4 });
  const b1 = mgr.startBatch('one', [spec('1a'), spec('1b')]);
  const b2 = mgr.startBatch('two', [spec('2a'), spec('2b')]);
  await eng.waitCalls(4);
  await tick();
  b1.cancel();
  const r1 = await b1.result;
  assert.equal(r1.cancelled.length, 2);
  assert.ok(eng.calls.filter((c) => c.key.startsWith('1')).every((c) => c.signal.aborted));
  assert.ok(eng.calls.filter((c) => c.key.startsWith('2')).every((c) => !c.signal.aborted));
  assert.equal(stateOf(mgr, '2a'), 'running');
  for (const c of eng.calls.filter((c) => c.key.startsWith('2'))) c.finish(100);
  assert.equal((await b2.result).done.length, 2);
  // The finished batch's journal goes once its last item is done (after the batch settles).
  let journals = (await readBatchJournals(cptDir)).journals;
  for (let i = 0; i < 500 && journals.length > 1; i++) {
    await new Promise((r) => setTimeout(r, 5));
    journals = (await readBatchJournals(cptDir)).journals;
  }
  const kept = journals.flatMap((j) => j.items.filter((it) => !it.done && !it.dropped));
  assert.equal(kept.length, 2, 'cancelled transfers keep their record for a later resume; finished ones do not');
  assert.deepEqual(kept.map((it) => it.spec.key).sort(), ['1a', '1b']);
});

test('pause stops a running transfer, resume starts it again; a paused item holds its batch open', async (t) => {
  const { eng, mgr } = await setup(t);
  const batch = mgr.startBatch('p', [spec('p1')]);
  await eng.waitCalls(1);
  const id = batch.items[0]!.id;
  mgr.pause(id);
  await tick();
  assert.ok(eng.calls[0]!.signal.aborted);
  assert.equal(mgr.get(id)!.state, 'paused');
  let settled = false;
  void batch.result.then(() => (settled = true));
  await tick();
  assert.equal(settled, false);
  mgr.resume(id);
  await eng.waitCalls(2);
  assert.equal(mgr.get(id)!.state, 'running');
  eng.calls[1]!.finish(100);
  assert.equal((await batch.result).done.length, 1);
});

test('pausing a queued item takes it out of the queue', async (t) => {
  const { eng, mgr } = await setup(t, { concurrentFiles: 1 });
  const batch = mgr.startBatch('q', [spec('q1'), spec('q2')]);
  await eng.waitCalls(1);
  mgr.pause(batch.items[1]!.id);
  eng.calls[0]!.finish(100);
  await tick();
  await tick();
  assert.equal(eng.calls.length, 1, 'the paused one did not start');
  assert.equal(stateOf(mgr, 'q2'), 'paused');
  mgr.cancel(batch.items[1]!.id);
  const r = await batch.result;
  assert.deepEqual([r.done.length, r.cancelled.length], [1, 1]);
});

test('a failure is reported with its error; retry runs it again', async (t) => {
  const { eng, mgr, logs } = await setup(t);
  const batch = mgr.startBatch('f', [spec('f1')]);
  await eng.waitCalls(1);
  const err = Object.assign(new Error('denied'), { code: 'AccessDenied', status: 403, requestId: 'RID1' });
  eng.calls[0]!.fail(err);
  const r = await batch.result;
  assert.equal(r.failed.length, 1);
  assert.equal(r.failed[0]!.error, err);
  assert.ok(logs.some((l) => l.includes('AccessDenied') && l.includes('RID1')), logs.join('\n'));
  mgr.retry(r.failed[0]!.id);
  await eng.waitCalls(2);
  assert.equal(mgr.get(r.failed[0]!.id)!.error, undefined);
  eng.calls[1]!.finish(100);
  await until(() => mgr.get(r.failed[0]!.id)!.state === 'done', 'done after retry');
});

test('a client that cannot be built fails the item, not the manager', async (t) => {
  const { mgr } = await setup(t);
  const r = await mgr.startBatch('x', [spec('k', { profileId: 'broken' })]).result;
  assert.equal(r.failed.length, 1);
  assert.match(String((r.failed[0]!.error as Error).message), /no secret/);
});

test('bad specs are refused with a clear error', async (t) => {
  const { mgr } = await setup(t);
  assert.throws(() => mgr.startBatch('x', [spec('k', { file: 'relative/path' })]), /absolute local path/);
  assert.throws(() => mgr.startBatch('x', [spec('k', { direction: 'sideways' as never })]), /direction/);
  assert.throws(() => mgr.startBatch('x', [spec('')]), /key is required/);
  assert.throws(() => mgr.pause('nope'), /No transfer with id/);
  assert.deepEqual(await mgr.startBatch('empty', []).result, { done: [], failed: [], cancelled: [] });
});

test('the same transfer twice: an active twin fails the new one, an idle one is superseded', async (t) => {
  const { eng, mgr } = await setup(t);
  const b1 = mgr.startBatch('a', [spec('same')]);
  await eng.waitCalls(1);
  const b2 = mgr.startBatch('b', [spec('same')]);
  const r2 = await b2.result;
  assert.match((r2.failed[0]!.error as Error).message, /already in progress/);
  mgr.cancel(b1.items[0]!.id);
  await b1.result;
  const b3 = mgr.startBatch('c', [spec('same')]);
  await eng.waitCalls(2);
  const sameItems = mgr.items().filter((i) => i.spec.key === 'same' && i.batchId !== b2.id);
  assert.equal(sameItems.length, 1, 'the cancelled one was replaced');
  eng.calls[1]!.finish(100);
  assert.equal((await b3.result).done.length, 1);
});

test('discard stops the transfer, removes its checkpoint and journal record, and drops it from the list', async (t) => {
  const { eng, mgr, cptDir, aborted } = await setup(t);
  const batch = mgr.startBatch('d', [spec('dk')]);
  await eng.waitCalls(1);
  const id = batch.items[0]!.id;
  const cpt = checkpointPathFor({ direction: 'upload', endpoint: ENDPOINT, bucket: 'b', key: 'dk', file: spec('dk').file, checkpointDir: cptDir });
  await fsp.writeFile(cpt, encodeCheckpoint(uploadCpt('dk', spec('dk').file)));
  assert.deepEqual(await mgr.discard(id), { reachedServer: true });
  assert.equal(mgr.get(id), undefined);
  assert.ok(eng.calls[0]!.signal.aborted);
  assert.deepEqual(await fsp.readdir(cptDir), []);
  assert.deepEqual(aborted, ['b/dk/UPLOAD1'], 'the multipart upload is aborted on the server');
  const r = await batch.result;
  assert.equal(r.cancelled.length, 1);
});

test('discard without a client says the server was not reached, and still removes the local state', async (t) => {
  const { mgr, aborted, logs } = await setup(t);
  const batch = mgr.startBatch('d', [{ ...spec('nk'), profileId: 'broken' }]);
  const r = await batch.result;
  assert.equal(r.failed.length, 1, 'no client: the transfer fails');
  const id = batch.items[0]!.id;
  assert.deepEqual(await mgr.discard(id), { reachedServer: false });
  assert.equal(mgr.get(id), undefined);
  assert.deepEqual(aborted, [], 'nothing was sent to a server');
  assert.ok(logs.some((l) => l.startsWith('warn ') && l.includes('no client for profile broken')), logs.join('\n'));
});

test('clearFinished removes done items only', async (t) => {
  const { eng, mgr } = await setup(t);
  const b = mgr.startBatch('c', [spec('c1'), spec('c2')]);
  await eng.waitCalls(2);
  eng.calls[0]!.finish(100);
  eng.calls[1]!.fail(new Error('boom'));
  await b.result;
  mgr.clearFinished();
  assert.deepEqual(mgr.items().map((i) => i.state), ['failed']);
});

function uploadCpt(key: string, file: string): UploadCheckpoint {
  return {
    direction: 'upload',
    endpoint: ENDPOINT,
    bucket: 'b',
    key,
    file,
    partSize: 100 * 1024,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    source: { size: 300 * 1024, mtimeMs: 1 },
    uploadId: 'UPLOAD1',
    parts: [{ partNumber: 1, etag: '"x"', crc64: '0' }],
  };
}

test('a new manager restores what a closed one left: journal gives the profile, a damaged journal is logged', async (t) => {
  const { eng, mgr, mk, cptDir, logs } = await setup(t);
  const b = mgr.startBatch('r', [spec('r1'), spec('r2', { profileId: 'p2' })]);
  await eng.waitCalls(2);
  for (const k of ['r1', 'r2']) {
    const cpt = checkpointPathFor({ direction: 'upload', endpoint: ENDPOINT, bucket: 'b', key: k, file: spec(k).file, checkpointDir: cptDir });
    await fsp.writeFile(cpt, encodeCheckpoint(uploadCpt(k, spec(k).file)));
  }
  // A checkpoint nobody journaled (e.g. the record was lost) and a damaged journal file.
  const orphanFile = path.join(os.tmpdir(), 'src', 'orphan');
  await fsp.writeFile(
    checkpointPathFor({ direction: 'upload', endpoint: ENDPOINT, bucket: 'b', key: 'orphan', file: orphanFile, checkpointDir: cptDir }),
    encodeCheckpoint(uploadCpt('orphan', orphanFile)),
  );
  await fsp.writeFile(path.join(cptDir, 'transfer-damaged.journal.json'), '{ not json');

  // While the first manager lives, a second one leaves its transfers alone.
  const live = mk();
  const whileLive = await live.restoreInterrupted();
  assert.deepEqual(whileLive.map((i) => i.spec.key), ['orphan']);
  assert.equal(live.skippedForOtherWindows, 2);
  await live.close();

  await mgr.close();
  assert.equal((await b.result).cancelled.length, 2);

  const next = mk();
  t.after(() => next.close());
  const restored = await next.restoreInterrupted();
  const byKey = new Map(restored.map((i) => [i.spec.key, i]));
  assert.deepEqual([...byKey.keys()].sort(), ['orphan', 'r1', 'r2']);
  assert.equal(byKey.get('r2')!.spec.profileId, 'p2');
  assert.equal(byKey.get('r1')!.state, 'interrupted');
  assert.equal(byKey.get('r1')!.transferredBytes, 100 * 1024);
  assert.equal(byKey.get('r1')!.totalBytes, 300 * 1024);
  assert.equal(byKey.get('orphan')!.spec.profileId, '');
  assert.ok(logs.some((l) => l.startsWith('error') && l.includes('damaged')), logs.join('\n'));
  assert.ok(!(await fsp.readdir(cptDir)).includes('transfer-damaged.journal.json'));
  // Restoring twice adds nothing.
  assert.equal((await next.restoreInterrupted()).length, 0);

  // Resume runs the engine again with the recorded profile.
  next.resume(byKey.get('r2')!.id);
  await eng.waitCalls(3);
  assert.equal(eng.calls[2]!.key, 'r2');
  eng.calls[2]!.finish(300 * 1024);
  // The orphan cannot run: no profile.
  next.resume(byKey.get('orphan')!.id);
  await until(() => next.get(byKey.get('orphan')!.id)!.state === 'failed', 'orphan to fail');
  assert.equal(next.get(byKey.get('orphan')!.id)!.state, 'failed');
  assert.match(String((next.get(byKey.get('orphan')!.id)!.error as Error).message), /no profile/);
});

test('with checkpoints disabled nothing is written to the checkpoint folder', async (t) => {
  const { eng, mgr, cptDir } = await setup(t, { disableCheckpoint: true });
  const b = mgr.startBatch('n', [spec('n1')]);
  await eng.waitCalls(1);
  assert.equal(eng.calls[0]!.opts.disableCheckpoint, true);
  assert.equal(eng.calls[0]!.opts.checkpointDir, undefined);
  eng.calls[0]!.finish(100);
  await b.result;
  await assert.rejects(fsp.readdir(cptDir), { code: 'ENOENT' });
});

test('queued files of a batch survive a closed window too, and come back at 0 bytes', async (t) => {
  const { eng, mgr, mk } = await setup(t, { concurrentFiles: 1 });
  const b = mgr.startBatch('q', [spec('first'), spec('second', { size: 555 }), spec('third')]);
  await eng.waitCalls(1);
  await mgr.close();
  const r = await b.result;
  assert.equal(r.cancelled.length, 3);
  const next = mk();
  t.after(() => next.close());
  const restored = await next.restoreInterrupted();
  assert.deepEqual(restored.map((i) => i.spec.key).sort(), ['first', 'second', 'third']);
  const second = restored.find((i) => i.spec.key === 'second')!;
  assert.deepEqual([second.state, second.transferredBytes, second.totalBytes], ['interrupted', 0, 555]);
  // Discarding one removes its record: a third window sees only the other two.
  await next.discard(second.id);
  await next.close();
  const third = mk();
  t.after(() => third.close());
  assert.deepEqual((await third.restoreInterrupted()).map((i) => i.spec.key).sort(), ['first', 'third']);
});

function cptOf(key: string): string {
  return checkpointPathFor({ direction: 'upload', endpoint: ENDPOINT, bucket: 'b', key, file: spec(key).file, checkpointDir: '' });
}

test('a new run of a transfer whose checkpoint an interrupted row holds replaces that row and continues its checkpoint', async (t) => {
  const { eng, mgr, cptDir, aborted, logs } = await setup(t);
  await fsp.mkdir(cptDir, { recursive: true });
  const cpt = path.join(cptDir, path.basename(cptOf('orph')));
  await fsp.writeFile(cpt, encodeCheckpoint(uploadCpt('orph', spec('orph').file)));
  // No journal record: the row comes back without a profile.
  const [orphan] = await mgr.restoreInterrupted();
  assert.equal(orphan!.spec.profileId, '');

  const b = mgr.startBatch('again', [spec('orph')]);
  await eng.waitCalls(1);
  const rows = mgr.items().filter((i) => i.spec.key === 'orph');
  assert.deepEqual(rows.map((r) => [r.id, r.state]), [[b.items[0]!.id, 'running']], 'one row for the checkpoint');
  assert.equal(mgr.get(orphan!.id), undefined);
  assert.equal(eng.calls[0]!.opts.cptFile, cpt, 'the engine gets that very checkpoint');
  assert.ok(logs.some((l) => l.includes('continuing from the checkpoint of an earlier interrupted run')), logs.join('\n'));
  // Discarding the one row now reaches the server with its profile: the multipart upload goes too.
  await mgr.discard(b.items[0]!.id);
  assert.deepEqual(aborted, ['b/orph/UPLOAD1']);
  await assert.rejects(fsp.stat(cpt), { code: 'ENOENT' });
});

test('two rows for one checkpoint never run: the second is refused, its discard keeps the checkpoint, a later run takes the paused row over', async (t) => {
  const { eng, mgr, cptDir } = await setup(t);
  // Two profiles on the same endpoint: different transfers to the manager, one checkpoint on disk.
  const first = mgr.startBatch('p1', [spec('shared')]);
  await eng.waitCalls(1);
  const cpt = path.join(cptDir, path.basename(cptOf('shared')));
  await fsp.writeFile(cpt, encodeCheckpoint(uploadCpt('shared', spec('shared').file)));
  const second = mgr.startBatch('p2', [spec('shared', { profileId: 'p2' })]);
  const r2 = await second.result;
  assert.match((r2.failed[0]!.error as Error).message, /already in progress in another row/);
  assert.equal(eng.calls.length, 1, 'the refused run never reached the engine');
  const refusedId = second.items[0]!.id;
  await mgr.discard(refusedId);
  assert.equal(mgr.get(refusedId), undefined);
  await fsp.stat(cpt); // still there for the running row
  assert.equal(eng.calls[0]!.signal.aborted, false);

  // Once the first is paused, a new run from the other profile takes its checkpoint and its row.
  const firstId = first.items[0]!.id;
  mgr.pause(firstId);
  await until(() => mgr.get(firstId)?.state === 'paused', 'pause');
  const third = mgr.startBatch('p2 again', [spec('shared', { profileId: 'p2' })]);
  await eng.waitCalls(2);
  assert.deepEqual(mgr.items().filter((i) => i.spec.key === 'shared').map((i) => [i.spec.profileId, i.state]), [['p2', 'running']]);
  assert.equal((await first.result).cancelled.length, 1, 'the replaced row leaves its batch as cancelled');
  eng.calls[1]!.finish(100);
  assert.equal((await third.result).done.length, 1);
});

test('a record is judged by its owner\'s pid, start time and host: a reused pid no longer hides it', async (t) => {
  const { eng, mgr, mk, cptDir } = await setup(t);
  // This manager's own records name it fully.
  const b = mgr.startBatch('own', [spec('own')]);
  await eng.waitCalls(1);
  const journal = new TransferJournal(cptDir);
  let own: { owner: JournalRecord['owner'] } | undefined;
  for (let i = 0; i < 500 && !own; i++) {
    own = (await readBatchJournals(cptDir)).journals.map((j) => j.header).find((h) => h.label === 'own');
    if (!own) await new Promise((r) => setTimeout(r, 5));
  }
  assert.ok(own, 'the batch wrote its record');
  assert.equal(own.owner.pid, process.pid);
  assert.equal(own.owner.hostname, os.hostname());
  assert.equal(own.owner.procStart, processStartTicks('self'));
  await mgr.close();
  await b.result;

  const now = new Date().toISOString();
  const long = new Date(Date.now() - 60 * 60_000).toISOString();
  const rec = (id: string, owner: JournalRecord['owner'], updatedAt = now): JournalRecord => ({
    version: 1,
    id,
    spec: spec(id),
    cptPath: '',
    endpoint: ENDPOINT,
    owner,
    updatedAt,
  });
  const here = os.hostname();
  const linux = processStartTicks(process.ppid) !== undefined;
  // The window that wrote it is gone; its pid now belongs to an unrelated live process (our parent).
  if (linux) await journal.write(rec('reused', { pid: process.ppid, instance: 'gone', hostname: here, procStart: '1' }));
  // The parent as itself: alive.
  if (linux) await journal.write(rec('parent', { pid: process.ppid, instance: 'w2', hostname: here, procStart: processStartTicks(process.ppid)! }));
  // From before the start time and host were kept: judged by pid alone, as before.
  await journal.write(rec('oldstyle', { pid: process.ppid, instance: 'w3' }));
  // Another host's: fresh is respected, long unchanged is not.
  await journal.write(rec('farfresh', { pid: 1, instance: 'w4', hostname: `${here}-far`, procStart: '1' }));
  await journal.write(rec('farold', { pid: 1, instance: 'w5', hostname: `${here}-far`, procStart: '1' }, long));

  const next = mk();
  t.after(() => next.close());
  const restored = (await next.restoreInterrupted()).map((i) => i.spec.key).sort();
  assert.deepEqual(restored, linux ? ['farold', 'own', 'reused'] : ['farold', 'own']);
  assert.equal(next.skippedForOtherWindows, linux ? 3 : 2);
});

test("the engine's log lines (e.g. why a checkpoint was set aside) reach the manager's log", async (t) => {
  const { eng, mgr, logs } = await setup(t);
  const b = mgr.startBatch('log', [spec('logged')]);
  await eng.waitCalls(1);
  const onLog = eng.calls[0]!.opts.onLog as ((m: string) => void) | undefined;
  assert.equal(typeof onLog, 'function');
  onLog!('The checkpoint x cannot be used (why); it was discarded and the upload starts over.');
  assert.ok(logs.includes('info The checkpoint x cannot be used (why); it was discarded and the upload starts over.'), logs.join('\n'));
  eng.calls[0]!.finish(100);
  await b.result;
});

test('a streamed batch starts its first files before the source ends, and settles only after it', async (t) => {
  const { eng, mgr } = await setup(t);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  async function* listing(): AsyncGenerator<TransferSpec> {
    yield spec('page1-a');
    yield spec('page1-b');
    await gate; // the next listing page has not come yet
    yield spec('page2-a');
  }
  const batch = mgr.startBatch('streamed', listing());
  await eng.waitCalls(2);
  assert.deepEqual(eng.calls.map((c) => c.key).sort(), ['page1-a', 'page1-b'], 'the first page moves while the listing is still paging');
  let settled = false;
  void batch.result.then(() => (settled = true));
  for (const c of eng.calls) c.finish(100);
  await until(() => mgr.items().filter((i) => i.state === 'done').length === 2, 'the first two done');
  await tick();
  assert.equal(settled, false, 'a batch whose source may still add items does not settle');
  release();
  await eng.waitCalls(3);
  eng.calls[2]!.finish(100);
  const r = await batch.result;
  assert.deepEqual(r.done.map((i) => i.spec.key).sort(), ['page1-a', 'page1-b', 'page2-a']);
  assert.equal(r.sourceError, undefined);
  assert.equal(batch.items.length, 3);
});

test('a streamed source that fails ends in the result; the files it gave still finish', async (t) => {
  const { eng, mgr, logs } = await setup(t);
  async function* listing(): AsyncGenerator<TransferSpec> {
    yield spec('before-failure');
    throw new Error('InvalidResponse: the listing would never end');
  }
  const batch = mgr.startBatch('broken listing', listing());
  await eng.waitCalls(1);
  eng.calls[0]!.finish(100);
  const r = await batch.result;
  assert.equal(r.done.length, 1);
  assert.match(String((r.sourceError as Error).message), /never end/);
  assert.ok(logs.some((l) => l.startsWith('error broken listing: the list of files to transfer stopped early')), logs.join('\n'));
});

test('a streamed source is read at most STREAM_AHEAD queued items ahead, and cancel stops reading it', async (t) => {
  const { STREAM_AHEAD } = await import('../../src/transfer/batch/transferManager.js');
  const { eng, mgr } = await setup(t);
  let pulled = 0;
  async function* huge(): AsyncGenerator<TransferSpec> {
    for (let i = 0; i < STREAM_AHEAD * 3; i++) {
      pulled++;
      yield spec(`k${i}`);
    }
  }
  const batch = mgr.startBatch('huge', huge());
  await eng.waitCalls(2); // concurrentFiles 2: both slots busy, the rest queue
  await until(() => pulled >= STREAM_AHEAD + 2, 'the source to fill the queue');
  for (let i = 0; i < 20; i++) await tick();
  assert.equal(pulled, STREAM_AHEAD + 2, 'two running plus STREAM_AHEAD queued, and no more');
  // One finishes: one more may be read.
  eng.calls[0]!.finish(100);
  await eng.waitCalls(3);
  await until(() => pulled === STREAM_AHEAD + 3, 'one more read');
  batch.cancel();
  const r = await batch.result;
  for (let i = 0; i < 20; i++) await tick();
  assert.equal(pulled, STREAM_AHEAD + 3, 'cancel stops reading the source');
  assert.equal(r.done.length, 1);
  assert.equal(r.cancelled.length, STREAM_AHEAD + 2);
});

/** Finishes whatever runs, one round per measured interval (`onInterval`), until the batch settles. */
async function drainBatch(eng: ScriptedEngine, mgr: TransferManager, b: { result: Promise<unknown> }, size: number, onInterval = (): void => undefined): Promise<void> {
  let settled = false;
  void b.result.then(() => (settled = true));
  const running = () => mgr.items().filter((i) => i.state === 'running').length;
  while (!settled) {
    for (const c of [...eng.active]) c.finish(size);
    // Every file started has reached the engine (past its checkpoint claim) before the interval ends.
    await new Promise<void>((r) => setTimeout(r, 1));
    await until(() => settled || (running() > 0 && eng.active.size === running()), 'the started files to reach the engine');
    onInterval();
  }
}

test('many small files start a few at once and grow to 16 while their throughput rises', async (t) => {
  // The pacers tick by hand on a clock the test moves: one drain round is one measured interval.
  let now = 0;
  const pacers: LinkPacer[] = [];
  const pacer = (): LinkPacer => {
    const p = new LinkPacer({ manualTicks: true, now: () => now, max: 16 });
    pacers.push(p);
    return p;
  };
  const { eng, mgr } = await setup(t, { concurrentFiles: 16 }, { pacer });
  const small = Array.from({ length: 400 }, (_, i) => spec(`small-${i}`, { size: 4096 }));
  const b1 = mgr.startBatch('small', small);
  await eng.waitCalls(START_REQUESTS);
  for (let i = 0; i < 10; i++) await tick();
  assert.equal(eng.active.size, START_REQUESTS, 'a few one-request files in flight to start with');
  await drainBatch(eng, mgr, b1, 4096, () => {
    now += 250;
    for (const p of pacers) p.tick();
  });
  assert.equal(eng.maxActive, 16, 'grown to the cap on files (and the pool) as each step moved more');
});

test('with 16 slots, big files of a fixed 5 parts share them: three at once', async (t) => {
  const { eng, mgr } = await setup(t, { concurrentFiles: 16, parallel: 5 }, { pacer: () => new LinkPacer({ pinned: 16 }) });
  const big = Array.from({ length: 6 }, (_, i) => spec(`big-${i}`, { size: 100 * 1024 * 1024 }));
  const b2 = mgr.startBatch('big', big);
  await eng.waitCalls(3);
  for (let i = 0; i < 10; i++) await tick();
  assert.equal(eng.active.size, 3, 'three big files of five parts fill the sixteen connections');
  await drainBatch(eng, mgr, b2, 100 * 1024 * 1024);
  assert.equal(eng.maxActive, 3);
});

test('big files that adapt start with one slot each and share the rest; each gets the lane of the shared pacer and the shared cap', async (t) => {
  // A 16 MB/s cap: the pacers start at four requests (4 MB/s each fill it).
  const { eng, mgr } = await setup(t, { concurrentFiles: 16, bandwidthLimit: 16 * 1024 * 1024 }, { pacer: () => new LinkPacer({ manualTicks: true, max: 16 }) });
  const big = Array.from({ length: 6 }, (_, i) => spec(`big-${i}`, { size: 100 * 1024 * 1024 }));
  const b = mgr.startBatch('big', big);
  await eng.waitCalls(4);
  for (let i = 0; i < 10; i++) await tick();
  assert.equal(eng.active.size, 4, 'four files of one slot fill a target of four; the others wait for room');
  const opts = eng.calls[0]!.opts;
  assert.equal(opts.parallel, undefined, 'no parallelism given: the engine adapts');
  assert.equal(typeof (opts.pacer as SlotSource).take, 'function', 'it takes further slots from the shared pacer');
  assert.equal((opts.bandwidthLimit as { bytesPerSecond: number }).bytesPerSecond, 16 * 1024 * 1024);
  assert.equal(eng.calls[1]!.opts.bandwidthLimit, opts.bandwidthLimit, 'one cap shared by all');
  eng.calls[0]!.finish(100 * 1024 * 1024);
  await eng.waitCalls(5);
  assert.equal(eng.active.size, 4, 'a finished file made room for the next');
  for (const c of [...eng.active]) c.finish(1);
  await eng.waitCalls(6);
  for (const c of [...eng.active]) c.finish(1);
  await b.result;
});

test('a bandwidth cap set while a file runs reaches it at once (the settings listener calls settingsChanged)', async (t) => {
  const settings: Partial<TransferSettings> = { concurrentFiles: 4 };
  const { eng, mgr } = await setup(t, settings);
  const b = mgr.startBatch('one', [spec('capped', { size: 100 * 1024 * 1024 })]);
  await eng.waitCalls(1);
  const cap = eng.calls[0]!.opts.bandwidthLimit as { bytesPerSecond: number };
  assert.equal(cap.bytesPerSecond, 0, 'no cap yet');
  settings.bandwidthLimit = 3 * 1024 * 1024;
  mgr.settingsChanged();
  assert.equal(cap.bytesPerSecond, 3 * 1024 * 1024, 'the running transfer holds the same cap, now set');
  eng.calls[0]!.finish(100 * 1024 * 1024);
  await b.result;
});

test('a restored batch knows which of its items finished before, after a second restart too (a sync finishes by it)', async (t) => {
  const { eng, mgr, mk } = await setup(t, { concurrentFiles: 1 });
  const b = mgr.startBatch('sync', [spec('landed'), spec('left-1'), spec('left-2')]);
  await eng.waitCalls(1);
  eng.calls[0]!.finish(100);
  await eng.waitCalls(2);
  const landedId = b.items.find((i) => i.spec.key === 'landed')!.id;
  await mgr.close();
  await b.result;
  const next = mk();
  t.after(() => next.close());
  assert.equal(next.finishedInEarlierSession(b.id), undefined, 'nothing known before restoring');
  assert.deepEqual((await next.restoreInterrupted()).map((i) => i.spec.key).sort(), ['left-1', 'left-2']);
  assert.deepEqual([...next.finishedInEarlierSession(b.id)!], [landedId]);
  await next.close(); // closed again before anything resumed
  const third = mk();
  t.after(() => third.close());
  assert.deepEqual((await third.restoreInterrupted()).map((i) => i.spec.key).sort(), ['left-1', 'left-2'], 'the finished item is still not restored');
  assert.deepEqual([...third.finishedInEarlierSession(b.id)!], [landedId], 'the compacted journal kept it as done');
});

// A sync whose batch outlives it still finishes (issue 16): the window closes mid-sync (the manager
// closes, as on a reload), a new manager restores the batch from its journal as the extension does,
// the user resumes it, and then the rest of the sync runs from what the first run wrote down: the
// approved deletes, the folder markers, the index of every file. A file that fails means no delete
// until it is retried; a local file changed since the preview is not deleted; a remainder that
// cannot be read is set aside and deletes nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OssClient } from '../../src/oss/index.js';
import { TransferManager } from '../../src/transfer/batch/transferManager.js';
import { planSync, runSync, type SyncOptions, type SyncResult } from '../../src/transfer/index.js';
import { listAllObjects } from '../../src/transfer/listing/listAllObjects.js';
import { SyncRemainderRunner, type RemainderHeld } from '../../src/transfer/sync/syncRemainderRunner.js';
import type { RemainderFacts } from '../../src/transfer/sync/syncRemainder.js';
import { startOssServer } from '../server/index.js';
import type { OssServer } from '../server/serverTypes.js';

const CREDS = { accessKeyId: 'rem-ak', accessKeySecret: 'rem-sk' };
const BUCKET = 'remainder';
const FILES = 12;
let root: string;
let server: OssServer;
let client: OssClient;

before(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'sync-rem-'));
  server = await startOssServer({ port: 0, dataDir: path.join(root, 'server'), credentials: [CREDS], buckets: [BUCKET] });
  client = new OssClient({ ...CREDS, endpoint: server.endpoint, region: 'cn-hangzhou' });
});
after(async () => {
  await client.close();
  await server.close();
  await fsp.rm(root, { recursive: true, force: true });
});

let n = 0;
async function world(direction: 'upload' | 'download' = 'upload') {
  const id = `w${++n}`;
  const dir = path.join(root, id);
  const localDir = path.join(dir, 'local');
  const stateDir = path.join(dir, 'state');
  const checkpointDir = path.join(dir, 'cpt');
  await fsp.mkdir(localDir, { recursive: true });
  const prefix = `${id}/`;
  const managers: TransferManager[] = [];
  const runners: SyncRemainderRunner[] = [];
  const mk = (): TransferManager => {
    const m = new TransferManager({ clientFor: async () => client, checkpointDir, settings: () => ({ concurrentFiles: 8, disableCheckpoint: false }) });
    managers.push(m);
    return m;
  };
  const opts = (extra: Partial<SyncOptions> = {}): SyncOptions => ({ direction, localDir, bucket: BUCKET, prefix, stateDir, checkpointDir, ...extra });
  /** A runner on `manager` whose reports arrive in `finished` / `held`. */
  const runner = async (manager: TransferManager) => {
    const finished: Array<{ facts: RemainderFacts; result: SyncResult }> = [];
    const held: RemainderHeld[] = [];
    const r = await SyncRemainderRunner.start({
      manager, stateDir, clientFor: async () => client,
      onFinished: (facts, result) => finished.push({ facts, result }),
      onHeld: (_facts, h) => held.push(h),
    });
    runners.push(r);
    return { r, finished, held };
  };
  const close = async () => {
    for (const r of runners) await r.close();
    for (const m of managers) await m.close();
  };
  return { id, dir, localDir, stateDir, checkpointDir, prefix, mk, opts, runner, close };
}

async function keys(prefix: string): Promise<string[]> {
  return (await listAllObjects(client, BUCKET, prefix)).map((o) => o.key.slice(prefix.length)).sort();
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every item but the stalled one is done, and the stalled one is running. */
function othersDone(manager: TransferManager, stalled: string): boolean {
  const items = manager.items();
  return items.length > 1 && items.every((i) => (i.spec.key === stalled ? i.state === 'running' : i.state === 'done'));
}

async function remainders(stateDir: string): Promise<string[]> {
  return (await fsp.readdir(stateDir).catch(() => [] as string[])).filter((f) => f.startsWith('remainder-')).sort();
}

/** Local files f00..f11 and an empty folder; on OSS an extraneous object and one kept file. */
async function interruptedUpload(w: Awaited<ReturnType<typeof world>>, stall: 'after-storing' | 'before-storing' = 'after-storing'): Promise<{ result: SyncResult; stalled: string }> {
  for (let i = 0; i < FILES; i++) await fsp.writeFile(path.join(w.localDir, `f${String(i).padStart(2, '0')}.txt`), `file ${i}\n`.repeat(i + 1));
  await fsp.mkdir(path.join(w.localDir, 'empty'));
  await client.putObject({ bucket: BUCKET, key: `${w.prefix}old.txt`, body: Buffer.from('only on OSS') });
  const plan = await planSync(client, w.opts({ deleteExtraneous: true }));
  assert.equal(plan.totals.delete.files, 1);
  assert.equal(plan.totals.upload.files, FILES + 1, 'the files and the empty folder');
  // One file hangs, so the batch is still open when the window closes: its object stored and no
  // answer (a restore finds it there by its CRC-64), or hanging before it is stored.
  const stalled = `${w.prefix}f07.txt`;
  server.faults.add({ op: 'PutObject', bucket: BUCKET, key: stalled }, { type: 'stall', ms: 10 * 60_000, ...(stall === 'before-storing' ? { afterBytes: 1 } : {}) }, Infinity);
  const first = w.mk();
  const running = runSync(client, plan, { manager: first, confirmLargeDelete: true });
  await until('every other file to land', () => othersDone(first, stalled));
  await first.close(); // the window closes
  const result = await running;
  server.faults.clear();
  return { result, stalled };
}

test('a sync interrupted by closing the window, restored and resumed in a new manager, deletes, makes its folders and indexes every file', { timeout: 120_000 }, async () => {
  const w = await world();
  try {
    const { result } = await interruptedUpload(w);
    assert.equal(result.cancelled, 1, 'the hanging file was interrupted');
    assert.equal(result.deletesSkipped, 1, 'nothing deleted by the interrupted run');
    assert.ok(result.remainder, 'the run says what remains');
    assert.deepEqual(await remainders(w.stateDir), [path.basename(result.remainder)]);
    assert.ok((await keys(w.prefix)).includes('old.txt'));
    assert.ok(!(await keys(w.prefix)).includes('empty/'), 'folders wait for the files');

    // The next window: the runner starts, the manager restores, the user resumes.
    const second = w.mk();
    const { r, finished, held } = await w.runner(second);
    const restored = await second.restoreInterrupted();
    assert.deepEqual(restored.map((i) => i.spec.key), [`${w.prefix}f07.txt`]);
    assert.equal(finished.length, 0, 'nothing runs while the restored file waits');
    for (const i of restored) second.resume(i.id);
    await until('the rest of the sync to run', () => finished.length === 1);
    await r.idle();

    const { result: rest, facts } = finished[0]!;
    assert.equal(facts.label, 'Sync ' + `${w.localDir} → oss://${BUCKET}/${w.prefix}`);
    assert.equal(rest.delete.done, 1);
    assert.equal(rest.upload.done, FILES + 1, 'the summary counts the whole sync: its files and its folder');
    assert.deepEqual(rest.failures, []);
    assert.deepEqual(held, []);
    const now = await keys(w.prefix);
    assert.ok(!now.includes('old.txt'), 'the approved delete was done');
    assert.ok(now.includes('empty/'), 'the folder marker was made');
    assert.equal(now.length, FILES + 1);
    assert.deepEqual(await remainders(w.stateDir), [], 'nothing remains');

    // The index knows every file: a checksum plan reads no file and asks no HEAD.
    server.stats.reset();
    const again = await planSync(client, w.opts({ compare: 'checksum', deleteExtraneous: true }));
    assert.equal(again.totals.upload.files + again.totals.delete.files, 0);
    assert.equal(again.totals.unchanged.files, FILES + 1);
    assert.equal(again.filesHashed, 0, 'every local CRC-64 came from the index');
    assert.equal(server.stats.get('HeadObject').requests, 0, 'every remote CRC-64 came from the index');
  } finally {
    await w.close();
  }
});

test('a window that closed before writing which files landed: the batch journal knows, the sync finishes, and no stale index record makes a conflict', { timeout: 120_000 }, async () => {
  const w = await world();
  try {
    // A first sync, so the index holds every file; then every file changes.
    for (let i = 0; i < FILES; i++) await fsp.writeFile(path.join(w.localDir, `f${String(i).padStart(2, '0')}.txt`), `v1 ${i}`);
    await runSync(client, await planSync(client, w.opts()), { manager: w.mk() });
    const indexFile = (await fsp.readdir(w.stateDir)).find((f) => f.startsWith('sync-'))!;
    const staleIndex = await fsp.readFile(path.join(w.stateDir, indexFile));
    await new Promise((r) => setTimeout(r, 20));
    const { result } = await interruptedUpload(w, 'before-storing');
    // As if the window had been killed before its last writes: what landed is not in the remainder,
    // and the index is the one before this sync.
    const doc = JSON.parse(await fsp.readFile(result.remainder!, 'utf8')) as { landed: string[] };
    assert.equal(doc.landed.length, FILES - 1, 'the closing run wrote what landed');
    await fsp.writeFile(result.remainder!, JSON.stringify({ ...doc, landed: [] }));
    await fsp.writeFile(path.join(w.stateDir, indexFile), staleIndex);

    const second = w.mk();
    const { r, finished, held } = await w.runner(second);
    for (const i of await second.restoreInterrupted()) second.resume(i.id);
    await until('the rest of the sync', () => finished.length === 1 || held.length > 0);
    await r.idle();
    assert.deepEqual(held, [], 'the files the journal saw finish count as landed');
    assert.equal(finished[0]!.result.delete.done, 1);
    assert.ok(!(await keys(w.prefix)).includes('old.txt'));
    const again = await planSync(client, w.opts({ deleteExtraneous: true }));
    assert.equal(again.totals.conflict.files, 0, 'no conflict where only this sync changed the destination');
    assert.equal(again.totals.upload.files + again.totals.delete.files, 0);
    assert.equal(again.totals.unchanged.files, FILES + 1);
  } finally {
    await w.close();
  }
});

test('a restored sync whose file fails deletes nothing and says so; retried, it finishes', { timeout: 120_000 }, async () => {
  const w = await world();
  try {
    const { stalled } = await interruptedUpload(w, 'before-storing');
    const second = w.mk();
    const { r, finished, held } = await w.runner(second);
    const restored = await second.restoreInterrupted();
    const refuse = server.faults.add({ op: 'PutObject', bucket: BUCKET, key: stalled }, { type: 'status', status: 403, code: 'AccessDenied' }, Infinity);
    for (const i of restored) second.resume(i.id);
    await until('the file to fail', () => held.length === 1);
    assert.deepEqual({ ...held[0]!, deletes: held[0]!.deletes.map((d) => d.key) }, { failed: 1, cancelled: 0, missing: 0, deletes: [`${w.prefix}old.txt`] });
    assert.equal(finished.length, 0);
    assert.ok((await keys(w.prefix)).includes('old.txt'), 'no delete while a file failed');
    assert.equal((await remainders(w.stateDir)).length, 1, 'the remainder stays');

    server.faults.remove(refuse);
    for (const i of restored) second.retry(i.id);
    await until('the retried sync to finish', () => finished.length === 1);
    await r.idle();
    assert.ok(!(await keys(w.prefix)).includes('old.txt'));
    assert.deepEqual(await remainders(w.stateDir), []);
  } finally {
    await w.close();
  }
});

test('a file of a restored sync discarded in the Transfers view means no delete', { timeout: 120_000 }, async () => {
  const w = await world();
  try {
    await interruptedUpload(w, 'before-storing');
    const second = w.mk();
    const { held } = await w.runner(second);
    const [item] = await second.restoreInterrupted();
    await second.discard(item!.id);
    await until('the discard to be noticed', () => held.length === 1);
    assert.equal(held[0]!.missing, 1);
    assert.ok((await keys(w.prefix)).includes('old.txt'));
  } finally {
    await w.close();
  }
});

test('download: a local file changed after the preview is not deleted when the restored sync finishes', { timeout: 120_000 }, async () => {
  const w = await world('download');
  try {
    for (let i = 0; i < 4; i++) await client.putObject({ bucket: BUCKET, key: `${w.prefix}d${i}.txt`, body: Buffer.from(`object ${i}`) });
    await fsp.writeFile(path.join(w.localDir, 'stale-a.txt'), 'a');
    await fsp.writeFile(path.join(w.localDir, 'stale-b.txt'), 'b');
    const plan = await planSync(client, w.opts({ deleteExtraneous: true }));
    assert.equal(plan.totals.delete.files, 2);
    server.faults.add({ op: 'GetObject', bucket: BUCKET, key: `${w.prefix}d2.txt` }, { type: 'stall', ms: 10 * 60_000 }, Infinity);
    const first = w.mk();
    const running = runSync(client, plan, { manager: first, confirmLargeDelete: true });
    await until('the other downloads', () => othersDone(first, `${w.prefix}d2.txt`));
    await first.close();
    const result = await running;
    server.faults.clear();
    assert.ok(result.remainder);
    // The user edits one of the files the preview would delete.
    await fsp.writeFile(path.join(w.localDir, 'stale-b.txt'), 'b, edited since');

    const second = w.mk();
    const { r, finished } = await w.runner(second);
    for (const i of await second.restoreInterrupted()) second.resume(i.id);
    await until('the rest of the sync', () => finished.length === 1);
    await r.idle();
    const rest = finished[0]!.result;
    assert.equal(rest.delete.done, 1);
    assert.equal(rest.delete.failed, 1);
    assert.match(String(rest.failures[0]!.error), /changed after the preview/);
    assert.deepEqual((await fsp.readdir(w.localDir)).sort(), ['d0.txt', 'd1.txt', 'd2.txt', 'd3.txt', 'stale-b.txt']);
  } finally {
    await w.close();
  }
});

test('a remainder that cannot be read is set aside, logged, and deletes nothing', async () => {
  const w = await world();
  try {
    await fsp.mkdir(w.stateDir, { recursive: true });
    const bad = path.join(w.stateDir, 'remainder-0123456789abcdef01234567-b1.json');
    await fsp.writeFile(bad, '{"format":1,"batchId":"b1","files":[["x"');
    const errors: string[] = [];
    const m = w.mk();
    const runner = await SyncRemainderRunner.start({
      manager: m, stateDir: w.stateDir, clientFor: async () => client,
      log: { info: () => undefined, warn: () => undefined, error: (e) => errors.push(String(e)) },
      onFinished: () => assert.fail('nothing runs'),
    });
    await runner.close();
    const names = await fsp.readdir(w.stateDir);
    assert.equal(names.length, 1);
    assert.match(names[0]!, /^remainder-0123456789abcdef01234567-b1\.json\.corrupt-\d+$/);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /set aside and nothing of it is deleted/);
  } finally {
    await w.close();
  }
});


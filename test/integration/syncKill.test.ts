// An interrupted sync resumed in a new process sends nothing twice (issue 16): a child syncing 300
// small files in a subfolder and one multipart file (at the top, so it starts first) is SIGKILLed mid-way; a second process plans again and runs.
// Every object that was on the server at the kill stays the very same server file (no PutObject of
// it again), the big file resumes from its checkpoint (its finished parts are not sent again), and
// in the end the bucket matches the folder byte for byte.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fsp, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TransferManager } from '../../src/transfer/batch/transferManager.js';
import { listAllObjects } from '../../src/transfer/listing/listAllObjects.js';
import { remainderPath } from '../../src/transfer/sync/syncRemainder.js';
import { SyncRemainderRunner } from '../../src/transfer/sync/syncRemainderRunner.js';
import type { SyncResult } from '../../src/transfer/sync/syncTypes.js';
import { BUCKET, CREDS, startFixture, type Fixture } from './resumeFixture.js';
import type { SyncKillSpec } from './syncKillChild.js';

const SMALL = 300;
const PART = 256 * 1024;
const BIG = 24 * PART;
const CHILD = path.join(__dirname, 'syncKillChild.ts');

let fx: Fixture;
let spec: SyncKillSpec;

before(async () => {
  fx = await startFixture();
  const localDir = path.join(fx.dir, 'site');
  await fsp.mkdir(path.join(localDir, 'assets'), { recursive: true });
  for (let i = 0; i < SMALL; i++) await fsp.writeFile(path.join(localDir, 'assets', `a${String(i).padStart(3, '0')}.bin`), randomBytes(2048 + (i % 7) * 100));
  await fsp.writeFile(path.join(localDir, 'a-big.bin'), randomBytes(BIG));
  spec = { endpoint: fx.server.endpoint, ...CREDS, bucket: BUCKET, localDir, prefix: 'site/', stateDir: path.join(fx.dir, 'state'), checkpointDir: path.join(fx.dir, 'cpt'), partSize: PART };
});
after(async () => {
  await fx.close();
});

function runChild(kill?: () => boolean, childSpec: SyncKillSpec = spec): Promise<{ killed: boolean; code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { env: { ...process.env, SYNC_KILL_SPEC: JSON.stringify(childSpec) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = kill && setInterval(() => {
      if (!killed && kill()) {
        killed = true;
        child.kill('SIGKILL');
      }
    }, 2);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (timer) clearInterval(timer);
      resolve({ killed, code, out, err });
    });
  });
}

function serverFileOf(key: string): string | undefined {
  const p = fx.server.objectPath(BUCKET, key);
  if (!p) return undefined;
  const st = statSync(p);
  return `${st.ino} ${st.mtimeMs}`;
}

test('a sync killed mid-way and run again in a new process sends nothing twice and ends byte-identical', { timeout: 300_000 }, async () => {
  const stats = fx.server.stats;
  // Every request waits a little, so both the small files and the big file's parts are still under
  // way at the kill whatever the machine's load (without it one kind can finish before the other starts).
  const slowPuts = fx.server.faults.add({ op: 'PutObject' }, { type: 'stall', ms: 150 }, Infinity);
  const slowParts = fx.server.faults.add({ op: 'UploadPart' }, { type: 'stall', ms: 200 }, Infinity);
  const first = await runChild(() => stats.get('PutObject').requests >= 40 && stats.get('UploadPart').requests >= 6);
  fx.server.faults.remove(slowPuts);
  fx.server.faults.remove(slowParts);
  // Requests the child had fully sent may still land during their stall: let them, before looking.
  await new Promise((r) => setTimeout(r, 1000));
  assert.ok(first.killed, `the first run ended before the kill point (${first.code}): ${first.err}`);

  const atKill = new Map<string, string>();
  for (const o of await listAllObjects(fx.client, BUCKET, spec.prefix)) atKill.set(o.key, serverFileOf(o.key)!);
  assert.ok(atKill.size > 0 && atKill.size < SMALL, `some but not all files landed before the kill (${atKill.size})`);
  assert.ok(!atKill.has('site/a-big.bin'), 'the multipart file was not finished');
  const partsBefore = stats.get('UploadPart').requests;
  const putsBefore = stats.get('PutObject').requests;

  const second = await runChild();
  assert.equal(second.code, 0, second.err);
  const plan = JSON.parse(second.out.split('\n').find((l) => l.startsWith('PLAN '))!.slice(5)) as { upload: number; unchanged: number };
  assert.equal(plan.unchanged, atKill.size, 'what landed before the kill is planned as unchanged');
  assert.equal(plan.upload, SMALL + 1 - atKill.size);
  for (const [k, v] of atKill) assert.equal(serverFileOf(k), v, `${k} was sent again`);
  assert.equal(stats.get('PutObject').requests - putsBefore, SMALL - atKill.size, 'one PutObject per file not yet there');
  const resentParts = stats.get('UploadPart').requests - partsBefore;
  assert.ok(resentParts < BIG / PART, `the big file resumed: ${resentParts} parts sent of ${BIG / PART}`);
  assert.ok(partsBefore + resentParts <= BIG / PART + 2, `parts finished before the kill were not sent again (${partsBefore} + ${resentParts}; at most 2 were in flight)`);

  for (const o of await listAllObjects(fx.client, BUCKET, spec.prefix)) {
    const rel = o.key.slice(spec.prefix.length);
    assert.ok((await fsp.readFile(fx.server.objectPath(BUCKET, o.key)!)).equals(await fsp.readFile(path.join(spec.localDir, rel))), `${rel} differs`);
  }
  assert.equal((await listAllObjects(fx.client, BUCKET, spec.prefix)).length, SMALL + 1);
  const third = await runChild();
  assert.match(third.out, /PLAN \{"upload":0,"unchanged":301\}/, 'a third run has nothing to do');
});

test('a sync killed after every file landed but during its deletes: left alone while it lives, then finished by a window that saw it running, and an older remainder\'s dead lock is swept', { timeout: 120_000 }, async () => {
  const localDir = path.join(fx.dir, 'deleting');
  await fsp.mkdir(localDir, { recursive: true });
  for (let i = 0; i < 5; i++) await fsp.writeFile(path.join(localDir, `d${i}.txt`), `file ${i}`);
  await fx.client.putObject({ bucket: BUCKET, key: 'deleting/old.txt', body: Buffer.from('only on OSS') });
  const dSpec: SyncKillSpec = { ...spec, localDir, prefix: 'deleting/', stateDir: path.join(fx.dir, 'state-del'), checkpointDir: path.join(fx.dir, 'cpt-del'), deleteExtraneous: true };
  const remainderFiles = async () => (await fsp.readdir(dSpec.stateDir)).filter((f) => f.startsWith('remainder-')).sort();
  // Held after the first byte of its body: the delete is not carried out while the child lives, nor after it dies.
  const stall = fx.server.faults.add({ op: 'DeleteMultipleObjects' }, { type: 'stall', ms: 10 * 60_000, afterBytes: 1 }, Infinity);
  const deletes = () => fx.server.stats.get('DeleteMultipleObjects').requests;
  const before = deletes();
  const logs: string[] = [];
  const log = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string | Error) => logs.push(String(m)) };
  const windows: Array<{ manager: TransferManager; runner: SyncRemainderRunner }> = [];
  const openWindow = async (finished: SyncResult[]) => {
    const manager = new TransferManager({ clientFor: async () => fx.client, checkpointDir: path.join(fx.dir, `cpt-window-${windows.length}`), settings: () => ({ concurrentFiles: 4, disableCheckpoint: false }) });
    const runner = await SyncRemainderRunner.start({ manager, stateDir: dSpec.stateDir, clientFor: async () => fx.client, log, onFinished: (_f, r) => finished.push(r) });
    windows.push({ manager, runner });
    return runner;
  };
  try {
    let seenLive = false;
    const finished: SyncResult[] = [];
    const first = await runChild(() => {
      if (deletes() === before) return false;
      // The child is in its deletes, every file landed: a window opening now leaves its rest alone.
      if (!seenLive) {
        seenLive = true;
        void openWindow(finished);
        return false;
      }
      return logs.some((m) => m.includes('another window is running the rest'));
    }, dSpec);
    assert.ok(first.killed, `the child ended before the kill (${first.code}): ${first.err} ${first.out}`);
    fx.server.faults.remove(stall);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(finished.length, 0, 'the window that saw the child running has not run its rest');
    assert.ok((await listAllObjects(fx.client, BUCKET, 'deleting/')).some((o) => o.key === 'deleting/old.txt'), 'nothing was deleted yet');
    assert.equal((await remainderFiles()).filter((f) => f.endsWith('.json')).length, 1, 'the rest of the sync is written down');

    // That window asks again on its save timer: the dead child's lock is taken over and the approved delete runs.
    const end = Date.now() + 30_000;
    while (finished.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    await windows[0]!.runner.idle();
    assert.equal(finished.length, 1, `the rest of the sync ran: ${logs.join(' | ')}`);
    assert.equal(finished[0]!.delete.done, 1);
    assert.equal(finished[0]!.upload.done, 5);
    const keys = (await listAllObjects(fx.client, BUCKET, 'deleting/')).map((o) => o.key).sort();
    assert.deepEqual(keys, ['deleting/d0.txt', 'deleting/d1.txt', 'deleting/d2.txt', 'deleting/d3.txt', 'deleting/d4.txt']);
    assert.deepEqual(await remainderFiles(), [], 'no remainder and no lock are left');
    assert.ok(logs.some((m) => m.includes('deleting') || m.includes('Sync')), 'the runner said what it did');

    // A remainder of the pair left with a dead holder's lock (a kill mid-sync): the next sync of the
    // pair replaces the remainder and sweeps the lock.
    const pair = { endpoint: fx.server.endpoint, bucket: BUCKET, prefix: dSpec.prefix, localDir: path.resolve(localDir) };
    const stale = remainderPath(dSpec.stateDir, pair, 'oldbatch');
    await fsp.writeFile(stale, '{}');
    await fsp.writeFile(`${stale}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, hostname: os.hostname(), token: 'dead', acquiredAt: new Date(0).toISOString() }));
    await fsp.writeFile(path.join(localDir, 'd5.txt'), 'one more');
    const again = await runChild(undefined, { ...dSpec, deleteExtraneous: false });
    assert.equal(again.code, 0, again.err);
    assert.deepEqual(await remainderFiles(), [], 'the older remainder and its dead lock are gone');
  } finally {
    fx.server.faults.remove(stall);
    for (const w of windows) {
      await w.runner.close();
      await w.manager.close();
    }
  }
});

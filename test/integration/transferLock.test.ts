// Two processes on one checkpoint (two VS Code windows): while a child process holds a
// transfer's lock, this process may neither run that transfer nor discard it; once the child is
// SIGKILLed its lock is stale and taken over. No lock file is left behind by any run here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { checkpointLockPath } from '../../src/transfer/checkpoint/checkpointStore.js';
import { discardTransfer, isTransferError, listCheckpoints, resumableDownload, resumableUpload } from '../../src/transfer/index.js';
import { acquireTransferLock } from '../../src/transfer/locking/transferLock.js';
import { BUCKET, exists, listDir, makeFile, startFixture, type Fixture } from './resumeFixture.js';

const CHILD = path.join(__dirname, 'lockChild.ts');
const PART = 100 * 1024;
let fx: Fixture;

before(async () => {
  fx = await startFixture();
});
after(async () => {
  await fx.close();
});

/** A child holding the lock of `cpt`, once it says it took it. */
async function childHolding(cpt: string): Promise<{ child: ChildProcess; kill: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, LOCK_CHILD_CPT: cpt },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(`LOCKED ${child.pid}\n`)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`lock child exited (${code}) before locking: ${stderr}`)));
  });
  return {
    child,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function refusedBy(pid: number): (err: unknown) => boolean {
  return (err) => isTransferError(err, 'AlreadyRunning') && err.message.includes(`another process (pid ${pid}) is running`);
}

test('a lock held by another process refuses this one; once that process is killed its lock is taken over', async (t) => {
  const cpt = path.join(fx.dir, 'two-windows', 'x.cpt');
  const held = await childHolding(cpt);
  t.after(() => held.kill());
  assert.throws(() => acquireTransferLock(cpt, { lockFile: checkpointLockPath(cpt) }), refusedBy(held.child.pid!));
  await held.kill();
  const release = acquireTransferLock(cpt, { lockFile: checkpointLockPath(cpt) });
  assert.equal(JSON.parse(await fsp.readFile(checkpointLockPath(cpt), 'utf8')).pid, process.pid);
  release();
  assert.deepEqual(await listDir(path.dirname(cpt)), []);
});

test('an upload or download whose checkpoint another process holds is refused before touching anything', async (t) => {
  const file = path.join(fx.dir, 'held', 'up.bin');
  await makeFile(file, 3 * PART);
  const cptFile = path.join(fx.dir, 'held', 'shared.cpt');
  const held = await childHolding(cptFile);
  t.after(() => held.kill());
  const requests = (): number => fx.server.stats.total().requests;
  const before = requests();
  await assert.rejects(resumableUpload(fx.client, { bucket: BUCKET, key: 'held/up.bin', file, partSize: PART, cptFile }), refusedBy(held.child.pid!));
  const dest = path.join(fx.dir, 'held', 'down.bin');
  await assert.rejects(resumableDownload(fx.client, { bucket: BUCKET, key: 'held/up.bin', file: dest, partSize: PART, cptFile }), refusedBy(held.child.pid!));
  assert.equal(requests(), before, 'no request was made');
  assert.deepEqual(await listDir(path.dirname(file)), ['shared.cpt.lock', 'up.bin']);

  // The other window dies; this one runs the transfer, and leaves neither checkpoint nor lock.
  await held.kill();
  const r = await resumableUpload(fx.client, { bucket: BUCKET, key: 'held/up.bin', file, partSize: PART, cptFile });
  assert.equal(r.size, 3 * PART);
  assert.deepEqual(await listDir(path.dirname(file)), ['up.bin']);
});

test('discard refuses a transfer another process runs, and listing keeps its lock but sweeps a dead one', async (t) => {
  const cptDir = path.join(fx.dir, 'admin');
  const file = path.join(fx.dir, 'admin-src', 'a.bin');
  await makeFile(file, 5 * PART + 1);
  // An interrupted upload: its checkpoint stays in cptDir.
  const deny = fx.server.faults.add({ op: 'UploadPart', key: 'admin/a.bin', partNumber: 3 }, { type: 'status', status: 403, code: 'AccessDenied' }, Infinity);
  await assert.rejects(resumableUpload(fx.client, { bucket: BUCKET, key: 'admin/a.bin', file, partSize: PART, parallel: 1, checkpointDir: cptDir }));
  fx.server.faults.remove(deny);
  const [cpt] = (await listCheckpoints(cptDir)).valid;
  assert.ok(cpt);
  assert.deepEqual(await listDir(cptDir), [path.basename(cpt.path)], 'the failed run left its checkpoint and no lock');

  const held = await childHolding(cpt.path);
  t.after(() => held.kill());
  fx.server.stats.reset();
  await assert.rejects(discardTransfer(fx.client, cpt.path), refusedBy(held.child.pid!));
  assert.ok(await exists(cpt.path), 'the running transfer keeps its checkpoint');
  const listed = await listCheckpoints(cptDir);
  assert.deepEqual(listed.valid.map((v) => v.path), [cpt.path], 'the lock file is not listed as a checkpoint');
  assert.deepEqual(listed.invalid, []);
  assert.ok(await exists(checkpointLockPath(cpt.path)), 'a live lock is kept');

  await held.kill();
  await listCheckpoints(cptDir);
  assert.equal(await exists(checkpointLockPath(cpt.path)), false, 'the dead process lock is swept by listing');
  await discardTransfer(fx.client, cpt.path);
  assert.deepEqual(await listDir(cptDir), []);
  assert.equal(fx.server.stats.get('AbortMultipartUpload').requests, 1, 'the discard aborted the upload');
});

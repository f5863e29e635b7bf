import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import * as path from 'node:path';
import { takeOver } from '../../src/transfer/locking/processLockFile.js';
import { acquireTransferLock } from '../../src/transfer/locking/transferLock.js';
import { processStartTicks } from '../../src/transfer/locking/processLiveness.js';
import { isTransferError } from '../../src/transfer/transferError.js';

async function lockPath(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lock-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return path.join(dir, 'x.cpt.lock');
}

const owner = (o: Record<string, unknown>): string =>
  JSON.stringify({ pid: process.pid, hostname: hostname(), token: '0123456789abcdef', acquiredAt: '2026-01-01T00:00:00.000Z', ...o });

function refused(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isTransferError(err, 'AlreadyRunning'), String(err));
    assert.match(err.message, message);
    return true;
  });
}

test('in-process: a second run of the same id is refused until the first releases', () => {
  const release = acquireTransferLock('in-process-id');
  refused(() => acquireTransferLock('in-process-id'), /already running in this process/);
  release();
  release(); // twice: harmless
  acquireTransferLock('in-process-id')();
});

test('the lock file names this process, and release removes it', async (t) => {
  const file = await lockPath(t);
  const release = acquireTransferLock('file-1', { lockFile: file });
  const held = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(held.pid, process.pid);
  assert.equal(held.hostname, hostname());
  assert.match(held.token, /^[0-9a-f]{16}$/);
  assert.ok(!Number.isNaN(Date.parse(held.acquiredAt)));
  assert.deepEqual(Object.keys(held).filter((k) => !['pid', 'hostname', 'token', 'acquiredAt', 'procStart'].includes(k)), []);
  // Another in-process id on the same file (e.g. a discard) is refused by the file itself.
  refused(() => acquireTransferLock('file-1b', { lockFile: file }), new RegExp(`pid ${process.pid}\\)`));
  release();
  assert.equal(existsSync(file), false);
  // The failed attempt above did not leave its id behind.
  acquireTransferLock('file-1b')();
});

test('a lock left by a process that is gone is taken over', async (t) => {
  const file = await lockPath(t);
  const dead = spawnSync(process.execPath, ['-e', '']).pid;
  writeFileSync(file, owner({ pid: dead }));
  const release = acquireTransferLock('file-2', { lockFile: file });
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).pid, process.pid);
  release();
  assert.equal(existsSync(file), false);
});

test('a lock naming this pid but not held by this process (an earlier process, same pid) is stale', async (t) => {
  const file = await lockPath(t);
  writeFileSync(file, owner({}));
  acquireTransferLock('file-3', { lockFile: file })();
  assert.equal(existsSync(file), false);
});

test('a live holder on this host is respected, with its pid in the message', async (t) => {
  const file = await lockPath(t);
  const live = process.ppid; // the test runner
  writeFileSync(file, owner({ pid: live, procStart: processStartTicks(live) }));
  refused(() => acquireTransferLock('file-4', { lockFile: file }), new RegExp(`another process \\(pid ${live}\\) is running`));
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).pid, live, 'left in place');
});

test('a live pid that started at another time is a reused pid: the lock is stale (Linux)', async (t) => {
  if (processStartTicks('self') === undefined) return t.skip('no /proc here');
  const file = await lockPath(t);
  writeFileSync(file, owner({ pid: process.ppid, procStart: '1' }));
  acquireTransferLock('file-5', { lockFile: file })();
  assert.equal(existsSync(file), false);
});

test('a holder on another host cannot be checked: refused, saying which host and how to clear it', async (t) => {
  const file = await lockPath(t);
  writeFileSync(file, owner({ hostname: 'other-machine', pid: 4242 }));
  assert.throws(
    () => acquireTransferLock('file-6', { lockFile: file }),
    (err: unknown) =>
      isTransferError(err, 'AlreadyRunning') && /other-machine \(pid 4242\)/.test(err.message) && err.nextStep.includes(`delete ${file}`),
  );
});

test('an unreadable lock is being created right now while young, and a crash leftover once old', async (t) => {
  const file = await lockPath(t);
  writeFileSync(file, '');
  refused(() => acquireTransferLock('file-7', { lockFile: file }), /is being written/);
  const old = new Date(Date.now() - 60_000);
  utimesSync(file, old, old);
  acquireTransferLock('file-7', { lockFile: file })();
  assert.equal(existsSync(file), false);
});

test('release leaves a lock that is no longer ours alone', async (t) => {
  const file = await lockPath(t);
  const release = acquireTransferLock('file-8', { lockFile: file });
  const other = owner({ pid: process.ppid, token: 'ffffffffffffffff' });
  writeFileSync(file, other);
  release();
  assert.equal(readFileSync(file, 'utf8'), other);
});

test('folders the lock had to create are removed on release unless something else was put there', async (t) => {
  const top = path.join(path.dirname(await lockPath(t)), 'new');
  const file = path.join(top, 'deeper', 'x.cpt.lock');
  acquireTransferLock('file-11', { lockFile: file })();
  assert.equal(existsSync(top), false, 'nothing left of a run that wrote nothing');
  const release = acquireTransferLock('file-11', { lockFile: file });
  writeFileSync(path.join(top, 'deeper', 'x.cpt'), '{}'); // the run's checkpoint
  release();
  assert.deepEqual(readdirSync(path.join(top, 'deeper')), ['x.cpt']);
});

test('a lock file that cannot be created is a local I/O error, not AlreadyRunning', async (t) => {
  const file = await lockPath(t);
  writeFileSync(path.dirname(path.dirname(file)) + '/blocker', '');
  const blocked = path.join(path.dirname(path.dirname(file)), 'blocker', 'x.cpt.lock'); // a file where a folder should be
  assert.throws(() => acquireTransferLock('file-9', { lockFile: blocked }), (err: unknown) => isTransferError(err) && err.code !== 'AlreadyRunning');
  acquireTransferLock('file-9')(); // the id was given back
});

test('a folder that cannot be written to keeps the in-process lock only (no checkpoint can be written there either)', async (t) => {
  const file = await lockPath(t);
  const dir = path.dirname(file);
  // Root writes through permissions; an immutable folder (EPERM) stops it too (ext4, xfs, btrfs).
  const root = process.getuid?.() === 0;
  if (root && spawnSync('chattr', ['+i', dir]).status !== 0) return t.skip('root, and no chattr +i on this file system');
  if (!root) chmodSync(dir, 0o500);
  try {
    const release = acquireTransferLock('file-10', { lockFile: file });
    assert.equal(existsSync(file), false);
    refused(() => acquireTransferLock('file-10', { lockFile: file }), /in this process/);
    release();
  } finally {
    // Writable again before the temp folder is removed.
    if (root) spawnSync('chattr', ['-i', dir]);
    else chmodSync(dir, 0o700);
  }
});

test('without a start time to compare (Windows, macOS), a live pid is trusted only while its lock is refreshed', async (t) => {
  const file = await lockPath(t);
  const live = process.ppid; // alive, but perhaps an unrelated process that got a dead holder's pid
  writeFileSync(file, owner({ pid: live })); // no procStart, as written on those systems
  refused(() => acquireTransferLock('file-13', { lockFile: file }), new RegExp(`another process \\(pid ${live}\\)`));
  const old = new Date(Date.now() - 11 * 60_000);
  utimesSync(file, old, old);
  acquireTransferLock('file-13', { lockFile: file })();
  assert.equal(existsSync(file), false, 'the unrefreshed lock was taken over and released');
});

test('a lock from another host that its holder stopped refreshing is stale; a held lock is refreshed', async (t) => {
  const file = await lockPath(t);
  writeFileSync(file, owner({ hostname: 'renamed-or-gone', pid: 4242 }));
  const old = new Date(Date.now() - 11 * 60_000);
  utimesSync(file, old, old);
  // A short heartbeat and real timers (node:test's MockTimers print an ExperimentalWarning on Node 20).
  const release = acquireTransferLock('file-12', { lockFile: file, heartbeatMs: 20 });
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).pid, process.pid, 'taken over');
  utimesSync(file, old, old);
  for (let i = 0; i < 500 && Date.now() - statSync(file).mtimeMs >= 60_000; i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(Date.now() - statSync(file).mtimeMs < 60_000, 'the heartbeat refreshed it');
  release();
  assert.equal(existsSync(file), false);
});

test('a takeover never removes a lock that changed since it was judged stale (two takers at once)', async (t) => {
  const file = await lockPath(t);
  const stale = owner({ pid: spawnSync(process.execPath, ['-e', '']).pid });
  // The other taker was quicker: it removed the stale lock and created its own.
  const fresh = owner({ pid: process.ppid, token: 'aaaaaaaaaaaaaaaa' });
  writeFileSync(file, fresh);
  takeOver(file, stale);
  assert.equal(readFileSync(file, 'utf8'), fresh, 'put back');
  takeOver(file, fresh);
  assert.equal(existsSync(file), false, 'removed when it is the one judged');
  assert.deepEqual(readdirSync(path.dirname(file)), [], 'nothing moved aside is left');
});

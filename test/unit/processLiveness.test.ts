import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { STALE_CLAIM_MS, ownerAlive, processAlive, processStartTicks, thisProcess } from '../../src/transfer/locking/processLiveness.js';

test('this process and its parent are alive; an exited child and nonsense pids are not', () => {
  assert.equal(processAlive(process.pid), true);
  assert.equal(processAlive(process.ppid), true);
  assert.equal(processAlive(spawnSync(process.execPath, ['-e', '']).pid), false);
  for (const bad of [0, -1, 1.5, Number.NaN]) assert.equal(processAlive(bad), false);
});

test('start ticks tell a process from a later one with the same pid (Linux)', (t) => {
  if (!existsSync('/proc/self/stat')) return t.skip('no /proc here');
  const mine = processStartTicks('self');
  assert.match(mine ?? '', /^\d+$/);
  assert.equal(processStartTicks(process.pid), mine);
  assert.notEqual(processStartTicks(process.ppid), undefined);
  assert.equal(processStartTicks(spawnSync(process.execPath, ['-e', '']).pid), undefined);
});

test('a zombie (exited, not reaped by its parent) is not alive (Linux)', async (t) => {
  if (!existsSync('/proc/self/stat')) return t.skip('no /proc here');
  // The shell starts a short sleep in the background and becomes `sleep 5`, which never reaps it.
  // The child must outlive the shell part: a shell may reap a child that ended before its exec
  // (with `sleep 0` it sometimes did, and the test then found no process at all).
  const parent = spawn('sh', ['-c', 'sleep 0.3 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
  t.after(() => parent.kill('SIGKILL'));
  const pid = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(d.toString()))));
  const state = (): string | undefined => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    } catch {
      return undefined;
    }
  };
  for (let i = 0; i < 500 && state() !== 'Z'; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(state(), 'Z', 'the child became a zombie');
  assert.equal(processAlive(pid), false);
});

/** A child that has exited but that its parent (`sleep`) never reaps, and its start ticks. */
async function zombie(t: { after(fn: () => void): void }): Promise<{ pid: number; procStart: string }> {
  const parent = spawn('sh', ['-c', 'sleep 0.3 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
  t.after(() => parent.kill('SIGKILL'));
  const pid = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(d.toString()))));
  const procStart = processStartTicks(pid);
  assert.ok(procStart, 'read while it still runs');
  const stat = (): string => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return '';
    }
  };
  for (let i = 0; i < 500 && stat().split(') ')[1]?.[0] !== 'Z'; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(stat().split(') ')[1]?.[0], 'Z', 'the child became a zombie');
  return { pid, procStart };
}

const FRESH = { ageMs: 1_000, heartbeat: false };
const OLD = { ageMs: STALE_CLAIM_MS + 1, heartbeat: false };

test('ownerAlive: this process as it describes itself is alive, fresh or old', () => {
  const me = thisProcess();
  assert.equal(me.pid, process.pid);
  assert.equal(me.hostname, hostname());
  assert.equal(ownerAlive(me, FRESH), true);
  assert.equal(ownerAlive(me, OLD), true);
  assert.equal(ownerAlive(me, { ...OLD, heartbeat: true }), true);
});

test('ownerAlive: a live pid that started at another time is an unrelated process: dead (Linux)', (t) => {
  if (!existsSync('/proc/self/stat')) return t.skip('no /proc here');
  // The parent runs, but it is not the process that wrote this claim: that one started at tick 1.
  const reused = { pid: process.ppid, hostname: hostname(), procStart: '1' };
  assert.equal(processAlive(reused.pid), true);
  assert.equal(ownerAlive(reused, FRESH), false);
  assert.equal(ownerAlive({ ...reused, procStart: processStartTicks(process.ppid)! }, OLD), true, 'the same start: the very process');
});

test('ownerAlive: a zombie is dead even with its own start time (Linux)', async (t) => {
  if (!existsSync('/proc/self/stat')) return t.skip('no /proc here');
  const z = await zombie(t);
  assert.equal(ownerAlive({ pid: z.pid, hostname: hostname(), procStart: z.procStart }, FRESH), false);
  assert.equal(ownerAlive({ pid: z.pid }, FRESH), false);
});

test('ownerAlive: another host cannot be checked from here: alive while its claim is fresh', () => {
  const far = { pid: process.pid, hostname: `${hostname()}-elsewhere`, procStart: '1' };
  assert.equal(ownerAlive(far, FRESH), true);
  assert.equal(ownerAlive(far, OLD), false);
  const gone = spawnSync(process.execPath, ['-e', '']).pid;
  assert.equal(ownerAlive({ ...far, pid: gone }, FRESH), true, 'its pid says nothing about a process over there');
});

test('ownerAlive: without a start time to compare, an old-style claim goes by its pid; a heartbeat claim also by its age', () => {
  const gone = spawnSync(process.execPath, ['-e', '']).pid;
  // Journal records written before the start time and host were kept: judged as before, by pid.
  assert.equal(ownerAlive({ pid: process.ppid }, OLD), true);
  assert.equal(ownerAlive({ pid: gone }, FRESH), false);
  for (const bad of [0, -1, 1.5, Number.NaN]) assert.equal(ownerAlive({ pid: bad }, FRESH), false);
  // A lock (heartbeat) whose holder's start cannot be read (Windows, macOS) counts while refreshed.
  assert.equal(ownerAlive({ pid: process.ppid, hostname: hostname() }, { ageMs: 1_000, heartbeat: true }), true);
  assert.equal(ownerAlive({ pid: process.ppid, hostname: hostname() }, { ageMs: STALE_CLAIM_MS + 1, heartbeat: true }), false);
});

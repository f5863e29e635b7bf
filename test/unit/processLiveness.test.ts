import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { processAlive, processStartTicks } from '../../src/transfer/locking/processLiveness.js';

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

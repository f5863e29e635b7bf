// Issue 17 (pause is honest) and the issue 19 polish item "speed and ETA must agree": the Transfers UI
// wired to a real TransferManager (scripted engine) under a fake `vscode`, on a clock the test moves.
// A paused transfer shows what its checkpoint keeps, with neither a speed nor a time left, and its
// figure does not fall back on Resume; the row, the notification and the status bar show one speed.
import { after, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OssClient } from '../../src/oss/index.js';
import type { TransferItem } from '../../src/transfer/batch/transferTypes.js';
import { BatchProgress } from '../../src/vscode/presentation/batchProgress.js';
import { STALLED_MS, TransferSpeeds } from '../../src/vscode/presentation/transferSpeeds.js';
import { describeRow, progressMessage } from '../../src/vscode/presentation/transferText.js';
import { installFakeVscode, recorder } from './support/fakeVscodeTransfers.js';
import { ScriptedEngine } from './support/scriptedEngine.js';

installFakeVscode();

const MB = 1024 * 1024;
/** A speed as the UI writes it, whatever the units ("6.5 MB/s", "6.5 MiB/s"). */
const SPEED = /\d+(?:\.\d+)? [KMG]i?B\/s|\d+ B\/s/;
const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await fsp.rm(d, { recursive: true, force: true });
});
beforeEach(() => recorder.reset());

function waitFor(cond: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const end = Date.now() + 10_000;
    const check = (): void => {
      if (cond()) return resolve();
      if (Date.now() > end) return reject(new Error(`gave up waiting for ${what}`));
      setTimeout(check, 5);
    };
    check();
  });
}

async function setup(t: { after(fn: () => unknown): void }) {
  const { TransferManager } = await import('../../src/transfer/batch/transferManager.js');
  const { registerTransfers } = await import('../../src/vscode/transfers/registerTransfers.js');
  const { Logger } = await import('../../src/vscode/logger.js');
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pause-ui-'));
  dirs.push(dir);
  const eng = new ScriptedEngine();
  const channel = { trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, show: () => {} };
  const manager = new TransferManager({
    clientFor: async () => ({ endpoint: 'http://fake.invalid' }) as unknown as OssClient,
    checkpointDir: path.join(dir, 'checkpoints'),
    settings: () => ({ concurrentFiles: 3, disableCheckpoint: false }),
    engine: eng.engine,
  });
  let now = 1_000_000;
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  const ui = registerTransfers({ subscriptions: [] } as never, manager, new Logger(channel as never), { now: clock.now });
  t.after(async () => {
    ui.dispose();
    await manager.close();
  });
  return { manager, ui, eng, clock };
}

/** The three places a speed shows, as they read now (the row is drawn afresh, as VS Code would). */
function shownSpeeds(id: string): { notification: string; statusBar: string; row: string } {
  const tree = recorder.treeProvider!;
  tree.getChildren();
  const row = tree.getTreeItem(id).description as string;
  return {
    notification: recorder.progress[0]!.reports.at(-1)?.message ?? '',
    statusBar: recorder.statusBar?.visible ? recorder.statusBar.text : '',
    row,
  };
}

const speedIn = (s: string): string | undefined => SPEED.exec(s)?.[0];

test('row, notification and status bar show one speed, also right after Resume; paused shows kept bytes and no speed or time left', async (t) => {
  const { manager, ui, eng, clock } = await setup(t);
  const total = 100 * MB;
  const done = ui.runBatch('Download big.bin', [{ direction: 'download', profileId: 'p', bucket: 'b', key: 'v/big.bin', file: path.join(os.tmpdir(), 'big.bin'), size: total }]);
  await eng.waitCalls(1);
  const id = manager.items()[0]!.id;
  const call = eng.calls[0]!;
  call.progress(0, total, 0);
  await new Promise((r) => setTimeout(r, 300)); // every place has looked once at 0 bytes
  call.progress(10 * MB, total, 0);
  clock.advance(1000);
  await waitFor(() => Object.values(shownSpeeds(id)).every((s) => speedIn(s)), 'a speed in all three places');
  let shown = shownSpeeds(id);
  assert.equal(speedIn(shown.row), speedIn(shown.notification), JSON.stringify(shown));
  assert.equal(speedIn(shown.statusBar), speedIn(shown.notification), JSON.stringify(shown));
  assert.match(shown.row, /10\.0 [KMG]i?B\/s/);

  // More arrives than the checkpoint holds yet: paused, the row shows what is kept.
  call.progress(40 * MB, total, 30 * MB);
  clock.advance(1000);
  manager.pause(id);
  await waitFor(() => manager.get(id)!.state === 'paused', 'pause');
  assert.equal(manager.get(id)!.transferredBytes, 30 * MB, 'a paused transfer has what its checkpoint keeps');
  clock.advance(60_000); // a long pause
  await waitFor(() => /paused/.test(recorder.progress[0]!.reports.at(-1)?.message ?? ''), 'the notification to say paused');
  shown = shownSpeeds(id);
  assert.match(shown.notification, /· paused$/);
  assert.doesNotMatch(shown.notification, /\/s|left/, 'no speed and no time left while paused');
  assert.match(shown.row, /^↓ Paused · kept 30% of 100 [KMG]i?B · to /);
  await waitFor(() => !recorder.statusBar!.visible, 'the status bar to hide: nothing moves');

  // Resume: the engine starts from what the checkpoint kept, and moves at 6.5 MB/s.
  manager.resume(id);
  await eng.waitCalls(2);
  const again = eng.calls[1]!;
  again.progress(30 * MB, total, 30 * MB);
  await new Promise((r) => setTimeout(r, 300));
  again.progress(30 * MB + 6.5 * MB, total, 30 * MB);
  clock.advance(1000);
  await waitFor(() => Object.values(shownSpeeds(id)).every((s) => speedIn(s)), 'a speed in all three places after Resume');
  shown = shownSpeeds(id);
  assert.match(shown.row, /^↓ 36% · /, 'from the kept 30%, never below it');
  assert.equal(speedIn(shown.row), speedIn(shown.notification), JSON.stringify(shown));
  assert.equal(speedIn(shown.statusBar), speedIn(shown.notification), JSON.stringify(shown));
  assert.match(shown.row, /6\.5 [KMG]i?B\/s/);
  again.finish(total);
  assert.equal((await done).done.length, 1);
});

function item(id: string, state: TransferItem['state'], transferredBytes: number, extra: Partial<TransferItem> = {}): TransferItem {
  return {
    id,
    spec: { direction: 'upload', profileId: 'p', bucket: 'b', key: `k/${id}.bin`, file: `/tmp/${id}.bin` },
    state,
    transferredBytes,
    totalBytes: 100 * MB,
    bytesPerSecond: 0,
    ...extra,
  };
}

test('a batch with nothing moving says paused with neither speed nor time left; a running file\'s time left ignores the paused one', () => {
  let now = 0;
  const speeds = new TransferSpeeds({ now: () => now });
  const bp = new BatchProgress({ now: () => now, minIntervalMs: 0, speeds });
  bp.sample([item('a', 'running', 0), item('b', 'running', 0)]);
  now = 1000;
  const moving = bp.sample([item('a', 'running', 10 * MB), item('b', 'running', 20 * MB)])!;
  assert.equal(moving.bytesPerSecond, 30 * MB, 'the sum of the files\' speeds');
  assert.equal(moving.bytesPerSecond, speeds.speedOf('a') + speeds.speedOf('b'));
  now = 2000;
  // b paused: the batch moves at a's speed, and the time left is a's rest, not b's too.
  const mixed = bp.sample([item('a', 'running', 20 * MB), item('b', 'paused', 20 * MB, { keptBytes: 20 * MB })])!;
  assert.equal(speeds.speedOf('b'), 0);
  assert.ok(mixed.bytesPerSecond > 0);
  assert.equal(mixed.etaSeconds, Math.ceil((80 * MB) / mixed.bytesPerSecond));
  assert.match(progressMessage(mixed, 2), / · 1 paused$/);
  now = 3000;
  const halted = bp.sample([item('a', 'paused', 25 * MB), item('b', 'paused', 20 * MB)])!;
  assert.equal(halted.bytesPerSecond, 0);
  assert.equal(halted.etaSeconds, undefined);
  assert.match(progressMessage(halted, 2), /^45\.0 [KMG]i?B of 200 [KMG]i?B · 2 paused$/);
  assert.doesNotMatch(progressMessage(halted, 1), /\/s|left/);
  assert.match(progressMessage(halted, 1), / · paused$/);
});

test('a stopped row says what its checkpoint keeps: an upload re-sends its part in flight, so "kept"', () => {
  assert.match(describeRow(item('u', 'paused', 63 * MB, { keptBytes: 63 * MB })), /^↑ Paused · kept 63% of 100 [KMG]i?B$/);
  const dl = { ...item('d', 'interrupted', 41 * MB, { keptBytes: 41 * MB }), spec: { ...item('d', 'paused', 0).spec, direction: 'download' as const } };
  assert.match(describeRow(dl), /^↓ Interrupted · kept 41% of 100 [KMG]i?B$/);
  assert.match(describeRow(item('c', 'cancelled', 5 * MB, { keptBytes: 5 * MB })), /^↑ Cancelled · kept 5% of /);
});

test('one transfer\'s speed: measured over half a second at least, decays in a stall, gone when it stops, fresh when it runs again', () => {
  let now = 0;
  const s = new TransferSpeeds({ now: () => now, smoothingMs: 1000 });
  s.observe([item('a', 'running', 0)]);
  now = 200;
  s.observe([item('a', 'running', 5 * MB)]);
  assert.equal(s.speedOf('a'), 0, 'one burst of a report is not a speed yet');
  now = 1000;
  s.observe([item('a', 'running', 5 * MB)]);
  assert.equal(s.speedOf('a'), 5 * MB);
  assert.equal(s.etaOf(item('a', 'running', 5 * MB)), 19);
  now = 6000; // nothing for 5 s
  s.observe([item('a', 'running', 5 * MB)]);
  assert.ok(s.speedOf('a') < (5 * MB) / 10 && s.speedOf('a') > 0, `decayed: ${s.speedOf('a')}`);
  now = 1000 + STALLED_MS; // nothing since the last byte, STALLED_MS ago
  s.observe([item('a', 'running', 5 * MB)]);
  assert.equal(s.speedOf('a'), 0, 'stalled: no speed');
  assert.equal(s.etaOf(item('a', 'running', 5 * MB)), undefined, 'and no time left');
  s.observe([item('a', 'paused', 5 * MB)]);
  assert.equal(s.speedOf('a'), 0);
  assert.equal(s.etaOf(item('a', 'paused', 5 * MB)), undefined);
  now = 7000;
  s.observe([item('a', 'running', 5 * MB)]);
  now = 8000;
  s.observe([item('a', 'running', 7 * MB)]);
  assert.equal(s.speedOf('a'), 2 * MB, 'measured afresh after the pause, not dragged down by it');
});

test('a running row is redrawn on the clock only when its words change: a stall takes its speed away, a steady row stays still under the mouse', async (t) => {
  const { manager, ui, eng, clock } = await setup(t);
  const total = 100 * MB;
  void ui.runBatch('Download big.bin', [{ direction: 'download', profileId: 'p', bucket: 'b', key: 'v/big.bin', file: path.join(os.tmpdir(), 'big.bin'), size: total }]);
  await eng.waitCalls(1);
  const id = manager.items()[0]!.id;
  const tree = recorder.treeProvider as unknown as { getChildren(): unknown; getTreeItem(id: string): { description?: string }; onDidChangeTreeData(l: () => void): unknown };
  let redraws = 0;
  tree.onDidChangeTreeData(() => redraws++);
  eng.calls[0]!.progress(0, total);
  await new Promise((r) => setTimeout(r, 300));
  tree.getChildren();
  eng.calls[0]!.progress(10 * MB, total);
  clock.advance(1000);
  await new Promise((r) => setTimeout(r, 400)); // the event's redraw
  tree.getChildren();
  assert.match(tree.getTreeItem(id).description!, SPEED);
  // Nothing arrives and the clock stands still: the row would read the same, so it is not redrawn.
  redraws = 0;
  await new Promise((r) => setTimeout(r, 800));
  assert.equal(redraws, 0, 'no redraw while the words stay the same');
  // Ten seconds without a byte: stalled, no speed and no time left; one redraw says so.
  clock.advance(10_000);
  await waitFor(() => redraws > 0, 'the stalled row to be redrawn');
  tree.getChildren();
  assert.doesNotMatch(tree.getTreeItem(id).description!, /\/s|left/);
  assert.match(tree.getTreeItem(id).description!, /^↓ 10% · 10\.0 [KMG]i?B of 100 [KMG]i?B · to /);
  redraws = 0;
  await new Promise((r) => setTimeout(r, 800));
  assert.equal(redraws, 0, 'and then it stays still');
  eng.calls[0]!.finish(total);
});

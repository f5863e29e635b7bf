// The Transfers UI wired to a real TransferManager (scripted engine) under a fake `vscode`: the
// per-batch notification's increments, Cancel of one batch, outcome notices and their actions,
// the status bar, the tree's rows and the "Resume all" offer for restored transfers.
import { after, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OssClient } from '../../src/oss/index.js';
import type { TransferManager as TM } from '../../src/transfer/batch/transferManager.js';
import type { TransferSpec } from '../../src/transfer/batch/transferTypes.js';
import { installFakeVscode, MarkdownString, recorder, type Shown } from './support/fakeVscodeTransfers.js';
import { ScriptedEngine } from './support/scriptedEngine.js';

installFakeVscode();

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await fsp.rm(d, { recursive: true, force: true });
});

beforeEach(() => recorder.reset());

async function setup(t: { after(fn: () => unknown): void }, cptDir?: string) {
  const { TransferManager } = await import('../../src/transfer/batch/transferManager.js');
  const { registerTransfers } = await import('../../src/vscode/transfers/registerTransfers.js');
  const { Logger } = await import('../../src/vscode/logger.js');
  if (!cptDir) {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'ui-'));
    dirs.push(dir);
    cptDir = path.join(dir, 'checkpoints');
  }
  const eng = new ScriptedEngine();
  const lines: string[] = [];
  const channel = { trace: () => {}, debug: () => {}, info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m), show: () => {} };
  const log = new Logger(channel as never);
  const mk = (): TM =>
    new TransferManager({
      clientFor: async () => ({ endpoint: 'http://fake.invalid', abortMultipartUpload: async () => undefined }) as unknown as OssClient,
      checkpointDir: cptDir!,
      settings: () => ({ concurrentFiles: 3, disableCheckpoint: false }),
      engine: eng.engine,
    });
  const manager = mk();
  const context = { subscriptions: [] as Array<{ dispose(): unknown }> };
  const ui = registerTransfers(context as never, manager, log);
  t.after(async () => {
    ui.dispose();
    await manager.close();
  });
  return { manager, ui, eng, lines, cptDir, mk };
}

function spec(key: string, size = 1000, direction: 'upload' | 'download' = 'upload'): TransferSpec {
  return { direction, profileId: 'p', bucket: 'bkt', key, file: path.join(os.tmpdir(), 'ui-src', path.basename(key)), size };
}

function waitFor(cond: () => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let n = 0;
    const check = (): void => {
      if (cond()) return resolve();
      if (++n > 3000) return reject(new Error(`gave up waiting for ${what}`));
      setTimeout(check, 2);
    };
    check();
  });
}

const sumIncrements = (reports: Array<{ increment?: number }>): number => reports.reduce((s, r) => s + (r.increment ?? 0), 0);

test('one notification per batch: increments are deltas that add up to exactly 100, with bytes and file in the message', async (t) => {
  const { ui, eng, manager } = await setup(t);
  const done = ui.runBatch('Upload 2 files to bkt/', [spec('dir/a.bin'), spec('dir/b.bin')]);
  await eng.waitCalls(2);
  const run = recorder.progress[0]!;
  assert.equal(run.title, 'Upload 2 files to bkt/');
  eng.callFor('dir/a.bin').progress(500, 1000);
  await waitFor(() => run.reports.some((r) => r.message?.includes('500 B of')), 'a report with the bytes moved');
  assert.match(run.reports.at(-1)!.message!, /^500 B of 2\.0 KiB · .*a\.bin \(1 of 2\)$/);
  // Status bar shows the total while things move, and opens the Transfers view.
  await waitFor(() => recorder.statusBar!.visible, 'the status bar to show');
  assert.match(recorder.statusBar!.text, /^\$\(cloud-upload\) \d+%/);
  assert.deepEqual(recorder.statusBar!.command, { command: 'ossTransfer.transfers.focus', title: 'Show Transfers' });
  let sumSoFar = sumIncrements(run.reports);
  assert.ok(sumSoFar > 0 && sumSoFar < 100, `partial ${sumSoFar}`);
  eng.callFor('dir/a.bin').finish(1000);
  eng.callFor('dir/b.bin').finish(1000);
  const r = await done;
  assert.equal(r.done.length, 2);
  sumSoFar = sumIncrements(run.reports);
  assert.equal(sumSoFar, 100);
  assert.ok(run.reports.every((x) => (x.increment ?? 0) >= 0), 'never a negative increment');
  // The outcome notice.
  const notice = recorder.messages.find((m) => m.kind === 'info')!;
  assert.equal(notice.text, 'Uploaded 2 files (2.0 KiB) to oss://bkt/dir/.');
  assert.deepEqual(notice.actions, ['Reveal in tree']);
  await waitFor(() => !recorder.statusBar!.visible, 'the status bar to hide when idle');
  assert.equal(manager.items().every((i) => i.state === 'done'), true);
});

test('Reveal in tree runs the Buckets tree command with profile, bucket and key; Reveal in Explorer reveals the download', async (t) => {
  const { ui, eng } = await setup(t);
  const revealed: unknown[] = [];
  recorder.commands.set('ossTransfer.revealInTree', (a) => revealed.push(a));
  recorder.answer = (m: Shown) => (m.actions.includes('Reveal in tree') ? 'Reveal in tree' : m.actions.includes('Reveal in Explorer') ? 'Reveal in Explorer' : undefined);
  const p = ui.runBatch('one', [spec('x/y.txt')]);
  await eng.waitCalls(1);
  eng.calls[0]!.finish(1000);
  await p;
  await waitFor(() => revealed.length === 1, 'the reveal command');
  assert.deepEqual(revealed[0], { profileId: 'p', bucket: 'bkt', key: 'x/y.txt' });

  const d = ui.runBatch('dl', [spec('x/z.bin', 10, 'download')]);
  await eng.waitCalls(2);
  eng.calls[1]!.finish(10);
  await d;
  await waitFor(() => recorder.executed.some((e) => e.command === 'revealFileInOS'), 'reveal in the OS file manager');
  const ex = recorder.executed.find((e) => e.command === 'revealFileInOS')!;
  assert.equal((ex.args[0] as { fsPath: string }).fsPath, spec('x/z.bin').file);
});

test('Cancel in one notification cancels that batch only; the notice says the rest can resume', async (t) => {
  const { ui, eng, manager } = await setup(t);
  const one = ui.runBatch('first', [spec('1.bin')]);
  const two = ui.runBatch('second', [spec('2.bin')]);
  await eng.waitCalls(2);
  recorder.progress.find((r) => r.title === 'first')!.cancel();
  const r1 = await one;
  assert.equal(r1.cancelled.length, 1);
  assert.equal(eng.callFor('2.bin').signal.aborted, false);
  assert.equal(manager.items().find((i) => i.spec.key === '2.bin')!.state, 'running');
  const notice = recorder.messages.find((m) => m.text.startsWith('Cancelled: first.'))!;
  assert.match(notice.text, /checkpoint is kept; resume it from the Transfers view/);
  eng.callFor('2.bin').finish(1000);
  assert.equal((await two).done.length, 1);
});

test('the status bar total leaves out a cancelled batch instead of counting it as processed', async (t) => {
  const { ui, eng } = await setup(t);
  const one = ui.runBatch('first', [spec('c1.bin')]);
  const two = ui.runBatch('second', [spec('c2.bin')]);
  await eng.waitCalls(2);
  eng.callFor('c2.bin').progress(200, 1000);
  await waitFor(() => /\b10%/.test(recorder.statusBar?.text ?? ''), 'the total over both batches (200 of 2000 bytes)');
  recorder.progress.find((r) => r.title === 'first')!.cancel();
  await one;
  // Only the running file is left: 200 of 1000 bytes. Counting the cancelled file as done would say 60%.
  await waitFor(() => /\b20%/.test(recorder.statusBar?.text ?? ''), 'the total of what still moves');
  eng.callFor('c2.bin').finish(1000);
  assert.equal((await two).done.length, 1);
});

test('a failure shows the reason and next step; Retry runs the failed files again', async (t) => {
  const { ui, eng, lines } = await setup(t);
  let retried = false;
  recorder.answer = (m) => {
    if (m.kind === 'error' && !retried) {
      retried = true;
      return 'Retry';
    }
    return undefined;
  };
  const r = await (async () => {
    const p = ui.runBatch('up', [spec('f.bin')]);
    await eng.waitCalls(1);
    eng.calls[0]!.fail(Object.assign(new Error('Access denied.'), { code: 'AccessDenied', status: 403, requestId: 'REQ-9' }));
    return p;
  })();
  assert.equal(r.failed.length, 1);
  const err = recorder.messages.find((m) => m.kind === 'error')!;
  assert.match(err.text, /^Uploading f\.bin failed: /);
  assert.match(err.text, /REQ-9/);
  assert.deepEqual(err.actions, ['Retry', 'Show Log']);
  assert.ok(lines.some((l) => l.includes('AccessDenied') && l.includes('REQ-9')), 'full detail in the log');
  await eng.waitCalls(2);
  assert.equal(recorder.progress.at(-1)!.title, 'Retrying: up');
  eng.calls[1]!.finish(1000);
  await waitFor(() => recorder.messages.some((m) => m.text.startsWith('Uploaded f.bin')), 'the retry to succeed');
});

test('tree rows: label is the object name, state and percent in the description, contextValue drives the actions', async (t) => {
  const { ui, eng, manager } = await setup(t);
  void ui.runBatch('b', [spec('deep/path/file one.bin'), spec('other.bin')]);
  await eng.waitCalls(2);
  eng.callFor('deep/path/file one.bin').progress(250, 1000);
  const id = manager.items().find((i) => i.spec.key === 'deep/path/file one.bin')!.id;
  manager.pause(id);
  await waitFor(() => manager.get(id)!.state === 'paused', 'pause');
  const tree = recorder.treeProvider!;
  // The two files are one batch row (issue 14); the running and paused ones are listed under it.
  const [batchRow] = tree.getChildren() as string[];
  assert.equal(tree.getTreeItem(batchRow).contextValue, 'transferBatch pausable resumable cancellable');
  const ids = tree.getChildren(batchRow) as string[];
  assert.equal(ids.length, 2);
  const rows = ids.map((x) => tree.getTreeItem(x));
  const paused = rows.find((r) => r.label === 'file one.bin')!;
  assert.equal(paused.contextValue, 'transfer.paused');
  assert.equal(paused.description, '↑ Paused · 25% of 1000 B · to oss://bkt/deep/path/');
  assert.match((paused.tooltip as MarkdownString).value, /oss:\/\/bkt\/deep\/path\/file one\.bin/);
  assert.match(paused.accessibilityInformation!.label, /^Upload file one\.bin, /);
  assert.equal(rows[0]!.contextValue, 'transfer.running', 'running rows sort first');
  // The row commands work on the clicked id.
  await recorder.commands.get('ossTransfer.transfers.resume')!(id);
  await eng.waitCalls(3);
  assert.equal(manager.get(id)!.state, 'running');
  await recorder.commands.get('ossTransfer.transfers.cancel')!(id);
  await waitFor(() => manager.get(id)!.state === 'cancelled', 'cancel');
  await recorder.commands.get('ossTransfer.transfers.discard')!(id);
  assert.equal(manager.get(id), undefined);
  // Without a target, a row command says how to use it instead of failing silently.
  await recorder.commands.get('ossTransfer.transfers.pause')!();
  assert.ok(recorder.messages.some((m) => m.text === 'Select a transfer in the Transfers view to pause it.'));
});

test('on activation, transfers an earlier window left appear as Interrupted and "Resume all" resumes them in one batch', async (t) => {
  const first = await setup(t);
  void first.ui.runBatch('old', [spec('r1.bin', 500), spec('r2.bin', 700, 'download')]);
  await first.eng.waitCalls(2);
  first.ui.dispose();
  await first.manager.close();

  recorder.reset();
  recorder.answer = (m) => (m.actions.includes('Resume all') ? 'Resume all' : undefined);
  const second = await setup(t, first.cptDir);
  await waitFor(() => recorder.messages.some((m) => m.actions.includes('Resume all')), 'the resume offer');
  const offer = recorder.messages.find((m) => m.actions.includes('Resume all'))!;
  assert.equal(offer.text, '2 transfers were interrupted in an earlier session. They can resume where they stopped.');
  await second.eng.waitCalls(2);
  assert.deepEqual(second.eng.calls.map((c) => c.key).sort(), ['r1.bin', 'r2.bin']);
  assert.equal(recorder.progress.at(-1)!.title, 'Resuming 2 interrupted transfers');
  for (const c of second.eng.calls) c.finish(c.key === 'r1.bin' ? 500 : 700);
  await waitFor(() => second.manager.items().every((i) => i.state === 'done'), 'both to finish');
  assert.equal(second.manager.items().length, 2, 'the interrupted rows were replaced, not duplicated');
});

test('a restored transfer resumed from its row gets its own finished notice', async (t) => {
  const first = await setup(t);
  void first.ui.runBatch('old', [spec('solo.bin', 500)]);
  await first.eng.waitCalls(1);
  first.ui.dispose();
  await first.manager.close();

  recorder.reset();
  const second = await setup(t, first.cptDir);
  await waitFor(() => second.manager.items().length === 1, 'the restored row');
  const row = (recorder.treeProvider!.getChildren() as string[]).map((x) => recorder.treeProvider!.getTreeItem(x))[0]!;
  assert.equal(row.contextValue, 'transfer.interrupted');
  assert.match(row.description!, /Interrupted · 0% of 500 B/);
  await recorder.commands.get('ossTransfer.transfers.resume')!(second.manager.items()[0]!.id);
  await second.eng.waitCalls(1);
  second.eng.calls[0]!.finish(500);
  await waitFor(() => recorder.messages.some((m) => m.text === 'Uploaded solo.bin (500 B) to oss://bkt/.'), 'the finished notice');
});

test('repeated downloads of one object are told apart: each row is named by its file and says where it goes', async (t) => {
  const { ui, eng, manager } = await setup(t);
  const home = os.homedir();
  const dl = (file: string): TransferSpec => ({ direction: 'download', profileId: 'p', bucket: 'bkt', key: 'videos/big-demo.bin', file, size: 1000 });
  const specs = [dl(path.join(home, 'dl', 'big-demo.bin')), dl(path.join(home, 'dl', 'big-demo (1).bin')), dl(path.join(os.tmpdir(), 'elsewhere', 'big-demo.bin'))];
  for (const s of specs) void ui.runBatch(`Download ${path.basename(s.file)}`, [s]);
  await eng.waitCalls(3);
  for (const c of eng.calls) c.progress(100, 1000);
  const tree = recorder.treeProvider!;
  await waitFor(() => manager.items().every((i) => i.transferredBytes === 100), 'progress on all three');
  await waitFor(() => (tree.getChildren() as string[]).length === 3, 'three rows');
  const rows = (tree.getChildren() as string[]).map((x) => tree.getTreeItem(x));
  assert.equal(rows.length, 3);
  const seen = rows.map((r) => `${r.label} | ${r.description!.replace(/^.* · to /, 'to ')}`).sort();
  assert.deepEqual(seen, [
    'big-demo (1).bin | to dl',
    'big-demo.bin | to dl',
    'big-demo.bin | to elsewhere',
  ].sort());
  const copy = rows.find((r) => r.label === 'big-demo (1).bin')!;
  assert.match(copy.accessibilityInformation!.label, /^Download big-demo \(1\)\.bin, .* to dl$/);
  const tip = (copy.tooltip as MarkdownString).value;
  assert.match(tip, /From: `oss:\/\/bkt\/videos\/big-demo\.bin`/);
  assert.ok(tip.includes(`To: \`${path.join(home, 'dl', 'big-demo (1).bin')}\``), tip);
  for (const c of eng.calls) c.finish(1000);
});

test('Pause All stops every running and queued transfer of every batch, keeping them; Resume All sets them going again', async (t) => {
  const { ui, eng, manager } = await setup(t);
  const a = ui.runBatch('first', [spec('p/a.bin'), spec('p/b.bin')]);
  const b = ui.runBatch('second', [spec('p/c.bin', 1000, 'download'), spec('p/d.bin', 1000, 'download')]);
  await eng.waitCalls(3); // three at once: the fourth waits in the queue
  eng.callFor('p/a.bin').progress(400, 1000);
  await recorder.commands.get('ossTransfer.transfers.pauseAll')!();
  await waitFor(() => manager.items().every((i) => i.state === 'paused'), 'all four to be paused');
  assert.ok(eng.calls.slice(0, 3).every((c) => c.signal.aborted), 'the running ones were stopped');
  assert.equal(eng.calls.length, 3, 'the queued one never started, and no paused slot was refilled');
  await recorder.commands.get('ossTransfer.transfers.resumeAll')!();
  await eng.waitCalls(6);
  await waitFor(() => manager.items().filter((i) => i.state === 'running').length === 3, 'three running again');
  // Resolving a call twice is harmless: finish every call made so far until all are done.
  for (let i = 0; i < 50 && manager.items().some((x) => x.state !== 'done'); i++) {
    for (const c of eng.calls) c.finish(1000);
    await new Promise<void>((r) => setTimeout(r, 5));
  }
  const [ra, rb] = await Promise.all([a, b]);
  assert.equal(ra.done.length + rb.done.length, 4);
});

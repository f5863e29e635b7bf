// A batch started on the manager by sync's runSync (not through runBatch) and adopted by the
// Transfers UI: its row carries its label, and its files get no notice each while it runs (the
// sync shows one progress notification and one summary of its own).
import { after, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OssClient } from '../../src/oss/index.js';
import type { TransferSpec } from '../../src/transfer/batch/transferTypes.js';
import { installFakeVscode, recorder, type TreeItem } from './support/fakeVscodeTransfers.js';
import { ScriptedEngine } from './support/scriptedEngine.js';

installFakeVscode();

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await fsp.rm(d, { recursive: true, force: true });
});
beforeEach(() => recorder.reset());

const tree = () => recorder.treeProvider! as { getChildren(e?: string): string[]; getTreeItem(e: string): TreeItem };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function spec(key: string): TransferSpec {
  return { direction: 'upload', profileId: 'p', bucket: 'bkt', key, file: path.join(os.tmpdir(), 'adopt-src', key), size: 100 };
}

async function setup(t: { after(fn: () => unknown): void }) {
  const { TransferManager } = await import('../../src/transfer/batch/transferManager.js');
  const { registerTransfers } = await import('../../src/vscode/transfers/registerTransfers.js');
  const { Logger } = await import('../../src/vscode/logger.js');
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'ui-adopt-'));
  dirs.push(dir);
  const eng = new ScriptedEngine();
  const manager = new TransferManager({
    clientFor: async () => ({ endpoint: 'http://fake.invalid' }) as unknown as OssClient,
    checkpointDir: path.join(dir, 'checkpoints'),
    settings: () => ({ concurrentFiles: 5, disableCheckpoint: false }),
    engine: eng.engine,
  });
  const log = new Logger({ trace() {}, debug() {}, info() {}, warn() {}, error() {}, show() {} } as never);
  const ui = registerTransfers({ subscriptions: [] } as never, manager, log);
  t.after(async () => {
    ui.dispose();
    await manager.close();
  });
  return { manager, ui, eng };
}

for (const adopted of [true, false]) {
  test(`a batch started on the manager ${adopted ? 'and adopted: its label on the row, no notice per file' : 'and not adopted: each finished file gets a notice of its own'}`, async (t) => {
    const { manager, ui, eng } = await setup(t);
    const batch = manager.startBatch('Sync site → oss://bkt/site/', ['a', 'b', 'c'].map(spec));
    if (adopted) ui.adoptBatch(batch);
    await eng.waitCalls(3);
    for (const k of ['a', 'b', 'c']) eng.callFor(k).finish(100);
    assert.equal((await batch.result).done.length, 3);
    await sleep(300); // the view redraws within a quarter second
    const row = tree().getChildren()[0]!;
    if (adopted) {
      assert.deepEqual(recorder.messages, [], 'no notice per file');
      assert.equal(tree().getTreeItem(row).label, 'Sync site → oss://bkt/site/');
    } else {
      // What adoptBatch prevents: the per-item notices for items outside any active batch.
      assert.equal(recorder.messages.length, 3);
      assert.equal(tree().getTreeItem(row).label, 'Upload 3 files (bkt)');
    }
    assert.equal(recorder.progress.length, 0, 'no batch notification: the one who started the batch shows its progress');
  });
}

// Drives TransferManager the way the extension does, for the small-files bench. The Upload and
// Download commands hand their specs to TransferUi.runBatch (src/vscode/transfers/registerTransfers.ts),
// which calls manager.startBatch and, while the batch runs, samples it for the progress
// notification four times a second (showBatchProgress: BatchProgress over batch.items).
//
// `ui: false` does exactly that part, without vscode. `ui: true` runs the real registerTransfers
// under the tests' fake `vscode` (test/unit/support/fakeVscodeTransfers.ts, bundled in place of
// 'vscode'), so the status bar, the view's badge and the Transfers tree listen as in VS Code; the
// tree is redrawn as VS Code does on each change event (getChildren, then getTreeItem per row),
// here without the extension host's serialisation, so it is a lower bound of that cost.
import type { OssClient } from '../../src/oss/index.js';
import { BatchProgress } from '../../src/vscode/presentation/batchProgress.js';
import { TransferManager } from '../../src/transfer/batch/transferManager.js';
import type { BatchResult, TransferSpec } from '../../src/transfer/batch/transferTypes.js';
import { Logger } from '../../src/vscode/logger.js';
import { registerTransfers } from '../../src/vscode/transfers/registerTransfers.js';
import { recorder } from '../unit/support/fakeVscodeTransfers.js';

export interface BatchDriverOptions {
  client: OssClient;
  checkpointDir: string;
  concurrentFiles: number;
  ui: boolean;
}

const quiet = { trace: () => {}, debug: () => {}, info: () => {}, show: () => {} };
// Warnings and errors reach stderr: a bench run that hides a failing file measures nothing.
const channel = { ...quiet, warn: (m: string) => process.stderr.write(`warn: ${m}\n`), error: (m: string | Error) => process.stderr.write(`error: ${String(m)}\n`) };

/** Runs one batch to its end; throws unless every file is done. */
export async function runTransferBatch(o: BatchDriverOptions, label: string, specs: TransferSpec[]): Promise<BatchResult> {
  const log = new Logger(channel as never);
  const manager = new TransferManager({
    clientFor: async () => o.client,
    checkpointDir: o.checkpointDir,
    settings: () => ({ concurrentFiles: o.concurrentFiles, disableCheckpoint: false }),
    log: log.child('manager'),
  });
  let result: BatchResult;
  try {
    result = o.ui ? await withUi(manager, log, label, specs) : await withNotification(manager, label, specs);
  } finally {
    await manager.close();
  }
  if (result.failed.length || result.cancelled.length) {
    throw new Error(`${label}: ${result.failed.length} failed, ${result.cancelled.length} cancelled (first: ${String(result.failed[0]?.error ?? '')})`);
  }
  return result;
}

/** startBatch plus the notification's sampling, as showBatchProgress does it. */
async function withNotification(manager: TransferManager, label: string, specs: TransferSpec[]): Promise<BatchResult> {
  const batch = manager.startBatch(label, specs);
  const meter = new BatchProgress();
  const tick = (force: boolean): void => void meter.sample(batch.items, force);
  tick(true);
  const timer = setInterval(() => tick(false), 250);
  try {
    const result = await batch.result;
    tick(true);
    return result;
  } finally {
    clearInterval(timer);
  }
}

async function withUi(manager: TransferManager, log: Logger, label: string, specs: TransferSpec[]): Promise<BatchResult> {
  const context = { subscriptions: [] as Array<{ dispose(): unknown }> };
  const ui = registerTransfers(context as never, manager, log);
  const tree = recorder.treeProvider as unknown as { onDidChangeTreeData(l: () => void): { dispose(): void }; getChildren(): string[]; getTreeItem(id: string): unknown };
  const redraw = tree.onDidChangeTreeData(() => {
    for (const id of tree.getChildren()) tree.getTreeItem(id);
  });
  try {
    return await ui.runBatch(label, specs);
  } finally {
    redraw.dispose();
    ui.dispose();
  }
}

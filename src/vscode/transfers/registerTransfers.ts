// Wires the transfer manager to VS Code: the Transfers view, its commands, the status-bar item,
// one progress notification per batch, and on activation the transfers an earlier window left.
import * as vscode from 'vscode';
import type { TransferManager } from '../../transfer/batch/transferManager.js';
import type { BatchResult, TransferBatch, TransferSpec, TransferState } from '../../transfer/batch/transferTypes.js';
import type { Logger } from '../logger.js';
import { showBatchOutcome } from './batchOutcome.js';
import { showBatchProgress } from './batchNotification.js';
import { registerBatchCommands } from './batchCommands.js';
import { batchLabel } from '../presentation/batchRows.js';
import { TransferSpeeds } from '../presentation/transferSpeeds.js';
import { displayName } from '../presentation/quantityFormat.js';
import { followItems } from './followItems.js';
import { registerTransferCommands, resumeAll } from './transferCommands.js';
import { TransfersTreeProvider } from './transfersTreeProvider.js';
import { FOCUS_TRANSFERS_COMMAND, TransferStatusBar } from './transferStatusBar.js';

export const TRANSFERS_VIEW_ID = 'ossTransfer.transfers';

export interface TransferUi extends vscode.Disposable {
  /** Starts a batch: one cancellable withProgress notification, status bar, Transfers view; resolves when it ends and
   *  has shown the completion/failure notification ("Reveal in Explorer" / "Reveal in tree" / "Retry"). */
  runBatch(label: string, specs: readonly TransferSpec[] | AsyncIterable<TransferSpec>, onStart?: (batch: TransferBatch) => void): Promise<BatchResult>;
  /**
   * A batch started on the manager by someone else (sync's runSync): its row in the Transfers view
   * gets its label, and its files get no notice of their own while it runs (the one who started it
   * shows the progress and the outcome).
   */
  adoptBatch(batch: TransferBatch): void;
  /** The one speed the rows, the notifications and the status bar show (a sync's notification too). */
  readonly speeds: TransferSpeeds;
}

export interface TransferUiOptions {
  /** The clock of the speeds shown (tests). */
  now?: () => number;
}

export function registerTransfers(context: vscode.ExtensionContext, manager: TransferManager, log: Logger, options: TransferUiOptions = {}): TransferUi {
  const tlog = log.child('transfers');
  const disposables: vscode.Disposable[] = [];
  // One speed for the rows, the notifications and the status bar, so they never disagree.
  const speeds = new TransferSpeeds(options.now ? { now: options.now } : {});

  // The names runBatch gave its batches, for their rows in the Transfers view.
  const labels = new Map<string, string>();
  const tree = new TransfersTreeProvider(manager, { labelOf: (id) => labels.get(id), speeds });
  const view = vscode.window.createTreeView(TRANSFERS_VIEW_ID, { treeDataProvider: tree, canSelectMany: true, showCollapseAll: false });
  disposables.push(tree, view);

  // Badge and empty-state message keep the view meaningful at a glance.
  const updateView = (): void => {
    const items = manager.items();
    const active = items.filter((it) => it.state === 'running' || it.state === 'queued').length;
    const waiting = items.filter((it) => it.state === 'interrupted' || it.state === 'paused' || it.state === 'failed').length;
    view.badge = active + waiting ? { value: active + waiting, tooltip: vscode.l10n.t('{0} active, {1} waiting for you', active, waiting) } : undefined;
    view.message = items.length ? undefined : vscode.l10n.t('No transfers. Upload or download from the Buckets view; interrupted transfers appear here.');
  };
  let viewTimer: NodeJS.Timeout | undefined;
  const sub = manager.onDidChange(() => {
    viewTimer ??= setTimeout(() => {
      viewTimer = undefined;
      updateView();
    }, 250);
  });
  disposables.push(sub, { dispose: () => viewTimer && clearTimeout(viewTimer) });
  updateView();

  disposables.push(new TransferStatusBar(manager, undefined, speeds));

  const activeBatches = new Set<string>();
  const runBatch = async (label: string, specs: readonly TransferSpec[] | AsyncIterable<TransferSpec>, onStart?: (batch: TransferBatch) => void): Promise<BatchResult> => {
    const listed = Array.isArray(specs) ? (specs as readonly TransferSpec[]) : undefined;
    if (listed && !listed.length) return { done: [], failed: [], cancelled: [] };
    // A streamed batch (a folder still being listed or walked) starts with its first items.
    const batch = manager.startBatch(label, specs);
    onStart?.(batch);
    activeBatches.add(batch.id);
    labels.set(batch.id, label);
    tlog.info(`Batch "${label}": ${listed ? `${listed.length} transfer(s)` : 'streamed transfers'} started.`);
    try {
      const result = await showBatchProgress(batch, speeds);
      tlog.info(`Batch "${label}": ${result.done.length} done, ${result.failed.length} failed, ${result.cancelled.length} cancelled.`);
      showBatchOutcome({ log: tlog, runBatch }, label, result);
      return result;
    } finally {
      activeBatches.delete(batch.id);
    }
  };

  // A transfer resumed on its own (a restored one, or one resumed after its batch ended) has no
  // batch notification; it still gets the finished / failed notice.
  const lastState = new Map<string, TransferState>();
  // Items a batch row's action set going again: their follow-up notification tells the outcome.
  const followed = new Set<string>();
  disposables.push(
    manager.onDidChange((it) => {
      if (!it) return;
      const before = lastState.get(it.id);
      lastState.set(it.id, it.state);
      if (before === it.state || before !== 'running') return;
      if (it.batchId && activeBatches.has(it.batchId)) return;
      if (followed.has(it.id)) return;
      if (it.state === 'done') showBatchOutcome({ log: tlog, runBatch }, displayName(it.spec.key), { done: [it], failed: [], cancelled: [] });
      else if (it.state === 'failed') showBatchOutcome({ log: tlog, runBatch }, displayName(it.spec.key), { done: [], failed: [it], cancelled: [] });
    }),
  );

  const cmdDeps = { manager, log: tlog, selection: () => view.selection, runBatch };
  disposables.push(...registerTransferCommands(cmdDeps));

  // Closed with the UI, so no notification outlives the window's manager.
  const follows = new Set<ReturnType<typeof followItems>>();
  disposables.push({ dispose: () => [...follows].forEach((f) => f.close()) });
  const follow = (label: string, ids: string[]): void => {
    for (const id of ids) followed.add(id);
    const b = followItems(manager, label, ids);
    follows.add(b);
    void showBatchProgress(b, speeds)
      .then((result) => {
        tlog.info(`"${label}": ${result.done.length} done, ${result.failed.length} failed, ${result.cancelled.length} cancelled.`);
        showBatchOutcome({ log: tlog, runBatch }, label, result);
      })
      .catch((err) => tlog.error(err as Error))
      .finally(() => {
        follows.delete(b);
        for (const id of ids) followed.delete(id);
      });
  };
  disposables.push(
    ...registerBatchCommands({
      manager,
      log: tlog,
      batch: (key) => tree.batch(key),
      label: (b) => batchLabel(b, labels.get(b.key)),
      selection: () => view.selection,
      isActive: (key) => activeBatches.has(key),
      follow,
    }),
  );

  // A reloaded window may start before the old one finished shutting down; transfers it still
  // held are picked up by a few later attempts.
  const retryDelaysMs = [3_000, 10_000, 30_000, 60_000];
  let offered = false;
  let retryTimer: NodeJS.Timeout | undefined;
  disposables.push({ dispose: () => retryTimer && clearTimeout(retryTimer) });
  void restore(0);
  async function restore(attempt: number): Promise<void> {
    try {
      const restored = await manager.restoreInterrupted();
      if (restored.length) {
        tlog.info(`Found ${restored.length} interrupted transfer(s) from an earlier session.`);
        if (!offered) {
          offered = true;
          void offerResume(restored.length).catch((err) => tlog.error(err as Error));
        }
      }
      if (manager.skippedForOtherWindows > 0 && attempt < retryDelaysMs.length) {
        tlog.debug(`${manager.skippedForOtherWindows} unfinished transfer(s) belong to another open window; checking again later.`);
        retryTimer = setTimeout(() => void restore(attempt + 1), retryDelaysMs[attempt]);
      }
    } catch (err) {
      tlog.error(`Could not restore interrupted transfers: ${(err as Error).message}`);
    }
  }
  async function offerResume(n: number): Promise<void> {
    const resume = vscode.l10n.t('Resume all');
    const show = vscode.l10n.t('Show Transfers');
    const pick = await vscode.window.showInformationMessage(
      n === 1
        ? vscode.l10n.t('A transfer was interrupted in an earlier session. It can resume where it stopped.')
        : vscode.l10n.t('{0} transfers were interrupted in an earlier session. They can resume where they stopped.', n),
      resume,
      show,
    );
    if (pick === resume) await resumeAll(cmdDeps);
    else if (pick === show) await vscode.commands.executeCommand(FOCUS_TRANSFERS_COMMAND);
  }

  const adoptBatch = (batch: TransferBatch): void => {
    labels.set(batch.id, batch.label);
    activeBatches.add(batch.id);
    const release = (): void => void activeBatches.delete(batch.id);
    batch.result.then(release, release);
  };

  const ui: TransferUi = {
    runBatch,
    adoptBatch,
    speeds,
    dispose: () => {
      for (const d of disposables.splice(0).reverse()) {
        try {
          d.dispose();
        } catch {
          // keep disposing the rest
        }
      }
    },
  };
  context.subscriptions.push(ui);
  return ui;
}

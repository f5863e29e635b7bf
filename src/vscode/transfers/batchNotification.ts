// One cancellable progress notification per batch. withProgress takes increments (deltas), so the
// percentages from BatchProgress are handed over as its `increment`, which sums to at most 100.
// Cancel stops this batch only; its checkpoints stay, so the files can resume later. At 10,000 items a
// tick is one copy of the items and one pass over them, four times a second.
import * as vscode from 'vscode';
import { BatchProgress } from '../presentation/batchProgress.js';
import type { TransferSpeeds } from '../presentation/transferSpeeds.js';
import type { BatchResult, TransferBatch } from '../../transfer/batch/transferTypes.js';
import { progressMessage } from '../presentation/transferText.js';

/** `speeds`: the ones the rows and the status bar show, so the notification agrees with them. */
export async function showBatchProgress(batch: TransferBatch, speeds?: TransferSpeeds): Promise<BatchResult> {
  let result: BatchResult | undefined;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: batch.label, cancellable: true },
    async (progress, token) => {
      const cancelSub = token.onCancellationRequested(() => batch.cancel());
      const meter = new BatchProgress(speeds ? { speeds } : {});
      const tick = (force: boolean): void => {
        // Counted at each tick: a streamed batch (a folder still being listed or walked) grows as it runs.
        const items = batch.items;
        const snap = meter.sample(items, force);
        if (snap) progress.report({ increment: snap.increment, message: progressMessage(snap, items.length) });
      };
      tick(true);
      const timer = setInterval(() => tick(false), 250);
      try {
        result = await batch.result;
        tick(true);
      } finally {
        clearInterval(timer);
        cancelSub.dispose();
      }
    },
  );
  // withProgress only returns after the task above, which assigned result.
  return result!;
}

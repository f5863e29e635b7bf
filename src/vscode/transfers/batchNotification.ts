// One cancellable progress notification per batch. withProgress takes increments (deltas), so the
// percentages from BatchProgress are handed over as its `increment`, which sums to at most 100.
// Cancel stops this batch only; its checkpoints stay, so the files can resume later.
import * as vscode from 'vscode';
import { BatchProgress, type BatchSnapshot } from '../../transfer/batchProgress.js';
import type { BatchResult, TransferBatch } from '../../transfer/transferManager.js';
import { displayName, formatBytes, formatDuration, formatSpeed } from './progressText.js';

export async function showBatchProgress(batch: TransferBatch): Promise<BatchResult> {
  let result: BatchResult | undefined;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: batch.label, cancellable: true },
    async (progress, token) => {
      const cancelSub = token.onCancellationRequested(() => batch.cancel());
      const meter = new BatchProgress();
      const total = batch.items.length;
      const tick = (force: boolean): void => {
        const snap = meter.sample(batch.items, force);
        if (snap) progress.report({ increment: snap.increment, message: progressMessage(snap, total) });
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

export function progressMessage(s: BatchSnapshot, fileCount: number): string {
  const parts = [`${formatBytes(s.transferredBytes)} of ${formatBytes(s.totalBytes)}`];
  if (s.bytesPerSecond > 0) parts.push(formatSpeed(s.bytesPerSecond));
  if (s.etaSeconds !== undefined && !s.finished) parts.push(`${formatDuration(s.etaSeconds)} left`);
  if (s.current) {
    const settled = s.counts.done + s.counts.failed + s.counts.cancelled;
    const name = displayName(s.current.spec.key);
    parts.push(fileCount > 1 ? `${name} (${Math.min(settled + 1, fileCount)} of ${fileCount})` : name);
  }
  if (s.counts.paused) parts.push(`${s.counts.paused} paused`);
  if (s.counts.failed) parts.push(`${s.counts.failed} failed`);
  return parts.join(' · ');
}

// The sync notification's progress, from the same speeds as the Transfers view: its batch's items
// go through BatchProgress with the TransferSpeeds the rows, the status bar and the batch
// notifications read, so the sync's notification and its Transfers entry show one speed and one time
// left. Files and bytes as the sync line says them; 100% only once the whole sync is over (the
// deletes come after the files), so the bar stops at 99% until then. No vscode import.
import type { TransferItem } from '../../transfer/batch/transferTypes.js';
import type { SyncProgress } from '../../transfer/sync/syncTypes.js';
import { BatchProgress } from './batchProgress.js';
import { syncProgressText } from './syncText.js';
import type { TransferSpeeds } from './transferSpeeds.js';

const MAX_BEFORE_END = 99;

export class SyncNotificationProgress {
  private readonly meter: BatchProgress;
  private shown = 0;

  constructor(speeds: TransferSpeeds, minIntervalMs = 250) {
    this.meter = new BatchProgress({ speeds, minIntervalMs, now: speeds.now });
  }

  /** What to report for the batch's items now, or undefined when throttled. */
  sample(items: readonly TransferItem[], force = false): { increment: number; message: string; progress: SyncProgress } | undefined {
    const snap = this.meter.sample(items, force);
    if (!snap) return undefined;
    const progress: SyncProgress = {
      filesDone: snap.counts.done,
      filesFailed: snap.counts.failed,
      filesTotal: items.length,
      bytesDone: snap.transferredBytes,
      bytesTotal: snap.totalBytes,
      bytesPerSecond: snap.bytesPerSecond,
      ...(snap.etaSeconds !== undefined && !snap.finished ? { etaSeconds: snap.etaSeconds } : {}),
      ...(snap.current ? { current: snap.current.spec.key } : {}),
    };
    const percent = Math.min(MAX_BEFORE_END, Math.floor(snap.percent));
    const increment = Math.max(0, percent - this.shown);
    this.shown += increment;
    return { increment, message: syncProgressText(progress), progress };
  }
}

// Folds the per-file progress of a batch (or of everything moving) into one figure for a
// notification or the status bar. The rules users complained about in the SDKs drive this:
// count bytes, never go backwards, never pass 100%, reach 100% only when every file settled.
// Speed is the sum of the running files' speeds from TransferSpeeds (the one the rows show too),
// and time left is what still has to move at that speed: none while nothing runs (all paused).
import type { TransferItem, TransferState } from '../../transfer/batch/transferTypes.js';
import { TransferSpeeds } from './transferSpeeds.js';

export interface BatchSnapshot {
  /** Bytes moved so far (monotonic, never above totalBytes). */
  transferredBytes: number;
  /** Sum of the known sizes. Grows when sizes are learned late. */
  totalBytes: number;
  /** 0..100, monotonic; 100 only when `finished`. */
  percent: number;
  /** percent minus the percent of the previous emitted snapshot: what `withProgress` wants. */
  increment: number;
  /** Speed of the whole batch: the sum of its running files' speeds (0 while none runs). */
  bytesPerSecond: number;
  /** Seconds until the running and queued files are done at that speed; absent while it is unknown or nothing runs. */
  etaSeconds?: number;
  /** A running item, for "current file". */
  current?: TransferItem;
  counts: Record<TransferState, number>;
  /** Every item is done, failed or cancelled. */
  finished: boolean;
}

export interface BatchProgressOptions {
  /** Least time between two emitted snapshots (~4/s). */
  minIntervalMs?: number;
  /** Time constant of the speed's exponential smoothing (when it has no `speeds` of its own). */
  smoothingMs?: number;
  now?: () => number;
  /** The speeds shared with the other places that show them; by default one of its own. */
  speeds?: TransferSpeeds;
}

const SETTLED: ReadonlySet<TransferState> = new Set<TransferState>(['done', 'failed', 'cancelled']);

/** Below this, an unfinished batch is shown as at most 99%, so 100% always means finished. */
const MAX_UNFINISHED_PERCENT = 99;

export function emptyCounts(): Record<TransferState, number> {
  return { queued: 0, running: 0, paused: 0, done: 0, failed: 0, cancelled: 0, interrupted: 0 };
}

export class BatchProgress {
  private readonly minIntervalMs: number;
  private readonly now: () => number;
  private readonly speeds: TransferSpeeds;

  private emittedPercent = 0;
  private emittedBytes = 0;
  private lastEmitAt: number | undefined;
  private lastFinished = false;

  constructor(opts: BatchProgressOptions = {}) {
    this.minIntervalMs = opts.minIntervalMs ?? 250;
    const smoothingMs = opts.smoothingMs ?? 3000;
    this.now = opts.now ?? (() => Date.now());
    if (!(this.minIntervalMs >= 0) || !(smoothingMs > 0)) {
      throw new RangeError('BatchProgress: minIntervalMs must be >= 0 and smoothingMs > 0');
    }
    this.speeds = opts.speeds ?? new TransferSpeeds({ smoothingMs, now: this.now });
  }

  /**
   * Feed the current items. Returns a snapshot, or undefined when throttled (less than
   * minIntervalMs since the last one and nothing settled-worthy changed). `force` skips the throttle.
   */
  sample(items: readonly TransferItem[], force = false): BatchSnapshot | undefined {
    const t = this.now();
    const counts = emptyCounts();
    let raw = 0;
    let total = 0;
    let settledBytes = 0;
    let movingLeft = 0;
    let current: TransferItem | undefined;
    this.speeds.observe(items);
    let speed = 0;
    for (const it of items) {
      counts[it.state]++;
      const size = Math.max(0, it.totalBytes, it.transferredBytes);
      const moved = Math.max(0, Math.min(it.transferredBytes, size));
      raw += moved;
      total += size;
      // A settled file counts as fully processed for the percentage, whatever its outcome,
      // so a failure does not leave the bar stuck below 100% once the batch is over.
      settledBytes += SETTLED.has(it.state) ? size : moved;
      // Time left is for what is going to move: a paused or interrupted file waits for the user.
      if (it.state === 'running' || it.state === 'queued') movingLeft += size - moved;
      if (it.state === 'running') speed += this.speeds.speedOf(it.id);
      if (!current && it.state === 'running') current = it;
    }
    const finished = items.length > 0 && items.every((it) => SETTLED.has(it.state));

    // Throttle, but never swallow the step into "finished".
    const due = this.lastEmitAt === undefined || t - this.lastEmitAt >= this.minIntervalMs;
    if (!force && !due && finished === this.lastFinished) return undefined;

    let percent: number;
    if (finished) percent = 100;
    else if (total > 0) percent = (settledBytes / total) * 100;
    else if (items.length > 0) percent = ((counts.done + counts.failed + counts.cancelled) / items.length) * 100;
    else percent = 0;
    if (!finished) percent = Math.min(percent, MAX_UNFINISHED_PERCENT);
    percent = Math.max(percent, this.emittedPercent);

    const transferredBytes = Math.min(Math.max(raw, this.emittedBytes), Math.max(total, this.emittedBytes));
    const etaSeconds = finished ? 0 : speed > 0 ? Math.ceil(movingLeft / speed) : undefined;

    const snap: BatchSnapshot = {
      transferredBytes,
      totalBytes: Math.max(total, transferredBytes),
      percent,
      increment: percent - this.emittedPercent,
      bytesPerSecond: finished ? 0 : speed,
      etaSeconds,
      current,
      counts,
      finished,
    };
    this.emittedPercent = percent;
    this.emittedBytes = transferredBytes;
    this.lastEmitAt = t;
    this.lastFinished = finished;
    return snap;
  }
}

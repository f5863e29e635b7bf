// Folds the per-file progress of a batch (or of everything moving) into one figure for a
// notification or the status bar. The rules users complained about in the SDKs drive this:
// count bytes, never go backwards, never pass 100%, reach 100% only when every file settled.
import type { TransferItem, TransferState } from '../../transfer/batch/transferTypes.js';

export interface BatchSnapshot {
  /** Bytes moved so far (monotonic, never above totalBytes). */
  transferredBytes: number;
  /** Sum of the known sizes. Grows when sizes are learned late. */
  totalBytes: number;
  /** 0..100, monotonic; 100 only when `finished`. */
  percent: number;
  /** percent minus the percent of the previous emitted snapshot: what `withProgress` wants. */
  increment: number;
  /** Smoothed speed of the whole batch. */
  bytesPerSecond: number;
  /** Seconds left at the smoothed speed; absent while the speed is unknown. */
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
  /** Time constant of the speed's exponential smoothing. */
  smoothingMs?: number;
  now?: () => number;
}

const SETTLED: ReadonlySet<TransferState> = new Set<TransferState>(['done', 'failed', 'cancelled']);

/** Below this, an unfinished batch is shown as at most 99%, so 100% always means finished. */
const MAX_UNFINISHED_PERCENT = 99;

export function emptyCounts(): Record<TransferState, number> {
  return { queued: 0, running: 0, paused: 0, done: 0, failed: 0, cancelled: 0, interrupted: 0 };
}

export class BatchProgress {
  private readonly minIntervalMs: number;
  private readonly smoothingMs: number;
  private readonly now: () => number;

  private emittedPercent = 0;
  private emittedBytes = 0;
  private lastEmitAt: number | undefined;
  private lastFinished = false;

  private lastSampleAt: number | undefined;
  private lastRawBytes = 0;
  private speed = 0;
  private speedKnown = false;

  constructor(opts: BatchProgressOptions = {}) {
    this.minIntervalMs = opts.minIntervalMs ?? 250;
    this.smoothingMs = opts.smoothingMs ?? 3000;
    this.now = opts.now ?? (() => Date.now());
    if (!(this.minIntervalMs >= 0) || !(this.smoothingMs > 0)) {
      throw new RangeError('BatchProgress: minIntervalMs must be >= 0 and smoothingMs > 0');
    }
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
    let current: TransferItem | undefined;
    for (const it of items) {
      counts[it.state]++;
      const size = Math.max(0, it.totalBytes, it.transferredBytes);
      const moved = Math.max(0, Math.min(it.transferredBytes, size));
      raw += moved;
      total += size;
      // A settled file counts as fully processed for the percentage, whatever its outcome,
      // so a failure does not leave the bar stuck below 100% once the batch is over.
      settledBytes += SETTLED.has(it.state) ? size : moved;
      if (!current && it.state === 'running') current = it;
    }
    const finished = items.length > 0 && items.every((it) => SETTLED.has(it.state));

    this.updateSpeed(raw, t);

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
    const remaining = Math.max(0, total - settledBytes);
    const etaSeconds =
      finished ? 0 : this.speedKnown && this.speed > 0 ? Math.ceil(remaining / this.speed) : undefined;

    const snap: BatchSnapshot = {
      transferredBytes,
      totalBytes: Math.max(total, transferredBytes),
      percent,
      increment: percent - this.emittedPercent,
      bytesPerSecond: finished ? 0 : this.speed,
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

  // Time-weighted exponential smoothing: irregular sample spacing gets the right weight,
  // and a pause decays the speed instead of freezing it.
  private updateSpeed(raw: number, t: number): void {
    if (this.lastSampleAt === undefined) {
      this.lastSampleAt = t;
      this.lastRawBytes = raw;
      return;
    }
    const dt = t - this.lastSampleAt;
    if (dt <= 0) {
      // Same instant: keep the baseline where the bytes were last seen rising.
      if (raw > this.lastRawBytes) return;
      this.lastRawBytes = raw;
      return;
    }
    // A retried file starts lower again; that is not negative speed.
    const delta = Math.max(0, raw - this.lastRawBytes);
    const instant = (delta * 1000) / dt;
    if (!this.speedKnown) {
      this.speed = instant;
      this.speedKnown = delta > 0;
    } else {
      const alpha = 1 - Math.exp(-dt / this.smoothingMs);
      this.speed += alpha * (instant - this.speed);
    }
    this.lastSampleAt = t;
    this.lastRawBytes = raw;
  }
}

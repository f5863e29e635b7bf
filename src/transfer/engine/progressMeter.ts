// Byte-level progress for one transfer: counts bytes inside parts still in flight, never goes
// backwards (a failed attempt's bytes are taken back silently until real progress passes the
// last report again), never exceeds the total, and reports at most ~4 times a second. It also
// says how much a resume would keep: the finished parts and, for a download, the flushed start of
// parts in flight that the checkpoint records (partKept).

export type TransferPhase = 'preparing' | 'transferring' | 'completing' | 'done';

export interface TransferProgress {
  transferredBytes: number;
  totalBytes: number;
  bytesPerSecond: number;
  etaSeconds?: number;
  phase: TransferPhase;
  /**
   * Bytes a resume from the checkpoint would not move again: what the checkpoint records as done
   * (0 when nothing is recorded). A stopped transfer keeps exactly this much. Absent once done.
   */
  keptBytes?: number;
}

export interface ProgressMeterOptions {
  intervalMs?: number;
  /** Width of the window the speed is averaged over. */
  speedWindowMs?: number;
  now?: () => number;
}

export class ProgressMeter {
  private readonly inFlight = new Map<number, number>();
  private inFlightSum = 0;
  private committed = 0;
  private readonly kept = new Map<number, number>();
  private keptSum = 0;
  private keeps = true;
  private lastReported = -1;
  private lastEmitAt = -Infinity;
  private phase: TransferPhase = 'preparing';
  private readonly samples: Array<{ t: number; bytes: number }> = [];
  private readonly intervalMs: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private finished = false;
  private trailing: NodeJS.Timeout | undefined;

  constructor(
    private total: number,
    private readonly onProgress?: (p: TransferProgress) => void,
    opts: ProgressMeterOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 250;
    this.windowMs = opts.speedWindowMs ?? 3000;
    this.now = opts.now ?? Date.now;
  }

  /** Sets the total once it is known (a download learns it from HEAD). */
  setTotal(total: number): void {
    this.total = total;
  }

  /** Bytes already done before this run (a resumed transfer starts there). */
  setCommitted(bytes: number): void {
    this.committed = bytes;
  }

  setPhase(phase: TransferPhase): void {
    if (this.finished || phase === this.phase) return;
    this.phase = phase;
    this.emit(true);
  }

  /** `bytes` is the running total of the current attempt of part `id`. */
  partAdvance(id: number, bytes: number): void {
    const prev = this.inFlight.get(id) ?? 0;
    this.inFlight.set(id, bytes);
    this.inFlightSum += bytes - prev;
    this.emit(false);
  }

  /** The attempt failed: forget its bytes (the report holds still instead of dipping). */
  partFailed(id: number): void {
    this.inFlightSum -= this.inFlight.get(id) ?? 0;
    this.inFlight.delete(id);
  }

  partDone(id: number, length: number): void {
    this.partFailed(id);
    this.partKept(id, 0);
    this.committed += length;
    this.emit(false);
  }

  /** The checkpoint now records the first `bytes` of part `id` (in flight) as kept. */
  partKept(id: number, bytes: number): void {
    this.keptSum += bytes - (this.kept.get(id) ?? 0);
    if (bytes > 0) this.kept.set(id, bytes);
    else this.kept.delete(id);
  }

  /** No checkpoint records this transfer (disabled, or discarded): a resume keeps nothing. */
  keepNothing(): void {
    this.keeps = false;
  }

  /** The single report with phase 'done'; only call once the transfer really finished. */
  finish(): void {
    if (this.finished) return;
    this.phase = 'done';
    this.committed = this.total;
    this.inFlight.clear();
    this.inFlightSum = 0;
    this.emit(true);
    this.finished = true;
    this.close();
  }

  /**
   * No report after this: the transfer has returned (successfully or not). A transfer that stopped
   * unfinished first reports where it stands, so the last report says what it kept.
   */
  close(): void {
    if (!this.finished) this.emit(true);
    this.finished = true;
    if (this.trailing) clearTimeout(this.trailing);
    this.trailing = undefined;
  }

  /** The figure last reported (for tests and the final result). */
  get reportedBytes(): number {
    return Math.max(0, this.lastReported);
  }

  /** What a resume would keep (see TransferProgress.keptBytes). */
  get keptBytes(): number {
    return this.keeps ? Math.min(this.total, this.committed + this.keptSum) : 0;
  }

  private actual(): number {
    return Math.min(this.total, this.committed + this.inFlightSum);
  }

  private emit(force: boolean): void {
    if (this.finished) return;
    const t = this.now();
    const actual = this.actual();
    // Sample sparsely so a fast transfer does not grow the window to thousands of entries.
    const last = this.samples[this.samples.length - 1];
    if (!last || t - last.t >= 100 || force) this.samples.push({ t, bytes: actual });
    while (this.samples.length > 2 && t - this.samples[1]!.t > this.windowMs) this.samples.shift();
    if (!this.onProgress) return;
    if (!force && t - this.lastEmitAt < this.intervalMs) {
      // Throttled: make sure the latest figure still goes out at the end of the interval, so a
      // burst followed by a quiet spell does not leave a stale report on screen.
      this.trailing ??= setTimeout(() => {
        this.trailing = undefined;
        this.emit(true);
      }, Math.max(1, this.intervalMs - (t - this.lastEmitAt)));
      this.trailing.unref?.();
      return;
    }
    if (this.trailing) clearTimeout(this.trailing);
    this.trailing = undefined;
    const shown = Math.max(this.lastReported, actual);
    const first = this.samples[0]!;
    const dt = (t - first.t) / 1000;
    const bytesPerSecond = dt > 0 ? Math.max(0, (actual - first.bytes) / dt) : 0;
    const report: TransferProgress = {
      transferredBytes: shown,
      totalBytes: this.total,
      bytesPerSecond: Math.round(bytesPerSecond),
      phase: this.phase,
    };
    if (this.phase !== 'done') report.keptBytes = this.keptBytes;
    if (bytesPerSecond > 0 && this.phase === 'transferring') report.etaSeconds = Math.ceil((this.total - shown) / bytesPerSecond);
    this.lastReported = shown;
    this.lastEmitAt = t;
    // A listener throwing must not break the transfer.
    try {
      this.onProgress(report);
    } catch {
      /* ignored on purpose */
    }
  }
}

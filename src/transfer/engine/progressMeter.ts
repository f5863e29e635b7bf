// Byte-level progress for one transfer: counts bytes inside parts still in flight, never goes
// backwards (a failed attempt's bytes are taken back silently until real progress passes the
// last report again), never exceeds the total, and reports at most ~4 times a second.

export type TransferPhase = 'preparing' | 'transferring' | 'completing' | 'done';

export interface TransferProgress {
  transferredBytes: number;
  totalBytes: number;
  bytesPerSecond: number;
  etaSeconds?: number;
  phase: TransferPhase;
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
    this.committed += length;
    this.emit(false);
  }

  /** The single report with phase 'done'; only call once the transfer really finished. */
  finish(): void {
    if (this.finished) return;
    this.phase = 'done';
    this.committed = this.total;
    this.inFlight.clear();
    this.inFlightSum = 0;
    this.emit(true);
    this.close();
  }

  /** No report after this: the transfer has returned (successfully or not). */
  close(): void {
    this.finished = true;
    if (this.trailing) clearTimeout(this.trailing);
    this.trailing = undefined;
  }

  /** The figure last reported (for tests and the final result). */
  get reportedBytes(): number {
    return Math.max(0, this.lastReported);
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

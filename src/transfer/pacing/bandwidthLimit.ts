// A cap on bytes per second shared by every transfer that holds it: a token bucket kept as one
// time stamp (the moment the bytes granted so far would have left at exactly the cap, GCRA's
// "theoretical arrival time"). Bytes may run ahead of that moment by at most `burstSeconds`, so
// over any window of W seconds no more than rate x (W + burstSeconds) bytes, plus the one chunk
// being granted, pass: with the default 0.1 s that is within 2 % over 5 seconds.
import { TransferError } from '../transferError.js';

export interface BandwidthLimitOptions {
  /** How far (seconds of the rate) bytes may run ahead of the cap. Default 0.1. */
  burstSeconds?: number;
  /** ms clock; tests move it. */
  now?: () => number;
}

export class BandwidthLimit {
  private rate: number;
  private readonly burstMs: number;
  private readonly now: () => number;
  /** When the bytes granted so far have left at the cap (ms, `now`'s clock). */
  private tat = -Infinity;
  private waits = 0;

  /** `bytesPerSecond` 0 (or Infinity) = no limit. */
  constructor(bytesPerSecond: number, opts: BandwidthLimitOptions = {}) {
    this.rate = checkRate(bytesPerSecond);
    this.burstMs = (opts.burstSeconds ?? 0.1) * 1000;
    this.now = opts.now ?? (() => performance.now());
  }

  /** Bytes per second; 0 = no limit. */
  get bytesPerSecond(): number {
    return this.rate;
  }

  /**
   * Grants so far that had to wait: it grows while the cap, not the link, holds the transfers back
   * (a LinkPacer then stops adding requests, which would carry nothing more).
   */
  get waitCount(): number {
    return this.waits;
  }

  /** A new cap applies to the next bytes granted (a settings change reaches running transfers). */
  setRate(bytesPerSecond: number): void {
    const rate = checkRate(bytesPerSecond);
    if (rate === this.rate) return;
    this.rate = rate;
    this.tat = -Infinity;
  }

  /** Grants `bytes` now and says how many ms the caller must wait before sending them. */
  reserve(bytes: number): number {
    if (this.rate === 0 || bytes <= 0) return 0;
    const now = this.now();
    this.tat = Math.max(this.tat, now) + (bytes * 1000) / this.rate;
    const wait = Math.max(0, this.tat - this.burstMs - now);
    if (wait > 0) this.waits++;
    return wait;
  }

  /** Waits until `bytes` may go; rejects with TransferError Aborted when `signal` fires first. */
  async take(bytes: number, signal?: AbortSignal): Promise<void> {
    const wait = this.reserve(bytes);
    if (wait <= 0) return;
    await new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(cancelled(signal));
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.ceil(wait));
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(cancelled(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function checkRate(bytesPerSecond: number): number {
  if (bytesPerSecond === Infinity) return 0;
  if (typeof bytesPerSecond !== 'number' || !Number.isFinite(bytesPerSecond) || bytesPerSecond < 0) {
    throw new RangeError(`a bandwidth limit must be a number of bytes per second of at least 0 (got ${String(bytesPerSecond)})`);
  }
  return bytesPerSecond;
}

function cancelled(signal: AbortSignal | undefined): TransferError {
  return new TransferError('Aborted', 'The transfer was cancelled', { cause: signal?.reason });
}

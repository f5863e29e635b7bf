// The one speed the UI shows. Every place that shows a speed or a time left (a Transfers row, a
// batch's notification, the status bar) reads it from one TransferSpeeds, so they agree: a row's
// speed is its transfer's, a batch's and the status bar's are the sums over the transfers that run.
// Per transfer it is the time-weighted exponential smoothing of its bytes: irregular sampling gets
// the right weight, a stall decays the speed instead of freezing it (and after STALLED_MS without a
// byte there is no speed, hence no time left, rather than a long tail of B/s and hours), and a
// transfer that stops (paused, failed, done) has no speed and starts afresh when it runs again.
// No vscode import.
import type { TransferItem } from '../../transfer/batch/transferTypes.js';

export interface TransferSpeedsOptions {
  /** Time constant of the smoothing. */
  smoothingMs?: number;
  now?: () => number;
}

/** Samples closer together than this add nothing but noise (bytes arrive in report-sized steps). */
const MIN_STEP_MS = 100;
/** A transfer's first speed is measured over at least this long, so it is not one report's burst. */
const FIRST_SPAN_MS = 500;
/** A transfer not looked at for this long is forgotten (it was removed, or nobody shows it). */
const FORGET_MS = 60_000;
/** No new byte for this long: stalled, no speed. */
export const STALLED_MS = 10_000;

interface Track {
  at: number;
  bytes: number;
  /** When its bytes last grew. */
  movedAt: number;
  speed: number;
  known: boolean;
  seenAt: number;
}

export class TransferSpeeds {
  readonly now: () => number;
  private readonly smoothingMs: number;
  private readonly tracks = new Map<string, Track>();
  private lastSweep = 0;

  constructor(opts: TransferSpeedsOptions = {}) {
    this.smoothingMs = opts.smoothingMs ?? 3000;
    this.now = opts.now ?? (() => Date.now());
    if (!(this.smoothingMs > 0)) throw new RangeError('TransferSpeeds: smoothingMs must be > 0');
  }

  /** Takes in the items' bytes at time `t` (default now). Any number of callers may observe the same items. */
  observe(items: readonly TransferItem[], t = this.now()): void {
    const running = new Set<string>();
    for (const it of items) {
      if (it.state !== 'running') continue;
      running.add(it.id);
      this.step(it.id, Math.max(0, it.transferredBytes), t);
    }
    // Stopped: no speed, and a fresh start when it runs again (its bytes may restart lower).
    for (const it of items) if (!running.has(it.id)) this.tracks.delete(it.id);
    if (t - this.lastSweep > FORGET_MS) {
      this.lastSweep = t;
      for (const [id, tr] of this.tracks) if (t - tr.seenAt > FORGET_MS) this.tracks.delete(id);
    }
  }

  /** The speed of one transfer in bytes/s: 0 when it is not running or not yet measured. */
  speedOf(id: string): number {
    const tr = this.tracks.get(id);
    if (!tr?.known || this.now() - tr.movedAt >= STALLED_MS) return 0;
    return tr.speed;
  }

  /** Seconds until the item is done at its speed; undefined when it has none. */
  etaOf(it: TransferItem): number | undefined {
    const speed = it.state === 'running' ? this.speedOf(it.id) : 0;
    if (!(speed > 0)) return undefined;
    return Math.ceil(Math.max(0, it.totalBytes - it.transferredBytes) / speed);
  }

  private step(id: string, bytes: number, t: number): void {
    const tr = this.tracks.get(id);
    if (!tr) {
      this.tracks.set(id, { at: t, bytes, movedAt: t, speed: 0, known: false, seenAt: t });
      return;
    }
    tr.seenAt = t;
    const dt = t - tr.at;
    if (bytes < tr.bytes) {
      // Went back (a restart from a smaller checkpoint): measure again from here.
      Object.assign(tr, { at: t, bytes, movedAt: t, speed: 0, known: false });
      return;
    }
    if (bytes > tr.bytes) tr.movedAt = t;
    if (dt < (tr.known ? MIN_STEP_MS : FIRST_SPAN_MS)) return;
    const instant = ((bytes - tr.bytes) * 1000) / dt;
    if (!tr.known) {
      tr.speed = instant;
      tr.known = bytes > tr.bytes;
    } else {
      tr.speed += (1 - Math.exp(-dt / this.smoothingMs)) * (instant - tr.speed);
    }
    tr.at = t;
    tr.bytes = bytes;
  }
}

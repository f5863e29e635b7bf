// A watchdog for a body that must keep moving at a minimum average speed: the idle timer misses a
// server that trickles one byte every few hundred milliseconds, which keeps a part alive forever.
// Bytes are counted in slots of a fifth of the window; once a whole window has passed below the
// floor, onTooSlow runs once. Time our own side spends not reading (the consumer applying
// backpressure, a local file read) is held out: a slow disk is not a slow network.
// The interval is unref'd and starts on the first release(), so an unread body costs nothing.

export interface SpeedFloorOptions {
  /** Average bytes per second a body must keep up; 0 turns the floor off. */
  minBytesPerSec: number;
  /** How long the average must stay below the floor before giving up, ms. */
  windowMs: number;
}

const SLOTS = 5;

/** Runs `fn` every `ms` until cancelled; injectable so tests can step time by hand. */
export type Ticker = (fn: () => void, ms: number) => { cancel(): void };

const realTicker: Ticker = (fn, ms) => {
  const timer = setInterval(fn, ms);
  timer.unref();
  return { cancel: () => clearInterval(timer) };
};

export class SpeedFloor {
  private timer: { cancel(): void } | undefined;
  private readonly slots: number[] = [];
  private current = 0;
  private held = true;
  /** Held at some point since the last tick: that slot does not count. */
  private heldSinceTick = true;
  private stopped = false;

  constructor(
    private readonly opts: SpeedFloorOptions,
    private readonly onTooSlow: (movedBytes: number) => void,
    private readonly ticker: Ticker = realTicker,
  ) {
    if (!(opts.minBytesPerSec > 0) || !(opts.windowMs > 0)) this.stopped = true;
  }

  add(bytes: number): void {
    this.current += bytes;
  }

  /** Our side stopped reading or writing; the clock does not run against the server. */
  hold(): void {
    this.held = true;
    this.heldSinceTick = true;
  }

  /** Our side is ready again (also starts the watch). */
  release(): void {
    if (this.stopped) return;
    this.held = false;
    this.timer ??= this.ticker(() => this.tick(), Math.max(1, Math.round(this.opts.windowMs / SLOTS)));
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private tick(): void {
    if (this.heldSinceTick) {
      // A window interrupted by our own pause starts over.
      this.slots.length = 0;
      this.current = 0;
      this.heldSinceTick = this.held;
      return;
    }
    this.slots.push(this.current);
    this.current = 0;
    if (this.slots.length > SLOTS) this.slots.shift();
    if (this.slots.length < SLOTS) return;
    const moved = this.slots.reduce((a, b) => a + b, 0);
    if (moved < (this.opts.minBytesPerSec * this.opts.windowMs) / 1000) {
      this.stop();
      this.onTooSlow(moved);
    }
  }
}

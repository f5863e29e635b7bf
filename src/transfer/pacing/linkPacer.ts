// The slots of one link (one direction of it): how many requests all the transfers sharing it may
// have in flight, and the measurements that move that number. A TransferManager keeps one per
// direction for every batch; a transfer started on its own gets its own.
//
// A request holds a slot from before its first byte until its part is recorded. take() waits,
// first come first served, while the slots in use reach the target; give() hands a slot to the
// next waiter. The target comes from ConcurrencyController, fed every interval with the bytes the
// transfers reported (moved()), how many slots were busy on average, and the trouble they met
// (throttling, timeouts, dropped connections: trouble()). A pinned pacer does not adapt.
import { DEFAULT_CONNECTIONS } from '../../oss/index.js';
import { TransferError } from '../transferError.js';
import { ConcurrencyController, type ControllerOptions } from './concurrencyController.js';

export interface LinkPacerOptions {
  /** Start here (default START_REQUESTS). */
  initial?: number;
  /** Never above (default MAX_REQUESTS). */
  max?: number;
  /** A fixed target: no adapting (a limit the server enforces per request needs a known count). */
  pinned?: number;
  /** Length of one measurement interval, ms (default INTERVAL_MS). */
  intervalMs?: number;
  /** ms clock; tests move it. */
  now?: () => number;
  /** No timer: the owner calls tick() (tests). */
  manualTicks?: boolean;
  /** The controller's finer knobs (tests). */
  controller?: Partial<ControllerOptions>;
  /**
   * The bandwidth cap these transfers keep, if any: an interval in which it held them back at (near)
   * its rate says nothing about the link.
   */
  limit?: CapView;
}

/** What a pacer reads of a BandwidthLimit. */
export interface CapView {
  readonly waitCount: number;
  readonly bytesPerSecond: number;
}

/**
 * Carrying at least this share of the cap while it made someone wait: the cap, not the link, was
 * the limit (no more requests); at least AT_CAP_SHARE: all of it (fewer may do). The gap between
 * the two keeps a noisy interval from flipping the decision.
 */
const CAPPED_SHARE = 0.9;
const AT_CAP_SHARE = 0.97;

/** A few requests to start with: enough for a near server, few enough for a thin link. */
export const START_REQUESTS = 8;
/** The most requests in flight per direction: the client's connections per origin. */
export const MAX_REQUESTS = DEFAULT_CONNECTIONS;
/**
 * The most parts one adaptive transfer has in flight, whatever the pacer allows: a part holds two
 * 1 MiB read buffers (uploads: 64 MiB at most). Each part ends with an idle round trip, and the
 * tapered end of an upload has short parts, so a link capped per connection needs some requests
 * beyond the ones that just fill it: through an emulated 150 ms / 4 MiB/s-a-connection / 60 MiB/s
 * link, 1 GiB up carried 66-87 % of the link with at most 16 parts (the controller asked for 32)
 * and 88-89 % with 32, alternating under the same load.
 */
export const MAX_PARTS_IN_FLIGHT = 32;
export const INTERVAL_MS = 250;
/**
 * How a pacer of `direction` measures. Download progress counts bytes as they arrive: quarter
 * seconds, a probe judged on two. Upload progress counts the bytes handed to the socket, and a
 * socket's buffer can hold a second of a slow connection's bytes (a part looks sent a second before
 * it arrives, and parts that started together look idle together): half seconds, a change given a
 * second to take effect, a probe judged on the mean of two seconds. Measured through an emulated
 * 150 ms / 4 MiB/s-a-connection link, 1 GiB up: a 1 s interval ramped too slowly (77 % of the
 * link), a 500 ms one judged on single intervals drifted down to 12 of 16 requests on noise.
 */
export function timingFor(direction: 'upload' | 'download'): Pick<LinkPacerOptions, 'intervalMs' | 'controller'> {
  return direction === 'upload'
    ? { intervalMs: 500, controller: { settleIntervals: 2, probeSamples: 4 } }
    : { intervalMs: INTERVAL_MS, controller: { probeSamples: 2 } };
}
/**
 * Under a bandwidth cap a transfer starts with as many requests as fill the cap if each carries
 * this much, and adds more only if they still carry more. Fewer requests under a cap also means
 * less overshoot: every connection of a download can hold a socket buffer of bytes ahead of what
 * the engine has read.
 */
export const CAPPED_START_RATE = 4 * 1024 * 1024;

/** Requests to start with: START_REQUESTS, or fewer under a cap of `capBytesPerSecond`. */
export function startRequests(capBytesPerSecond = 0): number {
  if (!(capBytesPerSecond > 0)) return START_REQUESTS;
  return Math.min(START_REQUESTS, Math.max(1, Math.ceil(capBytesPerSecond / CAPPED_START_RATE)));
}

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/** Where a transfer takes the slots for its requests: a LinkPacer, or a lane of one (see PacerLane). */
export interface SlotSource {
  /** Waits for a slot; with `force`, takes one at once even above the target (a fixed parallelism). */
  take(signal?: AbortSignal, force?: boolean): Promise<void>;
  give(): void;
  /** Bytes moved by a request (progress), whatever its outcome. */
  moved(bytes: number): void;
  /** A request failed in a way that says the link or server is overloaded. */
  trouble(): void;
  /** Bytes per second one request carried lately, when measured. */
  readonly perRequestRate: number | undefined;
  /** Requests that may be in flight now on the link. */
  readonly target: number;
}

export class LinkPacer implements SlotSource {
  private used = 0;
  private readonly waiters: Waiter[] = [];
  private readonly roomListeners = new Set<() => void>();
  private controller: ConcurrencyController;
  private readonly controllerOptions: ControllerOptions;
  private pinnedAt: number | undefined;
  private readonly now: () => number;
  private readonly intervalMs: number;
  private readonly manual: boolean;
  private timer: NodeJS.Timeout | undefined;
  // The interval being measured.
  private bytes = 0;
  private troubles = 0;
  private busyMs = 0;
  private since: number;
  private lastUse: number;
  /** Last take or give: a pacer idle for a few intervals stops its timer. */
  private lastActive: number;
  private perRequest: number | undefined;
  private closed = false;
  private readonly limit: CapView | undefined;
  private limitWaits = 0;

  constructor(opts: LinkPacerOptions = {}) {
    this.now = opts.now ?? (() => performance.now());
    this.intervalMs = opts.intervalMs ?? INTERVAL_MS;
    this.manual = opts.manualTicks ?? false;
    this.limit = opts.limit;
    this.limitWaits = this.limit?.waitCount ?? 0;
    this.since = this.lastUse = this.lastActive = this.now();
    const max = Math.max(1, Math.floor(opts.max ?? MAX_REQUESTS));
    if (opts.pinned !== undefined) this.pinnedAt = Math.max(1, Math.floor(opts.pinned));
    this.controllerOptions = { initial: Math.min(max, opts.initial ?? START_REQUESTS), min: 1, max, ...opts.controller };
    this.controller = new ConcurrencyController(this.controllerOptions);
  }

  /** Starts adapting afresh from `initial` (the conditions changed: a cap was set or lifted). */
  restart(initial: number): void {
    this.controller = new ConcurrencyController({ ...this.controllerOptions, initial: Math.min(this.controllerOptions.max, initial) });
    this.wake();
  }

  /** Requests that may be in flight now. */
  get target(): number {
    return this.pinnedAt ?? this.controller.target;
  }

  /** Slots in use. */
  get inFlight(): number {
    return this.used;
  }

  get perRequestRate(): number | undefined {
    return this.perRequest;
  }

  /** Holds the target at `n` (a server-enforced limit), or lets it adapt again (undefined). */
  pin(n: number | undefined): void {
    this.pinnedAt = n === undefined ? undefined : Math.max(1, Math.floor(n));
    this.wake();
  }

  tryTake(count = 1, force = false): boolean {
    if (!force && (this.waiters.length > 0 || this.used + count > this.target)) return false;
    this.account();
    this.lastActive = this.now();
    this.used += count;
    this.startTimer();
    return true;
  }

  take(signal?: AbortSignal, force = false): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelled(signal));
    if (this.tryTake(1, force)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.waiters.indexOf(w);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(cancelled(signal));
          this.wake(); // the next waiter may fit now
        },
      };
      signal?.addEventListener('abort', w.onAbort, { once: true });
      this.waiters.push(w);
    });
  }

  give(count = 1): void {
    this.account();
    this.lastActive = this.now();
    this.used = Math.max(0, this.used - count);
    this.wake();
  }

  /** A slot source that first uses `held` slots already taken for one transfer (see PacerLane). */
  lane(held: number): PacerLane {
    return new PacerLane(this, held);
  }

  moved(bytes: number): void {
    if (bytes > 0) this.bytes += bytes;
  }

  trouble(): void {
    this.troubles++;
  }

  /**
   * Calls `listener` once, the next time a slot frees or the target grows while nobody waits: a
   * queue of files (TransferManager) checks then whether its next file may start.
   */
  onRoom(listener: () => void): void {
    this.roomListeners.add(listener);
  }

  /** Ends one measurement interval (the timer calls it; tests call it by hand). */
  tick(): void {
    this.account();
    const now = this.now();
    const seconds = (now - this.since) / 1000;
    if (seconds <= 0) return;
    const waits = this.limit?.waitCount ?? 0;
    const capRate = this.limit?.bytesPerSecond ?? 0;
    const held = waits !== this.limitWaits && capRate > 0;
    const carried = this.bytes / seconds;
    const capped = held && carried >= CAPPED_SHARE * capRate;
    const atCap = held && carried >= AT_CAP_SHARE * capRate;
    const sample = { bytes: this.bytes, seconds, busy: this.busyMs / 1000 / seconds, troubles: this.troubles, capped, atCap };
    this.limitWaits = waits;
    this.bytes = 0;
    this.troubles = 0;
    this.busyMs = 0;
    this.since = now;
    if (sample.busy >= 0.5 && sample.bytes > 0) {
      const r = sample.bytes / seconds / sample.busy;
      this.perRequest = this.perRequest === undefined ? r : this.perRequest * 0.7 + r * 0.3;
    }
    const before = this.target;
    this.controller.observe(sample);
    if (this.target > before) this.wake();
    // Idle for a few intervals: stop ticking until the next take.
    if (this.used === 0 && this.waiters.length === 0 && now - this.lastActive > 4 * this.intervalMs) this.stopTimer();
  }

  /** Stops the timer and fails whoever still waits. */
  close(): void {
    this.closed = true;
    this.stopTimer();
    for (const w of this.waiters.splice(0)) {
      w.signal?.removeEventListener('abort', w.onAbort);
      w.reject(new TransferError('Aborted', 'The transfers sharing this link were stopped'));
    }
    this.roomListeners.clear();
  }

  /** Adds the time since the last change, weighted by the slots in use, to the busy figure. */
  private account(): void {
    const now = this.now();
    const last = Math.max(this.lastUse, this.since);
    if (this.used > 0) this.busyMs += this.used * Math.max(0, now - last);
    this.lastUse = now;
  }

  private wake(): void {
    if (this.waiters.length > 0) this.account();
    while (this.waiters.length > 0 && this.used < this.target) {
      const w = this.waiters.shift()!;
      w.signal?.removeEventListener('abort', w.onAbort);
      this.used++;
      w.resolve();
    }
    if (this.waiters.length > 0 || this.used >= this.target || this.roomListeners.size === 0) return;
    const listeners = [...this.roomListeners];
    this.roomListeners.clear();
    for (const l of listeners) l();
  }

  private startTimer(): void {
    if (this.manual || this.timer || this.closed) return;
    this.since = this.now();
    this.bytes = 0;
    this.troubles = 0;
    this.busyMs = 0;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref?.();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/**
 * One transfer's view of a LinkPacer when the transfer already holds `held` slots (the queue took
 * them before starting it): its first requests use those, further ones wait at the pacer. close()
 * gives the held slots back.
 */
export class PacerLane implements SlotSource {
  private free: number;
  /** Slots taken from the pacer beyond the held ones. */
  private extra = 0;
  private closed = false;

  constructor(
    private readonly pacer: LinkPacer,
    private readonly held: number,
  ) {
    this.free = held;
  }

  get perRequestRate(): number | undefined {
    return this.pacer.perRequestRate;
  }

  get target(): number {
    return this.pacer.target;
  }

  async take(signal?: AbortSignal, force = false): Promise<void> {
    if (signal?.aborted) throw cancelled(signal);
    if (this.free > 0) {
      this.free--;
      return;
    }
    await this.pacer.take(signal, force);
    this.extra++;
  }

  give(): void {
    // Slots are alike: an extra one goes back first, so the lane shrinks to what it holds.
    if (this.extra > 0) {
      this.extra--;
      this.pacer.give();
    } else {
      this.free = Math.min(this.held, this.free + 1);
    }
  }

  moved(bytes: number): void {
    this.pacer.moved(bytes);
  }

  trouble(): void {
    this.pacer.trouble();
  }

  /** Gives the held slots (and any extra still out, which a finished transfer has not) back. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pacer.give(this.held + this.extra);
    this.extra = 0;
  }
}

function cancelled(signal: AbortSignal | undefined): TransferError {
  return new TransferError('Aborted', 'The transfer was cancelled', { cause: signal?.reason });
}

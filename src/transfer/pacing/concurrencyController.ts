// How many requests should be in flight, decided from what the link delivered. Pure: it is fed one
// measurement per interval (bytes moved, how busy the requests were, whether anything failed) and
// answers with the next target; the clock, the slots and the timer live in LinkPacer.
//
// The rule is a hill climb with a slow start, the shape TCP's congestion control has:
// - slow start: double the target while each doubling still buys a real share of the throughput
//   it could (a link capped per connection scales with the count until a shared bottleneck binds);
// - once a doubling stops paying, settle a little above the knee it found (a few spare requests
//   hide the idle round trip between one part and the next), then now and then probe a step up
//   (twice) or down (once), keeping whichever level carries the most (fewer requests when they tie);
// - on throttling, timeouts or dropped connections, cut the target by a factor and hold it there
//   for a while before probing again.
// An interval in which the transfers did not fill the target (not enough work, a transfer
// ending) says nothing about the link, so it changes nothing but the record of failures. Under a
// bandwidth cap that holds the transfers back, more requests cannot help: the controller stops
// climbing and only probes down, to the fewest requests that still carry the cap.

export interface ControllerOptions {
  /** Target to start with. */
  initial: number;
  /** Never below this. */
  min: number;
  /** Never above this (the connection pool, memory). */
  max: number;
  /**
   * Share of the proportional gain a doubling must show to go on doubling: 0.2 asks a doubling of
   * requests for at least 20 % more throughput.
   */
  slowStartGain?: number;
  /** Throughput gain a probe one step up must show to be kept (0.04 = 4 %). */
  probeGain?: number;
  /** Throughput a probe one step down may lose and still be kept (0.03 = 3 %). */
  probeLoss?: number;
  /** Factor applied to the target on trouble. */
  backoff?: number;
  /** Intervals to wait after a change before the level is judged (new requests need to get going). */
  settleIntervals?: number;
  /** Judged intervals between probes in the steady phase. */
  probeEvery?: number;
  /** Judged intervals without probing after a back-off. */
  holdAfterTrouble?: number;
  /** Judged intervals without probing once a step down under a cap found its floor. */
  holdUnderCap?: number;
  /** Intervals a probe is judged on (their mean): more where one interval's figure is noisy. */
  probeSamples?: number;
}

/** One measurement interval, as LinkPacer saw it. */
export interface IntervalSample {
  /** Bytes moved by every transfer together. */
  bytes: number;
  seconds: number;
  /** Time-averaged requests in flight during the interval. */
  busy: number;
  /** Throttling answers (503 SlowDown and the like), timeouts and dropped connections seen. */
  troubles: number;
  /** A bandwidth cap held the transfers back (they carried most of it): more requests would carry nothing more. */
  capped?: boolean;
  /** They carried all of the cap (give or take noise): fewer requests may do as well. */
  atCap?: boolean;
}

export type ControllerPhase = 'slow-start' | 'steady' | 'probing-up' | 'probing-down';

/** Intervals a step down waits at most for the requests in flight to come down to its level. */
const MAX_DRAIN_INTERVALS = 16;
/** Busy below this share of the target: the transfers did not ask for more, so the link was not measured. */
const DEMAND_SHARE = 0.75;

export class ConcurrencyController {
  private level: number;
  private phase: ControllerPhase = 'slow-start';
  /** Intervals still to skip before judging the current level. */
  private settle = 0;
  /** Slow start: the level before the last doubling and what it carried. */
  private previous: { level: number; rate: number } | undefined;
  /** Slow start: the rate of a doubling that seemed not to pay, waiting for a second look. */
  private doubt: number | undefined;
  /** Steady: the level probes return to and what it carries (smoothed). */
  private base: { level: number; rate: number } | undefined;
  private judged = 0;
  private hold = 0;
  /** The last interval was held back by a bandwidth cap, and carried all of it. */
  private capped = false;
  private atCap = false;
  /** The running probe started under a cap. */
  private probeCapped = false;
  /** The running probe's intervals so far. */
  private probeRates: number[] = [];
  /** Intervals a step down has waited for the requests in flight to come down to it. */
  private draining = 0;
  /** Probes so far in the steady phase: every third goes down (a step down costs throughput when the level is right). */
  private probes = 0;
  private readonly o: Required<ControllerOptions>;

  constructor(options: ControllerOptions) {
    this.o = {
      slowStartGain: 0.2,
      probeGain: 0.04,
      probeLoss: 0.03,
      backoff: 0.7,
      settleIntervals: 1,
      probeEvery: 3,
      holdAfterTrouble: 4,
      holdUnderCap: 20,
      probeSamples: 1,
      ...options,
    };
    if (!(this.o.min >= 1 && this.o.max >= this.o.min)) throw new RangeError(`bad bounds ${this.o.min}..${this.o.max}`);
    this.level = this.clamp(this.o.initial);
    this.settle = this.o.settleIntervals;
  }

  get target(): number {
    return this.level;
  }

  get state(): ControllerPhase {
    return this.phase;
  }

  /** A new ceiling (memory or pool changed): the target follows at once if above it. */
  setMax(max: number): void {
    this.o.max = Math.max(this.o.min, Math.floor(max));
    if (this.level > this.o.max) this.change(this.o.max);
  }

  /** Feeds one interval; returns the target for the next. */
  observe(s: IntervalSample): number {
    if (s.troubles > 0) return this.backOff();
    if (this.settle > 0) {
      this.settle--;
      return this.level;
    }
    if (!(s.seconds > 0) || s.busy < DEMAND_SHARE * this.level) return this.level;
    const rate = s.bytes / s.seconds;
    this.capped = s.capped === true;
    this.atCap = this.capped && s.atCap === true;
    switch (this.phase) {
      case 'slow-start':
        if (this.capped) {
          this.phase = 'steady';
          this.base = { level: this.level, rate };
          return this.level;
        }
        return this.slowStart(rate);
      case 'probing-up':
      case 'probing-down': {
        // A step down takes effect only as requests in flight finish: until they are down to the
        // new level, the interval still measured the old one. (Not forever: requests a fixed
        // parallelism forces beyond the target never drain.)
        if (this.phase === 'probing-down' && s.busy > this.level + 0.5 && ++this.draining <= MAX_DRAIN_INTERVALS) return this.level;
        this.probeRates.push(rate);
        if (this.probeRates.length < this.o.probeSamples) return this.level;
        const mean = this.probeRates.reduce((a, b) => a + b, 0) / this.probeRates.length;
        this.probeRates = [];
        if (this.phase === 'probing-up') return this.probed(mean, mean >= this.base!.rate * (1 + this.o.probeGain));
        // Under a cap, a step down is kept only while the cap still holds the transfers back.
        return this.probed(mean, mean >= this.base!.rate * (1 - this.o.probeLoss) && (!this.probeCapped || this.atCap));
      }
      case 'steady':
        return this.steady(rate);
    }
  }

  private slowStart(rate: number): number {
    const prev = this.previous;
    if (prev && this.level > prev.level) {
      // One noisy interval must not end the climb: a doubling that seems not to pay is measured
      // again, and judged on the mean of both intervals.
      const measured = this.doubt ? (this.doubt + rate) / 2 : rate;
      const ideal = this.level / prev.level - 1;
      const gained = measured / Math.max(1, prev.rate) - 1;
      if (gained < this.o.slowStartGain * ideal) {
        if (this.doubt === undefined) {
          this.doubt = rate;
          return this.level;
        }
        this.doubt = undefined;
        // The knee lies where the throughput stopped following the count: the earlier level
        // scaled by what the doubling still bought, plus a quarter to cover the gaps between parts
        // (never below the earlier level, which was measured to carry what it did).
        const knee = prev.level * Math.max(1, measured / Math.max(1, prev.rate));
        const settled = this.clamp(Math.max(prev.level, Math.ceil(knee * 1.25)));
        this.base = { level: settled, rate: Math.max(measured, prev.rate) };
        this.phase = 'steady';
        this.judged = 0;
        return this.change(settled);
      }
      rate = measured;
    }
    this.doubt = undefined;
    this.previous = { level: this.level, rate };
    if (this.level >= this.o.max) {
      this.phase = 'steady';
      this.base = { level: this.level, rate };
      return this.level;
    }
    return this.change(this.clamp(this.level * 2));
  }

  private steady(rate: number): number {
    const base = this.base ?? { level: this.level, rate };
    // Smoothed: one noisy interval should not move the reference a probe is judged against.
    this.base = { level: this.level, rate: base.level === this.level ? base.rate * 0.5 + rate * 0.5 : rate };
    if (this.hold > 0) {
      this.hold--;
      return this.level;
    }
    if (++this.judged < this.o.probeEvery) return this.level;
    this.judged = 0;
    const step = Math.max(1, Math.round(this.level / 8));
    // Under a cap never up; down only while all of the cap is carried.
    if (this.capped && !this.atCap) return this.level;
    const dir = ++this.probes % 3 === 0 || this.capped ? 'down' : 'up';
    const to = this.clamp(dir === 'up' ? this.level + step : this.level - step);
    if (to === this.level) return this.level;
    this.phase = dir === 'up' ? 'probing-up' : 'probing-down';
    this.probeCapped = this.capped;
    this.probeRates = [];
    this.draining = 0;
    return this.change(to);
  }

  /** The probe's level was judged: keep it when it paid, else go back to the base. */
  private probed(rate: number, kept: boolean): number {
    const base = this.base!;
    this.phase = 'steady';
    this.judged = 0;
    if (kept) {
      this.base = { level: this.level, rate };
      return this.level;
    }
    if (this.probeCapped && this.level < base.level) {
      // Under a cap the step down found the fewest requests that carry it: one step above that
      // leaves a margin for a slow moment, and probing rests a while (each probe costs throughput).
      this.hold = this.o.holdUnderCap;
      return this.change(this.clamp(base.level + Math.max(1, Math.round(base.level / 8))));
    }
    return this.change(base.level);
  }

  private backOff(): number {
    const to = this.clamp(Math.floor(this.level * this.o.backoff));
    this.phase = 'steady';
    this.previous = undefined;
    this.doubt = undefined;
    this.base = undefined;
    this.judged = 0;
    this.hold = this.o.holdAfterTrouble;
    this.probes = 0;
    return this.change(to);
  }

  private change(to: number): number {
    if (to !== this.level) this.settle = this.o.settleIntervals;
    this.level = to;
    return to;
  }

  private clamp(n: number): number {
    return Math.min(this.o.max, Math.max(this.o.min, Math.round(n)));
  }
}

// How steadily bytes crossed a link: a sampler of a byte counter (the emulated WAN's deliveries, or
// the test server's body bytes) and the rates over every window of a given length, for checking that
// a bandwidth cap holds "over any 5-second window" and not just on average.

export interface ByteSample {
  /** ms */
  t: number;
  bytes: number;
}

export interface RateFigures {
  /** Bytes per second from the first byte to the last. */
  mean: number;
  /** The busiest and quietest full windows, bytes per second (undefined when the transfer was shorter than a window). */
  maxWindow?: number;
  minWindow?: number;
  /** Seconds from the first byte to the last. */
  seconds: number;
}

/**
 * Rates over every window of `windowMs` that starts at a sample and ends at the first sample at
 * least `windowMs` later, within the span that moved bytes (leading and trailing idle samples are
 * not part of the transfer).
 */
export function rateFigures(samples: readonly ByteSample[], windowMs = 5000): RateFigures {
  if (samples.length < 2) return { mean: 0, seconds: 0 };
  const b0 = samples[0]!.bytes;
  const bEnd = samples[samples.length - 1]!.bytes;
  // The last sample before the first byte, and the first sample at the final count.
  let first = 0;
  while (first + 1 < samples.length && samples[first + 1]!.bytes === b0) first++;
  let last = samples.length - 1;
  while (last > first && samples[last - 1]!.bytes === bEnd) last--;
  const span = samples.slice(first, last + 1);
  const seconds = (span[span.length - 1]!.t - span[0]!.t) / 1000;
  const out: RateFigures = { mean: seconds > 0 ? (bEnd - b0) / seconds : 0, seconds };
  let j = 0;
  for (let i = 0; i < span.length; i++) {
    while (j < span.length && span[j]!.t - span[i]!.t < windowMs) j++;
    if (j >= span.length) break;
    const rate = ((span[j]!.bytes - span[i]!.bytes) * 1000) / (span[j]!.t - span[i]!.t);
    out.maxWindow = Math.max(out.maxWindow ?? -Infinity, rate);
    out.minWindow = Math.min(out.minWindow ?? Infinity, rate);
  }
  return out;
}

/** Samples `read()` every `everyMs` until stopped; stop() returns the samples. */
export function sampleBytes(read: () => number, everyMs = 100): { stop(): ByteSample[] } {
  const samples: ByteSample[] = [{ t: performance.now(), bytes: read() }];
  const timer = setInterval(() => samples.push({ t: performance.now(), bytes: read() }), everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      samples.push({ t: performance.now(), bytes: read() });
      return samples;
    },
  };
}

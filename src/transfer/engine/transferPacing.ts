// What one transfer takes from the link: slots for its parts (exactly `parallel` when the caller
// fixed it, else as many as the LinkPacer it shares allows), a bandwidth cap paced here, or the
// x-oss-traffic-limit each request carries when the server enforces the cap; and where it reports
// the bytes it moved and the trouble it met, which is what the pacer adapts to.
import { BandwidthLimit } from '../pacing/bandwidthLimit.js';
import { LinkPacer, MAX_PARTS_IN_FLIGHT, startRequests, timingFor, type SlotSource } from '../pacing/linkPacer.js';
import { serverLimitedRequests, trafficLimitPerRequest } from '../pacing/serverTrafficLimit.js';
import { TransferError } from '../transferError.js';
import { automaticPartSize, chooseParallel } from './partPlan.js';
import { cappedSlots, countedSlots, type PartSlots } from './partSlots.js';

export interface PacingOptions {
  /** Parts of this transfer in flight: a number fixes it; omitted, it adapts (see LinkPacer). */
  parallel?: number;
  /** The slots this transfer shares with others (TransferManager passes its own); omitted: its own. */
  pacer?: SlotSource;
  /** A cap in bytes per second: a number for this transfer alone, or a BandwidthLimit shared by several. */
  bandwidthLimit?: number | BandwidthLimit;
  /**
   * Who holds the cap: 'client' (default) paces the bytes here; 'server' sends each data request with
   * OSS's x-oss-traffic-limit, its share of the cap, and keeps the number of requests fixed.
   */
  bandwidthLimitBy?: 'client' | 'server';
}

export interface TransferPacing {
  slots: PartSlots;
  /** Parts this transfer runs at once when fixed; undefined when it adapts. */
  readonly fixed: number | undefined;
  /** Client-side pacing of the bytes, when a cap is kept here (its rate may be 0: no cap for now). */
  readonly limit: BandwidthLimit | undefined;
  /** x-oss-traffic-limit (bit/s) for each data request, when the server keeps the cap. */
  trafficLimit(): number | undefined;
  /** Bytes moved by a request (progress); feeds the pacer's measurements. */
  moved(bytes: number): void;
  /** A retried failure: throttling, a timeout or a dropped connection tells the pacer to back off. */
  trouble(err: unknown): void;
  /** The part size of a new multipart transfer when the caller gave none (see automaticPartSize). */
  partSizeFor(size: number): number;
  /** Releases what this transfer made for itself (its own pacer's timer). */
  close(): void;
}

export function checkPacingOptions(opts: PacingOptions, direction: 'upload' | 'download'): void {
  if (opts.parallel !== undefined) chooseParallel(direction, opts.parallel);
  const limit = opts.bandwidthLimit;
  if (limit !== undefined && !(limit instanceof BandwidthLimit) && (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 0)) {
    throw new TransferError('InvalidArgument', `bandwidthLimit must be a number of bytes per second of at least 0, or a BandwidthLimit (got ${String(limit)})`);
  }
  if (opts.bandwidthLimitBy !== undefined && opts.bandwidthLimitBy !== 'client' && opts.bandwidthLimitBy !== 'server') {
    throw new TransferError('InvalidArgument', `bandwidthLimitBy must be 'client' or 'server' (got ${String(opts.bandwidthLimitBy)})`);
  }
}

export function pacingFor(opts: PacingOptions, direction: 'upload' | 'download'): TransferPacing {
  checkPacingOptions(opts, direction);
  const fixed = opts.parallel;
  const cap = opts.bandwidthLimit instanceof BandwidthLimit ? opts.bandwidthLimit : opts.bandwidthLimit ? new BandwidthLimit(opts.bandwidthLimit) : undefined;
  const byServer = opts.bandwidthLimitBy === 'server' && cap !== undefined && cap.bytesPerSecond > 0;
  // A transfer on its own measures its own link; one whose parallelism is fixed needs no pacer.
  const own =
    !opts.pacer && fixed === undefined
      ? new LinkPacer(
          byServer
            ? { pinned: serverLimitedRequests(cap.bytesPerSecond) }
            : { initial: startRequests(cap?.bytesPerSecond), ...timingFor(direction), ...(cap ? { limit: cap } : {}) },
        )
      : undefined;
  const source: SlotSource | undefined = opts.pacer ?? own;
  const slots: PartSlots = fixed === undefined ? cappedSlots(source!, MAX_PARTS_IN_FLIGHT) : fixedSlots(fixed, source);
  // A shared cap is kept even while it is 0: a cap set later applies to this transfer at once.
  const limit = cap && !byServer ? cap : undefined;
  return {
    slots,
    fixed,
    limit,
    trafficLimit: () => (byServer ? trafficLimitPerRequest(cap.bytesPerSecond, fixed ?? source!.target) : undefined),
    moved: (bytes) => source?.moved(bytes),
    trouble: (err) => {
      // Bad bytes (CRC, length) are not the link being full.
      if (!(err instanceof TransferError)) source?.trouble();
    },
    partSizeFor: (size) => automaticPartSize(size, source?.perRequestRate, limit?.bytesPerSecond),
    close: () => own?.close(),
  };
}

/** The trafficLimit option of a data request: present only when the server keeps the cap. */
export function trafficLimitOf(pacing: Pick<TransferPacing, 'trafficLimit'> | undefined): { trafficLimit?: number } {
  const bits = pacing?.trafficLimit();
  return bits === undefined ? {} : { trafficLimit: bits };
}

/**
 * Exactly `n` parts at once. With a shared pacer each slot is also counted there (taken at once,
 * above its target if need be: the caller's number is what runs), so other transfers see them.
 */
function fixedSlots(n: number, source: SlotSource | undefined): PartSlots {
  const local = countedSlots(n);
  if (!source) return local;
  return {
    async take(signal) {
      await local.take(signal);
      try {
        await source.take(signal, true);
      } catch (err) {
        local.give();
        throw err;
      }
    },
    give() {
      source.give();
      local.give();
    },
  };
}

// How many transfers may run at once, and what they share. Every request holds a slot of its
// direction's LinkPacer: a small file (one request) or a big one that adapts takes one slot to
// start and its parts take more as the pacer allows; a big file of fixed parallelism takes all its
// slots at once. Files start in queue order while the user's cap on files in flight
// (ossTransfer.concurrentFiles) and the pacer's target both allow, so a folder of small files keeps
// as many requests in flight as the link rewards while big files share the same slots. The target
// adapts to what the link delivers (see ConcurrencyController) and never passes the client's own
// pool size, so no request waits inside the HTTP pool for a socket. One bandwidth cap covers all.
import { DEFAULT_CONNECTIONS } from '../../oss/index.js';
import { chooseParallel, choosePartSize } from '../engine/partPlan.js';
import type { PacingOptions } from '../engine/transferPacing.js';
import { BandwidthLimit } from '../pacing/bandwidthLimit.js';
import { LinkPacer, startRequests, timingFor, type PacerLane } from '../pacing/linkPacer.js';
import { SERVER_LIMIT_REQUESTS, serverLimitedRequests } from '../pacing/serverTrafficLimit.js';
import type { TransferSettings, TransferSpec } from './transferTypes.js';

/** The most requests in flight per direction: the client's pool per origin. */
export const CONNECTION_BUDGET = DEFAULT_CONNECTIONS;

/** A file the engine moves in one request: its size is known and fits in one part. */
export function isSmallTransfer(spec: TransferSpec, settings: TransferSettings): boolean {
  if (spec.size === undefined) return false;
  try {
    return spec.size <= choosePartSize(spec.size, settings.partSize, spec.direction);
  } catch {
    return false; // a size or part size the engine refuses: it will say so when the file runs
  }
}

/**
 * Slots a transfer takes when it starts: one for a small file, and one for a big file that adapts
 * (its parts take more as the pacer allows); a fixed parallelism takes all of them.
 */
export function connectionCost(spec: TransferSpec, settings: TransferSettings): number {
  if (isSmallTransfer(spec, settings) || settings.parallel === undefined) return 1;
  try {
    return chooseParallel(spec.direction, settings.parallel);
  } catch {
    return 1;
  }
}

/** Whether one more transfer of `cost` may start beside `running` files holding `connections` of `budget` slots. */
export function mayStart(running: number, connections: number, cost: number, maxFiles: number, budget = CONNECTION_BUDGET): boolean {
  if (running >= maxFiles) return false;
  // Something always runs, even a transfer wider than the whole budget.
  return running === 0 || connections + cost <= budget;
}

/** The slots and the bandwidth cap one TransferManager's transfers share. */
export class ConnectionBudget {
  private readonly pacers: Record<TransferSpec['direction'], LinkPacer>;
  private limitBy: 'client' | 'server' = 'client';
  private pinned: number | undefined;

  /** `limit`: the cap every transfer waits for; its rate follows the settings (tests pass one that records its grants). */
  constructor(
    pacer: (direction: TransferSpec['direction']) => LinkPacer = (d) => new LinkPacer({ max: CONNECTION_BUDGET, limit: this.limit, ...timingFor(d) }),
    private readonly limit = new BandwidthLimit(0),
  ) {
    this.pacers = { upload: pacer('upload'), download: pacer('download') };
  }

  /**
   * Follows the settings: the cap and who keeps it. A cap the server keeps needs a known number of
   * requests sharing it, so the pacers are pinned to that number while it holds.
   */
  apply(settings: TransferSettings): void {
    const rate = settings.bandwidthLimit ?? 0;
    if (rate !== this.limit.bytesPerSecond) for (const p of Object.values(this.pacers)) p.restart(startRequests(rate));
    this.limit.setRate(rate);
    this.limitBy = settings.bandwidthLimitBy ?? 'client';
    const pin = this.limitBy === 'server' && rate > 0 ? serverLimitedRequests(rate, settings.parallel ?? SERVER_LIMIT_REQUESTS) : undefined;
    if (pin === this.pinned) return;
    this.pinned = pin;
    for (const p of Object.values(this.pacers)) p.pin(pin);
  }

  /**
   * The slots to start `spec` with (handed to its run, closed when it ends), or undefined when it
   * must wait; `onRoom` is then called once a slot of its direction frees or the target grows.
   */
  start(spec: TransferSpec, settings: TransferSettings, running: number, maxFiles: number, onRoom: () => void): PacerLane | undefined {
    const pacer = this.pacers[spec.direction];
    const cost = connectionCost(spec, settings);
    if (!mayStart(running, pacer.inFlight, cost, maxFiles, pacer.target)) {
      if (running < maxFiles) pacer.onRoom(onRoom);
      return undefined;
    }
    pacer.tryTake(cost, true);
    return pacer.lane(cost);
  }

  /** What a transfer's engine gets: its lane of the shared slots and the shared cap. */
  pacing(lane: PacerLane): Omit<PacingOptions, 'parallel'> {
    return { pacer: lane, bandwidthLimit: this.limit, bandwidthLimitBy: this.limitBy };
  }

  /** Requests the pacers allow now, per direction (for the log and tests). */
  targets(): Record<TransferSpec['direction'], number> {
    return { upload: this.pacers.upload.target, download: this.pacers.download.target };
  }

  close(): void {
    for (const p of Object.values(this.pacers)) p.close();
  }
}

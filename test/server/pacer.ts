// The `pace` fault's link: response bodies matched by one rule share one rate, as if the object sat
// behind a slow link. Each slice reserves its transmission time on the link and is sent when that
// time has passed, so parallel ranged GETs of the object together move at the rule's rate.
import type { FaultAction } from './serverTypes.js';

/** Bytes sent per wait: small enough that progress moves smoothly at a few MiB/s. */
export const PACE_SLICE = 64 * 1024;

export class Pacer {
  /** When (performance.now() ms) the link is free again. */
  private free = 0;

  constructor(
    readonly bytesPerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Reserves the link for `bytes`; returns how many ms to wait before sending them. */
  reserve(bytes: number): number {
    const t = this.now();
    this.free = Math.max(t, this.free) + (bytes * 1000) / this.bytesPerSecond;
    return this.free - t;
  }
}

const links = new WeakMap<FaultAction, Pacer>();

/** The one link of a `pace` rule (every request the rule matches gets the same action object). */
export function pacerFor(action: FaultAction | undefined): Pacer | undefined {
  if (action?.type !== 'pace') return undefined;
  let p = links.get(action);
  if (!p) links.set(action, (p = new Pacer(action.bytesPerSecond)));
  return p;
}

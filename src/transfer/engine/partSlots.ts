// The slots a part loop runs its parts in: taken before a part starts, given back once it is
// recorded. A fixed number of them is a plain counter; an adaptive transfer gets them from a
// LinkPacer (see transferPacing.ts).
import type { SlotSource } from '../pacing/linkPacer.js';
import { abortedError } from './retryPolicy.js';

export interface PartSlots {
  /** Resolves when one more part may start; rejects with TransferError Aborted when `signal` fires first. */
  take(signal: AbortSignal): Promise<void>;
  give(): void;
}

/** `n` slots at once (at least one), granted first come first served. */
export function countedSlots(n: number): PartSlots {
  let free = Math.max(1, n);
  const waiting: Array<() => void> = [];
  return {
    take: (signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(abortedError(signal));
        if (free > 0) {
          free--;
          return resolve();
        }
        const onAbort = (): void => {
          const i = waiting.indexOf(go);
          if (i >= 0) waiting.splice(i, 1);
          reject(abortedError(signal));
        };
        const go = (): void => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        signal.addEventListener('abort', onAbort, { once: true });
        waiting.push(go);
      }),
    give: () => {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}

/** Slots from `source`, of which this transfer holds at most `cap` at once (its own share of a shared pacer). */
export function cappedSlots(source: Pick<SlotSource, 'take' | 'give'>, cap: number): PartSlots {
  const own = countedSlots(cap);
  return {
    take: async (signal) => {
      await own.take(signal);
      try {
        await source.take(signal);
      } catch (err) {
        own.give();
        throw err;
      }
    },
    give: () => {
      source.give();
      own.give();
    },
  };
}

// Reading a streamed batch's source (a listing, a folder walk): each spec is handed on as it
// arrives, the reader waits while the batch's queue is full, and stops reading once the batch is
// cancelled or the manager closes. What the source threw is returned, not thrown: the batch's
// result carries it and the files already given still finish.
import type { TransferSpec } from './transferTypes.js';

export interface BatchSourceTarget {
  /** Takes the n-th spec (throws to stop the source, e.g. an invalid spec). */
  add(spec: TransferSpec, n: number): void;
  /** True once nothing more may be read. */
  stopped(): boolean;
  /** A promise to wait on while the queue is full; undefined when there is room. */
  room(): Promise<void> | undefined;
}

export async function readBatchSource(specs: AsyncIterable<TransferSpec>, target: BatchSourceTarget): Promise<unknown> {
  let n = 0;
  try {
    for await (const spec of specs) {
      if (target.stopped()) break;
      target.add(spec, n++);
      for (let wait = target.room(); wait && !target.stopped(); wait = target.room()) await wait;
      if (target.stopped()) break; // read nothing more once cancelled
    }
  } catch (err) {
    return err;
  }
  return undefined;
}

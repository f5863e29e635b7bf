// A batch's bookkeeping: which items belong to it, the last state seen of each (so an item
// discarded or cleared still counts), and the result that settles once every item is done,
// failed or cancelled (a paused item holds it open).
import { SETTLED_IN_BATCH, type BatchState, type Entry } from './transferEntry.js';
import { snapshot } from './transferSpecs.js';
import type { BatchResult, TransferBatch, TransferItem } from './transferTypes.js';

export class BatchBook {
  constructor(private readonly entries: ReadonlyMap<string, Entry>) {}

  open(id: string): { batch: BatchState; result: Promise<BatchResult> } {
    let resolve!: (r: BatchResult) => void;
    const result = new Promise<BatchResult>((r) => (resolve = r));
    return { batch: { id, ids: [], last: new Map(), settled: false, resolve }, result };
  }

  /** What startBatch hands its caller: live snapshots, the result, and a cancel for the whole batch. */
  handle(batch: BatchState, label: string, result: Promise<BatchResult>, cancel: () => void): TransferBatch {
    const entries = this.entries;
    return {
      id: batch.id,
      label,
      get items(): TransferItem[] {
        return batch.ids.map((id) => entries.get(id)?.item ?? batch.last.get(id)!).map(snapshot);
      },
      result,
      cancel,
    };
  }

  /** Records the batch's current states and settles it once all are final. */
  check(batch: BatchState): void {
    if (batch.settled) return;
    for (const id of batch.ids) {
      const e = this.entries.get(id);
      if (e && e.batch === batch) batch.last.set(id, snapshot(e.item));
    }
    const all = batch.ids.map((id) => batch.last.get(id)!);
    if (all.every((it) => SETTLED_IN_BATCH.has(it.state))) this.settle(batch, false);
  }

  /** Resolves the batch's result; `force` (the manager is closing) counts unfinished items as cancelled. */
  settle(batch: BatchState, force: boolean): void {
    if (batch.settled) return;
    batch.settled = true;
    const r: BatchResult = { done: [], failed: [], cancelled: [] };
    for (const id of batch.ids) {
      const e = this.entries.get(id);
      const it = e && e.batch === batch ? snapshot(e.item) : batch.last.get(id)!;
      if (it.state === 'done') r.done.push(it);
      else if (it.state === 'failed') r.failed.push(it);
      else if (it.state === 'cancelled' || force) r.cancelled.push(it);
    }
    // Items that run again later (resume, retry) are no longer part of this finished batch.
    for (const id of batch.ids) {
      const e = this.entries.get(id);
      if (e && e.batch === batch) e.batch = undefined;
    }
    batch.resolve(r);
  }
}

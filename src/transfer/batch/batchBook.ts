// A batch's bookkeeping: which items belong to it, the last state seen of each (so an item
// discarded or cleared still counts), and the result that settles once its source is exhausted and
// every item is done, failed or cancelled (a paused item holds it open). Counts are kept as states
// change, so a state change costs the same in a batch of 10 or of 10,000 items.
import { SETTLED_IN_BATCH, type BatchState, type Entry } from './transferEntry.js';
import { snapshot } from './transferSpecs.js';
import type { BatchResult, TransferBatch, TransferItem } from './transferTypes.js';

export class BatchBook {
  constructor(private readonly entries: ReadonlyMap<string, Entry>) {}

  /** A new batch; it stays open until its source says every item was added (sourceEnded). */
  open(id: string): { batch: BatchState; result: Promise<BatchResult> } {
    let resolve!: (r: BatchResult) => void;
    const result = new Promise<BatchResult>((r) => (resolve = r));
    const batch: BatchState = {
      id,
      ids: [],
      last: new Map(),
      settled: false,
      sourceDone: false,
      settledCount: 0,
      queuedCount: 0,
      roomWaiters: [],
      resolve,
    };
    return { batch, result };
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

  /** Records one item's new state (a new item too) and settles the batch once all are final. */
  note(batch: BatchState, item: TransferItem): void {
    if (batch.settled) return;
    const prev = batch.last.get(item.id);
    if (!prev) batch.ids.push(item.id);
    batch.last.set(item.id, snapshot(item));
    batch.settledCount += Number(SETTLED_IN_BATCH.has(item.state)) - Number(prev !== undefined && SETTLED_IN_BATCH.has(prev.state));
    batch.queuedCount += Number(item.state === 'queued') - Number(prev?.state === 'queued');
    if (prev?.state === 'queued' && item.state !== 'queued') this.wake(batch);
    this.settleIfDone(batch);
  }

  /** The batch's source is exhausted (or failed, or stopped): it may settle now. */
  sourceEnded(batch: BatchState, error?: unknown): void {
    batch.sourceDone = true;
    if (error !== undefined) batch.sourceError = error;
    this.wake(batch);
    this.settleIfDone(batch);
  }

  /** Resolves once an item of the batch leaves the queue (or the batch stops), for a source that must not run far ahead. */
  whenRoom(batch: BatchState): Promise<void> {
    return new Promise((resolve) => batch.roomWaiters.push(resolve));
  }

  /** Resolves the batch's result; `force` (the manager is closing) counts unfinished items as cancelled. */
  settle(batch: BatchState, force: boolean): void {
    if (batch.settled) return;
    batch.settled = true;
    batch.sourceDone = true;
    this.wake(batch);
    const r: BatchResult = { done: [], failed: [], cancelled: [] };
    if (batch.sourceError !== undefined) r.sourceError = batch.sourceError;
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

  private settleIfDone(batch: BatchState): void {
    if (batch.sourceDone && batch.settledCount === batch.ids.length) this.settle(batch, false);
  }

  private wake(batch: BatchState): void {
    const waiters = batch.roomWaiters.splice(0);
    for (const w of waiters) w();
  }
}

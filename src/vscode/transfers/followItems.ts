// A batch-shaped view of items that run again after their batch ended (Retry failed, Resume on a
// batch row), so they get the same one notification and one outcome notice as a new batch. It
// settles once every item is done, failed or cancelled (a paused one holds it open, as in a batch).
// Each event costs O(1): only the watched item's state is looked at.
import type { TransferManager } from '../../transfer/batch/transferManager.js';
import type { BatchResult, TransferBatch, TransferItem, TransferState } from '../../transfer/batch/transferTypes.js';

const SETTLED: ReadonlySet<TransferState> = new Set<TransferState>(['done', 'failed', 'cancelled']);

/** `close()` settles it at once (the window is closing), counting what has not finished as cancelled. */
export function followItems(manager: TransferManager, label: string, ids: readonly string[]): TransferBatch & { close(): void } {
  const last = new Map<string, TransferItem>();
  const unsettled = new Set<string>();
  for (const id of ids) {
    const it = manager.get(id);
    if (!it) continue;
    last.set(id, it);
    if (!SETTLED.has(it.state)) unsettled.add(id);
  }
  let resolve!: (r: BatchResult) => void;
  const result = new Promise<BatchResult>((r) => (resolve = r));
  const note = (it: TransferItem): void => {
    last.set(it.id, it);
    if (SETTLED.has(it.state)) unsettled.delete(it.id);
    else unsettled.add(it.id);
  };
  let settled = false;
  const finish = (force = false): void => {
    if (settled || (unsettled.size && !force)) return;
    settled = true;
    sub.dispose();
    const r: BatchResult = { done: [], failed: [], cancelled: [] };
    for (const it of last.values()) {
      if (it.state === 'done') r.done.push(it);
      else if (it.state === 'failed') r.failed.push(it);
      else r.cancelled.push(it);
    }
    resolve(r);
  };
  const sub = manager.onDidChange((it) => {
    if (it) {
      if (!last.has(it.id)) return;
      note(it);
    } else {
      // Something was removed (cleared, discarded): a watched item gone counts as cancelled.
      for (const id of [...unsettled]) if (!manager.get(id)) note({ ...last.get(id)!, state: 'cancelled' });
    }
    finish();
  });
  queueMicrotask(() => finish());
  return {
    id: `follow-${ids[0] ?? ''}`,
    label,
    get items(): TransferItem[] {
      return [...last.keys()].map((id) => manager.get(id) ?? last.get(id)!);
    },
    result,
    close: () => finish(true),
    cancel: () => {
      for (const id of unsettled) {
        try {
          manager.cancel(id);
        } catch {
          // already gone
        }
      }
    },
  };
}

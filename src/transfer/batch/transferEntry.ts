// One row of the transfer manager (an item and what runs it) and one batch's bookkeeping, shared by
// the manager and the files that do its separate jobs (batches, checkpoint claims, recovery).
import type { BatchJournal } from './batchJournal.js';
import type { BatchResult, TransferItem, TransferState } from './transferTypes.js';

export type StopReason = 'pause' | 'cancel' | 'discard' | 'dispose';

export interface Entry {
  item: TransferItem;
  batch?: BatchState;
  abort?: AbortController;
  stopReason?: StopReason;
  run?: Promise<void>;
  /** Increments per run, so late progress callbacks of an aborted run are ignored. */
  generation: number;
  cptPath?: string;
  endpoint?: string;
  started: boolean;
  /** The journal of the batch this item is recorded in (none with checkpoints off, or once dropped). */
  journal?: BatchJournal;
  /** Restored from a journal that saw its upload sent but not done: the object may be there already. */
  maybeOnServer?: boolean;
}

export interface BatchState {
  id: string;
  ids: string[];
  /** Last seen snapshot of each item, so a discarded item still appears in the result. */
  last: Map<string, TransferItem>;
  settled: boolean;
  /** False while the batch's source may still add items. */
  sourceDone: boolean;
  /** Why a streamed batch's source stopped early (a listing that failed, say). */
  sourceError?: unknown;
  /** Items whose last state is done, failed or cancelled. */
  settledCount: number;
  /** Items waiting in the queue. */
  queuedCount: number;
  /** A streamed source waiting for room in the queue. */
  roomWaiters: Array<() => void>;
  resolve(r: BatchResult): void;
}

export const SETTLED_IN_BATCH: ReadonlySet<TransferState> = new Set<TransferState>(['done', 'failed', 'cancelled']);

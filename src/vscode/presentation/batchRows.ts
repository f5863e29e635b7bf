// What the Transfers view shows at the top level: one row per batch (items sharing a batchId) with
// its counts and bytes, and the few items worth a row of their own under it (running, failed,
// paused, interrupted). Built in one pass over the items, once per refresh, never per event, so a
// folder of 10,000 files is one row whatever the event rate. No vscode import, so it is unit tested.
import type { TransferItem, TransferState } from '../../transfer/batch/transferTypes.js';
import { emptyCounts } from './batchProgress.js';
import { formatBytes, formatCount } from './quantityFormat.js';
import { t } from './translate.js';

/** Items restored from an earlier session carry no batchId; more than one of them share this group. */
export const RESTORED_GROUP = 'restored';

/** At most this many children under a batch row; the rest are summed up in one "… more" row. */
export const CHILD_LIMIT = 200;

/** The states a batch's children list, in this order. Queued, done and cancelled items are only counted. */
const CHILD_ORDER: readonly TransferState[] = ['running', 'failed', 'paused', 'interrupted'];

const ACTIVITY: Record<TransferState, number> = { running: 0, queued: 1, paused: 2, failed: 3, interrupted: 4, cancelled: 5, done: 6 };

export interface BatchSummary {
  /** The batchId, or RESTORED_GROUP. */
  key: string;
  /** Every member, in the manager's order. */
  ids: string[];
  counts: Record<TransferState, number>;
  transferredBytes: number;
  totalBytes: number;
  direction: 'upload' | 'download' | 'mixed';
  /** The ids shown under the row (running first, then failed, paused, interrupted), at most CHILD_LIMIT. */
  childIds: string[];
  /** Members that would be children but did not fit under CHILD_LIMIT. */
  hiddenChildren: number;
  /** The state that best describes the batch as a whole (icon and sort order). */
  state: TransferState;
  /** The first member, for a label when the batch has no name of its own. */
  first: TransferItem;
}

export type TopRow = { kind: 'item'; id: string } | { kind: 'batch'; batch: BatchSummary };

export interface TransfersModel {
  rows: TopRow[];
  batches: Map<string, BatchSummary>;
  /** Item id -> the batch row it sits under (absent for a plain row). */
  parentOf: Map<string, string>;
}

/** Groups the items into rows. One pass plus a sort of the (few) top rows. */
export function buildTransfersModel(items: readonly TransferItem[]): TransfersModel {
  const groups = new Map<string, TransferItem[]>();
  for (const it of items) {
    const key = it.batchId ?? RESTORED_GROUP;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(it);
  }
  const rows: Array<{ row: TopRow; state: TransferState; order: number }> = [];
  const batches = new Map<string, BatchSummary>();
  const parentOf = new Map<string, string>();
  let order = 0;
  for (const [key, members] of groups) {
    if (members.length === 1) {
      // A one-file batch stays a plain row, as before batches had rows.
      rows.push({ row: { kind: 'item', id: members[0]!.id }, state: members[0]!.state, order: order++ });
      continue;
    }
    const batch = summarize(key, members);
    batches.set(key, batch);
    for (const id of batch.childIds) parentOf.set(id, key);
    rows.push({ row: { kind: 'batch', batch }, state: batch.state, order: order++ });
  }
  rows.sort((a, b) => ACTIVITY[a.state] - ACTIVITY[b.state] || a.order - b.order);
  return { rows: rows.map((r) => r.row), batches, parentOf };
}

function summarize(key: string, members: TransferItem[]): BatchSummary {
  const counts = emptyCounts();
  const byState = new Map<TransferState, string[]>(CHILD_ORDER.map((s) => [s, []]));
  let transferredBytes = 0;
  let totalBytes = 0;
  let up = false;
  let down = false;
  for (const it of members) {
    counts[it.state]++;
    const size = Math.max(0, it.totalBytes, it.transferredBytes);
    totalBytes += size;
    transferredBytes += it.state === 'done' ? size : Math.max(0, Math.min(it.transferredBytes, size));
    if (it.spec.direction === 'upload') up = true;
    else down = true;
    byState.get(it.state)?.push(it.id);
  }
  const childIds: string[] = [];
  let candidates = 0;
  for (const s of CHILD_ORDER) {
    const ids = byState.get(s)!;
    candidates += ids.length;
    for (const id of ids) {
      if (childIds.length >= CHILD_LIMIT) break;
      childIds.push(id);
    }
  }
  return {
    key,
    ids: members.map((it) => it.id),
    counts,
    transferredBytes,
    totalBytes,
    direction: up && down ? 'mixed' : up ? 'upload' : 'download',
    childIds,
    hiddenChildren: candidates - childIds.length,
    state: batchState(counts, members.length),
    first: members[0]!,
  };
}

/** Moving beats waiting for the user, which beats finished. */
function batchState(c: Record<TransferState, number>, n: number): TransferState {
  if (c.running) return 'running';
  if (c.queued) return 'queued';
  if (c.paused) return 'paused';
  if (c.failed) return 'failed';
  if (c.interrupted) return 'interrupted';
  if (c.done === n) return 'done';
  return 'cancelled';
}

/** "↑ 412 of 1,000 files · 3 failed · 1.2 MiB of 4.0 MiB" (paused, interrupted and cancelled when there are any). */
export function describeBatch(b: BatchSummary): string {
  const arrow = b.direction === 'upload' ? '↑' : b.direction === 'download' ? '↓' : '↕';
  const c = b.counts;
  const parts = [t('{0} {1} of {2} files', arrow, formatCount(c.done), formatCount(b.ids.length))];
  if (c.failed) parts.push(t('{0} failed', formatCount(c.failed)));
  if (c.paused) parts.push(t('{0} paused', formatCount(c.paused)));
  if (c.interrupted) parts.push(t('{0} interrupted', formatCount(c.interrupted)));
  if (c.cancelled) parts.push(t('{0} cancelled', formatCount(c.cancelled)));
  parts.push(t('{0} of {1}', formatBytes(b.transferredBytes), formatBytes(b.totalBytes)));
  return parts.join(' · ');
}

/** The row's name: the batch's own label when the UI started it, else what its files have in common. */
export function batchLabel(b: BatchSummary, label: string | undefined): string {
  if (label) return label;
  if (b.key === RESTORED_GROUP) return t('Interrupted in an earlier session');
  const n = formatCount(b.ids.length);
  const bucket = b.first.spec.bucket;
  if (b.direction === 'upload') return t('Upload {0} files ({1})', n, bucket);
  if (b.direction === 'download') return t('Download {0} files ({1})', n, bucket);
  return t('Transfer {0} files ({1})', n, bucket);
}

/** The "… more" row under a batch whose children did not all fit. */
export function hiddenChildrenText(b: BatchSummary): string {
  return t("… {0} more not listed: the batch's actions apply to them too", formatCount(b.hiddenChildren));
}

/** The words of the batch row's contextValue: which batch actions package.json offers on it. */
export function batchContextValue(b: BatchSummary): string {
  const c = b.counts;
  const words = ['transferBatch'];
  if (c.running + c.queued) words.push('pausable');
  if (c.paused + c.interrupted + c.cancelled) words.push('resumable');
  if (c.running + c.queued + c.paused) words.push('cancellable');
  if (c.failed) words.push('hasFailed');
  return words.join(' ');
}

// Counts and bytes of a plan by kind and by action, the delete threshold, and a conflict's
// resolution (which changes an item's action, so the totals are counted again).
import type { ConflictChoice, SyncItem, SyncPlan, SyncTotals } from './syncTypes.js';

/** Deletes above either bound ask again: more than this many files… */
export const LARGE_DELETE_FILES = 50;
/** …or more than this share of the destination. */
export const LARGE_DELETE_SHARE = 0.2;

export function computeTotals(items: readonly SyncItem[]): SyncTotals {
  const zero = () => ({ files: 0, bytes: 0 });
  const t: SyncTotals = {
    new: zero(), changed: zero(), unchanged: zero(), extraneous: zero(), conflict: zero(), refused: zero(),
    upload: zero(), download: zero(), delete: zero(), skip: zero(),
  };
  for (const it of items) {
    t[it.kind].files++;
    t[it.kind].bytes += it.size;
    t[it.action].files++;
    t[it.action].bytes += it.size;
  }
  return t;
}

export function largeDeleteOf(plan: SyncPlan): SyncPlan['largeDelete'] {
  const count = plan.totals.delete.files;
  if (count === 0) return undefined;
  return count > LARGE_DELETE_FILES || count > LARGE_DELETE_SHARE * plan.destinationCount ? { count, destinationCount: plan.destinationCount } : undefined;
}

/** Resolves a conflict: keep the local file (upload it), keep the object (download it), or skip both. */
export function resolveConflict(plan: SyncPlan, item: SyncItem, choice: ConflictChoice): void {
  if (item.kind !== 'conflict') throw new Error(`"${item.name}" is not a conflict.`);
  if (!plan.items.includes(item)) throw new Error(`"${item.name}" is not in this plan.`);
  item.resolution = choice;
  if (choice === 'keep-local') Object.assign(item, { action: 'upload', size: item.local?.size ?? item.size });
  else if (choice === 'keep-remote') Object.assign(item, { action: 'download', size: item.remote?.size ?? item.size });
  else item.action = 'skip';
  plan.totals = computeTotals(plan.items);
}

// The rows of the Sync Preview: a plan's items grouped by what happens to them (Upload, Download,
// Delete, Conflicts, Refused, kept extraneous files, Unchanged), each group capped so a plan of
// 100,000 items is a few hundred rows, and each row's words. One pass over the items per build.
// No vscode import, so it is unit tested.
import type { SyncItem, SyncPlan } from '../../transfer/sync/syncTypes.js';
import { formatBytes, formatCount } from './quantityFormat.js';
import { itemReasonText } from './syncReasonText.js';
import { msg, t, translateKey, type MessageKey } from './translate.js';

export type SyncGroupId = 'upload' | 'download' | 'delete' | 'conflict' | 'refused' | 'kept' | 'unchanged';

/** The groups in the order they are shown. */
export const GROUP_ORDER: readonly SyncGroupId[] = ['upload', 'download', 'delete', 'conflict', 'refused', 'kept', 'unchanged'];

/** At most this many item rows under a group; the rest are one "… and N more" row. */
export const GROUP_ROW_LIMIT = 500;

export interface SyncGroup {
  id: SyncGroupId;
  label: string;
  /** "3 files · 12.0 KB" */
  description: string;
  files: number;
  bytes: number;
  /** The first GROUP_ROW_LIMIT items of the group, in plan order. */
  items: SyncItem[];
  /** Items of the group that have no row. */
  hidden: number;
  /** Shown collapsed at first (the long, quiet groups). */
  collapsed: boolean;
}

const LABEL: Record<SyncGroupId, MessageKey> = {
  upload: msg('Upload'),
  download: msg('Download'),
  delete: msg('Delete'),
  conflict: msg('Conflicts'),
  refused: msg('Refused'),
  kept: msg('Only on the destination (kept)'),
  unchanged: msg('Unchanged'),
};

/** Which group an item sits in. A conflict stays among the conflicts whatever its resolution. */
export function groupOf(item: SyncItem): SyncGroupId {
  if (item.kind === 'conflict') return 'conflict';
  if (item.kind === 'refused') return 'refused';
  if (item.kind === 'unchanged') return 'unchanged';
  if (item.action === 'upload' || item.action === 'download' || item.action === 'delete') return item.action;
  return 'kept';
}

/** The plan's groups that hold any item, in GROUP_ORDER. */
export function buildPreviewGroups(plan: SyncPlan, limit = GROUP_ROW_LIMIT): SyncGroup[] {
  const groups = new Map<SyncGroupId, SyncGroup>();
  for (const item of plan.items) {
    const id = groupOf(item);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { id, label: translateKey(LABEL[id]), description: '', files: 0, bytes: 0, items: [], hidden: 0, collapsed: id === 'unchanged' || id === 'kept' }));
    g.files++;
    g.bytes += item.size;
    if (g.items.length < limit) g.items.push(item);
    else g.hidden++;
  }
  const out: SyncGroup[] = [];
  for (const id of GROUP_ORDER) {
    const g = groups.get(id);
    if (!g) continue;
    g.description = `${files(g.files)} · ${formatBytes(g.bytes)}`;
    out.push(g);
  }
  return out;
}

function files(n: number): string {
  return n === 1 ? t('1 file') : t('{0} files', formatCount(n));
}

/** The "… and N more" row under a group that did not fit. */
export function hiddenRowsText(g: SyncGroup): string {
  return t('… and {0} more', formatCount(g.hidden));
}

const RESOLUTION_TEXT: Record<'keep-local' | 'keep-remote' | 'skip', MessageKey> = { 'keep-local': msg('keep local'), 'keep-remote': msg('keep remote'), skip: msg('skip') };

/** A row's description: why the item is in its group, and its size. */
export function itemDescription(item: SyncItem): string {
  const size = formatBytes(item.size);
  switch (item.kind) {
    case 'new':
      return t('new · {0}', size);
    case 'changed':
      // The size before → after, when it changed: the destination's, then the source's.
      if (item.local && item.remote && item.local.size !== item.remote.size) {
        const [before, after] = item.action === 'download' ? [item.local.size, item.remote.size] : [item.remote.size, item.local.size];
        return t('changed · {0} → {1}', formatBytes(before), formatBytes(after));
      }
      return t('changed · {0}', size);
    case 'unchanged':
      return size;
    case 'extraneous':
      return item.action === 'delete' ? t('only on the destination · {0}', size) : t('only on the destination, kept · {0}', size);
    case 'conflict':
      return t('both sides changed · {0}', translateKey(RESOLUTION_TEXT[item.resolution ?? 'skip']));
    case 'refused':
      return itemReasonText(item);
  }
}

/** A row's tooltip: where both sides are and what the planner said. */
export function itemTooltip(plan: Pick<SyncPlan, 'bucket'>, item: SyncItem): string {
  const lines = [item.name];
  if (item.file) {
    lines.push(
      item.local
        ? t('Local: {0} ({1}, modified {2})', item.file, formatBytes(item.local.size), new Date(item.local.mtimeMs).toISOString())
        : t('Local: {0}', item.file),
    );
  }
  if (item.key) {
    const where = `oss://${plan.bucket}/${item.key}`;
    lines.push(item.remote ? t('Object: {0} ({1}, modified {2})', where, formatBytes(item.remote.size), item.remote.lastModified) : t('Object: {0}', where));
  }
  if (item.reason) lines.push(itemReasonText(item));
  return lines.join('\n');
}

// The Sync Preview view: shown (through a context key) while a plan waits to be applied or
// cancelled. Its description names the pair, its message the counts; the rows are the plan's items
// grouped by action (rows shaped in presentation/syncPreviewRows). One preview at a time: a new
// plan replaces the one shown.
import * as vscode from 'vscode';
import type { SyncItem, SyncPlan } from '../../transfer/sync/syncTypes.js';
import { buildPreviewGroups, hiddenRowsText, itemDescription, itemTooltip, type SyncGroup, type SyncGroupId } from '../presentation/syncPreviewRows.js';
import { pairText, previewMessage } from '../presentation/syncText.js';
import type { SyncRun } from './rememberedPairs.js';

export const SYNC_PREVIEW_VIEW_ID = 'ossTransfer.syncPreview';
/** True while a preview is open: shows the view and its buttons. */
export const PREVIEW_OPEN_CONTEXT = 'ossTransfer.syncPreviewOpen';
export const OPEN_ITEM_COMMAND = 'ossTransfer.sync.openItem';

const FOCUS_ATTEMPTS = 20;
const FOCUS_RETRY_MS = 100;

export interface PreviewSession {
  run: SyncRun;
  plan: SyncPlan;
}

export type PreviewNode =
  | { kind: 'group'; group: SyncGroup }
  | { kind: 'item'; group: SyncGroupId; index: number; item: SyncItem }
  | { kind: 'more'; group: SyncGroup };

const GROUP_ICON: Record<SyncGroupId, [string, string?]> = {
  upload: ['cloud-upload'],
  download: ['cloud-download'],
  delete: ['trash', 'errorForeground'],
  conflict: ['warning', 'list.warningForeground'],
  refused: ['error', 'errorForeground'],
  kept: ['circle-slash'],
  unchanged: ['check'],
};

function icon(id: SyncGroupId): vscode.ThemeIcon {
  const [name, color] = GROUP_ICON[id];
  return new vscode.ThemeIcon(name, color ? new vscode.ThemeColor(color) : undefined);
}

export class SyncPreview implements vscode.TreeDataProvider<PreviewNode>, vscode.Disposable {
  private session: PreviewSession | undefined;
  private roots: PreviewNode[] = [];
  private readonly changed = new vscode.EventEmitter<PreviewNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<PreviewNode>;

  constructor() {
    this.view = vscode.window.createTreeView(SYNC_PREVIEW_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
  }

  get current(): PreviewSession | undefined {
    return this.session;
  }

  /** Shows `session` (replacing any preview open) and brings the view forward. */
  async open(session: PreviewSession): Promise<void> {
    this.session = session;
    this.rebuild();
    await vscode.commands.executeCommand('setContext', PREVIEW_OPEN_CONTEXT, true);
    await this.reveal();
  }

  /** Brings the view forward. It exists once the workbench has seen the context key, which may take a moment. */
  private async reveal(): Promise<void> {
    for (let attempt = 0; attempt < FOCUS_ATTEMPTS; attempt++) {
      await Promise.resolve(vscode.commands.executeCommand(`${SYNC_PREVIEW_VIEW_ID}.focus`)).catch(() => undefined);
      if (this.view.visible) return;
      await new Promise((r) => setTimeout(r, FOCUS_RETRY_MS));
    }
  }

  /** Redraws after the plan changed in place (a conflict resolved). */
  refresh(): void {
    if (this.session) this.rebuild();
  }

  async close(): Promise<void> {
    this.session = undefined;
    this.roots = [];
    this.view.description = undefined;
    this.view.message = undefined;
    this.changed.fire(undefined);
    await vscode.commands.executeCommand('setContext', PREVIEW_OPEN_CONTEXT, false);
  }

  private rebuild(): void {
    const plan = this.session!.plan;
    this.roots = buildPreviewGroups(plan).map((group) => ({ kind: 'group', group }));
    this.view.description = pairText(plan);
    this.view.message = previewMessage(plan);
    this.changed.fire(undefined);
  }

  getChildren(node?: PreviewNode): PreviewNode[] {
    if (!node) return this.roots;
    if (node.kind !== 'group') return [];
    const g = node.group;
    const rows: PreviewNode[] = g.items.map((item, index) => ({ kind: 'item', group: g.id, index, item }));
    if (g.hidden) rows.push({ kind: 'more', group: g });
    return rows;
  }

  getTreeItem(node: PreviewNode): vscode.TreeItem {
    if (node.kind === 'group') {
      const g = node.group;
      const item = new vscode.TreeItem(g.label, g.collapsed ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
      item.id = `group|${g.id}`;
      item.description = g.description;
      item.iconPath = icon(g.id);
      item.contextValue = `syncGroup.${g.id}`;
      item.accessibilityInformation = { label: `${g.label}: ${g.description}` };
      return item;
    }
    if (node.kind === 'more') {
      const item = new vscode.TreeItem(hiddenRowsText(node.group), vscode.TreeItemCollapsibleState.None);
      item.id = `more|${node.group.id}`;
      item.tooltip = vscode.l10n.t('Only the first rows of a group are listed; Apply acts on all of them.');
      item.contextValue = 'syncMore';
      return item;
    }
    const plan = this.session!.plan;
    const it = node.item;
    const item = new vscode.TreeItem(it.name, vscode.TreeItemCollapsibleState.None);
    item.id = `item|${node.group}|${node.index}`;
    item.description = itemDescription(it);
    item.tooltip = itemTooltip(plan, it);
    item.iconPath = icon(node.group);
    item.contextValue = it.kind === 'conflict' ? 'syncItem.conflict' : `syncItem.${it.kind}`;
    item.accessibilityInformation = { label: `${it.name}, ${item.description}` };
    if (it.kind !== 'refused') item.command = { command: OPEN_ITEM_COMMAND, title: vscode.l10n.t('Open'), arguments: [node] };
    return item;
  }

  dispose(): void {
    this.view.dispose();
    this.changed.dispose();
  }
}

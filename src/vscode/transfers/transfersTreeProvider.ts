// The Transfers view: one row per transfer, labelled with the object's name, its state and
// progress in the description, and a contextValue (`transfer.<state>`) that drives the inline
// Pause / Resume / Retry / Cancel / Discard actions in package.json.
import * as vscode from 'vscode';
import { describeError } from '../presentation/errorAdvice.js';
import type { TransferManager } from '../../transfer/batch/transferManager.js';
import type { TransferItem, TransferState } from '../../transfer/batch/transferTypes.js';
import { displayName, formatBytes, formatPercent } from '../presentation/quantityFormat.js';
import { describeRow, STATE_WORD } from '../presentation/transferText.js';

const ORDER: Record<TransferState, number> = {
  running: 0,
  queued: 1,
  paused: 2,
  failed: 3,
  interrupted: 4,
  cancelled: 5,
  done: 6,
};

/** Elements are transfer ids, so rows keep their identity (selection, focus) across refreshes. */
export class TransfersTreeProvider implements vscode.TreeDataProvider<string>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly sub: { dispose(): void };
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly manager: TransferManager,
    private readonly refreshMs = 250,
  ) {
    // Progress arrives many times a second per file; redraw at most ~4 times a second.
    this.sub = manager.onDidChange(() => this.schedule());
  }

  getChildren(element?: string): string[] {
    if (element) return [];
    return this.manager
      .items()
      .map((it, i) => ({ it, i }))
      .sort((a, b) => ORDER[a.it.state] - ORDER[b.it.state] || a.i - b.i)
      .map(({ it }) => it.id);
  }

  getTreeItem(id: string): vscode.TreeItem {
    const it = this.manager.get(id);
    if (!it) return new vscode.TreeItem('(removed)');
    const row = new vscode.TreeItem(displayName(it.spec.key), vscode.TreeItemCollapsibleState.None);
    row.id = it.id;
    row.description = describeRow(it);
    row.tooltip = tooltipOf(it);
    row.iconPath = iconOf(it);
    row.contextValue = `transfer.${it.state}`;
    row.accessibilityInformation = {
      label: `${it.spec.direction === 'upload' ? 'Upload' : 'Download'} ${displayName(it.spec.key)}, ${describeRow(it)}`,
    };
    return row;
  }

  /** Parent lookup for TreeView.reveal; the list is flat. */
  getParent(): undefined {
    return undefined;
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.sub.dispose();
    this.changed.dispose();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.changed.fire(undefined);
    }, this.refreshMs);
  }
}

function tooltipOf(it: TransferItem): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = false;
  const s = it.spec;
  md.appendMarkdown(`**${s.direction === 'upload' ? 'Upload' : 'Download'}** — ${STATE_WORD[it.state]}\n\n`);
  md.appendMarkdown(`Object: \`oss://${s.bucket}/${s.key}\`\n\n`);
  md.appendMarkdown(`Local file: \`${s.file}\`\n\n`);
  md.appendMarkdown(`Progress: ${formatBytes(it.transferredBytes)} of ${formatBytes(it.totalBytes)} (${formatPercent(it.transferredBytes, it.totalBytes)})`);
  if (it.error !== undefined) {
    const a = describeError(it.error);
    md.appendMarkdown(`\n\n${a.summary}.`);
    if (a.nextStep) md.appendMarkdown(` ${a.nextStep}`);
    if (a.code || a.requestId) md.appendMarkdown(`\n\n${[a.code, a.status, a.requestId && `request id ${a.requestId}`].filter(Boolean).join(' · ')}`);
  }
  if (it.state === 'interrupted') md.appendMarkdown('\n\nLeft over from an earlier session; Resume continues from its checkpoint.');
  return md;
}

function iconOf(it: TransferItem): vscode.ThemeIcon {
  switch (it.state) {
    case 'running':
      return new vscode.ThemeIcon('sync~spin');
    case 'queued':
      return new vscode.ThemeIcon('clock');
    case 'paused':
      return new vscode.ThemeIcon('debug-pause');
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    case 'interrupted':
      return new vscode.ThemeIcon('debug-disconnect');
    case 'cancelled':
      return new vscode.ThemeIcon('circle-slash');
    case 'done':
      return new vscode.ThemeIcon('check', new vscode.ThemeColor('testing.iconPassed'));
  }
}

// The status-bar item "$(sync) Sync <folder>" for this workspace's most recently synced pair (a
// folder inside one of its workspace folders): one click compares and opens the preview. Hidden
// when the workspace has no remembered pair.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { pairText } from '../presentation/syncText.js';
import type { RememberedPairs, SyncPair } from './rememberedPairs.js';

export const SYNC_REMEMBERED_COMMAND = 'ossTransfer.syncRemembered';

/** True when `folder` is a workspace folder or lies inside one. */
export function inWorkspace(folder: string): boolean {
  const f = path.resolve(folder);
  return (vscode.workspace.workspaceFolders ?? []).some((w) => {
    const root = path.resolve(w.uri.fsPath);
    const rel = path.relative(root, f);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
}

export class SyncStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly sub: vscode.Disposable;

  constructor(private readonly pairs: RememberedPairs) {
    this.item = vscode.window.createStatusBarItem('ossTransfer.sync.status', vscode.StatusBarAlignment.Left, 49);
    this.item.name = vscode.l10n.t('OSS Sync');
    this.sub = vscode.workspace.onDidChangeWorkspaceFolders(() => this.update());
    this.update();
  }

  /** The pair the item runs, if any. */
  pair(): SyncPair | undefined {
    return this.pairs.latest(inWorkspace);
  }

  update(): void {
    const pair = this.pair();
    if (!pair) {
      this.item.hide();
      return;
    }
    const name = path.basename(pair.folder) || pair.folder;
    const what = pairText({ direction: pair.direction, localDir: pair.folder, bucket: pair.bucket, prefix: pair.prefix });
    this.item.text = `$(sync) ${vscode.l10n.t('Sync {0}', name)}`;
    this.item.tooltip = vscode.l10n.t('Sync {0}: compare and preview (nothing moves before you apply)', what);
    this.item.accessibilityInformation = { label: vscode.l10n.t('Sync {0}', what) };
    this.item.command = { command: SYNC_REMEMBERED_COMMAND, title: vscode.l10n.t('Sync'), arguments: [pair.folder] };
    this.item.show();
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }
}

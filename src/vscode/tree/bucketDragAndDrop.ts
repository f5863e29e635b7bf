// Dropping files or folders from the Explorer (or the OS) onto a bucket or folder uploads them.
// Paths come from 'text/uri-list' and go to the transfer engine, which streams from disk; the
// dropped file's bytes are never read through DataTransferFile.data().
import * as vscode from 'vscode';
import type { Logger } from '../logger.js';
import type { ContainerNode, TreeNode } from './treeNodes.js';

export const URI_LIST_MIME = 'text/uri-list';

/** Schemes whose URIs are files the extension host can open by path (vscode-remote: code-server, Remote-SSH). */
export const LOCAL_FILE_SCHEMES = new Set(['file', 'vscode-remote']);

/** The container a drop or upload on `node` goes to: an object's folder, a "Load more" node's folder. */
export function containerOf(node: TreeNode | undefined): ContainerNode | undefined {
  if (!node) return undefined;
  if (node.kind === 'bucket' || node.kind === 'prefix') return node;
  if (node.kind === 'object' || node.kind === 'loadMore') return node.parent;
  if (node.kind === 'message' && node.parent && (node.parent.kind === 'bucket' || node.parent.kind === 'prefix')) return node.parent;
  return undefined;
}

/** RFC 2483 uri-list: one URI a line, '#' lines are comments. */
export function parseUriList(text: string): vscode.Uri[] {
  const out: vscode.Uri[] = [];
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    try {
      out.push(vscode.Uri.parse(t, true));
    } catch {
      // Not a URI: nothing we can upload.
    }
  }
  return out;
}

export class BucketDragAndDrop implements vscode.TreeDragAndDropController<TreeNode> {
  readonly dropMimeTypes = [URI_LIST_MIME];
  readonly dragMimeTypes: readonly string[] = [];

  constructor(
    private readonly upload: (target: ContainerNode, paths: string[]) => Promise<void>,
    private readonly log: Logger,
  ) {}

  async handleDrop(target: TreeNode | undefined, data: vscode.DataTransfer, token: vscode.CancellationToken): Promise<void> {
    const item = data.get(URI_LIST_MIME);
    if (!item) return;
    const container = containerOf(target);
    if (!container) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Drop files onto a bucket or a folder to upload them there.'));
      return;
    }
    const uris = parseUriList(await item.asString());
    if (token.isCancellationRequested) return;
    const paths = uris.filter((u) => LOCAL_FILE_SCHEMES.has(u.scheme)).map((u) => u.fsPath);
    const skipped = uris.length - paths.length;
    if (skipped > 0) this.log.warn(`Drop: ${skipped} item(s) were not local files and were ignored.`);
    if (paths.length === 0) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Nothing to upload: only files and folders from this machine can be dropped here.'));
      return;
    }
    await this.upload(container, paths);
  }
}

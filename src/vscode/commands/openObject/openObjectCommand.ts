// "Open Read-Only": shows a small object in an editor tab; larger ones get a clear message with a
// way to download them instead.
import * as vscode from 'vscode';
import { formatAdvice, describeError } from '../../presentation/errorAdvice.js';
import type { TreeNode } from '../../tree/treeNodes.js';
import type { CommandContext } from '../commandContext.js';
import { registerCommand, targetNodes } from '../errorReportingCommand.js';
import { OBJECT_SCHEME, ObjectContentProvider, TooLargeError, objectUri } from './objectContentProvider.js';

export function registerOpenObject(ctx: CommandContext): vscode.Disposable[] {
  const provider = new ObjectContentProvider(ctx.clients, () => ctx.settings().openInEditorMaxBytes);
  return [
    vscode.workspace.registerTextDocumentContentProvider(OBJECT_SCHEME, provider),
    registerCommand('ossTransfer.openObject', ctx.log, async (clicked?: unknown, selected?: unknown) => {
      const nodes = targetNodes(clicked, selected, ctx.treeView.selection).filter((n): n is Extract<TreeNode, { kind: 'object' }> => n.kind === 'object');
      if (!nodes.length) throw new Error(vscode.l10n.t('Select an object in the Buckets view to open.'));
      const limit = ctx.settings().openInEditorMaxBytes;
      for (const n of nodes.slice(0, 10)) {
        if (n.summary.size > limit) {
          const e = new TooLargeError(n.key, n.summary.size, limit);
          const download = vscode.l10n.t('Download…');
          const openSettings = vscode.l10n.t('Open Settings');
          const pick = await vscode.window.showWarningMessage(formatAdvice(describeError(e)), download, openSettings);
          if (pick === download) await vscode.commands.executeCommand('ossTransfer.download', n);
          else if (pick === openSettings) await vscode.commands.executeCommand('workbench.action.openSettings', 'ossTransfer.openInEditorMaxSizeMB');
          continue;
        }
        const doc = await vscode.workspace.openTextDocument(objectUri({ profileId: n.profileId, bucket: n.bucket, key: n.key }));
        await vscode.window.showTextDocument(doc, { preview: nodes.length === 1 });
      }
    }),
  ];
}

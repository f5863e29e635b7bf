// Refresh, filter by prefix, "Load more…", reveal an object in the tree, and show the log.
import * as vscode from 'vscode';
import { containerOf } from '../../tree/bucketDragAndDrop.js';
import type { TreeNode } from '../../tree/treeNodes.js';
import type { CommandContext } from '../commandContext.js';
import { registerCommand } from '../errorReportingCommand.js';

export interface RevealArgs {
  profileId: string;
  bucket: string;
  key: string;
}

function isRevealArgs(x: unknown): x is RevealArgs {
  const a = x as RevealArgs;
  return !!a && typeof a.profileId === 'string' && typeof a.bucket === 'string' && typeof a.key === 'string';
}

export function registerViewCommands(ctx: CommandContext): vscode.Disposable[] {
  const { tree, treeView, log } = ctx;
  return [
    registerCommand('ossTransfer.refresh', log, () => tree.refresh()),
    registerCommand('ossTransfer.refreshNode', log, (node?: unknown) => tree.refresh((node as TreeNode | undefined) ?? treeView.selection[0])),

    registerCommand('ossTransfer.filterByPrefix', log, async (node?: unknown) => {
      const container = containerOf((node as TreeNode | undefined) ?? treeView.selection[0]);
      if (!container) throw new Error(vscode.l10n.t('Choose a bucket or folder in the Buckets view to filter.'));
      const where = `${container.bucket}/${container.prefix}`;
      const value = await vscode.window.showInputBox({
        title: vscode.l10n.t('Filter {0}', where),
        prompt: vscode.l10n.t('Show only keys in {0} that start with this text (empty clears the filter)', where),
        value: tree.filterOf(container),
        ignoreFocusOut: true,
        validateInput: (v) => (v.startsWith('/') ? vscode.l10n.t('The filter is relative to the folder; it cannot start with "/".') : undefined),
      });
      if (value === undefined) return;
      tree.setFilter(container, value);
      await treeView.reveal(container, { expand: true, select: false, focus: false });
    }),

    registerCommand('ossTransfer.clearFilter', log, (node?: unknown) => {
      const container = containerOf((node as TreeNode | undefined) ?? treeView.selection[0]);
      if (container) tree.setFilter(container, '');
    }),

    registerCommand('ossTransfer.loadMore', log, async (node?: unknown) => {
      const container = containerOf(node as TreeNode | undefined);
      if (container) await tree.loadMore(container);
    }),

    registerCommand('ossTransfer.revealInTree', log, async (args?: unknown) => {
      if (!isRevealArgs(args)) throw new Error(vscode.l10n.t('Reveal in tree needs a profile, bucket and key.'));
      const node = await tree.findNode(args.profileId, args.bucket, args.key);
      await vscode.commands.executeCommand('ossTransfer.buckets.focus');
      if (!node) {
        void vscode.window.showInformationMessage(
          vscode.l10n.t('{0} is not in the Buckets view (its profile may have been removed).', `oss://${args.bucket}/${args.key}`),
        );
        return;
      }
      await treeView.reveal(node, { select: true, focus: true, expand: node.kind !== 'object' });
    }),

    registerCommand('ossTransfer.showLog', log, () => log.show()),
  ];
}

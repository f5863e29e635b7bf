// "Delete…" on objects and folders: count everything that would go, confirm with that number,
// then delete in batches of up to 1000 keys (DeleteMultipleObjects).
import * as vscode from 'vscode';
import { parentPrefix } from '../../planning/keyPath.js';
import type { CommandContext } from '../commandContext.js';
import { listSelection, objectOrPrefixNodes } from '../listSelection.js';
import { registerCommand, targetNodes } from '../errorReportingCommand.js';

const BATCH = 1000;

interface Group {
  profileId: string;
  bucket: string;
  keys: Set<string>;
  /** Folders whose listing changes. */
  prefixes: Set<string>;
}

export function registerDeleteCommand(ctx: CommandContext): vscode.Disposable {
  return registerCommand('ossTransfer.delete', ctx.log, async (clicked?: unknown, selected?: unknown) => {
    const nodes = objectOrPrefixNodes(targetNodes(clicked, selected, ctx.treeView.selection));
    if (!nodes.length) throw new Error('Select objects or folders in the Buckets view to delete.');
    const listed = await listSelection(ctx, nodes, 'Counting objects to delete…');
    if (!listed) return;
    const groups = listed.map((g): Group => {
      const group: Group = { profileId: g.profileId, bucket: g.bucket, keys: new Set(), prefixes: new Set() };
      for (const { node: n, objects } of g.nodes) {
        if (n.kind === 'object') {
          group.keys.add(n.key);
          group.prefixes.add(parentPrefix(n.key));
        } else {
          for (const o of objects ?? []) group.keys.add(o.key);
          group.prefixes.add(parentPrefix(n.prefix));
        }
      }
      return group;
    });
    const total = groups.reduce((s, g) => s + g.keys.size, 0);
    if (total === 0) {
      void vscode.window.showInformationMessage('Nothing to delete: the selected folders hold no objects.');
      return;
    }
    const buckets = [...new Set(groups.map((g) => g.bucket))];
    const examples = groups.flatMap((g) => [...g.keys].slice(0, 5).map((k) => `${g.bucket}/${k}`)).slice(0, 5);
    const answer = await vscode.window.showWarningMessage(
      `Delete ${total} object${total === 1 ? '' : 's'} from ${buckets.length === 1 ? `bucket ${buckets[0]}` : `${buckets.length} buckets`}?`,
      {
        modal: true,
        detail: `This cannot be undone.\n\n${examples.join('\n')}${total > examples.length ? `\n… and ${total - examples.length} more` : ''}`,
      },
      'Delete',
    );
    if (answer !== 'Delete') return;

    let deleted = 0;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Deleting ${total} object${total === 1 ? '' : 's'}…`, cancellable: true },
      async (progress, token) => {
        try {
          for (const g of groups) {
            const client = await ctx.clients.clientFor(g.profileId, g.bucket);
            const keys = [...g.keys];
            for (let i = 0; i < keys.length && !token.isCancellationRequested; i += BATCH) {
              const chunk = keys.slice(i, i + BATCH);
              await client.deleteObjects({ bucket: g.bucket, keys: chunk, quiet: true });
              deleted += chunk.length;
              progress.report({ increment: (chunk.length / total) * 100, message: `${deleted} of ${total}` });
            }
          }
        } finally {
          for (const g of groups) for (const p of g.prefixes) ctx.tree.refreshPrefix(g.profileId, g.bucket, p);
        }
      },
    );
    ctx.log.info(`Deleted ${deleted} of ${total} object(s) from ${buckets.join(', ')}.`);
    if (deleted < total) void vscode.window.showWarningMessage(`Stopped: ${deleted} of ${total} objects were deleted.`);
    else void vscode.window.showInformationMessage(`Deleted ${total} object${total === 1 ? '' : 's'}.`);
  });
}

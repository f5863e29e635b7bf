// "Delete…" on objects and folders: count everything that would go, confirm with that number,
// then delete in batches of up to 1000 keys (DeleteMultipleObjects).
import * as vscode from 'vscode';
import { parentPrefix } from '../../../transfer/keyPath.js';
import { listAllObjects } from '../../../transfer/listAllObjects.js';
import type { TreeNode } from '../../tree/treeNodes.js';
import type { CommandContext } from '../commandContext.js';
import { progressIfNeeded } from '../progressIfNeeded.js';
import { registerCommand, targetNodes } from '../registerCommand.js';

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
    const nodes = targetNodes(clicked, selected, ctx.treeView.selection).filter(
      (n): n is Extract<TreeNode, { kind: 'object' | 'prefix' }> => n.kind === 'object' || n.kind === 'prefix',
    );
    if (!nodes.length) throw new Error('Select objects or folders in the Buckets view to delete.');
    const groups = new Map<string, Group>();
    const counted = await progressIfNeeded(
      nodes.some((n) => n.kind === 'prefix'),
      { location: vscode.ProgressLocation.Notification, title: 'Counting objects to delete…', cancellable: true },
      async (progress, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        try {
          for (const n of nodes) {
            const gk = `${n.profileId}|${n.bucket}`;
            let g = groups.get(gk);
            if (!g) groups.set(gk, (g = { profileId: n.profileId, bucket: n.bucket, keys: new Set(), prefixes: new Set() }));
            if (n.kind === 'object') {
              g.keys.add(n.key);
              g.prefixes.add(parentPrefix(n.key));
            } else {
              const client = await ctx.clients.clientFor(n.profileId, n.bucket);
              const objects = await listAllObjects(client, n.bucket, n.prefix, {
                signal: ac.signal,
                onPage: (count) => progress.report({ message: `${n.name}/: ${count} objects` }),
              });
              for (const o of objects) g.keys.add(o.key);
              g.prefixes.add(parentPrefix(n.prefix));
            }
          }
          return !token.isCancellationRequested;
        } finally {
          sub.dispose();
        }
      },
    );
    if (!counted) return;
    const total = [...groups.values()].reduce((s, g) => s + g.keys.size, 0);
    if (total === 0) {
      void vscode.window.showInformationMessage('Nothing to delete: the selected folders hold no objects.');
      return;
    }
    const buckets = [...new Set([...groups.values()].map((g) => g.bucket))];
    const examples = [...groups.values()].flatMap((g) => [...g.keys].slice(0, 5).map((k) => `${g.bucket}/${k}`)).slice(0, 5);
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
          for (const g of groups.values()) {
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
          for (const g of groups.values()) for (const p of g.prefixes) ctx.tree.refreshPrefix(g.profileId, g.bucket, p);
        }
      },
    );
    ctx.log.info(`Deleted ${deleted} of ${total} object(s) from ${buckets.join(', ')}.`);
    if (deleted < total) void vscode.window.showWarningMessage(`Stopped: ${deleted} of ${total} objects were deleted.`);
    else void vscode.window.showInformationMessage(`Deleted ${total} object${total === 1 ? '' : 's'}.`);
  });
}

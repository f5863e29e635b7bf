// "Delete…" on objects and folders: count everything that would go, confirm with that number,
// then delete as the folders are listed again, up to 1000 keys a request (DeleteMultipleObjects),
// holding one page of keys at a time instead of every key of every folder.
import * as vscode from 'vscode';
import { parentPrefix } from '../../../transfer/paths/keyPath.js';
import type { CommandContext } from '../commandContext.js';
import { objectOrPrefixNodes, type ObjectOrPrefixNode } from '../listSelection.js';
import { registerCommand, targetNodes } from '../errorReportingCommand.js';
import { progressIfNeeded } from '../progressIfNeeded.js';
import { countSelection, deleteSelection, withoutOverlaps, type DeleteSelection } from './deletePages.js';

interface Group {
  profileId: string;
  bucket: string;
  selection: DeleteSelection;
  /** Folders whose listing changes. */
  prefixes: Set<string>;
  count: number;
  examples: string[];
}

function groupsOf(nodes: readonly ObjectOrPrefixNode[]): Group[] {
  const groups = new Map<string, Group>();
  for (const n of nodes) {
    const gk = `${n.profileId}|${n.bucket}`;
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { profileId: n.profileId, bucket: n.bucket, selection: { keys: [], prefixes: [] }, prefixes: new Set(), count: 0, examples: [] }));
    if (n.kind === 'object') g.selection.keys.push(n.key);
    else g.selection.prefixes.push(n.prefix);
    g.prefixes.add(parentPrefix(n.kind === 'object' ? n.key : n.prefix));
  }
  for (const g of groups.values()) g.selection = withoutOverlaps(g.selection);
  return [...groups.values()];
}

export function registerDeleteCommand(ctx: CommandContext): vscode.Disposable {
  return registerCommand('ossTransfer.delete', ctx.log, async (clicked?: unknown, selected?: unknown) => {
    const nodes = objectOrPrefixNodes(targetNodes(clicked, selected, ctx.treeView.selection));
    if (!nodes.length) throw new Error(vscode.l10n.t('Select objects or folders in the Buckets view to delete.'));
    const groups = groupsOf(nodes);
    const counted = await progressIfNeeded(
      nodes.some((n) => n.kind === 'prefix'),
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Counting objects to delete…'), cancellable: true },
      async (progress, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        try {
          for (const g of groups) {
            const client = await ctx.clients.clientFor(g.profileId, g.bucket);
            const c = await countSelection(client, g.bucket, g.selection, { signal: ac.signal, onPage: (n) => progress.report({ message: vscode.l10n.t('{0}: {1} objects', g.bucket, n) }) });
            g.count = c.count;
            g.examples = c.examples;
          }
          return !token.isCancellationRequested;
        } catch (e) {
          if (token.isCancellationRequested) return false;
          throw e;
        } finally {
          sub.dispose();
        }
      },
    );
    if (!counted) return;
    const total = groups.reduce((s, g) => s + g.count, 0);
    if (total === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to delete: the selected folders hold no objects.'));
      return;
    }
    const buckets = [...new Set(groups.map((g) => g.bucket))];
    const examples = groups.flatMap((g) => g.examples.map((k) => `${g.bucket}/${k}`)).slice(0, 5);
    const question =
      buckets.length === 1
        ? total === 1
          ? vscode.l10n.t('Delete 1 object from bucket {0}?', buckets[0]!)
          : vscode.l10n.t('Delete {0} objects from bucket {1}?', total, buckets[0]!)
        : vscode.l10n.t('Delete {0} objects from {1} buckets?', total, buckets.length);
    const more = total > examples.length ? `\n${vscode.l10n.t('… and {0} more', total - examples.length)}` : '';
    const del = vscode.l10n.t('Delete');
    const answer = await vscode.window.showWarningMessage(
      question,
      { modal: true, detail: `${vscode.l10n.t('This cannot be undone.')}\n\n${examples.join('\n')}${more}` },
      del,
    );
    if (answer !== del) return;

    let deleted = 0;
    let stopped = false;
    await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: total === 1 ? vscode.l10n.t('Deleting 1 object…') : vscode.l10n.t('Deleting {0} objects…', total),
        cancellable: true,
      },
      async (progress, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        try {
          for (const g of groups) {
            const client = await ctx.clients.clientFor(g.profileId, g.bucket);
            await deleteSelection(client, g.bucket, g.selection, {
              signal: ac.signal,
              onDeleted: (n) => {
                deleted += n;
                progress.report({ increment: (n / total) * 100, message: vscode.l10n.t('{0} of {1}', deleted, total) });
              },
            });
          }
        } catch (e) {
          if (!token.isCancellationRequested) throw e;
          stopped = true;
        } finally {
          sub.dispose();
          for (const g of groups) for (const p of g.prefixes) ctx.tree.refreshPrefix(g.profileId, g.bucket, p);
        }
      },
    );
    ctx.log.info(`Deleted ${deleted} of ${total} object(s) from ${buckets.join(', ')}.`);
    if (stopped) void vscode.window.showWarningMessage(vscode.l10n.t('Stopped: {0} of {1} objects were deleted.', deleted, total));
    else void vscode.window.showInformationMessage(deleted === 1 ? vscode.l10n.t('Deleted 1 object.') : vscode.l10n.t('Deleted {0} objects.', deleted));
  });
}

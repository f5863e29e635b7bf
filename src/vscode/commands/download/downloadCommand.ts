// "Download…" on objects and folders: choose a folder, map keys to paths safely (refusing keys
// that could escape it), ask about files that exist, then run one batch.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { keepBothName } from '../../../transfer/conflictName.js';
import { resolveConflicts } from '../../../transfer/conflictPolicy.js';
import { planDownloads, type DownloadSelection } from '../../../transfer/downloadPlan.js';
import { parentPrefix } from '../../../transfer/keyPath.js';
import { listAllObjects } from '../../../transfer/listAllObjects.js';
import type { TransferSpec } from '../../../transfer/transferManager.js';
import type { TreeNode } from '../../tree/treeNodes.js';
import type { CommandContext } from '../commandContext.js';
import { conflictAsker } from '../conflicts/askConflict.js';
import { progressIfNeeded } from '../progressIfNeeded.js';
import { registerCommand, targetNodes } from '../registerCommand.js';

interface Group {
  profileId: string;
  bucket: string;
  selections: DownloadSelection[];
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

export function registerDownloadCommand(ctx: CommandContext): vscode.Disposable {
  return registerCommand('ossTransfer.download', ctx.log, async (clicked?: unknown, selected?: unknown) => {
    const nodes = targetNodes(clicked, selected, ctx.treeView.selection).filter(
      (n): n is Extract<TreeNode, { kind: 'object' | 'prefix' }> => n.kind === 'object' || n.kind === 'prefix',
    );
    if (!nodes.length) throw new Error('Select objects or folders in the Buckets view to download.');
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: 'Download Here',
      title: nodes.length === 1 ? `Download ${nodes[0]!.kind === 'object' ? nodes[0]!.name : nodes[0]!.name + '/'} to…` : `Download ${nodes.length} items to…`,
    });
    const root = picked?.[0];
    if (!root) return;
    if (root.scheme !== 'file' && root.scheme !== 'vscode-remote') throw new Error('Choose a folder on this machine.');
    const rootPath = root.fsPath;

    // Group by profile and bucket (a multi-selection may span buckets); list folders fully.
    const groups = new Map<string, Group>();
    const listed = await progressIfNeeded(
      nodes.some((n) => n.kind === 'prefix'),
      { location: vscode.ProgressLocation.Notification, title: 'Listing objects to download…', cancellable: true },
      async (progress, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        try {
          for (const n of nodes) {
            const gk = `${n.profileId}|${n.bucket}`;
            let g = groups.get(gk);
            if (!g) groups.set(gk, (g = { profileId: n.profileId, bucket: n.bucket, selections: [] }));
            if (n.kind === 'object') {
              g.selections.push({ basePrefix: parentPrefix(n.key), objects: [{ key: n.key, size: n.summary.size }] });
            } else {
              const client = await ctx.clients.clientFor(n.profileId, n.bucket);
              const objects = await listAllObjects(client, n.bucket, n.prefix, {
                signal: ac.signal,
                onPage: (count) => progress.report({ message: `${n.name}/: ${count} objects` }),
              });
              // Always create the selected folder itself, even when it holds nothing.
              const withMarker = objects.some((o) => o.key === n.prefix) ? objects : [{ key: n.prefix, size: 0 }, ...objects];
              g.selections.push({ basePrefix: parentPrefix(n.prefix), objects: withMarker.map((o) => ({ key: o.key, size: o.size })) });
            }
          }
          return !token.isCancellationRequested;
        } finally {
          sub.dispose();
        }
      },
    );
    if (!listed) return;

    const specs: TransferSpec[] = [];
    let refusedCount = 0;
    let skipped = 0;
    const refusedExamples: string[] = [];
    for (const g of groups.values()) {
      const plan = planDownloads(rootPath, g.selections);
      for (const r of plan.refused) {
        refusedCount++;
        ctx.log.warn(`Download: refused key "${r.key}" of bucket ${g.bucket}: ${r.reason}. Nothing was written for it.`);
        if (refusedExamples.length < 3) refusedExamples.push(`“${r.key}” (${r.reason})`);
      }
      for (const f of plan.folders) await fs.mkdir(f, { recursive: true });
      const resolved = await resolveConflicts(plan.downloads, (d) => d.file, exists, conflictAsker(() => 'on this computer'), keepBothName);
      if (resolved.cancelled) return;
      skipped += resolved.skipped.length;
      for (const { item, destination } of resolved.transfers) {
        specs.push({ direction: 'download', profileId: g.profileId, bucket: g.bucket, key: item.key, file: destination, size: item.size });
      }
    }
    if (refusedCount) {
      void vscode.window.showWarningMessage(
        `${refusedCount} object key(s) cannot be saved safely in ${rootPath} and were not downloaded: ${refusedExamples.join('; ')}${refusedCount > 3 ? '; …' : ''}. Nothing was written outside the chosen folder.`,
      );
    }
    if (!specs.length) {
      if (!refusedCount) void vscode.window.showInformationMessage(skipped ? 'Nothing to download: every file was skipped.' : 'Nothing to download: the selected folders hold no objects.');
      return;
    }
    const label = specs.length === 1 ? `Download ${specs[0]!.key}` : `Download ${specs.length} files to ${rootPath}`;
    ctx.log.info(`${label}: starting (${skipped} skipped, ${refusedCount} refused).`);
    await ctx.transfers.runBatch(label, specs);
  });
}

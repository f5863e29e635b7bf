// "Download…" on objects and folders: choose a folder, map keys to paths safely (refusing keys
// that could escape it), ask about files that exist, then run one batch.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { keepBothName } from '../../planning/conflictName.js';
import { resolveConflicts } from '../../planning/conflictPolicy.js';
import { planDownloads, type DownloadSelection } from '../../planning/downloadPlan.js';
import { refuseLinkedFolders } from '../../planning/linkedFolderGuard.js';
import { parentPrefix } from '../../planning/keyPath.js';
import type { TransferSpec } from '../../../transfer/batch/transferTypes.js';
import type { CommandContext } from '../commandContext.js';
import { conflictAsker } from '../conflicts/askConflict.js';
import { listSelection, objectOrPrefixNodes } from '../listSelection.js';
import { registerCommand, targetNodes } from '../errorReportingCommand.js';

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
    const nodes = objectOrPrefixNodes(targetNodes(clicked, selected, ctx.treeView.selection));
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

    // A multi-selection may span buckets; folders are listed fully.
    const listed = await listSelection(ctx, nodes, 'Listing objects to download…');
    if (!listed) return;
    const groups = listed.map((g): Group => ({
      profileId: g.profileId,
      bucket: g.bucket,
      selections: g.nodes.map(({ node: n, objects }): DownloadSelection => {
        if (n.kind === 'object') return { basePrefix: parentPrefix(n.key), objects: [{ key: n.key, size: n.summary.size }] };
        // Always create the selected folder itself, even when it holds nothing.
        const all = objects ?? [];
        const withMarker = all.some((o) => o.key === n.prefix) ? all : [{ key: n.prefix, size: 0 }, ...all];
        return { basePrefix: parentPrefix(n.prefix), objects: withMarker.map((o) => ({ key: o.key, size: o.size })) };
      }),
    }));

    const specs: TransferSpec[] = [];
    let refusedCount = 0;
    let skipped = 0;
    const refusedExamples: string[] = [];
    for (const g of groups) {
      // Keys are checked by name first, then against what is on disk (links inside the folder).
      const plan = await refuseLinkedFolders(rootPath, planDownloads(rootPath, g.selections));
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

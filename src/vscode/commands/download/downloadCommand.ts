// "Download…" on objects and folders: choose a folder, then one batch that starts with the first
// listed page while the folders are still being listed. Keys are mapped to paths safely (refusing
// keys that could escape it) and existing files are asked about, page by page (downloadSpecs).
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { downloadSpecs, newDownloadTally, type DownloadGroup } from '../../planning/downloadSpecs.js';
import type { PagedSelection } from '../../planning/downloadPages.js';
import type { RemoteObject } from '../../planning/downloadPlan.js';
import { parentPrefix } from '../../../transfer/paths/keyPath.js';
import { listObjectPages } from '../../../transfer/listing/listObjectPages.js';
import type { TransferBatch, TransferSpec } from '../../../transfer/batch/transferTypes.js';
import type { CommandContext } from '../commandContext.js';
import { conflictAsker } from '../conflicts/askConflict.js';
import { objectOrPrefixNodes, type ObjectOrPrefixNode } from '../listSelection.js';
import { registerCommand, targetNodes } from '../errorReportingCommand.js';

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** A selected folder: itself first (created even when it holds nothing), then its listing. */
async function* folderPages(ctx: CommandContext, n: Extract<ObjectOrPrefixNode, { kind: 'prefix' }>, signal: AbortSignal): AsyncGenerator<RemoteObject[]> {
  yield [{ key: n.prefix, size: 0 }];
  const client = await ctx.clients.clientFor(n.profileId, n.bucket);
  for await (const page of listObjectPages(client, n.bucket, n.prefix, { signal })) yield page.map((o) => ({ key: o.key, size: o.size }));
}

/** The selection grouped by profile and bucket, in selection order; folders are listed lazily. */
function groupsOf(ctx: CommandContext, nodes: readonly ObjectOrPrefixNode[], signal: AbortSignal): DownloadGroup[] {
  const groups = new Map<string, DownloadGroup>();
  for (const n of nodes) {
    const gk = `${n.profileId}|${n.bucket}`;
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { profileId: n.profileId, bucket: n.bucket, selections: [] }));
    const sel: PagedSelection =
      n.kind === 'object'
        ? { basePrefix: parentPrefix(n.key), covers: { key: n.key }, pages: [[{ key: n.key, size: n.summary.size }]] }
        : { basePrefix: parentPrefix(n.prefix), covers: { prefix: n.prefix }, pages: folderPages(ctx, n, signal) };
    g.selections.push(sel);
  }
  return [...groups.values()];
}

export function registerDownloadCommand(ctx: CommandContext): vscode.Disposable {
  return registerCommand('ossTransfer.download', ctx.log, async (clicked?: unknown, selected?: unknown) => {
    const nodes = objectOrPrefixNodes(targetNodes(clicked, selected, ctx.treeView.selection));
    if (!nodes.length) throw new Error(vscode.l10n.t('Select objects or folders in the Buckets view to download.'));
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: vscode.l10n.t('Download Here'),
      title:
        nodes.length === 1
          ? vscode.l10n.t('Download {0} to…', nodes[0]!.kind === 'object' ? nodes[0]!.name : nodes[0]!.name + '/')
          : vscode.l10n.t('Download {0} items to…', nodes.length),
    });
    const root = picked?.[0];
    if (!root) return;
    if (root.scheme !== 'file' && root.scheme !== 'vscode-remote') throw new Error(vscode.l10n.t('Choose a folder on this machine.'));
    const rootPath = root.fsPath;

    const ac = new AbortController();
    const tally = newDownloadTally();
    const refusedExamples: string[] = [];
    let batch: TransferBatch | undefined;
    const specs = downloadSpecs(
      rootPath,
      groupsOf(ctx, nodes, ac.signal),
      {
        exists,
        mkdir: async (f) => void (await fs.mkdir(f, { recursive: true })),
        ask: conflictAsker(() => vscode.l10n.t('on this computer')),
        onRefused: (bucket, r) => {
          ctx.log.warn(`Download: refused key "${r.key}" of bucket ${bucket}: ${r.reason}. Nothing was written for it.`);
          if (refusedExamples.length < 3) refusedExamples.push(vscode.l10n.t('“{0}” ({1})', r.key, r.reason));
        },
      },
      tally,
    );
    // Escape on a question about an existing file cancels the batch, including what already started.
    async function* untilDismissed(): AsyncGenerator<TransferSpec> {
      try {
        yield* specs;
      } finally {
        ac.abort();
      }
      if (tally.cancelled) batch?.cancel();
    }
    const one = nodes.length === 1 ? nodes[0]! : undefined;
    const label =
      one?.kind === 'object'
        ? vscode.l10n.t('Download {0}', one.key)
        : one
          ? vscode.l10n.t('Download {0} to {1}', `${one.name}/`, rootPath)
          : vscode.l10n.t('Download {0} items to {1}', nodes.length, rootPath);
    ctx.log.info(`${label}: starting while the selected folders are listed.`);
    const result = await ctx.transfers.runBatch(label, untilDismissed(), (b) => (batch = b));
    ctx.log.info(`${label}: ${tally.planned} planned, ${tally.skipped} skipped, ${tally.refused} refused${tally.cancelled ? ', stopped at a dismissed question' : ''}.`);
    if (tally.refused) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          '{0} object key(s) cannot be saved safely in {1} and were not downloaded: {2}. Nothing was written outside the chosen folder.',
          tally.refused,
          rootPath,
          `${refusedExamples.join(vscode.l10n.t('; '))}${tally.refused > 3 ? vscode.l10n.t('; …') : ''}`,
        ),
      );
    }
    if (result.sourceError !== undefined) throw result.sourceError;
    if (!tally.planned && !tally.refused && !tally.cancelled) {
      void vscode.window.showInformationMessage(
        tally.skipped ? vscode.l10n.t('Nothing to download: every file was skipped.') : vscode.l10n.t('Nothing to download: the selected folders hold no objects.'),
      );
    }
  });
}

// Folder ↔ prefix sync, the entry points: "Sync Folder to OSS…" (Explorer folder, Buckets tree
// bucket/folder, palette), "Sync Prefix to Local Folder…" (tree, palette) and the remembered pair
// (status bar, palette). Each asks what is missing — folder, destination, this run's options — with
// the folder's remembered pair offered first, then compares and opens the Sync Preview; nothing
// moves before Apply (previewCommands.ts).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { planSync } from '../../../transfer/index.js';
import { normalizePrefix } from '../../../transfer/paths/keyPath.js';
import type { SyncDirection } from '../../../transfer/sync/syncTypes.js';
import { checkpointDirFor } from '../../settings/checkpointFolder.js';
import { compareLabel, countsText, pairText } from '../../presentation/syncText.js';
import { RememberedPairs, type SyncPair, type SyncRun } from '../../sync/rememberedPairs.js';
import { SyncPreview } from '../../sync/syncPreviewView.js';
import { SYNC_REMEMBERED_COMMAND, SyncStatusBar } from '../../sync/syncStatusBar.js';
import { containerOf } from '../../tree/bucketDragAndDrop.js';
import type { TreeNode } from '../../tree/treeNodes.js';
import type { CommandContext } from '../commandContext.js';
import { registerCommand } from '../errorReportingCommand.js';
import { pickBucket } from '../pickers/pickBucket.js';
import { localFolderPath, pickLocalFolder, type FolderSuggestion } from '../pickers/pickLocalFolder.js';
import { pickPrefix } from '../pickers/pickPrefix.js';
import { pickProfile } from '../pickers/pickProfile.js';
import { registerPreviewCommands } from './previewCommands.js';
import { pickSyncOptions, type SyncRunOptions } from './syncOptionsPick.js';

interface Target {
  profileId: string;
  bucket: string;
  /** '' or ending in '/'. */
  prefix: string;
}

/** Where the index of each pair's last synced state lives (globalStorage, never globalState). */
export function syncStateDir(context: vscode.ExtensionContext): string {
  return path.join(context.globalStorageUri.fsPath, 'sync-index');
}

const sameTarget = (a: Target, b: Target): boolean => a.profileId === b.profileId && a.bucket === b.bucket && a.prefix === b.prefix;
const remote = (t: Target): string => `oss://${t.bucket}/${t.prefix}`;

function treeContainer(clicked: unknown): Target | undefined {
  if (!clicked || typeof clicked !== 'object' || typeof (clicked as { kind?: unknown }).kind !== 'string') return undefined;
  const c = containerOf(clicked as TreeNode);
  return c ? { profileId: c.profileId, bucket: c.bucket, prefix: normalizePrefix(c.prefix) } : undefined;
}

async function assertFolder(folder: string): Promise<void> {
  const st = await fs.stat(folder).catch(() => undefined);
  if (!st?.isDirectory()) throw new Error(vscode.l10n.t('"{0}" is not a folder on this machine.', folder));
}

export function registerSyncCommands(ctx: CommandContext): vscode.Disposable[] {
  const pairs = new RememberedPairs(ctx.extension.workspaceState);
  const preview = new SyncPreview();
  const statusBar = new SyncStatusBar(pairs);
  const log = ctx.log.child('sync');

  const profileName = (id: string): string => ctx.store.get(id)?.name ?? id;

  /** Asks profile, bucket and folder (the palette and the Explorer). */
  async function askTarget(direction: SyncDirection): Promise<Target | undefined> {
    const up = direction === 'upload';
    const profile = await pickProfile(ctx, up ? vscode.l10n.t('Sync to which profile?') : vscode.l10n.t('Sync from which profile?'));
    if (!profile) return undefined;
    const bucket = await pickBucket(ctx, profile, up ? vscode.l10n.t('Sync to which bucket?') : vscode.l10n.t('Sync from which bucket?'));
    if (!bucket) return undefined;
    const prefix = await pickPrefix(ctx, profile.id, bucket, direction === 'upload' ? 'syncTo' : 'syncFrom');
    return prefix === undefined ? undefined : { profileId: profile.id, bucket, prefix: normalizePrefix(prefix) };
  }

  /** The folder's remembered destination, or another one (undefined: dismissed). */
  async function rememberedOrOther(pair: SyncPair): Promise<Target | 'other' | undefined> {
    const options = [compareLabel(pair.compare).toLowerCase(), pair.deleteExtraneous ? vscode.l10n.t('deleting extraneous files') : vscode.l10n.t('not deleting')];
    const picked = await vscode.window.showQuickPick(
      [
        {
          label: `$(history) ${remote(pair)}`,
          description: profileName(pair.profileId),
          detail: vscode.l10n.t('Last synced {0} · {1}', new Date(pair.lastSyncedAt).toLocaleString(vscode.env.language), options.join(' · ')),
          other: false,
        },
        { label: `$(cloud) ${vscode.l10n.t('Choose another bucket or folder…')}`, other: true },
      ],
      {
        title: vscode.l10n.t('Sync {0} to OSS', path.basename(pair.folder)),
        placeHolder: vscode.l10n.t('The destination this folder was last synced with, or another'),
        ignoreFocusOut: true,
      },
    );
    if (!picked) return undefined;
    return picked.other ? 'other' : pair;
  }

  /** This run's options: the pair's when it is the same pair, else the settings'. */
  function startingOptions(folder: string, direction: SyncDirection, target: Target): SyncRunOptions {
    const p = pairs.get(folder);
    if (p && p.direction === direction && sameTarget(p, target)) return { include: p.include, exclude: p.exclude, compare: p.compare, deleteExtraneous: p.deleteExtraneous };
    const s = ctx.syncSettings();
    return { include: s.include, exclude: s.exclude, compare: s.compare, deleteExtraneous: false };
  }

  async function askOptions(folder: string, direction: SyncDirection, target: Target): Promise<SyncRun | undefined> {
    const title = pairText({ direction, localDir: folder, bucket: target.bucket, prefix: target.prefix });
    const destination = direction === 'upload' ? remote(target) : folder;
    const options = await pickSyncOptions(vscode.l10n.t('Sync {0}', title), direction, destination, startingOptions(folder, direction, target));
    return options && { folder, direction, ...target, ...options };
  }

  /** Compares both sides (cancellable) and opens the preview. */
  async function planAndPreview(run: SyncRun): Promise<void> {
    const client = await ctx.clients.clientFor(run.profileId, run.bucket);
    const title = pairText({ direction: run.direction, localDir: run.folder, bucket: run.bucket, prefix: run.prefix });
    const plan = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Comparing {0}…', title), cancellable: true },
      async (_progress, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        try {
          return await planSync(client, {
            direction: run.direction,
            localDir: run.folder,
            bucket: run.bucket,
            prefix: run.prefix,
            include: run.include,
            exclude: run.exclude,
            compare: run.compare,
            deleteExtraneous: run.deleteExtraneous,
            stateDir: syncStateDir(ctx.extension),
            checkpointDir: checkpointDirFor(ctx.extension),
            profileId: run.profileId,
            signal: ac.signal,
          });
        } finally {
          sub.dispose();
        }
      },
    );
    for (const note of plan.notes ?? []) log.warn(`Sync ${title}: ${note}`);
    log.info(`Sync ${title}: ${countsText(plan)} (${plan.headRequests} HEAD request(s), ${plan.filesHashed} file(s) read for a checksum).`);
    await preview.open({ run, plan });
  }

  async function syncFolderToOss(clicked?: unknown): Promise<void> {
    let target = treeContainer(clicked);
    let folder = clicked instanceof vscode.Uri ? localFolderPath(clicked) : undefined;
    if (!folder) {
      const suggestions: FolderSuggestion[] = pairs
        .all()
        .filter((p) => p.direction === 'upload' && (!target || sameTarget(p, target)))
        .map((p) => ({ folder: p.folder, description: vscode.l10n.t('last synced to {0}', remote(p)), remembered: true }));
      folder = await pickLocalFolder({
        title: target ? vscode.l10n.t('Sync a folder to {0}', remote(target)) : vscode.l10n.t('Sync Folder to OSS'),
        placeHolder: vscode.l10n.t('The folder whose files the bucket should hold'),
        openLabel: vscode.l10n.t('Sync This Folder'),
        suggestions,
      });
      if (!folder) return;
    }
    await assertFolder(folder);
    if (!target) {
      const p = pairs.get(folder);
      if (p?.direction === 'upload') {
        const choice = await rememberedOrOther(p);
        if (!choice) return;
        if (choice !== 'other') target = choice;
      }
      target ??= await askTarget('upload');
      if (!target) return;
    }
    const run = await askOptions(folder, 'upload', target);
    if (run) await planAndPreview(run);
  }

  async function syncPrefixToLocal(clicked?: unknown): Promise<void> {
    const target = treeContainer(clicked) ?? (await askTarget('download'));
    if (!target) return;
    const suggestions: FolderSuggestion[] = pairs
      .all()
      .filter((p) => p.direction === 'download' && sameTarget(p, target))
      .map((p) => ({ folder: p.folder, description: vscode.l10n.t('last synced from {0}', remote(p)), remembered: true }));
    const folder = await pickLocalFolder({
      title: vscode.l10n.t('Sync {0} to which folder?', remote(target)),
      placeHolder: vscode.l10n.t('The folder that should hold the objects below the prefix'),
      openLabel: vscode.l10n.t('Sync Into This Folder'),
      suggestions,
    });
    if (!folder) return;
    const run = await askOptions(folder, 'download', target);
    if (run) await planAndPreview(run);
  }

  async function syncRemembered(folder?: unknown): Promise<void> {
    let pair = typeof folder === 'string' ? pairs.get(folder) : undefined;
    if (!pair) {
      const all = pairs.all();
      if (!all.length) {
        const pick = await vscode.window.showInformationMessage(vscode.l10n.t('No folder has been synced from this workspace yet.'), vscode.l10n.t('Sync Folder to OSS…'));
        if (pick) await vscode.commands.executeCommand('ossTransfer.syncFolderToOss');
        return;
      }
      const picked = await vscode.window.showQuickPick(
        all.map((p) => ({ label: pairText({ direction: p.direction, localDir: p.folder, bucket: p.bucket, prefix: p.prefix }), description: profileName(p.profileId), detail: p.folder, pair: p })),
        { title: vscode.l10n.t('Sync a remembered pair'), placeHolder: vscode.l10n.t('Compare and preview; nothing moves before you apply'), ignoreFocusOut: true },
      );
      pair = picked?.pair;
      if (!pair) return;
    }
    const { lastSyncedAt: _at, ...run } = pair;
    await planAndPreview(run);
  }

  return [
    preview,
    statusBar,
    registerCommand('ossTransfer.syncFolderToOss', ctx.log, (clicked?: unknown) => syncFolderToOss(clicked)),
    registerCommand('ossTransfer.syncPrefixToLocal', ctx.log, (clicked?: unknown) => syncPrefixToLocal(clicked)),
    registerCommand(SYNC_REMEMBERED_COMMAND, ctx.log, (folder?: unknown) => syncRemembered(folder)),
    ...registerPreviewCommands(ctx, preview, {
      client: (profileId, bucket) => ctx.clients.clientFor(profileId, bucket),
      manager: ctx.manager,
      transfers: ctx.transfers,
      remainders: ctx.syncRemainders,
      pairs,
      log,
      afterSync: (run) => {
        statusBar.update();
        if (run.direction === 'upload') ctx.tree.refreshPrefix(run.profileId, run.bucket, run.prefix);
      },
    }),
  ];
}

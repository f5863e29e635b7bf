// Upload entry points: the tree ("Upload Files…", "Upload Folder…" on a bucket or folder), the
// Explorer ("Upload to OSS…" on files and folders), the palette, and drops onto the tree.
import * as vscode from 'vscode';
import { LOCAL_FILE_SCHEMES, containerOf } from '../../tree/bucketDragAndDrop.js';
import type { ContainerNode, TreeNode } from '../../tree/treeNodes.js';
import type { CommandContext } from '../commandContext.js';
import { pickBucket } from '../pickers/pickBucket.js';
import { pickPrefix } from '../pickers/pickPrefix.js';
import { pickProfile } from '../pickers/pickProfile.js';
import { registerCommand, reportError } from '../errorReportingCommand.js';
import { uploadPaths, type UploadTarget } from './uploadBatch.js';

function targetOf(c: ContainerNode): UploadTarget {
  return { profileId: c.profileId, bucket: c.bucket, prefix: c.prefix };
}

/** Asks profile, bucket and folder (for the palette and the Explorer). */
async function askTarget(ctx: CommandContext): Promise<UploadTarget | undefined> {
  const profile = await pickProfile(ctx, vscode.l10n.t('Upload with which profile?'), undefined, { useCurrent: true });
  if (!profile) return undefined;
  const bucket = await pickBucket(ctx, profile, vscode.l10n.t('Upload to which bucket?'));
  if (!bucket) return undefined;
  const prefix = await pickPrefix(ctx, profile.id, bucket);
  if (prefix === undefined) return undefined;
  return { profileId: profile.id, bucket, prefix };
}

function localPaths(uris: readonly vscode.Uri[]): string[] {
  const bad = uris.filter((u) => !LOCAL_FILE_SCHEMES.has(u.scheme));
  if (bad.length) throw new Error(vscode.l10n.t('Only files on this machine can be uploaded; "{0}" is not one.', bad[0]!.toString()));
  return uris.map((u) => u.fsPath);
}

export function registerUploadCommands(ctx: CommandContext): vscode.Disposable[] {
  const { log, treeView } = ctx;
  const chooseAndUpload = async (node: unknown, folders: boolean): Promise<void> => {
    const container = containerOf((node as TreeNode | undefined) ?? treeView.selection[0]);
    const target = container ? targetOf(container) : await askTarget(ctx);
    if (!target) return;
    const uris = await vscode.window.showOpenDialog({
      canSelectFiles: !folders,
      canSelectFolders: folders,
      canSelectMany: true,
      openLabel: vscode.l10n.t('Upload'),
      title: folders
        ? vscode.l10n.t('Upload folders to {0}', `oss://${target.bucket}/${target.prefix}`)
        : vscode.l10n.t('Upload files to {0}', `oss://${target.bucket}/${target.prefix}`),
    });
    if (!uris?.length) return;
    await uploadPaths(ctx, target, localPaths(uris));
  };
  return [
    registerCommand('ossTransfer.uploadFiles', log, (node?: unknown) => chooseAndUpload(node, false)),
    registerCommand('ossTransfer.uploadFolder', log, (node?: unknown) => chooseAndUpload(node, true)),
    registerCommand('ossTransfer.uploadToOss', log, async (clicked?: unknown, selected?: unknown) => {
      // The Explorer passes (clicked uri, all selected uris); an editor title passes only the first.
      const uris = (Array.isArray(selected) && selected.length ? selected : clicked ? [clicked] : []).filter(
        (u): u is vscode.Uri => u instanceof vscode.Uri,
      );
      if (!uris.length) {
        const active = vscode.window.activeTextEditor?.document.uri;
        if (active && LOCAL_FILE_SCHEMES.has(active.scheme)) uris.push(active);
      }
      if (!uris.length) throw new Error(vscode.l10n.t('Select files or folders in the Explorer, then choose "Upload to OSS…".'));
      const paths = localPaths(uris);
      const target = await askTarget(ctx);
      if (!target) return;
      await uploadPaths(ctx, target, paths);
    }),
  ];
}

/** For the tree's drag and drop controller. */
export function dropUploader(ctx: CommandContext): (target: ContainerNode, paths: string[]) => Promise<void> {
  return async (target, paths) => {
    try {
      await uploadPaths(ctx, targetOf(target), paths);
    } catch (e) {
      reportError(ctx.log, 'ossTransfer.drop', e);
    }
  };
}

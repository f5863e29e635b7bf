// Clicking a row of the Sync Preview: a text file on both sides opens VS Code's diff of the local
// file against the object (the object through the read-only `oss-object:` documents of "Open
// Read-Only"), the destination's side on the left; a file on one side only opens that side.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { SyncItem, SyncPlan } from '../../transfer/sync/syncTypes.js';
import { objectUri } from '../commands/openObject/objectContentProvider.js';
import { formatBytes } from '../presentation/quantityFormat.js';

/** Bytes read to tell a binary file from text, as the object document does. */
const SNIFF_BYTES = 8192;

async function looksBinary(file: string): Promise<boolean> {
  const h = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await h.read(buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead).includes(0);
  } finally {
    await h.close();
  }
}

export async function openSyncItem(plan: SyncPlan, item: SyncItem, maxObjectBytes: number): Promise<void> {
  if (item.name.endsWith('/')) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} is a folder: {1}', item.name, item.reason));
    return;
  }
  const local = item.local && item.file ? vscode.Uri.file(item.file) : undefined;
  const remote = item.remote && item.key ? objectUri({ profileId: plan.profileId, bucket: plan.bucket, key: item.key }) : undefined;
  if (remote && item.remote!.size > maxObjectBytes) {
    const pick = await vscode.window.showInformationMessage(
      vscode.l10n.t('{0} is {1} on OSS; objects up to {2} open in the editor.', item.name, formatBytes(item.remote!.size), formatBytes(maxObjectBytes)),
      vscode.l10n.t('Open Settings'),
    );
    if (pick) await vscode.commands.executeCommand('workbench.action.openSettings', 'ossTransfer.openInEditorMaxSizeMB');
    return;
  }
  if (local && (await looksBinary(item.file).catch(() => false))) {
    void vscode.window.showInformationMessage(
      item.remote
        ? vscode.l10n.t('{0} is not a text file, so there is no diff to show ({1} here, {2} on OSS).', item.name, formatBytes(item.local!.size), formatBytes(item.remote.size))
        : vscode.l10n.t('{0} is not a text file, so there is no diff to show.', item.name),
    );
    return;
  }
  if (local && remote) {
    // The side that would be replaced on the left, the side that replaces it on the right.
    const [left, right, title] =
      plan.direction === 'upload' ? [remote, local, vscode.l10n.t('{0} (OSS ↔ local)', item.name)] : [local, remote, vscode.l10n.t('{0} (local ↔ OSS)', item.name)];
    await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: true });
    return;
  }
  const only = local ?? remote;
  if (!only) return;
  const doc = await vscode.workspace.openTextDocument(only);
  await vscode.window.showTextDocument(doc, { preview: true });
}

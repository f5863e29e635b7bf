// What a finished batch tells the user: success with "Reveal in Explorer" / "Reveal in tree",
// failures in plain words with the next step and "Retry", or how much a cancel left to resume.
import * as vscode from 'vscode';
import { describeError, formatAdvice } from '../presentation/errorAdvice.js';
import type { BatchResult, TransferItem, TransferSpec } from '../../transfer/batch/transferTypes.js';
import type { Logger } from '../logger.js';
import { displayName } from '../presentation/quantityFormat.js';
import { cancelledMessage, commonDir, successMessage } from '../presentation/transferText.js';
import { FOCUS_TRANSFERS_COMMAND } from './transferStatusBar.js';

/** Provided by the Buckets tree (E1); used when present, else we fall back to focusing the tree. */
export const REVEAL_IN_TREE_COMMAND = 'ossTransfer.revealInTree';

export interface OutcomeDeps {
  log: Logger;
  runBatch(label: string, specs: TransferSpec[]): Promise<BatchResult>;
}

/** Shows the notification and returns without waiting for the user's answer. */
export function showBatchOutcome(deps: OutcomeDeps, label: string, r: BatchResult): void {
  const all = r.done.length + r.failed.length + r.cancelled.length;
  if (all === 0) return;
  if (r.failed.length) {
    for (const it of r.failed) deps.log.error(`${label}: ${it.spec.bucket}/${it.spec.key} failed — ${describeError(it.error).detail}`);
    const first = r.failed[0]!;
    const advice = formatAdvice(describeError(first.error));
    const name = displayName(first.spec.key);
    const text =
      r.failed.length === 1 && all === 1
        ? first.spec.direction === 'upload'
          ? vscode.l10n.t('Uploading {0} failed: {1}', name, advice)
          : vscode.l10n.t('Downloading {0} failed: {1}', name, advice)
        : vscode.l10n.t('{0} of {1} transfers failed ({2}). {3}: {4}', r.failed.length, all, label, name, advice);
    const retry = vscode.l10n.t('Retry');
    const showLog = vscode.l10n.t('Show Log');
    void vscode.window.showErrorMessage(text, retry, showLog).then((pick) => {
      if (pick === retry) {
        void deps.runBatch(vscode.l10n.t('Retrying: {0}', label), r.failed.map((it) => it.spec)).catch((err) => deps.log.error(err as Error));
      } else if (pick === showLog) deps.log.show();
    });
    return;
  }
  if (r.cancelled.length) {
    const showTransfers = vscode.l10n.t('Show Transfers');
    void vscode.window.showInformationMessage(cancelledMessage(label, r.done.length, all), showTransfers).then((pick) => {
      if (pick === showTransfers) void vscode.commands.executeCommand(FOCUS_TRANSFERS_COMMAND);
    });
    return;
  }
  const uploads = r.done.filter((it) => it.spec.direction === 'upload');
  const downloads = r.done.filter((it) => it.spec.direction === 'download');
  const revealExplorer = vscode.l10n.t('Reveal in Explorer');
  const revealTree = vscode.l10n.t('Reveal in tree');
  const actions = [...(downloads.length ? [revealExplorer] : []), ...(uploads.length ? [revealTree] : [])];
  void vscode.window.showInformationMessage(successMessage(uploads, downloads), ...actions).then((pick) => {
    if (pick === revealExplorer) void revealInExplorer(downloads, deps.log);
    else if (pick === revealTree) void revealInTree(uploads[0]!.spec, deps.log);
  });
}

async function revealInExplorer(items: TransferItem[], log: Logger): Promise<void> {
  const target = items.length === 1 ? items[0]!.spec.file : commonDir(items.map((it) => it.spec.file));
  const uri = vscode.Uri.file(target);
  try {
    // Inside the workspace VS Code's own Explorer can show it; elsewhere only the OS file manager can.
    if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
    else await vscode.commands.executeCommand('revealFileInOS', uri);
  } catch (err) {
    log.warn(`Could not reveal ${target}: ${(err as Error).message}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('The download is at {0}', target));
  }
}

async function revealInTree(spec: TransferSpec, log: Logger): Promise<void> {
  const args = { profileId: spec.profileId, bucket: spec.bucket, key: spec.key };
  try {
    const known = await vscode.commands.getCommands(true);
    if (known.includes(REVEAL_IN_TREE_COMMAND)) {
      await vscode.commands.executeCommand(REVEAL_IN_TREE_COMMAND, args);
      return;
    }
  } catch (err) {
    log.warn(`Reveal in tree failed for ${spec.bucket}/${spec.key}: ${(err as Error).message}`);
  }
  // Fallback: at least bring the Buckets view forward and say where the object is.
  await Promise.resolve(vscode.commands.executeCommand('ossTransfer.buckets.focus')).catch(() => undefined);
  void vscode.window.showInformationMessage(vscode.l10n.t('The object is {0}', `oss://${spec.bucket}/${spec.key}`));
}

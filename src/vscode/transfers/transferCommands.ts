// The Transfers view's commands. Row commands get the clicked id and the selection from the tree;
// from the palette they fall back to the view's selection.
import * as vscode from 'vscode';
import type { TransferManager } from '../../transfer/batch/transferManager.js';
import type { BatchResult, TransferItem, TransferSpec } from '../../transfer/batch/transferTypes.js';
import type { Logger } from '../logger.js';
import { displayName } from '../presentation/quantityFormat.js';

export const TRANSFER_COMMANDS = {
  pause: 'ossTransfer.transfers.pause',
  resume: 'ossTransfer.transfers.resume',
  retry: 'ossTransfer.transfers.retry',
  cancel: 'ossTransfer.transfers.cancel',
  discard: 'ossTransfer.transfers.discard',
  resumeAll: 'ossTransfer.transfers.resumeAll',
  clearFinished: 'ossTransfer.transfers.clearFinished',
} as const;

export interface CommandDeps {
  manager: TransferManager;
  log: Logger;
  selection(): readonly string[];
  runBatch(label: string, specs: TransferSpec[]): Promise<BatchResult>;
}

export function registerTransferCommands(deps: CommandDeps): vscode.Disposable[] {
  const { manager, log } = deps;
  const targets = (clicked?: unknown, selected?: unknown): string[] => {
    const ids = Array.isArray(selected) && selected.length ? selected : typeof clicked === 'string' ? [clicked] : [...deps.selection()];
    return ids.filter((x): x is string => typeof x === 'string' && manager.get(x) !== undefined);
  };
  const perItem = (verb: string, fn: (id: string) => void | Promise<void>) => async (clicked?: unknown, selected?: unknown) => {
    const ids = targets(clicked, selected);
    if (!ids.length) {
      void vscode.window.showInformationMessage(`Select a transfer in the Transfers view to ${verb} it.`);
      return;
    }
    for (const id of ids) {
      try {
        await fn(id);
      } catch (err) {
        log.error(err as Error);
        void vscode.window.showErrorMessage(`Could not ${verb} the transfer: ${(err as Error).message}`);
      }
    }
  };

  return [
    vscode.commands.registerCommand(TRANSFER_COMMANDS.pause, perItem('pause', (id) => manager.pause(id))),
    vscode.commands.registerCommand(TRANSFER_COMMANDS.resume, perItem('resume', (id) => manager.resume(id))),
    vscode.commands.registerCommand(TRANSFER_COMMANDS.retry, perItem('retry', (id) => manager.retry(id))),
    vscode.commands.registerCommand(TRANSFER_COMMANDS.cancel, perItem('cancel', (id) => manager.cancel(id))),
    vscode.commands.registerCommand(
      TRANSFER_COMMANDS.discard,
      perItem('discard', async (id) => {
        const it = manager.get(id);
        const { reachedServer } = await manager.discard(id);
        if (!it) return;
        const name = `${it.spec.bucket}/${it.spec.key}`;
        if (reachedServer || it.spec.direction === 'download') {
          log.info(`Discarded ${it.spec.direction} of ${name} (checkpoint, temp file and server-side upload removed).`);
          return;
        }
        // Without a client (profile gone, secret missing) the abort could not be sent: say so rather than claim it.
        log.warn(`Discarded upload of ${name} locally; the server was not reached, so an incomplete multipart upload may remain.`);
        void vscode.window.showWarningMessage(
          `Discarded the upload of ${name} here, but the server could not be reached: an incomplete multipart upload may remain. Abort it with "Incomplete Multipart Uploads…" on the bucket.`,
        );
      }),
    ),
    vscode.commands.registerCommand(TRANSFER_COMMANDS.resumeAll, () => resumeAll(deps)),
    vscode.commands.registerCommand(TRANSFER_COMMANDS.clearFinished, () => manager.clearFinished()),
  ];
}

/**
 * Paused transfers continue where they are; interrupted ones (from an earlier window) run as one
 * new batch with its own notification, picking up their checkpoints.
 */
export async function resumeAll(deps: CommandDeps): Promise<void> {
  const items = deps.manager.items();
  for (const it of items.filter((x) => x.state === 'paused')) deps.manager.resume(it.id);
  const interrupted = items.filter((x) => x.state === 'interrupted');
  const orphans = interrupted.filter((x) => !x.spec.profileId);
  const runnable = interrupted.filter((x) => x.spec.profileId);
  if (orphans.length) {
    void vscode.window.showWarningMessage(
      `${orphans.length} interrupted transfer(s) have no profile recorded and cannot resume; Discard them and start again (${orphans.map((o) => displayName(o.spec.key)).join(', ')}).`,
    );
  }
  if (!runnable.length) return;
  await deps.runBatch(resumeLabel(runnable), runnable.map((it) => it.spec));
}

function resumeLabel(items: TransferItem[]): string {
  return items.length === 1 ? `Resuming ${displayName(items[0]!.spec.key)}` : `Resuming ${items.length} interrupted transfers`;
}

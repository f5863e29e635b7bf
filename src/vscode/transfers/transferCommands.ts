// The Transfers view's commands. Row commands get the clicked id and the selection from the tree;
// from the palette they fall back to the view's selection.
import * as vscode from 'vscode';
import type { TransferManager } from '../../transfer/batch/transferManager.js';
import type { BatchResult, TransferItem, TransferSpec } from '../../transfer/batch/transferTypes.js';
import type { Logger } from '../logger.js';
import { describeError } from '../presentation/errorAdvice.js';
import { displayName } from '../presentation/quantityFormat.js';

export const TRANSFER_COMMANDS = {
  pause: 'ossTransfer.transfers.pause',
  resume: 'ossTransfer.transfers.resume',
  retry: 'ossTransfer.transfers.retry',
  cancel: 'ossTransfer.transfers.cancel',
  discard: 'ossTransfer.transfers.discard',
  resumeAll: 'ossTransfer.transfers.resumeAll',
  pauseAll: 'ossTransfer.transfers.pauseAll',
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
  // Whole sentences per action: the verb's place in the sentence differs between languages.
  interface Words {
    selectFirst(): string;
    couldNot(reason: string): string;
  }
  const perItem = (words: Words, fn: (id: string) => void | Promise<void>) => async (clicked?: unknown, selected?: unknown) => {
    const ids = targets(clicked, selected);
    if (!ids.length) {
      void vscode.window.showInformationMessage(words.selectFirst());
      return;
    }
    for (const id of ids) {
      try {
        await fn(id);
      } catch (err) {
        log.error(err as Error);
        void vscode.window.showErrorMessage(words.couldNot(describeError(err).summary));
      }
    }
  };
  const pause: Words = {
    selectFirst: () => vscode.l10n.t('Select a transfer in the Transfers view to pause it.'),
    couldNot: (why) => vscode.l10n.t('Could not pause the transfer: {0}', why),
  };
  const resume: Words = {
    selectFirst: () => vscode.l10n.t('Select a transfer in the Transfers view to resume it.'),
    couldNot: (why) => vscode.l10n.t('Could not resume the transfer: {0}', why),
  };
  const retry: Words = {
    selectFirst: () => vscode.l10n.t('Select a transfer in the Transfers view to retry it.'),
    couldNot: (why) => vscode.l10n.t('Could not retry the transfer: {0}', why),
  };
  const cancel: Words = {
    selectFirst: () => vscode.l10n.t('Select a transfer in the Transfers view to cancel it.'),
    couldNot: (why) => vscode.l10n.t('Could not cancel the transfer: {0}', why),
  };
  const discard: Words = {
    selectFirst: () => vscode.l10n.t('Select a transfer in the Transfers view to discard it.'),
    couldNot: (why) => vscode.l10n.t('Could not discard the transfer: {0}', why),
  };

  return [
    vscode.commands.registerCommand(TRANSFER_COMMANDS.pause, perItem(pause, (id) => manager.pause(id))),
    vscode.commands.registerCommand(TRANSFER_COMMANDS.resume, perItem(resume, (id) => manager.resume(id))),
    vscode.commands.registerCommand(TRANSFER_COMMANDS.retry, perItem(retry, (id) => manager.retry(id))),
    vscode.commands.registerCommand(TRANSFER_COMMANDS.cancel, perItem(cancel, (id) => manager.cancel(id))),
    vscode.commands.registerCommand(
      TRANSFER_COMMANDS.discard,
      perItem(discard, async (id) => {
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
          vscode.l10n.t(
            'Discarded the upload of {0} here, but the server could not be reached: an incomplete multipart upload may remain. Abort it with "Incomplete Multipart Uploads…" on the bucket.',
            name,
          ),
        );
      }),
    ),
    vscode.commands.registerCommand(TRANSFER_COMMANDS.resumeAll, () => resumeAll(deps)),
    vscode.commands.registerCommand(TRANSFER_COMMANDS.pauseAll, () => pauseAll(deps)),
    vscode.commands.registerCommand(TRANSFER_COMMANDS.clearFinished, () => manager.clearFinished()),
  ];
}

/**
 * Every running or queued transfer stops and keeps its checkpoint (the queued ones first, so none
 * starts in a slot a paused one frees); Resume All continues them.
 */
export function pauseAll(deps: CommandDeps): void {
  const items = deps.manager.items();
  const order = [...items.filter((x) => x.state === 'queued'), ...items.filter((x) => x.state === 'running')];
  let failed = 0;
  for (const it of order) {
    try {
      deps.manager.pause(it.id);
    } catch (err) {
      failed++;
      deps.log.error(err as Error);
    }
  }
  if (failed) void vscode.window.showErrorMessage(vscode.l10n.t('Could not pause {0} of {1} transfers; see the OSS log.', failed, order.length));
  else deps.log.info(`Paused ${order.length} transfer(s).`);
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
      vscode.l10n.t(
        '{0} interrupted transfer(s) have no profile recorded and cannot resume; Discard them and start again ({1}).',
        orphans.length,
        orphans.map((o) => displayName(o.spec.key)).join(', '),
      ),
    );
  }
  if (!runnable.length) return;
  await deps.runBatch(resumeLabel(runnable), runnable.map((it) => it.spec));
}

function resumeLabel(items: TransferItem[]): string {
  return items.length === 1 ? vscode.l10n.t('Resuming {0}', displayName(items[0]!.spec.key)) : vscode.l10n.t('Resuming {0} interrupted transfers', items.length);
}

// The batch row's actions: Pause / Resume / Cancel every item of the batch where that applies, and
// Retry failed, which re-queues each failed item through the manager's retry(id). Items set going
// again after their batch's notification closed get one new notification for them all (follow),
// not one notice per file.
import * as vscode from 'vscode';
import type { TransferManager } from '../../transfer/batch/transferManager.js';
import type { TransferState } from '../../transfer/batch/transferTypes.js';
import type { Logger } from '../logger.js';
import type { BatchSummary } from '../presentation/batchRows.js';
import { describeError } from '../presentation/errorAdvice.js';
import { batchKeyOf } from './transfersTreeProvider.js';

export const BATCH_COMMANDS = {
  pause: 'ossTransfer.transfers.pauseBatch',
  resume: 'ossTransfer.transfers.resumeBatch',
  cancel: 'ossTransfer.transfers.cancelBatch',
  retryFailed: 'ossTransfer.transfers.retryFailed',
} as const;

export interface BatchCommandDeps {
  manager: TransferManager;
  log: Logger;
  /** The batch as the Transfers view groups it (its member ids). */
  batch(key: string): BatchSummary | undefined;
  /** The batch's name for a notification title. */
  label(b: BatchSummary): string;
  selection(): readonly string[];
  /** Whether the batch's own notification is still open (then it shows the items going again). */
  isActive(key: string): boolean;
  /** One notification and one outcome notice for items set going again after their batch ended. */
  follow(label: string, ids: string[]): void;
}

interface BatchAction {
  from: ReadonlySet<TransferState>;
  act(manager: TransferManager, id: string): void;
  /** Said when no batch row is selected. */
  selectFirst(): string;
  /** Said when some of the batch's items refused the action. */
  couldNot(count: number, reason: string): string;
  /** Title of the follow-up notification when the items run again after the batch ended. */
  followTitle?(label: string): string;
}

// Whole sentences per action: the verb's place in the sentence differs between languages.
const ACTIONS: Record<keyof typeof BATCH_COMMANDS, BatchAction> = {
  pause: {
    from: new Set(['running', 'queued']),
    act: (m, id) => m.pause(id),
    selectFirst: () => vscode.l10n.t('Select a batch row in the Transfers view to pause its transfers.'),
    couldNot: (n, why) => vscode.l10n.t("Could not pause {0} of the batch's transfers: {1}", n, why),
  },
  resume: {
    from: new Set(['paused', 'interrupted', 'cancelled']),
    act: (m, id) => m.resume(id),
    selectFirst: () => vscode.l10n.t('Select a batch row in the Transfers view to resume its transfers.'),
    couldNot: (n, why) => vscode.l10n.t("Could not resume {0} of the batch's transfers: {1}", n, why),
    followTitle: (label) => vscode.l10n.t('Resuming: {0}', label),
  },
  cancel: {
    from: new Set(['running', 'queued', 'paused']),
    act: (m, id) => m.cancel(id),
    selectFirst: () => vscode.l10n.t('Select a batch row in the Transfers view to cancel its transfers.'),
    couldNot: (n, why) => vscode.l10n.t("Could not cancel {0} of the batch's transfers: {1}", n, why),
  },
  retryFailed: {
    from: new Set(['failed']),
    act: (m, id) => m.retry(id),
    selectFirst: () => vscode.l10n.t('Select a batch row in the Transfers view to retry its transfers.'),
    couldNot: (n, why) => vscode.l10n.t("Could not retry {0} of the batch's transfers: {1}", n, why),
    followTitle: (label) => vscode.l10n.t('Retrying failed: {0}', label),
  },
};

export function registerBatchCommands(deps: BatchCommandDeps): vscode.Disposable[] {
  const run = (action: BatchAction) => (clicked?: unknown, selected?: unknown): void => {
    const chosen = Array.isArray(selected) && selected.length ? selected : clicked !== undefined ? [clicked] : [...deps.selection()];
    const keys = [...new Set(chosen.map(batchKeyOf).filter((k): k is string => k !== undefined))];
    if (!keys.length) {
      void vscode.window.showInformationMessage(action.selectFirst());
      return;
    }
    for (const key of keys) {
      const b = deps.batch(key);
      if (!b) continue;
      // The states now, not as the row was last drawn: a redraw may be up to a quarter second behind.
      const ids = b.ids.filter((id) => {
        const s = deps.manager.get(id)?.state;
        return s !== undefined && action.from.has(s);
      });
      const moved: string[] = [];
      let firstError: Error | undefined;
      for (const id of ids) {
        try {
          action.act(deps.manager, id);
          moved.push(id);
        } catch (err) {
          firstError ??= err as Error;
        }
      }
      if (firstError) {
        deps.log.error(firstError);
        void vscode.window.showErrorMessage(action.couldNot(ids.length - moved.length, describeError(firstError).summary));
      }
      if (action.followTitle && moved.length && !deps.isActive(key)) deps.follow(action.followTitle(deps.label(b)), moved);
    }
  };
  return (Object.keys(BATCH_COMMANDS) as Array<keyof typeof BATCH_COMMANDS>).map((k) =>
    vscode.commands.registerCommand(BATCH_COMMANDS[k], run(ACTIONS[k])),
  );
}

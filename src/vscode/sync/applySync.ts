// Apply of the Sync Preview: asks again when the deletes pass the threshold, then runs the plan in
// the extension's TransferManager (one batch, so it shows in the Transfers view, pauses, resumes and
// survives a reload like any other) under one cancellable notification with files, bytes, speed and
// time left; ends with one summary naming each failed file, and remembers the pair for next time.
import * as vscode from 'vscode';
import type { OssClient } from '../../oss/index.js';
import type { TransferManager } from '../../transfer/batch/transferManager.js';
import { LARGE_DELETE_FILES, LARGE_DELETE_SHARE, runSync } from '../../transfer/index.js';
import type { TransferBatch } from '../../transfer/batch/transferTypes.js';
import type { SyncPlan, SyncResult } from '../../transfer/sync/syncTypes.js';
import type { Logger } from '../logger.js';
import { describeError } from '../presentation/errorAdvice.js';
import { trashDeleter, trashNote } from './localTrash.js';
import { formatCount } from '../presentation/quantityFormat.js';
import { SyncNotificationProgress } from '../presentation/syncProgress.js';
import { countsText, pairText, planHasWork, syncSummary } from '../presentation/syncText.js';
import type { TransferUi } from '../transfers/registerTransfers.js';
import { FOCUS_TRANSFERS_COMMAND } from '../transfers/transferStatusBar.js';
import type { RememberedPairs, SyncRun } from './rememberedPairs.js';
import type { SyncRemainders } from './syncRemainders.js';

export interface ApplyDeps {
  client(profileId: string, bucket: string): Promise<OssClient>;
  manager: TransferManager;
  transfers: TransferUi;
  /** Takes over the rest of a sync that stops half way. */
  remainders: Pick<SyncRemainders, 'during' | 'track'>;
  pairs: RememberedPairs;
  log: Logger;
  /** After the sync: the status bar and the Buckets tree show what changed. */
  afterSync(run: SyncRun): void;
}

/** How often the notification is redrawn (as the batch notifications are). */
const REPORT_EVERY_MS = 250;

/** The modal second question for deletes above the threshold; true to go on. */
async function confirmLargeDelete(plan: SyncPlan): Promise<boolean> {
  const { count, destinationCount } = plan.largeDelete!;
  const where = plan.direction === 'upload' ? `oss://${plan.bucket}/${plan.prefix}` : plan.localDir;
  const how =
    plan.direction === 'upload'
      ? vscode.l10n.t('Deleted objects cannot be brought back unless the bucket keeps versions.')
      : vscode.l10n.t('Local files go to the trash where VS Code can use one; otherwise they are deleted for good.');
  const button = count === 1 ? vscode.l10n.t('Delete 1 File') : vscode.l10n.t('Delete {0} Files', formatCount(count));
  const question =
    destinationCount === 1
      ? vscode.l10n.t('Delete {0} of 1 file in {1}?', formatCount(count), where)
      : vscode.l10n.t('Delete {0} of {1} files in {2}?', formatCount(count), formatCount(destinationCount), where);
  const pick = await vscode.window.showWarningMessage(
    question,
    {
      modal: true,
      detail: vscode.l10n.t(
        'This sync deletes more than {0} files or {1}% of the destination: the files it holds and the source does not. {2}',
        LARGE_DELETE_FILES,
        Math.round(LARGE_DELETE_SHARE * 100),
        how,
      ),
    },
    button,
  );
  return pick === button;
}

/** Runs `plan`. Returns the result, or undefined when the user stopped at the large-delete question or there was nothing to do. */
export async function applySync(deps: ApplyDeps, run: SyncRun, plan: SyncPlan, beforeStart: () => Promise<void>): Promise<SyncResult | undefined> {
  const title = pairText(plan);
  if (!planHasWork(plan)) {
    await beforeStart();
    await deps.pairs.remember({ ...run, lastSyncedAt: Date.now() });
    deps.afterSync(run);
    void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to apply for {0}: {1}.', title, countsText(plan)));
    return undefined;
  }
  const confirmed = plan.largeDelete && plan.totals.delete.files > 0 ? await confirmLargeDelete(plan) : false;
  if (plan.largeDelete && plan.totals.delete.files > 0 && !confirmed) return undefined;
  await beforeStart();
  const client = await deps.client(plan.profileId, plan.bucket);
  const label = vscode.l10n.t('Sync {0}', title);
  const permanent = { count: 0 };
  deps.log.info(`${label}: applying (${countsText(plan)}).`);
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: label, cancellable: true }, async (progress, token) => {
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    // The same speeds as the sync's Transfers entry, sampled as its batch runs.
    const meter = new SyncNotificationProgress(deps.transfers.speeds, REPORT_EVERY_MS);
    let timer: NodeJS.Timeout | undefined;
    const tick = (batch: TransferBatch, force: boolean): void => {
      const p = meter.sample(batch.items, force);
      if (p) progress.report({ increment: p.increment, message: p.message });
    };
    const follow = (batch: TransferBatch): void => {
      deps.transfers.adoptBatch(batch);
      tick(batch, true);
      timer = setInterval(() => tick(batch, false), REPORT_EVERY_MS);
      void batch.result.then(() => tick(batch, true), () => undefined).finally(() => clearInterval(timer));
    };
    try {
      const running = runSync(client, plan, {
        manager: deps.manager,
        label,
        signal: ac.signal,
        confirmLargeDelete: confirmed,
        deleteLocal: trashDeleter(deps.log, permanent),
        onBatch: follow,
      });
      deps.remainders.during(running);
      return await running;
    } finally {
      clearInterval(timer);
      sub.dispose();
    }
  });
  await deps.pairs.remember({ ...run, lastSyncedAt: Date.now() });
  deps.afterSync(run);
  for (const note of result.notes ?? []) deps.log.warn(`${label}: ${note}`);
  if (result.remainder) deps.remainders.track(result.remainder);
  for (const f of result.failures) deps.log.error(`${label}: ${f.action} ${f.key || f.file} failed — ${describeError(f.error).detail}`);
  const summary = syncSummary(plan, result);
  const trash = trashNote(permanent);
  // A sync stopped half way: its files can still be finished from the Transfers view, and the rest follows.
  const rest = result.remainder ? vscode.l10n.t('Resume or retry its files in the Transfers view and the rest of the sync follows.') : '';
  const message = [trash, rest].filter(Boolean).reduce((m, more) => vscode.l10n.t('{0} {1}', m, more), summary.message);
  deps.log.info(message);
  const showLog = vscode.l10n.t('Show Log');
  const showTransfers = vscode.l10n.t('Show Transfers');
  if (summary.kind === 'failed') {
    void vscode.window.showErrorMessage(message, showLog, showTransfers).then((pick) => {
      if (pick === showLog) deps.log.show();
      else if (pick === showTransfers) void vscode.commands.executeCommand(FOCUS_TRANSFERS_COMMAND);
    });
  } else if (summary.kind === 'cancelled') {
    void vscode.window.showInformationMessage(message, showTransfers).then((pick) => {
      if (pick) void vscode.commands.executeCommand(FOCUS_TRANSFERS_COMMAND);
    });
  } else {
    void vscode.window.showInformationMessage(message);
  }
  return result;
}

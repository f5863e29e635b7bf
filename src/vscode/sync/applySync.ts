// Apply of the Sync Preview: asks again when the deletes pass the threshold, then runs the plan in
// the extension's TransferManager (one batch, so it shows in the Transfers view, pauses, resumes and
// survives a reload like any other) under one cancellable notification with files, bytes, speed and
// time left; ends with one summary naming each failed file, and remembers the pair for next time.
import * as vscode from 'vscode';
import type { OssClient } from '../../oss/index.js';
import type { TransferManager } from '../../transfer/batch/transferManager.js';
import { LARGE_DELETE_FILES, LARGE_DELETE_SHARE, runSync } from '../../transfer/index.js';
import type { SyncPlan, SyncProgress, SyncResult } from '../../transfer/sync/syncTypes.js';
import type { Logger } from '../logger.js';
import { describeError } from '../presentation/errorAdvice.js';
import { formatCount } from '../presentation/quantityFormat.js';
import { countsText, pairText, planHasWork, syncProgressText, syncSummary } from '../presentation/syncText.js';
import type { TransferUi } from '../transfers/registerTransfers.js';
import { FOCUS_TRANSFERS_COMMAND } from '../transfers/transferStatusBar.js';
import type { RememberedPairs, SyncRun } from './rememberedPairs.js';

export interface ApplyDeps {
  client(profileId: string, bucket: string): Promise<OssClient>;
  manager: TransferManager;
  transfers: TransferUi;
  pairs: RememberedPairs;
  log: Logger;
  /** After the sync: the status bar and the Buckets tree show what changed. */
  afterSync(run: SyncRun): void;
}

/** Redraws of the notification per second, at most (the engine reports every file's every step). */
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

/**
 * Moves a local file to the trash; where VS Code has none (a remote window, code-server) it is
 * deleted for good, counted in `permanent`: the user saw it in the preview's Delete group first.
 */
function trashDeleter(log: Logger, permanent: { count: number }): (file: string) => Promise<void> {
  let trashWorks = true;
  return async (file) => {
    const uri = vscode.Uri.file(file);
    if (trashWorks) {
      try {
        await vscode.workspace.fs.delete(uri, { useTrash: true, recursive: false });
        return;
      } catch (err) {
        if (!/trash/i.test(describeError(err).detail)) throw err;
        trashWorks = false;
        log.warn(`Sync: this window has no trash to move local files to (${describeError(err).summary}); extraneous files are deleted for good.`);
      }
    }
    await vscode.workspace.fs.delete(uri, { useTrash: false, recursive: false });
    permanent.count++;
  };
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
    let shownPercent = 0;
    let lastReport = 0;
    const report = (p: SyncProgress): void => {
      const now = Date.now();
      const settled = p.filesDone + p.filesFailed >= p.filesTotal;
      if (!settled && now - lastReport < REPORT_EVERY_MS) return;
      lastReport = now;
      const share = p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p.filesTotal > 0 ? (p.filesDone + p.filesFailed) / p.filesTotal : 0;
      // 100% only once runSync returned (deletes come after the transfers).
      const percent = Math.min(99, Math.floor(share * 100));
      const increment = Math.max(0, percent - shownPercent);
      shownPercent += increment;
      progress.report({ increment, message: syncProgressText(p) });
    };
    try {
      return await runSync(client, plan, {
        manager: deps.manager,
        label,
        signal: ac.signal,
        confirmLargeDelete: confirmed,
        deleteLocal: trashDeleter(deps.log, permanent),
        onBatch: (batch) => deps.transfers.adoptBatch(batch),
        onProgress: report,
      });
    } finally {
      sub.dispose();
    }
  });
  await deps.pairs.remember({ ...run, lastSyncedAt: Date.now() });
  deps.afterSync(run);
  for (const f of result.failures) deps.log.error(`${label}: ${f.action} ${f.key || f.file} failed — ${describeError(f.error).detail}`);
  const summary = syncSummary(plan, result);
  const trashNote = permanent.count
    ? permanent.count === 1
      ? vscode.l10n.t('1 local file was deleted for good: this window has no trash VS Code can use.')
      : vscode.l10n.t('{0} local files were deleted for good: this window has no trash VS Code can use.', formatCount(permanent.count))
    : '';
  const message = trashNote ? vscode.l10n.t('{0} {1}', summary.message, trashNote) : summary.message;
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

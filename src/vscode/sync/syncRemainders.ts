// The rest of a sync whose batch outlived it, in VS Code: the engine's SyncRemainderRunner on the
// extension's manager, the sync state folder and the profiles' clients, local deletes through the
// trash, and what the user hears: the sync's summary once its rest ran, or which deletes wait and
// why. Apply hands it the syncs it starts (so closing the window waits for them to write what
// remains) and the remainder of one that stopped half way.
import * as vscode from 'vscode';
import type { OssClient } from '../../oss/index.js';
import type { TransferManager } from '../../transfer/batch/transferManager.js';
import type { RemainderFacts } from '../../transfer/sync/syncRemainder.js';
import { SyncRemainderRunner, type RemainderHeld } from '../../transfer/sync/syncRemainderRunner.js';
import type { SyncResult } from '../../transfer/sync/syncTypes.js';
import type { Logger } from '../logger.js';
import { describeError } from '../presentation/errorAdvice.js';
import { heldSyncText, syncSummary, type SyncPairText } from '../presentation/syncText.js';
import { FOCUS_TRANSFERS_COMMAND } from '../transfers/transferStatusBar.js';
import { trashDeleter, trashNote } from './localTrash.js';

export interface SyncRemaindersDeps {
  manager: TransferManager;
  stateDir: string;
  client(profileId: string, bucket: string): Promise<OssClient>;
  log: Logger;
  /** After the rest of a sync ran (the Buckets tree shows what changed). */
  afterSync?(facts: RemainderFacts): void;
}

const pairOf = (f: RemainderFacts): SyncPairText => ({ direction: f.direction, localDir: f.pair.localDir, bucket: f.pair.bucket, prefix: f.pair.prefix });

export class SyncRemainders implements vscode.Disposable {
  private readonly runner: Promise<SyncRemainderRunner | undefined>;
  /** Local files deleted for good since the last summary (a window without a trash). */
  private readonly permanent = { count: 0 };

  constructor(private readonly deps: SyncRemaindersDeps) {
    const { log } = deps;
    const deleteLocal = trashDeleter(log, this.permanent);
    this.runner = SyncRemainderRunner.start({
      manager: deps.manager,
      stateDir: deps.stateDir,
      clientFor: (profileId, bucket) => deps.client(profileId, bucket),
      deleteLocal,
      log,
      onFinished: (facts, result) => this.finished(facts, result),
      onHeld: (facts, held) => this.held(facts, held),
    }).catch((err: unknown) => {
      log.error(`Syncs finished after a reload are off: ${describeError(err).detail}`);
      return undefined;
    });
  }

  /** A sync that stopped half way: its rest runs once its files are finished from the Transfers view. */
  track(file: string): void {
    void this.runner.then((r) => r?.track(file)).catch((err: unknown) => this.deps.log.error(`Sync: ${file} cannot be followed: ${describeError(err).detail}`));
  }

  /** A sync running now: closing the window waits (a little) for it to write what remains. */
  during(sync: Promise<unknown>): void {
    void this.runner.then((r) => r?.during(sync));
  }

  /** Deactivation: stops following and writes what landed. */
  async close(): Promise<void> {
    await (await this.runner)?.close();
  }

  dispose(): void {
    void this.close();
  }

  private finished(facts: RemainderFacts, result: SyncResult): void {
    const log = this.deps.log;
    for (const f of result.failures) log.error(`${facts.label}: ${f.action} ${f.key || f.file} failed — ${describeError(f.error).detail}`);
    const summary = syncSummary(pairOf(facts), result);
    const trash = trashNote(this.permanent);
    this.permanent.count = 0;
    const message = trash ? vscode.l10n.t('{0} {1}', summary.message, trash) : summary.message;
    log.info(message);
    this.deps.afterSync?.(facts);
    if (summary.kind === 'failed') {
      const showLog = vscode.l10n.t('Show Log');
      void vscode.window.showErrorMessage(message, showLog).then((pick) => pick && log.show());
    } else void vscode.window.showInformationMessage(message);
  }

  private held(facts: RemainderFacts, held: RemainderHeld): void {
    const message = heldSyncText(pairOf(facts), held);
    this.deps.log.warn(message);
    const show = vscode.l10n.t('Show Transfers');
    void vscode.window.showWarningMessage(message, show).then((pick) => {
      if (pick) void vscode.commands.executeCommand(FOCUS_TRANSFERS_COMMAND);
    });
  }
}

// The Sync Preview's buttons: Apply and Cancel in its title bar, Keep Local / Keep Remote / Skip on
// a conflict's row, and a click on a row (the diff of the local file against the object).
import * as vscode from 'vscode';
import { resolveConflict } from '../../../transfer/index.js';
import type { ConflictChoice } from '../../../transfer/sync/syncTypes.js';
import { pairText } from '../../presentation/syncText.js';
import { applySync, type ApplyDeps } from '../../sync/applySync.js';
import { openSyncItem } from '../../sync/syncItemDiff.js';
import { OPEN_ITEM_COMMAND, type PreviewNode, type PreviewSession, type SyncPreview } from '../../sync/syncPreviewView.js';
import type { CommandContext } from '../commandContext.js';
import { registerCommand } from '../errorReportingCommand.js';

function itemNode(node: unknown): Extract<PreviewNode, { kind: 'item' }> | undefined {
  const n = node as PreviewNode | undefined;
  return n && typeof n === 'object' && n.kind === 'item' ? n : undefined;
}

export function registerPreviewCommands(ctx: CommandContext, preview: SyncPreview, deps: ApplyDeps): vscode.Disposable[] {
  let applying: PreviewSession | undefined;

  const resolve = (choice: ConflictChoice) => (node?: unknown) => {
    const s = preview.current;
    const n = itemNode(node);
    if (!s || !n || n.item.kind !== 'conflict') return;
    resolveConflict(s.plan, n.item, choice);
    deps.log.info(`Sync ${pairText(s.plan)}: conflict ${n.item.name} resolved as ${choice}.`);
    preview.refresh();
  };

  return [
    registerCommand('ossTransfer.sync.apply', ctx.log, async () => {
      const s = preview.current;
      if (!s || applying === s) return;
      applying = s;
      try {
        await applySync(deps, s.run, s.plan, () => preview.close());
      } finally {
        applying = undefined;
      }
    }),
    registerCommand('ossTransfer.sync.cancel', ctx.log, async () => {
      const s = preview.current;
      await preview.close();
      if (s) {
        deps.log.info(`Sync ${pairText(s.plan)}: preview cancelled, nothing changed.`);
        vscode.window.setStatusBarMessage(`$(close) ${vscode.l10n.t('Sync cancelled: nothing changed')}`, 3000);
      }
    }),
    registerCommand('ossTransfer.sync.keepLocal', ctx.log, resolve('keep-local')),
    registerCommand('ossTransfer.sync.keepRemote', ctx.log, resolve('keep-remote')),
    registerCommand('ossTransfer.sync.skipConflict', ctx.log, resolve('skip')),
    registerCommand(OPEN_ITEM_COMMAND, ctx.log, async (node?: unknown) => {
      const s = preview.current;
      const n = itemNode(node);
      if (s && n) await openSyncItem(s.plan, n.item, ctx.settings().openInEditorMaxBytes);
    }),
  ];
}

// The Overwrite / Skip / Keep both question for one existing destination, with "… for all" choices
// when more conflicts follow in the same batch (or may follow, while a folder is still being
// listed). Escape cancels the whole batch.
import * as vscode from 'vscode';
import type { AskConflict, ConflictAnswer, ConflictChoice } from '../../planning/conflictPolicy.js';

interface Item extends vscode.QuickPickItem {
  answer: ConflictAnswer;
}

/** The three answers; `all(n)` applies one to the rest of the batch (n of them, or an unknown number). */
function labels(): Record<ConflictChoice, { label: string; detail: string; all(n?: number): string }> {
  return {
    overwrite: {
      label: `$(replace-all) ${vscode.l10n.t('Overwrite')}`,
      detail: vscode.l10n.t('Replace the existing one'),
      all: (n) => `$(replace-all) ${n === undefined ? vscode.l10n.t('Overwrite — all') : vscode.l10n.t('Overwrite — all {0}', n)}`,
    },
    skip: {
      label: `$(debug-step-over) ${vscode.l10n.t('Skip')}`,
      detail: vscode.l10n.t('Leave the existing one and do not transfer this item'),
      all: (n) => `$(debug-step-over) ${n === undefined ? vscode.l10n.t('Skip — all') : vscode.l10n.t('Skip — all {0}', n)}`,
    },
    keepBoth: {
      label: `$(files) ${vscode.l10n.t('Keep both')}`,
      detail: vscode.l10n.t('Transfer under a new name such as “name (1).ext”'),
      all: (n) => `$(files) ${n === undefined ? vscode.l10n.t('Keep both — all') : vscode.l10n.t('Keep both — all {0}', n)}`,
    },
  };
}

/** `where` says what exists, e.g. "in bucket b" or "in /home/me/Downloads". */
export function conflictAsker(where: (destination: string) => string): AskConflict {
  return async ({ destination, remaining, more }) => {
    const words = labels();
    const choices: ConflictChoice[] = ['overwrite', 'skip', 'keepBoth'];
    const items: Item[] = choices.map((c) => ({ label: words[c].label, detail: words[c].detail, answer: { choice: c, applyToAll: false } }));
    if (remaining > 1 || more) {
      items.push({ label: '', kind: vscode.QuickPickItemKind.Separator, answer: { choice: 'skip', applyToAll: false } });
      for (const c of choices) {
        items.push(
          more
            ? // The folder is still being listed: the count so far would understate what "all" covers.
              {
                label: words[c].all(),
                detail: vscode.l10n.t('Apply to this and every other existing item of this batch, including those still being listed'),
                answer: { choice: c, applyToAll: true },
              }
            : {
                label: words[c].all(remaining),
                detail:
                  remaining > 2
                    ? vscode.l10n.t('Apply to this and the {0} other existing items of this batch', remaining - 1)
                    : vscode.l10n.t('Apply to this and the 1 other existing item of this batch'),
                answer: { choice: c, applyToAll: true },
              },
        );
      }
    }
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('“{0}” already exists {1}', destination, where(destination)),
      placeHolder:
        remaining > 1
          ? more
            ? vscode.l10n.t('Overwrite, skip or keep both? ({0} or more items exist already)', remaining)
            : vscode.l10n.t('Overwrite, skip or keep both? ({0} items exist already)', remaining)
          : vscode.l10n.t('Overwrite, skip or keep both?'),
      ignoreFocusOut: true,
    });
    return picked?.answer;
  };
}

// The Overwrite / Skip / Keep both question for one existing destination, with "… for all" choices
// when more conflicts follow in the same batch (or may follow, while a folder is still being
// listed). Escape cancels the whole batch.
import * as vscode from 'vscode';
import type { AskConflict, ConflictAnswer, ConflictChoice } from '../../planning/conflictPolicy.js';

interface Item extends vscode.QuickPickItem {
  answer: ConflictAnswer;
}

const LABELS: Record<ConflictChoice, { label: string; detail: string }> = {
  overwrite: { label: '$(replace-all) Overwrite', detail: 'Replace the existing one' },
  skip: { label: '$(debug-step-over) Skip', detail: 'Leave the existing one and do not transfer this item' },
  keepBoth: { label: '$(files) Keep both', detail: 'Transfer under a new name such as “name (1).ext”' },
};

/** `where` says what exists, e.g. "in bucket b" or "in /home/me/Downloads". */
export function conflictAsker(where: (destination: string) => string): AskConflict {
  return async ({ destination, remaining, more }) => {
    const choices: ConflictChoice[] = ['overwrite', 'skip', 'keepBoth'];
    const items: Item[] = choices.map((c) => ({ ...LABELS[c], answer: { choice: c, applyToAll: false } }));
    if (remaining > 1 || more) {
      items.push({ label: '', kind: vscode.QuickPickItemKind.Separator, answer: { choice: 'skip', applyToAll: false } });
      for (const c of choices) {
        items.push(
          more
            ? // The folder is still being listed: the count so far would understate what "all" covers.
              {
                label: `${LABELS[c].label} — all`,
                detail: 'Apply to this and every other existing item of this batch, including those still being listed',
                answer: { choice: c, applyToAll: true },
              }
            : {
                label: `${LABELS[c].label} — all ${remaining}`,
                detail: `Apply to this and the ${remaining - 1} other existing item${remaining > 2 ? 's' : ''} of this batch`,
                answer: { choice: c, applyToAll: true },
              },
        );
      }
    }
    const picked = await vscode.window.showQuickPick(items, {
      title: `“${destination}” already exists ${where(destination)}`,
      placeHolder:
        remaining > 1 ? `Overwrite, skip or keep both? (${remaining}${more ? ' or more' : ''} items exist already)` : 'Overwrite, skip or keep both?',
      ignoreFocusOut: true,
    });
    return picked?.answer;
  };
}

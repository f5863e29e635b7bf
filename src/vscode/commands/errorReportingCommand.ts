// Registers a command whose failures reach the user in plain words (with the OSS code, request
// id and a next step) and the log in full, instead of VS Code's generic "command failed".
import * as vscode from 'vscode';
import { describeError, formatAdvice } from '../presentation/errorAdvice.js';
import type { Logger } from '../logger.js';
import type { TreeNode } from '../tree/treeNodes.js';

export function registerCommand(id: string, log: Logger, handler: (...args: unknown[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (e) {
      reportError(log, id, e);
      return undefined;
    }
  });
}

/** Logs the full detail and shows the plain-words summary with its next step. Cancellation is silent. */
export function reportError(log: Logger, what: string, e: unknown): void {
  const advice = describeError(e);
  if (advice.cancelled) return;
  log.error(`${what} failed: ${advice.detail}`);
  const showLog = vscode.l10n.t('Show Log');
  void vscode.window.showErrorMessage(formatAdvice(advice), showLog).then((pick) => {
    if (pick === showLog) log.show();
  });
}

function isTreeNode(x: unknown): x is TreeNode {
  return !!x && typeof x === 'object' && typeof (x as { kind?: unknown }).kind === 'string' && typeof (x as { toTreeItem?: unknown }).toTreeItem === 'function';
}

/**
 * The nodes a tree command acts on: VS Code passes (clicked, allSelected) for context menus and
 * inline actions; from a keybinding or the palette there may be neither, then the view selection.
 */
export function targetNodes(clicked: unknown, selected: unknown, viewSelection: readonly TreeNode[]): TreeNode[] {
  if (Array.isArray(selected) && selected.length > 0 && selected.every(isTreeNode)) {
    // Clicking an item outside the selection acts on that item only, as in the Explorer.
    if (isTreeNode(clicked) && !selected.includes(clicked)) return [clicked];
    return selected;
  }
  if (isTreeNode(clicked)) return [clicked];
  return [...viewSelection];
}

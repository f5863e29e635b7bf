// Names the checkpoint folder under globalStorage (the manager creates it on first use). The
// transfer settings themselves come from the one settings reader (settings.ts).
import * as path from 'node:path';
import type * as vscode from 'vscode';

/** `<globalStorage>/checkpoints`: checkpoints and the transfer journal live here, never in globalState. */
export function checkpointDirFor(context: vscode.ExtensionContext): string {
  return path.join(context.globalStorageUri.fsPath, 'checkpoints');
}

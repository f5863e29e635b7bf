// "Create Folder…": OSS has no folders, so a zero-byte object named 'prefix/' stands for one and
// makes it show (and stay) in listings while empty.
import * as vscode from 'vscode';
import { checkKey } from '../../../transfer/paths/keyPath.js';
import { containerOf } from '../../tree/bucketDragAndDrop.js';
import type { TreeNode } from '../../tree/treeNodes.js';
import type { CommandContext } from '../commandContext.js';
import { registerCommand } from '../errorReportingCommand.js';

/** Problems with a folder name typed by the user, or undefined. Nested paths ('a/b') are allowed. */
export function folderNameProblem(name: string): string | undefined {
  const t = name.trim().replace(/\/+$/, '');
  if (t === '') return vscode.l10n.t('Enter a folder name.');
  if (t.startsWith('/') || t.startsWith('\\')) return vscode.l10n.t('The name is relative to the current folder; it cannot start with "/".');
  if (t.split('/').some((s) => s === '' || s === '.' || s === '..')) return vscode.l10n.t('Folder names cannot be empty, "." or "..".');
  return undefined;
}

export function registerCreateFolderCommand(ctx: CommandContext): vscode.Disposable {
  return registerCommand('ossTransfer.createFolder', ctx.log, async (node?: unknown) => {
    const container = containerOf((node as TreeNode | undefined) ?? ctx.treeView.selection[0]);
    if (!container) throw new Error(vscode.l10n.t('Choose a bucket or folder in the Buckets view to create a folder in.'));
    const name = await vscode.window.showInputBox({
      title: vscode.l10n.t('Create Folder in {0}', `oss://${container.bucket}/${container.prefix}`),
      prompt: vscode.l10n.t('Folder name (a/b creates nested folders)'),
      ignoreFocusOut: true,
      validateInput: folderNameProblem,
    });
    if (name === undefined) return;
    const problem = folderNameProblem(name);
    if (problem) throw new Error(problem);
    const key = checkKey(`${container.prefix}${name.trim().replace(/\/+$/, '')}/`);
    const client = await ctx.clients.clientFor(container.profileId, container.bucket);
    await client.putObject({ bucket: container.bucket, key, body: Buffer.alloc(0), contentLength: 0 });
    ctx.log.info(`Created folder ${container.bucket}/${key}.`);
    ctx.tree.refreshPrefix(container.profileId, container.bucket, container.prefix);
  });
}

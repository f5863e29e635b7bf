// How a sync deletes a local file: to the OS trash where VS Code has one; where it has none (a
// remote window, code-server) for good, counted so the summary can say so. Used by Apply and by
// the rest of a sync finished after a reload.
import * as vscode from 'vscode';
import type { Logger } from '../logger.js';
import { describeError } from '../presentation/errorAdvice.js';
import { formatCount } from '../presentation/quantityFormat.js';

/**
 * Moves a local file to the trash; where VS Code has none it is deleted for good, counted in
 * `permanent`: the user saw it in the preview's Delete group first.
 */
export function trashDeleter(log: Logger, permanent: { count: number }): (file: string) => Promise<void> {
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

/** The summary's sentence about files deleted for good ('' when every one went to the trash). */
export function trashNote(permanent: { count: number }): string {
  if (!permanent.count) return '';
  return permanent.count === 1
    ? vscode.l10n.t('1 local file was deleted for good: this window has no trash VS Code can use.')
    : vscode.l10n.t('{0} local files were deleted for good: this window has no trash VS Code can use.', formatCount(permanent.count));
}

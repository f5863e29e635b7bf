// Asks for a folder on this machine: folders offered first (a remembered sync pair's, the
// workspace's), or any other through the folder dialog.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LOCAL_FILE_SCHEMES } from '../../tree/bucketDragAndDrop.js';

export interface FolderSuggestion {
  folder: string;
  description?: string;
  /** Icon: a remembered pair's folder shows as history. */
  remembered?: boolean;
}

interface Item extends vscode.QuickPickItem {
  folder?: string;
}

export interface PickLocalFolderOptions {
  title: string;
  placeHolder: string;
  /** The folder dialog's button. */
  openLabel: string;
  suggestions?: readonly FolderSuggestion[];
}

/** The absolute path of a folder the extension host can open, or an error saying why not. */
export function localFolderPath(uri: vscode.Uri): string {
  if (!LOCAL_FILE_SCHEMES.has(uri.scheme)) throw new Error(vscode.l10n.t('Only folders on this machine can be synced; "{0}" is not one.', uri.toString()));
  return uri.fsPath;
}

export async function pickLocalFolder(opts: PickLocalFolderOptions): Promise<string | undefined> {
  const seen = new Set<string>();
  const items: Item[] = [];
  const add = (folder: string, description: string | undefined, icon: string): void => {
    const key = path.resolve(folder);
    if (seen.has(key)) return;
    seen.add(key);
    items.push({ label: `$(${icon}) ${path.basename(key) || key}`, description: description ?? key, folder: key });
  };
  for (const s of opts.suggestions ?? []) add(s.folder, s.description, s.remembered ? 'history' : 'folder');
  for (const w of vscode.workspace.workspaceFolders ?? []) {
    if (LOCAL_FILE_SCHEMES.has(w.uri.scheme)) add(w.uri.fsPath, w.uri.fsPath, 'root-folder');
  }
  const browse: Item = { label: `$(folder-opened) ${vscode.l10n.t('Browse…')}`, description: vscode.l10n.t('choose another folder'), alwaysShow: true };
  let picked: Item | undefined = browse;
  if (items.length) {
    picked = await vscode.window.showQuickPick([...items, browse], { title: opts.title, placeHolder: opts.placeHolder, ignoreFocusOut: true, matchOnDescription: true });
    if (!picked) return undefined;
  }
  if (picked.folder) return picked.folder;
  const first = vscode.workspace.workspaceFolders?.[0]?.uri;
  const chosen = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: opts.openLabel,
    title: opts.title,
    ...(first ? { defaultUri: first } : {}),
  });
  return chosen?.[0] ? localFolderPath(chosen[0]) : undefined;
}

// One sync run's options in a quick pick: how files are compared, include / exclude patterns
// (prefilled from the settings or the folder's remembered pair), and whether extraneous files on the
// destination are deleted — off unless the user turns it on here, for this run.
import * as vscode from 'vscode';
import type { SyncCompare, SyncDirection } from '../../../transfer/sync/syncTypes.js';
import { compareLabel, formatPatterns, parsePatterns } from '../../presentation/syncText.js';

export interface SyncRunOptions {
  include: string[];
  exclude: string[];
  compare: SyncCompare;
  deleteExtraneous: boolean;
}

type Action = 'preview' | 'compare' | 'include' | 'exclude' | 'delete';

interface Item extends vscode.QuickPickItem {
  action: Action;
}

/** The entries' labels (the e2e tests pick them by these). */
function optionLabels(): Record<Action, string> {
  return {
    preview: vscode.l10n.t('Compare and Preview'),
    compare: vscode.l10n.t('Compare by'),
    include: vscode.l10n.t('Include'),
    exclude: vscode.l10n.t('Exclude'),
    delete: vscode.l10n.t('Delete extraneous files on the destination'),
  };
}

function deleteDetail(o: SyncRunOptions, direction: SyncDirection, destination: string): string {
  if (direction === 'upload') {
    return o.deleteExtraneous
      ? vscode.l10n.t('Objects in {0} that the folder does not have are deleted; the preview lists them first', destination)
      : vscode.l10n.t('When on, objects in {0} that the folder does not have are deleted; the preview lists them first', destination);
  }
  return o.deleteExtraneous
    ? vscode.l10n.t('Local files in {0} that the prefix does not have go to the trash; the preview lists them first', destination)
    : vscode.l10n.t('When on, local files in {0} that the prefix does not have go to the trash; the preview lists them first', destination);
}

function items(o: SyncRunOptions, direction: SyncDirection, destination: string): Item[] {
  const other: SyncCompare = o.compare === 'checksum' ? 'size-mtime' : 'checksum';
  const labels = optionLabels();
  return [
    { action: 'preview', label: `$(play) ${labels.preview}`, description: vscode.l10n.t('nothing moves before you apply it') },
    {
      action: 'compare',
      label: `$(diff) ${labels.compare}`,
      description: compareLabel(o.compare),
      detail: vscode.l10n.t('Select to compare by {0} instead', compareLabel(other).toLowerCase()),
    },
    {
      action: 'include',
      label: `$(filter) ${labels.include}`,
      description: o.include.length ? formatPatterns(o.include) : vscode.l10n.t('all files'),
      detail: vscode.l10n.t('Only files matching these .gitignore-style patterns take part'),
    },
    {
      action: 'exclude',
      label: `$(exclude) ${labels.exclude}`,
      description: o.exclude.length ? formatPatterns(o.exclude) : vscode.l10n.t('none'),
      detail: vscode.l10n.t('Left alone on both sides; node_modules, .git and the checkpoint folder always are, unless an include names them'),
    },
    {
      action: 'delete',
      label: `$(trash) ${labels.delete}`,
      description: o.deleteExtraneous ? vscode.l10n.t('On') : vscode.l10n.t('Off'),
      detail: deleteDetail(o, direction, destination),
    },
  ];
}

/** One showing of the pick; resolves with the chosen entry (undefined: dismissed). */
function showOnce(title: string, list: Item[], active: Action): Promise<Item | undefined> {
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = title;
  qp.placeholder = vscode.l10n.t('Change an option, or choose Compare and Preview');
  qp.ignoreFocusOut = true;
  qp.matchOnDescription = true;
  qp.items = list;
  const a = list.find((i) => i.action === active);
  if (a) qp.activeItems = [a];
  return new Promise((resolve) => {
    let chosen: Item | undefined;
    qp.onDidAccept(() => {
      chosen = qp.selectedItems[0] ?? qp.activeItems[0];
      qp.hide();
    });
    qp.onDidHide(() => {
      qp.dispose();
      resolve(chosen);
    });
    qp.show();
  });
}

async function askPatterns(title: string, prompt: string, current: readonly string[]): Promise<string[] | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    value: formatPatterns(current),
    placeHolder: vscode.l10n.t('e.g. *.map, drafts/, **/*.tmp (comma-separated; empty for none)'),
    ignoreFocusOut: true,
  });
  return text === undefined ? undefined : parsePatterns(text);
}

/** Shows the options until the user chooses Compare and Preview (the options) or dismisses it (undefined). */
export async function pickSyncOptions(title: string, direction: SyncDirection, destination: string, initial: SyncRunOptions): Promise<SyncRunOptions | undefined> {
  const o: SyncRunOptions = { ...initial, include: [...initial.include], exclude: [...initial.exclude] };
  let active: Action = 'preview';
  for (;;) {
    const picked = await showOnce(title, items(o, direction, destination), active);
    if (!picked) return undefined;
    active = picked.action;
    switch (picked.action) {
      case 'preview':
        return o;
      case 'compare':
        o.compare = o.compare === 'checksum' ? 'size-mtime' : 'checksum';
        break;
      case 'delete':
        o.deleteExtraneous = !o.deleteExtraneous;
        break;
      case 'include': {
        const p = await askPatterns(
          vscode.l10n.t('{0}: include', title),
          vscode.l10n.t('Only files matching these patterns take part (relative to the folder and the prefix).'),
          o.include,
        );
        if (p) o.include = p;
        break;
      }
      case 'exclude': {
        const p = await askPatterns(
          vscode.l10n.t('{0}: exclude', title),
          vscode.l10n.t('Files and folders matching these patterns are left alone on both sides.'),
          o.exclude,
        );
        if (p) o.exclude = p;
        break;
      }
    }
  }
}

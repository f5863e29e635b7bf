// One sync run's options in a quick pick: how files are compared, include / exclude patterns
// (prefilled from the settings or the folder's remembered pair), and whether extraneous files on the
// destination are deleted — off unless the user turns it on here, for this run.
import * as vscode from 'vscode';
import type { SyncCompare, SyncDirection } from '../../../transfer/sync/syncTypes.js';
import { COMPARE_LABEL, formatPatterns, parsePatterns } from '../../presentation/syncText.js';

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
export const OPTION_LABELS: Record<Action, string> = {
  preview: 'Compare and Preview',
  compare: 'Compare by',
  include: 'Include',
  exclude: 'Exclude',
  delete: 'Delete extraneous files on the destination',
};

function items(o: SyncRunOptions, direction: SyncDirection, destination: string): Item[] {
  const other: SyncCompare = o.compare === 'checksum' ? 'size-mtime' : 'checksum';
  return [
    { action: 'preview', label: `$(play) ${OPTION_LABELS.preview}`, description: 'nothing moves before you apply it' },
    { action: 'compare', label: `$(diff) ${OPTION_LABELS.compare}`, description: COMPARE_LABEL[o.compare], detail: `Select to compare by ${COMPARE_LABEL[other].toLowerCase()} instead` },
    { action: 'include', label: `$(filter) ${OPTION_LABELS.include}`, description: o.include.length ? formatPatterns(o.include) : 'all files', detail: 'Only files matching these .gitignore-style patterns take part' },
    {
      action: 'exclude',
      label: `$(exclude) ${OPTION_LABELS.exclude}`,
      description: o.exclude.length ? formatPatterns(o.exclude) : 'none',
      detail: 'Left alone on both sides; node_modules, .git and the checkpoint folder always are, unless an include names them',
    },
    {
      action: 'delete',
      label: `$(trash) ${OPTION_LABELS.delete}`,
      description: o.deleteExtraneous ? 'On' : 'Off',
      detail:
        direction === 'upload'
          ? `${o.deleteExtraneous ? 'Objects' : 'When on, objects'} in ${destination} that the folder does not have are deleted; the preview lists them first`
          : `${o.deleteExtraneous ? 'Local files' : 'When on, local files'} in ${destination} that the prefix does not have go to the trash; the preview lists them first`,
    },
  ];
}

/** One showing of the pick; resolves with the chosen entry (undefined: dismissed). */
function showOnce(title: string, list: Item[], active: Action): Promise<Item | undefined> {
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = title;
  qp.placeholder = 'Change an option, or choose Compare and Preview';
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
    placeHolder: 'e.g. *.map, drafts/, **/*.tmp (comma-separated; empty for none)',
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
        const p = await askPatterns(`${title}: include`, 'Only files matching these patterns take part (relative to the folder and the prefix).', o.include);
        if (p) o.include = p;
        break;
      }
      case 'exclude': {
        const p = await askPatterns(`${title}: exclude`, 'Files and folders matching these patterns are left alone on both sides.', o.exclude);
        if (p) o.exclude = p;
        break;
      }
    }
  }
}

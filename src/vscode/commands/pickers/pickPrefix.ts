// Chooses a destination folder (prefix) inside a bucket by browsing it level by level, or by
// typing a new folder path. Used by "Upload to OSS…" from the Explorer and the palette.
import * as vscode from 'vscode';
import { describeError } from '../../presentation/errorAdvice.js';
import { keyBaseName, normalizePrefix, parentPrefix } from '../../../transfer/paths/keyPath.js';
import type { CommandContext } from '../commandContext.js';

interface Item extends vscode.QuickPickItem {
  action: 'here' | 'open' | 'up' | 'new' | 'none';
  prefix: string;
}

/** What the folder is picked for: it words the title and the entries. */
export type PrefixPurpose = 'upload' | 'uploadImages' | 'syncTo' | 'syncFrom';

function wordsFor(purpose: PrefixPurpose): { title(where: string): string; here(): string; newFolder(name: string): string } {
  switch (purpose) {
    case 'uploadImages':
      return {
        title: (where) => vscode.l10n.t('Upload images to {0}', where),
        here: () => vscode.l10n.t('Upload images here'),
        newFolder: (name) => vscode.l10n.t('Upload images to new folder “{0}”', name),
      };
    case 'syncTo':
      return {
        title: (where) => vscode.l10n.t('Sync to {0}', where),
        here: () => vscode.l10n.t('Sync here'),
        newFolder: (name) => vscode.l10n.t('Sync to new folder “{0}”', name),
      };
    case 'syncFrom':
      return {
        title: (where) => vscode.l10n.t('Sync from {0}', where),
        here: () => vscode.l10n.t('Sync here'),
        newFolder: (name) => vscode.l10n.t('Sync from new folder “{0}”', name),
      };
    default:
      return {
        title: (where) => vscode.l10n.t('Upload to {0}', where),
        here: () => vscode.l10n.t('Upload here'),
        newFolder: (name) => vscode.l10n.t('Upload to new folder “{0}”', name),
      };
  }
}

/** A destination folder in the bucket, browsed level by level from its root ("Upload to oss://…", "Sync from oss://…"). */
export async function pickPrefix(ctx: CommandContext, profileId: string, bucket: string, purpose: PrefixPurpose = 'upload'): Promise<string | undefined> {
  const words = wordsFor(purpose);
  const client = await ctx.clients.clientFor(profileId, bucket);
  let current = '';
  for (;;) {
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = words.title(`oss://${bucket}/${current}`);
    qp.placeholder = vscode.l10n.t('Pick a folder, or type a new folder path (a/b/) to create it');
    qp.ignoreFocusOut = true;
    qp.busy = true;
    qp.matchOnDescription = false;
    const fixed: Item[] = [{ label: `$(check) ${words.here()}`, description: `oss://${bucket}/${current}`, action: 'here', prefix: current, alwaysShow: true }];
    if (current) fixed.push({ label: '$(arrow-up) ..', description: vscode.l10n.t('Parent folder'), action: 'up', prefix: parentPrefix(current), alwaysShow: true });
    qp.items = fixed;
    let folders: Item[] = [];
    const ac = new AbortController();
    void client
      .listObjectsV2({ bucket, prefix: current, delimiter: '/', maxKeys: 1000, signal: ac.signal })
      .then((r) => {
        folders = r.prefixes.map((p) => ({ label: `$(folder) ${keyBaseName(p)}`, description: p, action: 'open' as const, prefix: p }));
        if (r.isTruncated) folders.push({ label: `$(info) ${vscode.l10n.t('More folders exist; type a name to go there')}`, action: 'none', prefix: current, alwaysShow: true });
        qp.items = arrange(qp.value);
      })
      .catch((e: unknown) => {
        if (ac.signal.aborted) return;
        folders = [{ label: `$(error) ${describeError(e).summary}`, action: 'none', prefix: current, alwaysShow: true }];
        qp.items = arrange(qp.value);
      })
      .finally(() => {
        qp.busy = false;
      });
    const newItem = (typed: string): Item[] => {
      const t = typed.trim();
      if (!t || t.startsWith('/') || t.split('/').some((s) => s === '..' || s === '.')) return [];
      const target = normalizePrefix(current + t);
      return [
        {
          label: `$(new-folder) ${words.newFolder(t.replace(/\/+$/, ''))}`,
          description: `oss://${bucket}/${target}`,
          action: 'new',
          prefix: target,
          alwaysShow: true,
        },
      ];
    };
    // With text typed, matching folders come first (Enter opens one), then the "new folder" entry
    // (Enter creates it when nothing matches), then "Upload here" / "..".
    const arrange = (typed: string): Item[] => (typed.trim() ? [...folders, ...newItem(typed), ...fixed] : [...fixed, ...folders]);
    qp.onDidChangeValue((v) => {
      qp.items = arrange(v);
    });
    const picked = await new Promise<Item | undefined>((resolve) => {
      let chosen: Item | undefined;
      qp.onDidAccept(() => {
        chosen = qp.selectedItems[0] ?? qp.activeItems[0];
        if (chosen?.action === 'none') return;
        qp.hide();
      });
      qp.onDidHide(() => resolve(chosen));
      qp.show();
    });
    ac.abort();
    qp.dispose();
    if (!picked) return undefined;
    if (picked.action === 'here' || picked.action === 'new') return picked.prefix;
    current = picked.prefix;
  }
}

// Quick picks for commands run from the palette or the Explorer: which profile, which bucket.
import * as vscode from 'vscode';
import { kindLabel, kindOf, type Profile } from '../../profiles/profile.js';
import type { CommandContext } from '../commandContext.js';

export interface PickProfileOptions {
  /**
   * Take the current profile (Switch Profile) without asking when it passes the filter: for
   * commands that act with a profile (upload, add bucket), not on one (edit, remove, test).
   */
  useCurrent?: boolean;
}

/** No profile at all: offers to add or import one. */
export async function offerFirstProfile(): Promise<void> {
  const add = vscode.l10n.t('Add Profile');
  const importChoice = vscode.l10n.t('Import Profiles');
  const pick = await vscode.window.showWarningMessage(vscode.l10n.t('No OSS profile yet.'), add, importChoice);
  if (pick === add) await vscode.commands.executeCommand('ossTransfer.addProfile');
  else if (pick === importChoice) await vscode.commands.executeCommand('ossTransfer.importProfiles');
}

/** A profile in a quick pick: its name; current, kind and where; where it comes from. `file` shortens a path for display. */
export function profileItem(p: Profile, current: Profile | undefined, file: (path: string) => string = (f) => f): vscode.QuickPickItem & { profile: Profile } {
  return {
    label: p.name,
    description: [p.id === current?.id ? vscode.l10n.t('current') : '', kindLabel(kindOf(p)), p.endpoint ?? p.region ?? ''].filter(Boolean).join(' · '),
    detail: p.source === 'env' ? vscode.l10n.t('From environment variables') : p.imported ? vscode.l10n.t('Imported from {0}', file(p.imported.file)) : undefined,
    profile: p,
  };
}

/** Asks for a profile; with exactly one candidate (or the current one, see useCurrent) it is used without asking. */
export async function pickProfile(
  ctx: CommandContext,
  placeHolder: string,
  filter: (p: Profile) => boolean = () => true,
  opts: PickProfileOptions = {},
): Promise<Profile | undefined> {
  const profiles = ctx.store.list().filter(filter);
  if (profiles.length === 0) {
    await offerFirstProfile();
    return undefined;
  }
  if (profiles.length === 1) return profiles[0];
  const current = ctx.store.current();
  const currentOk = current !== undefined && profiles.some((p) => p.id === current.id);
  if (opts.useCurrent && currentOk) return current;
  // The current profile first, so Enter takes it.
  const ordered = currentOk ? [current!, ...profiles.filter((p) => p.id !== current!.id)] : profiles;
  const picked = await vscode.window.showQuickPick(
    ordered.map((p) => profileItem(p, current)),
    { placeHolder, title: vscode.l10n.t('OSS profile'), ignoreFocusOut: true },
  );
  return picked?.profile;
}

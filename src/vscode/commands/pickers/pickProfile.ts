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

/** Asks for a profile; with exactly one candidate (or the current one, see useCurrent) it is used without asking. */
export async function pickProfile(
  ctx: CommandContext,
  placeHolder: string,
  filter: (p: Profile) => boolean = () => true,
  opts: PickProfileOptions = {},
): Promise<Profile | undefined> {
  const profiles = ctx.store.list().filter(filter);
  if (profiles.length === 0) {
    const pick = await vscode.window.showWarningMessage('No OSS profile yet.', 'Add Profile', 'Import Profiles');
    if (pick === 'Add Profile') await vscode.commands.executeCommand('ossTransfer.addProfile');
    else if (pick === 'Import Profiles') await vscode.commands.executeCommand('ossTransfer.importProfiles');
    return undefined;
  }
  if (profiles.length === 1) return profiles[0];
  const current = ctx.store.current();
  const currentOk = current !== undefined && profiles.some((p) => p.id === current.id);
  if (opts.useCurrent && currentOk) return current;
  // The current profile first, so Enter takes it.
  const ordered = currentOk ? [current!, ...profiles.filter((p) => p.id !== current!.id)] : profiles;
  const picked = await vscode.window.showQuickPick(
    ordered.map((p) => ({
      label: p.name,
      description: [p.id === current?.id ? 'current' : '', kindLabel(kindOf(p)), p.endpoint ?? p.region ?? ''].filter(Boolean).join(' · '),
      detail: p.source === 'env' ? 'From environment variables' : p.imported ? `Imported from ${p.imported.file}` : undefined,
      profile: p,
    })),
    { placeHolder, title: 'OSS profile', ignoreFocusOut: true },
  );
  return picked?.profile;
}

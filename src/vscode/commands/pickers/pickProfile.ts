// Quick picks for commands run from the palette or the Explorer: which profile, which bucket.
import * as vscode from 'vscode';
import type { Profile } from '../../profiles/profile.js';
import type { CommandContext } from '../commandContext.js';

/** Asks for a profile; with exactly one candidate it is used without asking. */
export async function pickProfile(ctx: CommandContext, placeHolder: string, filter: (p: Profile) => boolean = () => true): Promise<Profile | undefined> {
  const profiles = ctx.store.list().filter(filter);
  if (profiles.length === 0) {
    const pick = await vscode.window.showWarningMessage('No OSS profile yet.', 'Add Profile');
    if (pick === 'Add Profile') await vscode.commands.executeCommand('ossTransfer.addProfile');
    return undefined;
  }
  if (profiles.length === 1) return profiles[0];
  const picked = await vscode.window.showQuickPick(
    profiles.map((p) => ({ label: p.name, description: p.endpoint ?? p.region ?? '', detail: p.source === 'env' ? 'From environment variables' : undefined, profile: p })),
    { placeHolder, title: 'OSS profile', ignoreFocusOut: true },
  );
  return picked?.profile;
}

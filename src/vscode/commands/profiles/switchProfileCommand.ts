// "OSS: Switch Profile…" (palette and the status-bar item): picks the current profile. The current
// profile is the one commands run from the palette or the Explorer use without asking (Upload to
// OSS…, Add Bucket by Name…, Incomplete Multipart Uploads…); the Buckets tree marks it and shows
// it expanded. Transfers keep the profile they started with.
import * as vscode from 'vscode';
import { offerFirstProfile, profileItem } from '../pickers/pickProfile.js';
import type { CommandContext } from '../commandContext.js';
import { registerCommand } from '../errorReportingCommand.js';

export const SWITCH_PROFILE_COMMAND = 'ossTransfer.switchProfile';

export function registerSwitchProfileCommand(ctx: CommandContext): vscode.Disposable {
  return registerCommand(SWITCH_PROFILE_COMMAND, ctx.log, async () => {
    const profiles = ctx.store.list();
    if (profiles.length === 0) {
      await offerFirstProfile();
      return;
    }
    const current = ctx.store.current();
    const picked = await vscode.window.showQuickPick(
      profiles.map((p) => profileItem(p, current, (f) => ctx.importer.short(f))),
      {
        title: vscode.l10n.t('Switch OSS Profile'),
        placeHolder: vscode.l10n.t('The profile commands use without asking, marked in the Buckets view'),
        ignoreFocusOut: true,
      },
    );
    if (!picked) return;
    await ctx.store.setCurrent(picked.profile.id);
    ctx.log.info(`Current profile: "${picked.profile.name}".`);
    // Show it: the Buckets view opens on the chosen profile, expanded.
    const node = ctx.tree.profiles().find((n) => n.profileId === picked.profile.id);
    if (node && ctx.treeView.visible) await ctx.treeView.reveal(node, { expand: true, select: true, focus: false });
  });
}

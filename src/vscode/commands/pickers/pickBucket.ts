// Asks for a bucket of a profile: the listed buckets plus those added by name (a custom-domain
// profile's one bucket is taken without asking).
import * as vscode from 'vscode';
import { describeError } from '../../presentation/errorAdvice.js';
import { MAX_LISTED_BUCKETS, listAllBuckets } from '../../../transfer/listing/listAllBuckets.js';
import type { Profile } from '../../profiles/profile.js';
import type { CommandContext } from '../commandContext.js';

export async function pickBucket(ctx: CommandContext, profile: Profile, placeHolder: string): Promise<string | undefined> {
  // A custom domain has one bucket (and cannot list buckets): nothing to choose.
  if (profile.customDomainBucket !== undefined) return profile.customDomainBucket;
  const items = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Listing buckets…') },
    async (): Promise<(vscode.QuickPickItem & { bucket?: string })[]> => {
      const out: (vscode.QuickPickItem & { bucket?: string })[] = [];
      const seen = new Set<string>();
      try {
        const client = await ctx.clients.client(profile.id);
        for (const b of await listAllBuckets(client, { limit: MAX_LISTED_BUCKETS })) {
          seen.add(b.name);
          out.push({ label: b.name, description: b.region, bucket: b.name });
        }
        ctx.clients.markRouted(profile.id, [...seen]);
      } catch (e) {
        out.push({
          label: `$(error) ${vscode.l10n.t('Cannot list buckets: {0}', describeError(e).summary)}`,
          description: vscode.l10n.t('buckets added by name are below'),
          alwaysShow: true,
        });
      }
      for (const b of ctx.store.addedBuckets(profile.id)) {
        if (!seen.has(b.name)) out.push({ label: b.name, description: [b.region, vscode.l10n.t('added by name')].filter(Boolean).join(' · '), bucket: b.name });
      }
      return out;
    },
  );
  if (!items.some((i) => i.bucket)) {
    const pick = await vscode.window.showWarningMessage(vscode.l10n.t('Profile "{0}" has no bucket to choose.', profile.name), vscode.l10n.t('Add Bucket by Name…'));
    if (pick) await vscode.commands.executeCommand('ossTransfer.addBucketByName', ctx.tree.profiles().find((p) => p.profileId === profile.id));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { placeHolder, title: vscode.l10n.t('Bucket ({0})', profile.name), ignoreFocusOut: true });
  return picked?.bucket;
}

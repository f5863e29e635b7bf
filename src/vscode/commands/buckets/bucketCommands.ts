// "Add Bucket by Name…" for keys that cannot ListBuckets, and removing such a bucket again.
import * as vscode from 'vscode';
import { describeError } from '../../presentation/errorAdvice.js';
import type { AddedBucket } from '../../profiles/profile.js';
import { checkBucketName, problemOf } from '../../profiles/profileInput.js';
import type { TreeNode } from '../../tree/treeNodes.js';
import type { CommandContext } from '../commandContext.js';
import { pickProfile } from '../pickers/pickProfile.js';
import { registerCommand } from '../errorReportingCommand.js';

export function registerBucketCommands(ctx: CommandContext): vscode.Disposable[] {
  const { store, log } = ctx;
  return [
    registerCommand('ossTransfer.addBucketByName', log, async (node?: unknown) => {
      const n = node as TreeNode | undefined;
      const profile = n?.kind === 'profile' ? store.get(n.profileId) : await pickProfile(ctx, vscode.l10n.t('Add the bucket to which profile?'), undefined, { useCurrent: true });
      if (!profile) return;
      if (profile.customDomainBucket !== undefined) {
        throw new Error(
          vscode.l10n.t(
            'Profile "{0}" is the custom domain of bucket {1} and reaches no other bucket. Add a profile with a region or OSS endpoint for other buckets.',
            profile.name,
            profile.customDomainBucket,
          ),
        );
      }
      const raw = await vscode.window.showInputBox({
        title: vscode.l10n.t('Add Bucket by Name ({0})', profile.name),
        prompt: vscode.l10n.t('Name of a bucket this AccessKey may use'),
        placeHolder: 'my-bucket',
        ignoreFocusOut: true,
        validateInput: (v) => problemOf(() => checkBucketName(v)),
      });
      if (raw === undefined) return;
      const name = checkBucketName(raw);
      const added: AddedBucket = { name };
      // GetBucketInfo tells the bucket's region so its requests go to the right endpoint; a key
      // limited to objects may not be allowed to call it, which is fine.
      try {
        const client = await ctx.clients.client(profile.id);
        const info = await client.getBucketInfo({ bucket: name });
        if (info.region) added.region = info.region;
        if (info.extranetEndpoint) added.extranetEndpoint = info.extranetEndpoint;
        if (info.intranetEndpoint) added.intranetEndpoint = info.intranetEndpoint;
      } catch (e) {
        const a = describeError(e);
        if (a.code === 'NoSuchBucket') throw e;
        log.info(`GetBucketInfo for ${name} was not possible (${a.code ?? a.summary}); using the profile's endpoint for it.`);
      }
      await store.addBucket(profile.id, added);
      log.info(`Bucket ${name} added to profile "${profile.name}"${added.region ? ` (${added.region})` : ''}.`);
    }),

    registerCommand('ossTransfer.forgetBucket', log, async (node?: unknown) => {
      const n = node as TreeNode | undefined;
      if (n?.kind !== 'bucket') throw new Error(vscode.l10n.t('Choose a bucket added by name in the Buckets view.'));
      await store.forgetBucket(n.profileId, n.bucket);
      log.info(`Bucket ${n.bucket} removed from the list of profile "${n.parent.profile.name}".`);
    }),
  ];
}

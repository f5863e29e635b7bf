// Add / edit / remove a profile, and "Test Connection".
import * as vscode from 'vscode';
import { describeError, formatAdvice } from '../../presentation/errorAdvice.js';
import { kindLabel, kindOf, type Profile } from '../../profiles/profile.js';
import { adviceOptions } from '../../profiles/profileAdvice.js';
import type { TreeNode } from '../../tree/treeNodes.js';
import type { CommandContext } from '../commandContext.js';
import { pickProfile } from '../pickers/pickProfile.js';
import { registerCommand } from '../errorReportingCommand.js';
import { profileForm } from './profileForm.js';

function profileOf(ctx: CommandContext, node: unknown): Profile | undefined {
  const n = node as TreeNode | undefined;
  if (n && n.kind === 'profile') return ctx.store.get(n.profileId);
  return undefined;
}

export function registerProfileCommands(ctx: CommandContext): vscode.Disposable[] {
  const { store, log } = ctx;
  return [
    registerCommand('ossTransfer.addProfile', log, async () => {
      const others = store.list().map((p) => p.name);
      const r = await profileForm(others, ctx.settings().signatureVersion);
      if (!r) return;
      if (!r.secret) throw new Error(vscode.l10n.t('A new profile needs its AccessKey secret.'));
      const saved = await store.save(r.meta, r.secret);
      log.info(`Profile "${saved.name}" added (${saved.endpoint ?? saved.region}).`);
      void testAndReport(ctx, saved, true);
    }),

    registerCommand('ossTransfer.editProfile', log, async (node?: unknown) => {
      const profile = profileOf(ctx, node) ?? (await pickProfile(ctx, vscode.l10n.t('Edit which profile?'), (p) => p.source === 'user'));
      if (!profile) return;
      if (profile.source === 'env') throw new Error(vscode.l10n.t('The environment profile comes from OSS_* environment variables and cannot be edited here.'));
      const kind = kindOf(profile);
      if (kind !== 'accessKey') {
        throw new Error(
          profile.imported
            ? vscode.l10n.t(
                'Profile "{0}" uses {1} credentials, which Edit Profile does not change. Change it in {2}: the profile follows that file.',
                profile.name,
                kindLabel(kind),
                ctx.importer.short(profile.imported.file),
              )
            : vscode.l10n.t('Profile "{0}" uses {1} credentials, which Edit Profile does not change. Remove it and add or import it again.', profile.name, kindLabel(kind)),
        );
      }
      if (profile.imported) log.info(`Profile "${profile.name}" is imported from ${profile.imported.file}: a later change of that file replaces its credentials again.`);
      const others = store.list().filter((p) => p.id !== profile.id).map((p) => p.name);
      const r = await profileForm(others, ctx.settings().signatureVersion, profile);
      if (!r) return;
      await store.save({ ...r.meta, id: profile.id }, r.secret);
      log.info(`Profile "${r.meta.name}" updated${r.secret ? ' (new secret stored)' : ''}.`);
    }),

    registerCommand('ossTransfer.removeProfile', log, async (node?: unknown) => {
      const profile = profileOf(ctx, node) ?? (await pickProfile(ctx, vscode.l10n.t('Remove which profile?'), (p) => p.source === 'user'));
      if (!profile) return;
      if (profile.source === 'env') throw new Error(vscode.l10n.t('The environment profile comes from OSS_* environment variables; unset them to remove it.'));
      const remove = vscode.l10n.t('Remove');
      const ok = await vscode.window.showWarningMessage(
        vscode.l10n.t('Remove profile "{0}"?', profile.name),
        { modal: true, detail: vscode.l10n.t('Its stored AccessKey secret is deleted from this machine. Objects in OSS are not touched.') },
        remove,
      );
      if (ok !== remove) return;
      await store.remove(profile.id);
      log.info(`Profile "${profile.name}" removed.`);
    }),

    registerCommand('ossTransfer.testConnection', log, async (node?: unknown) => {
      const profile = profileOf(ctx, node) ?? (await pickProfile(ctx, vscode.l10n.t('Test which profile?')));
      if (!profile) return;
      await testAndReport(ctx, profile, false);
    }),
  ];
}

/**
 * ListBuckets (or, for keys limited to some buckets, one listing of a bucket added by name; for a
 * custom domain, one listing of its bucket), then a notification with the result in plain words. `quietOnSuccess` after adding a profile.
 */
export async function testAndReport(ctx: CommandContext, profile: Profile, quietOnSuccess: boolean): Promise<boolean> {
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Testing connection of "{0}"…', profile.name) },
    async () => {
      try {
        const bound = profile.customDomainBucket;
        if (bound !== undefined) {
          // ListBuckets cannot go through a custom domain; listing its bucket proves the connection.
          const bc = await ctx.clients.clientFor(profile.id, bound);
          const r = await bc.listObjectsV2({ bucket: bound, maxKeys: 1 });
          return {
            ok: true as const,
            message: vscode.l10n.t(
              'Connection works: "{0}" reached bucket {1} through its custom domain {2} (request id {3}).',
              profile.name,
              bound,
              bc.endpoint,
              r.requestId || vscode.l10n.t('none'),
            ),
          };
        }
        const client = await ctx.clients.client(profile.id);
        try {
          const r = await client.listBuckets({ maxKeys: 1 });
          return {
            ok: true as const,
            message: vscode.l10n.t(
              'Connection works: "{0}" reached {1} and listed buckets (request id {2}).',
              profile.name,
              client.endpoint,
              r.requestId || vscode.l10n.t('none'),
            ),
          };
        } catch (e) {
          const added = ctx.store.addedBuckets(profile.id)[0];
          if (!added) throw e;
          // Keys limited to some buckets cannot ListBuckets; a listing of a known bucket proves the rest.
          const bc = await ctx.clients.clientFor(profile.id, added.name);
          const r = await bc.listObjectsV2({ bucket: added.name, maxKeys: 1 });
          return {
            ok: true as const,
            message: vscode.l10n.t(
              'Connection works: "{0}" can list bucket {1} (it may not list all buckets; request id {2}).',
              profile.name,
              added.name,
              r.requestId || vscode.l10n.t('none'),
            ),
          };
        }
      } catch (e) {
        return { ok: false as const, error: e };
      }
    },
  );
  if (result.ok) {
    ctx.log.info(result.message);
    if (!quietOnSuccess) void vscode.window.showInformationMessage(result.message);
    return true;
  }
  const advice = describeError(result.error, adviceOptions(profile));
  ctx.log.error(`Test connection of "${profile.name}" failed: ${advice.detail}`);
  const edit = vscode.l10n.t('Edit Profile');
  const showLog = vscode.l10n.t('Show Log');
  const actions = profile.source === 'user' ? [edit, showLog] : [showLog];
  void vscode.window.showErrorMessage(vscode.l10n.t('Connection of "{0}" failed: {1}', profile.name, formatAdvice(advice)), ...actions).then((pick) => {
    if (pick === edit) void vscode.commands.executeCommand('ossTransfer.editProfile', ctx.tree.profiles().find((p) => p.profileId === profile.id));
    else if (pick === showLog) ctx.log.show();
  });
  return false;
}

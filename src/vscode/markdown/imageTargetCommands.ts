// "OSS: Set Image Upload Target…" (palette, and on a bucket or folder in the Buckets tree) and
// "OSS: Clear Image Upload Target": where images pasted or dropped into Markdown in this workspace
// go, and how they are linked. The choice is a workspace setting that names the profile; no secret.
import * as vscode from 'vscode';
import { askExpiry } from '../commands/clipboard/clipboardCommands.js';
import type { CommandContext } from '../commands/commandContext.js';
import { registerCommand, targetNodes } from '../commands/errorReportingCommand.js';
import { pickBucket } from '../commands/pickers/pickBucket.js';
import { pickPrefix } from '../commands/pickers/pickPrefix.js';
import { pickProfile } from '../commands/pickers/pickProfile.js';
import type { Profile } from '../profiles/profile.js';
import { containerOf } from '../tree/bucketDragAndDrop.js';
import { parseCustomDomain, type ImageLink } from './imageLink.js';
import { describeTarget, type ImageTarget } from './imageTarget.js';
import type { ImageUploadSettings } from './imageUploadSettings.js';

export const SET_TARGET_COMMAND = 'ossTransfer.setImageUploadTarget';
export const CLEAR_TARGET_COMMAND = 'ossTransfer.clearImageUploadTarget';

type LinkItem = vscode.QuickPickItem & { linkKind: ImageLink['kind'] };

async function askLink(profile: Profile, bucket: string): Promise<ImageLink | undefined> {
  const items: LinkItem[] = [
    {
      linkKind: 'public',
      label: `$(globe) ${vscode.l10n.t('Public URL')}`,
      description: vscode.l10n.t("the object's own address: bucket {0} (or its objects) must be public-read", bucket),
    },
    {
      linkKind: 'customDomain',
      label: `$(link) ${vscode.l10n.t('Custom domain or CDN…')}`,
      description: vscode.l10n.t('a domain bound to the bucket, e.g. img.example.com'),
    },
    {
      linkKind: 'presigned',
      label: `$(key) ${vscode.l10n.t('Presigned URL…')}`,
      description: vscode.l10n.t('works on a private bucket, for anyone with the link, until it expires (at most 7 days)'),
    },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Link pasted images by'),
    placeHolder: vscode.l10n.t('How should the Markdown link reach the uploaded image?'),
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  switch (picked.linkKind) {
    case 'public':
      return { kind: 'public' };
    case 'presigned': {
      const seconds = await askExpiry();
      return seconds === undefined ? undefined : { kind: 'presigned', expiresSeconds: seconds };
    }
    case 'customDomain': {
      const typed = await vscode.window.showInputBox({
        title: vscode.l10n.t('Custom domain serving the bucket'),
        prompt: vscode.l10n.t('The domain (and path, if any) where objects of {0} are served; links become {1}', bucket, '<domain>/<key>'),
        value: profile.customDomainBucket !== undefined ? (profile.endpoint ?? '') : '',
        placeHolder: vscode.l10n.t('img.example.com or https://cdn.example.com/assets'),
        ignoreFocusOut: true,
        validateInput: (v) => {
          try {
            parseCustomDomain(v);
            return undefined;
          } catch (e) {
            return (e as Error).message;
          }
        },
      });
      return typed === undefined ? undefined : { kind: 'customDomain', ...parseCustomDomain(typed) };
    }
  }
}

/** Profile, bucket and folder: from the clicked tree node, else asked one after the other. */
async function askPlace(ctx: CommandContext, clicked: unknown, selected: unknown): Promise<{ profile: Profile; bucket: string; prefix: string } | undefined> {
  const node = containerOf(targetNodes(clicked, selected, [])[0]);
  if (node) return { profile: ctx.clients.profile(node.profileId), bucket: node.bucket, prefix: node.prefix };
  const profile = await pickProfile(ctx, vscode.l10n.t('Upload pasted images with which profile?'));
  if (!profile) return undefined;
  const bucket = await pickBucket(ctx, profile, vscode.l10n.t('Upload pasted images to which bucket?'));
  if (!bucket) return undefined;
  const prefix = await pickPrefix(ctx, profile.id, bucket, 'uploadImages');
  return prefix === undefined ? undefined : { profile, bucket, prefix };
}

export function registerImageTargetCommands(ctx: CommandContext, settings: ImageUploadSettings): vscode.Disposable[] {
  return [
    registerCommand(SET_TARGET_COMMAND, ctx.log, async (clicked?: unknown, selected?: unknown) => {
      const place = await askPlace(ctx, clicked, selected);
      if (!place) return;
      const link = await askLink(place.profile, place.bucket);
      if (!link) return;
      const target: ImageTarget = { profile: place.profile.name, bucket: place.bucket, prefix: place.prefix, link };
      const where = await settings.saveTarget(target);
      ctx.log.info(`Image upload target set (saved in ${where}): ${describeTarget(target)}.`);
      const saved =
        where === 'workspace'
          ? vscode.l10n.t('this workspace')
          : where === 'user-no-folder'
            ? vscode.l10n.t('your user settings (no folder is open)')
            : vscode.l10n.t('your user settings (this workspace is not trusted)');
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Images pasted or dropped into Markdown now go to {0}. Saved in {1}; VS Code\'s own "Insert image" stays one click away in the paste menu.',
          describeTarget(target),
          saved,
        ),
      );
    }),
    registerCommand(CLEAR_TARGET_COMMAND, ctx.log, async () => {
      const was = settings.target();
      const cleared = await settings.clearTarget();
      if (cleared) ctx.log.info(`Image upload target cleared${was ? ` (was ${describeTarget(was)})` : ''}.`);
      void vscode.window.showInformationMessage(
        cleared ? vscode.l10n.t('Images pasted into Markdown are no longer uploaded to OSS.') : vscode.l10n.t('No image upload target is set.'),
      );
    }),
  ];
}

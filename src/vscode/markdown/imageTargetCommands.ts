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
      label: '$(globe) Public URL',
      description: `the object's own address: bucket ${bucket} (or its objects) must be public-read`,
    },
    {
      linkKind: 'customDomain',
      label: '$(link) Custom domain or CDN…',
      description: 'a domain bound to the bucket, e.g. img.example.com',
    },
    {
      linkKind: 'presigned',
      label: '$(key) Presigned URL…',
      description: 'works on a private bucket, for anyone with the link, until it expires (at most 7 days)',
    },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Link pasted images by',
    placeHolder: 'How should the Markdown link reach the uploaded image?',
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
        title: 'Custom domain serving the bucket',
        prompt: `The domain (and path, if any) where objects of ${bucket} are served; links become <domain>/<key>`,
        value: profile.customDomainBucket !== undefined ? (profile.endpoint ?? '') : '',
        placeHolder: 'img.example.com or https://cdn.example.com/assets',
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
  const profile = await pickProfile(ctx, 'Upload pasted images with which profile?');
  if (!profile) return undefined;
  const bucket = await pickBucket(ctx, profile, 'Upload pasted images to which bucket?');
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
      ctx.log.info(`Image upload target set (${where} settings): ${describeTarget(target)}.`);
      const saved = where === 'workspace' ? 'this workspace' : `your ${where.replace(/^user/, 'user settings')}`;
      void vscode.window.showInformationMessage(
        `Images pasted or dropped into Markdown now go to ${describeTarget(target)}. Saved in ${saved}; VS Code's own "Insert image" stays one click away in the paste menu.`,
      );
    }),
    registerCommand(CLEAR_TARGET_COMMAND, ctx.log, async () => {
      const was = settings.target();
      const cleared = await settings.clearTarget();
      if (cleared) ctx.log.info(`Image upload target cleared${was ? ` (was ${describeTarget(was)})` : ''}.`);
      void vscode.window.showInformationMessage(
        cleared ? 'Images pasted into Markdown are no longer uploaded to OSS.' : 'No image upload target is set.',
      );
    }),
  ];
}

// Wires paste / drop of images into Markdown: the target settings, the edit provider (for paste and
// for drop) and the commands that set or clear the target. Uploads use the profile's client from
// the ClientRegistry, so they sign, route and log like every other request.
import * as vscode from 'vscode';
import type { CommandContext } from '../commands/commandContext.js';
import { IMAGE_MIME_TYPES, IMAGE_UPLOAD_KIND, ImageEditProvider } from './imageEditProvider.js';
import { TargetProfileMissingError, type ImageTarget } from './imageTarget.js';
import { SET_TARGET_COMMAND, registerImageTargetCommands } from './imageTargetCommands.js';
import { uploadImage, type ImageFile } from './imageUploader.js';
import { ImageUploadSettings } from './imageUploadSettings.js';

const MARKDOWN: vscode.DocumentSelector = { language: 'markdown' };

export function registerMarkdownImages(ctx: CommandContext): vscode.Disposable[] {
  const log = ctx.log.child('images');
  const settings = new ImageUploadSettings(log);

  const upload = async (target: ImageTarget, images: readonly ImageFile[], signal: AbortSignal): Promise<string[]> => {
    const profile = ctx.store.list().find((p) => p.name === target.profile);
    if (!profile) throw new TargetProfileMissingError(target.profile);
    const client = await ctx.clients.clientFor(profile.id, target.bucket);
    const urls: string[] = [];
    try {
      for (const image of images) {
        const up = await uploadImage(target, image, {
          client,
          customDomainBucket: profile.customDomainBucket,
          namePattern: settings.namePattern(),
          signal,
          log: (line) => log.info(line),
        });
        urls.push(up.url);
      }
    } finally {
      if (urls.length) ctx.tree.refreshPrefix(profile.id, target.bucket, target.prefix);
    }
    return urls;
  };

  const showFailure = (message: string): void => {
    const showLog = vscode.l10n.t('Show Log');
    void vscode.window.showErrorMessage(message, showLog, vscode.l10n.t('Set Image Upload Target…')).then((pick) => {
      if (pick === showLog) log.show();
      else if (pick) void vscode.commands.executeCommand(SET_TARGET_COMMAND);
    });
  };

  const provider = new ImageEditProvider({ target: () => settings.target(), upload, log, showFailure });
  return [
    vscode.languages.registerDocumentPasteEditProvider(MARKDOWN, provider, {
      providedPasteEditKinds: [IMAGE_UPLOAD_KIND],
      pasteMimeTypes: IMAGE_MIME_TYPES,
    }),
    vscode.languages.registerDocumentDropEditProvider(MARKDOWN, provider, {
      providedDropEditKinds: [IMAGE_UPLOAD_KIND],
      // 'files': a file dropped from outside VS Code, whatever the type it was given.
      dropMimeTypes: [...IMAGE_MIME_TYPES, 'files'],
    }),
    ...registerImageTargetCommands(ctx, settings),
  ];
}

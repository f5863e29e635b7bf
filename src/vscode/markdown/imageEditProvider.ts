// Pasting or dropping an image into a Markdown file offers "Upload image to OSS and link it" beside
// VS Code's own "Insert Markdown Image" (markdown.link.image), through VS Code's paste / drop edit
// API, so every choice stays in the paste / drop widget. With a target set it comes first (VS Code
// ranks an extension's provider before a built-in one); editor.pasteAs.preferences /
// editor.dropIntoEditor.preferences = ["markdown.link.image"] make VS Code's own the default again.
// Only offered when the workspace has an image target: without one there is nowhere to upload to,
// and uploading is publishing, so it is never one stray click away before the user chose where
// images go ("OSS: Set Image Upload Target…").
//
// How VS Code 1.100 runs these (read from its copyPasteController / dropIntoEditorController):
// - Paste: every provider is asked for edits, the first is applied after resolve, the others wait
//   in the widget. The clipboard's files can only be read while provideDocumentPasteEdits runs, so
//   the bytes are read there; the upload waits for resolveDocumentPasteEdit, which runs only for
//   the edit actually applied (choosing "Insert image" uploads nothing).
// - "Paste As…" applies the picked edit without resolving it: this edit is offered there only when
//   asked for by kind (editor.action.pasteAs with {"kind": "markdown.link.oss"}) and then
//   uploads at once.
// - Drop: edits are never resolved, so the upload runs in provideDocumentDropEdits.
// A failed upload inserts nothing (an empty insert text leaves the selection as it was) and says
// why, with the OSS code and a next step.
import * as vscode from 'vscode';
import type { Logger } from '../logger.js';
import { describeError } from '../presentation/errorAdvice.js';
import { markdownImage } from './imageLink.js';
import type { ImageTarget } from './imageTarget.js';
import type { ImageFile } from './imageUploader.js';

/**
 * `markdown.link.oss`: a Markdown link (as VS Code's own edits are), to OSS. A sibling of VS Code's
 * `markdown.link.image`, not below it, so editor.pasteAs.preferences / editor.dropIntoEditor.preferences
 * can name either one as the default.
 */
export const IMAGE_UPLOAD_KIND = vscode.DocumentDropOrPasteEditKind.Empty.append('markdown', 'link', 'oss');
export const IMAGE_MIME_TYPES = ['image/*'];

/** What the provider needs: the target, and the upload of images to it (giving one URL each). */
export interface ImageEditDeps {
  target(): ImageTarget | undefined;
  upload(target: ImageTarget, images: readonly ImageFile[], signal: AbortSignal): Promise<string[]>;
  log: Logger;
  /** Shows a failed upload to the user (the message and its buttons). */
  showFailure(message: string, target: ImageTarget): void;
}

interface Pending {
  target: ImageTarget;
  images: ImageFile[];
}

/** The images among the data transfer's files (clipboard image, dropped image files). */
export async function imagesIn(dataTransfer: vscode.DataTransfer, token: vscode.CancellationToken): Promise<ImageFile[]> {
  const out: ImageFile[] = [];
  for (const [mime, item] of dataTransfer) {
    if (!mime.toLowerCase().startsWith('image/')) continue;
    const file = item.asFile();
    if (!file) continue;
    const bytes = await file.data();
    if (token.isCancellationRequested) return [];
    if (bytes.byteLength === 0) continue;
    out.push({ bytes, mime: mime.toLowerCase(), fileName: file.name });
  }
  return out;
}

function editTitle(target: ImageTarget, count: number): string {
  const where = `oss://${target.bucket}/${target.prefix}`;
  return count === 1 ? vscode.l10n.t('Upload image to OSS and link it ({0})', where) : vscode.l10n.t('Upload {0} images to OSS and link them ({1})', count, where);
}

export class ImageEditProvider implements vscode.DocumentPasteEditProvider, vscode.DocumentDropEditProvider {
  private readonly pending = new WeakMap<vscode.DocumentPasteEdit, Pending>();

  constructor(private readonly deps: ImageEditDeps) {}

  async provideDocumentPasteEdits(
    _document: vscode.TextDocument,
    _ranges: readonly vscode.Range[],
    dataTransfer: vscode.DataTransfer,
    context: vscode.DocumentPasteEditContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.DocumentPasteEdit[] | undefined> {
    const target = this.deps.target();
    if (!target) return undefined;
    const explicit = context.triggerKind === vscode.DocumentPasteTriggerKind.PasteAs;
    if (explicit && !(context.only && context.only.contains(IMAGE_UPLOAD_KIND))) return undefined;
    const images = await imagesIn(dataTransfer, token);
    if (!images.length || token.isCancellationRequested) return undefined;
    const edit = new vscode.DocumentPasteEdit('', editTitle(target, images.length), IMAGE_UPLOAD_KIND);
    if (explicit) edit.insertText = await this.insertion(target, images, token);
    else this.pending.set(edit, { target, images });
    return [edit];
  }

  async resolveDocumentPasteEdit(edit: vscode.DocumentPasteEdit, token: vscode.CancellationToken): Promise<vscode.DocumentPasteEdit> {
    const p = this.pending.get(edit);
    if (!p) return edit;
    this.pending.delete(edit);
    edit.insertText = await this.insertion(p.target, p.images, token);
    return edit;
  }

  async provideDocumentDropEdits(
    _document: vscode.TextDocument,
    _position: vscode.Position,
    dataTransfer: vscode.DataTransfer,
    token: vscode.CancellationToken,
  ): Promise<vscode.DocumentDropEdit | undefined> {
    const target = this.deps.target();
    if (!target) return undefined;
    const images = await imagesIn(dataTransfer, token);
    if (!images.length || token.isCancellationRequested) return undefined;
    const text = await this.insertion(target, images, token);
    // An empty edit still comes first, so a failed upload inserts nothing rather than letting the
    // next edit in line slip in; the drop widget keeps VS Code's own choices one click away.
    return new vscode.DocumentDropEdit(text, text ? editTitle(target, images.length) : vscode.l10n.t('Upload to OSS failed: nothing inserted'), IMAGE_UPLOAD_KIND);
  }

  /** The Markdown for the uploaded images, or '' when the upload failed or was cancelled. */
  private async insertion(target: ImageTarget, images: readonly ImageFile[], token: vscode.CancellationToken): Promise<string> {
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    try {
      const urls = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Window,
          title:
            images.length === 1
              ? vscode.l10n.t('Uploading image to {0}', `oss://${target.bucket}/${target.prefix}`)
              : vscode.l10n.t('Uploading {0} images to {1}', images.length, `oss://${target.bucket}/${target.prefix}`),
        },
        () => this.deps.upload(target, images, ac.signal),
      );
      return urls.map((u) => markdownImage(u)).join('\n');
    } catch (e) {
      const advice = describeError(e);
      if (token.isCancellationRequested || advice.cancelled) {
        this.deps.log.info(`Image upload to oss://${target.bucket}/${target.prefix} cancelled; nothing inserted.`);
        return '';
      }
      this.deps.log.error(`Image upload to oss://${target.bucket}/${target.prefix} failed, nothing inserted: ${advice.detail}`);
      const tags = [advice.code, advice.requestId && vscode.l10n.t('request id {0}', advice.requestId)].filter(Boolean).join(vscode.l10n.t(', '));
      const what = tags ? vscode.l10n.t('{0} ({1})', advice.summary, tags) : advice.summary;
      this.deps.showFailure(
        advice.nextStep
          ? vscode.l10n.t('The image was not uploaded and nothing was inserted: {0}. {1}', what, advice.nextStep)
          : vscode.l10n.t('The image was not uploaded and nothing was inserted: {0}.', what),
        target,
      );
      return '';
    } finally {
      sub.dispose();
    }
  }
}

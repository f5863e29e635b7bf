// "Incomplete Multipart Uploads…": lists a bucket's unfinished multipart uploads (they keep
// costing storage) and aborts the ones the user picks.
import * as vscode from 'vscode';
import { describeError } from '../../presentation/errorAdvice.js';
import { formatDateTime } from '../../presentation/objectFormat.js';
import { listAllUploads } from '../../../transfer/listing/listAllUploads.js';
import type { TreeNode } from '../../tree/treeNodes.js';
import type { CommandContext } from '../commandContext.js';
import { pickBucket } from '../pickers/pickBucket.js';
import { pickProfile } from '../pickers/pickProfile.js';
import { registerCommand } from '../errorReportingCommand.js';

// Pages of 1000: past this many there are too many to pick from anyway.
const MAX_UPLOADS = 50_000;

export function registerMultipartCommand(ctx: CommandContext): vscode.Disposable {
  return registerCommand('ossTransfer.multipartUploads', ctx.log, async (node?: unknown) => {
    const n = node as TreeNode | undefined;
    let profileId: string;
    let bucket: string;
    if (n?.kind === 'bucket') {
      profileId = n.profileId;
      bucket = n.bucket;
    } else {
      const profile = await pickProfile(ctx, vscode.l10n.t('Which profile?'), undefined, { useCurrent: true });
      if (!profile) return;
      const b = await pickBucket(ctx, profile, vscode.l10n.t('List incomplete multipart uploads of which bucket?'));
      if (!b) return;
      profileId = profile.id;
      bucket = b;
    }
    const client = await ctx.clients.clientFor(profileId, bucket);
    const uploads = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Listing incomplete multipart uploads in {0}…', bucket), cancellable: true },
      async (_p, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        try {
          return await listAllUploads(client, bucket, { signal: ac.signal, limit: MAX_UPLOADS });
        } finally {
          sub.dispose();
        }
      },
    );
    if (!uploads.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Bucket {0} has no incomplete multipart uploads.', bucket));
      return;
    }
    const picked = await vscode.window.showQuickPick(
      uploads.map((u) => ({
        label: u.key,
        description: vscode.l10n.t('started {0}', formatDateTime(u.initiated)),
        detail: vscode.l10n.t('Upload ID {0}', u.uploadId),
        upload: u,
      })),
      {
        title:
          uploads.length === 1
            ? vscode.l10n.t('1 incomplete multipart upload in {0}', bucket)
            : vscode.l10n.t('{0} incomplete multipart uploads in {1}', uploads.length, bucket),
        placeHolder: vscode.l10n.t('Select the uploads to abort (their uploaded parts are deleted)'),
        canPickMany: true,
        ignoreFocusOut: true,
        matchOnDetail: true,
      },
    );
    if (!picked?.length) return;
    const abort = vscode.l10n.t('Abort');
    const ok = await vscode.window.showWarningMessage(
      picked.length === 1
        ? vscode.l10n.t('Abort 1 multipart upload in {0}?', bucket)
        : vscode.l10n.t('Abort {0} multipart uploads in {1}?', picked.length, bucket),
      {
        modal: true,
        detail: vscode.l10n.t('Their uploaded parts are deleted. A transfer of this extension that uses one of them cannot resume and starts over.'),
      },
      abort,
    );
    if (ok !== abort) return;
    let aborted = 0;
    const failures: string[] = [];
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Aborting multipart uploads…') }, async (progress) => {
      for (const { upload } of picked) {
        try {
          await client.abortMultipartUpload({ bucket, key: upload.key, uploadId: upload.uploadId });
          aborted++;
        } catch (e) {
          const a = describeError(e);
          // Already gone is what the user wanted.
          if (a.code === 'NoSuchUpload') aborted++;
          else failures.push(vscode.l10n.t('{0}: {1}', upload.key, a.summary));
        }
        progress.report({ increment: 100 / picked.length });
      }
    });
    ctx.log.info(`Aborted ${aborted} multipart upload(s) in ${bucket}.${failures.length ? ` Failed: ${failures.join('; ')}` : ''}`);
    if (failures.length) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Aborted {0} of {1}. {2}', aborted, picked.length, failures.slice(0, 2).join(vscode.l10n.t('; '))));
    } else {
      void vscode.window.showInformationMessage(
        aborted === 1 ? vscode.l10n.t('Aborted 1 multipart upload in {0}.', bucket) : vscode.l10n.t('Aborted {0} multipart uploads in {1}.', aborted, bucket),
      );
    }
  });
}

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
      const profile = await pickProfile(ctx, 'Which profile?', undefined, { useCurrent: true });
      if (!profile) return;
      const b = await pickBucket(ctx, profile, 'List incomplete multipart uploads of which bucket?');
      if (!b) return;
      profileId = profile.id;
      bucket = b;
    }
    const client = await ctx.clients.clientFor(profileId, bucket);
    const uploads = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Listing incomplete multipart uploads in ${bucket}…`, cancellable: true },
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
      void vscode.window.showInformationMessage(`Bucket ${bucket} has no incomplete multipart uploads.`);
      return;
    }
    const picked = await vscode.window.showQuickPick(
      uploads.map((u) => ({ label: u.key, description: `started ${formatDateTime(u.initiated)}`, detail: `Upload ID ${u.uploadId}`, upload: u })),
      {
        title: `${uploads.length} incomplete multipart upload${uploads.length === 1 ? '' : 's'} in ${bucket}`,
        placeHolder: 'Select the uploads to abort (their uploaded parts are deleted)',
        canPickMany: true,
        ignoreFocusOut: true,
        matchOnDetail: true,
      },
    );
    if (!picked?.length) return;
    const ok = await vscode.window.showWarningMessage(
      `Abort ${picked.length} multipart upload${picked.length === 1 ? '' : 's'} in ${bucket}?`,
      { modal: true, detail: 'Their uploaded parts are deleted. A transfer of this extension that uses one of them cannot resume and starts over.' },
      'Abort',
    );
    if (ok !== 'Abort') return;
    let aborted = 0;
    const failures: string[] = [];
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Aborting multipart uploads…' }, async (progress) => {
      for (const { upload } of picked) {
        try {
          await client.abortMultipartUpload({ bucket, key: upload.key, uploadId: upload.uploadId });
          aborted++;
        } catch (e) {
          const a = describeError(e);
          // Already gone is what the user wanted.
          if (a.code === 'NoSuchUpload') aborted++;
          else failures.push(`${upload.key}: ${a.summary}`);
        }
        progress.report({ increment: 100 / picked.length });
      }
    });
    ctx.log.info(`Aborted ${aborted} multipart upload(s) in ${bucket}.${failures.length ? ` Failed: ${failures.join('; ')}` : ''}`);
    if (failures.length) void vscode.window.showErrorMessage(`Aborted ${aborted} of ${picked.length}. ${failures.slice(0, 2).join('; ')}`);
    else void vscode.window.showInformationMessage(`Aborted ${aborted} multipart upload${aborted === 1 ? '' : 's'} in ${bucket}.`);
  });
}

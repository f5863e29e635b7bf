// From local paths to an upload batch that starts with the first files while the folders are
// still being walked: keys planned page by page (folders keep their relative paths), existing keys
// asked about per page, markers for empty folders once the walk is over, each page handed to the
// batch as it is ready.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { keepBothName } from '../../planning/conflictName.js';
import { ConflictSession } from '../../planning/conflictPolicy.js';
import { contentTypeFor } from '../../../transfer/paths/contentType.js';
import { normalizePrefix } from '../../../transfer/paths/keyPath.js';
import type { OssClient } from '../../../oss/index.js';
import type { TransferBatch, TransferSpec } from '../../../transfer/batch/transferTypes.js';
import type { PlannedFolder, PlannedUpload } from '../../planning/uploadPlan.js';
import { planUploadPages, type UploadSourcePath } from '../../planning/uploadPages.js';
import { describeError } from '../../presentation/errorAdvice.js';
import type { CommandContext } from '../commandContext.js';
import { conflictAsker } from '../conflicts/askConflict.js';
import { ExistingKeys, HEAD_PARALLEL } from './existingKeys.js';
import { createFolderMarkers } from '../../../transfer/engine/folderMarkers.js';

export interface UploadTarget {
  profileId: string;
  bucket: string;
  /** '' for the bucket root, else ending in '/'. */
  prefix: string;
}

async function sourcesOf(paths: readonly string[]): Promise<UploadSourcePath[]> {
  const sources: UploadSourcePath[] = [];
  for (const p of paths) {
    const st = await fs.stat(p);
    if (st.isDirectory()) sources.push({ path: p, isDirectory: true });
    else if (st.isFile()) sources.push({ path: p, isDirectory: false, size: st.size });
    else throw new Error(vscode.l10n.t('"{0}" is neither a file nor a folder.', p));
  }
  return sources;
}

/** Uploads `paths` (files and folders) to `target`. Returns when the batch has finished. */
export async function uploadPaths(ctx: CommandContext, target: UploadTarget, paths: readonly string[]): Promise<void> {
  const prefix = normalizePrefix(target.prefix);
  const client = await ctx.clients.clientFor(target.profileId, target.bucket);
  const dest = `oss://${target.bucket}/${prefix}`;
  const sources = await sourcesOf(paths);
  const ac = new AbortController();
  const existing = new ExistingKeys(client, target.bucket);
  type Upload = PlannedUpload & { size: number };
  const session = new ConflictSession<Upload>((u) => u.key, (key) => existing.exists(key), conflictAsker(() => vscode.l10n.t('in bucket {0}', target.bucket)), keepBothName);
  const tally = { planned: 0, skipped: 0, folders: 0, duplicates: [] as string[], duplicateCount: 0, cancelled: false };
  let batch: TransferBatch | undefined;

  async function* specs(): AsyncGenerator<TransferSpec> {
    try {
      for await (const page of planUploadPages(prefix, sources, { signal: ac.signal })) {
        if (page.duplicates.length) {
          tally.duplicateCount += page.duplicates.length;
          for (const d of page.duplicates) if (tally.duplicates.length < 3) tally.duplicates.push(d.file);
          ctx.log.warn(`Upload: ${page.duplicates.length} file(s) map to a key another selected file already uses; skipped: ${page.duplicates.map((d) => d.file).join(', ')}`);
        }
        await existing.learn(page.uploads.map((u) => u.key), ac.signal);
        const plan = await session.resolve(page.uploads, page.more);
        if (plan.cancelled) {
          tally.cancelled = true;
          return;
        }
        tally.skipped += plan.skipped.length;
        if (plan.skipped.length) ctx.log.info(`Upload: skipped ${plan.skipped.length} existing object(s).`);
        if (page.folders.length) {
          tally.folders += page.folders.length;
          await makeEmptyFolders(ctx, client, target, page.folders);
          ctx.tree.refreshPrefix(target.profileId, target.bucket, prefix);
        }
        for (const { item, destination } of plan.transfers) {
          const spec: TransferSpec = { direction: 'upload', profileId: target.profileId, bucket: target.bucket, key: destination, file: item.file, size: item.size };
          const type = contentTypeFor(item.file);
          if (type) spec.headers = { 'Content-Type': type };
          tally.planned++;
          yield spec;
        }
      }
    } finally {
      ac.abort();
    }
    // Escape on a question about an existing key cancels the batch, including what already started.
    if (tally.cancelled) batch?.cancel();
  }

  const only = sources.length === 1 ? sources[0]! : undefined;
  const label = only
    ? vscode.l10n.t('Upload {0} to {1}', `${path.basename(only.path)}${only.isDirectory ? '/' : ''}`, dest)
    : vscode.l10n.t('Upload {0} items to {1}', sources.length, dest);
  ctx.log.info(`${label}: starting while the folders are walked.`);
  let sourceError: unknown;
  try {
    const result = await ctx.transfers.runBatch(label, specs(), (b) => (batch = b));
    sourceError = result.sourceError;
  } finally {
    ctx.tree.refreshPrefix(target.profileId, target.bucket, prefix);
  }
  ctx.log.info(`${label}: ${tally.planned} file(s) planned, ${tally.skipped} skipped, ${tally.folders} empty folder(s)${tally.cancelled ? ', stopped at a dismissed question' : ''}.`);
  if (tally.duplicateCount) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        '{0} selected file(s) have the same name as another one and were skipped: {1}',
        tally.duplicateCount,
        `${tally.duplicates.join(', ')}${tally.duplicateCount > 3 ? ', …' : ''}`,
      ),
    );
  }
  if (sourceError !== undefined) throw sourceError;
  if (!tally.planned && !tally.folders && !tally.skipped && !tally.cancelled && !tally.duplicateCount) void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to upload.'));
}

/** Empty local folders arrive as `name/` markers; a failure is reported but does not stop the files. */
async function makeEmptyFolders(ctx: CommandContext, client: OssClient, target: UploadTarget, folders: readonly PlannedFolder[]): Promise<void> {
  const r = await createFolderMarkers(client, target.bucket, folders.map((f) => f.key), { parallel: HEAD_PARALLEL });
  ctx.log.info(
    `Upload: ${r.created.length} empty folder(s) created in ${target.bucket}` + (r.existing.length ? `, ${r.existing.length} already there` : '') + '.',
  );
  if (r.created.length) vscode.window.setStatusBarMessage(`$(check) ${vscode.l10n.t('Created {0} empty folder(s) in {1}', r.created.length, target.bucket)}`, 3000);
  if (r.failed.length === 0) return;
  for (const f of r.failed) ctx.log.error(`Creating folder ${target.bucket}/${f.key} failed: ${describeError(f.error).detail}`);
  const first = r.failed[0]!;
  void vscode.window.showWarningMessage(
    vscode.l10n.t(
      '{0} empty folder(s) could not be created (first: {1}): {2}. Details are in the OSS log.',
      r.failed.length,
      first.key,
      describeError(first.error).summary,
    ),
  );
}

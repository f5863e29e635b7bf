// From local paths to a started upload batch: walk folders, plan keys (folders keep their
// relative paths), ask about keys that already exist, create markers for empty folders, then hand
// the specs to the transfer UI.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { keepBothName } from '../../planning/conflictName.js';
import { resolveConflicts } from '../../planning/conflictPolicy.js';
import { contentTypeFor } from '../../planning/contentType.js';
import { parentPrefix, normalizePrefix } from '../../planning/keyPath.js';
import { scanLocalFolder } from '../../planning/localFiles.js';
import { listAllObjects } from '../../../transfer/listing/listAllObjects.js';
import type { OssClient } from '../../../oss/index.js';
import type { TransferSpec } from '../../../transfer/batch/transferTypes.js';
import { planUploadKeys, type PlannedFolder, type PlannedUpload, type UploadSource } from '../../planning/uploadPlan.js';
import { describeError } from '../../presentation/errorAdvice.js';
import type { CommandContext } from '../commandContext.js';
import { conflictAsker } from '../conflicts/askConflict.js';
import { createFolderMarkers } from './folderMarkers.js';
import { progressIfNeeded } from '../progressIfNeeded.js';

export interface UploadTarget {
  profileId: string;
  bucket: string;
  /** '' for the bucket root, else ending in '/'. */
  prefix: string;
}

interface Prepared {
  uploads: (PlannedUpload & { size: number })[];
  folders: PlannedFolder[];
  duplicates: PlannedUpload[];
}

async function prepare(paths: readonly string[], prefix: string, token: vscode.CancellationToken): Promise<Prepared> {
  const ac = new AbortController();
  const sub = token.onCancellationRequested(() => ac.abort());
  try {
    const sources: UploadSource[] = [];
    const sizes = new Map<string, number>();
    for (const p of paths) {
      const st = await fs.stat(p);
      if (st.isDirectory()) {
        const { files, emptyFolders } = await scanLocalFolder(p, ac.signal);
        sources.push({ path: p, isDirectory: true, files: files.map((f) => f.relativePath), emptyFolders });
        for (const f of files) sizes.set(path.join(p, f.relativePath), f.size);
      } else if (st.isFile()) {
        sources.push({ path: p, isDirectory: false });
        sizes.set(p, st.size);
      } else {
        throw new Error(`"${p}" is neither a file nor a folder.`);
      }
    }
    const plan = planUploadKeys(prefix, sources);
    return { uploads: plan.uploads.map((u) => ({ ...u, size: sizes.get(u.file) ?? 0 })), folders: plan.folders, duplicates: plan.duplicates };
  } finally {
    sub.dispose();
  }
}

// Up to this many keys, one HEAD per key beats listing folders that may hold millions of objects.
const HEAD_LIMIT = 50;
const HEAD_PARALLEL = 8;

interface ExistingKeys {
  found: Set<string>;
  /** Keys whose existence `found` answers: the planned keys, or everything in the listed folders. */
  answers(key: string): boolean;
}

async function headExists(client: OssClient, bucket: string, key: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await client.headObject({ bucket, key, ...(signal ? { signal } : {}) });
    return true;
  } catch (e) {
    if ((e as { status?: number }).status === 404) return false;
    throw e;
  }
}

/** Which of `keys` already exist: HEAD for a few keys, else one delimited listing per folder. */
async function existingKeys(client: OssClient, target: UploadTarget, keys: readonly string[], token: vscode.CancellationToken): Promise<ExistingKeys> {
  const found = new Set<string>();
  const ac = new AbortController();
  const sub = token.onCancellationRequested(() => ac.abort());
  try {
    if (keys.length <= HEAD_LIMIT) {
      const queue = [...keys];
      const worker = async (): Promise<void> => {
        for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
          if (await headExists(client, target.bucket, key, ac.signal)) found.add(key);
        }
      };
      await Promise.all(Array.from({ length: Math.min(HEAD_PARALLEL, keys.length) }, worker));
      const asked = new Set(keys);
      return { found, answers: (k) => asked.has(k) };
    }
    const folders = new Set(keys.map(parentPrefix));
    for (const prefix of folders) {
      for (const o of await listAllObjects(client, target.bucket, prefix, { delimiter: '/', signal: ac.signal })) found.add(o.key);
    }
    return { found, answers: (k) => folders.has(parentPrefix(k)) };
  } finally {
    sub.dispose();
  }
}

/** Uploads `paths` (files and folders) to `target`. Returns when the batch has finished. */
export async function uploadPaths(ctx: CommandContext, target: UploadTarget, paths: readonly string[]): Promise<void> {
  const prefix = normalizePrefix(target.prefix);
  const client = await ctx.clients.clientFor(target.profileId, target.bucket);
  const dest = `oss://${target.bucket}/${prefix}`;
  // A single file needs one stat and one listing: no notification for that.
  const single = paths.length === 1 && (await fs.stat(paths[0]!)).isFile();
  const prepared = await progressIfNeeded(
    !single,
    { location: vscode.ProgressLocation.Notification, title: `Preparing upload to ${dest}…`, cancellable: true },
    async (_p, token) => {
      const prep = await prepare(paths, prefix, token);
      const existing = await existingKeys(client, target, prep.uploads.map((u) => u.key), token);
      return { prep, existing, cancelled: token.isCancellationRequested };
    },
  );
  if (prepared.cancelled) return;
  const { prep, existing } = prepared;
  if (prep.duplicates.length) {
    const names = prep.duplicates.slice(0, 3).map((d) => d.file).join(', ');
    ctx.log.warn(`Upload: ${prep.duplicates.length} file(s) map to a key another selected file already uses; skipped: ${prep.duplicates.map((d) => d.file).join(', ')}`);
    void vscode.window.showWarningMessage(`${prep.duplicates.length} selected file(s) have the same name as another one and were skipped: ${names}${prep.duplicates.length > 3 ? ', …' : ''}`);
  }
  if (prep.uploads.length === 0 && prep.folders.length === 0) {
    void vscode.window.showInformationMessage('Nothing to upload.');
    return;
  }
  const plan = await resolveConflicts(
    prep.uploads,
    (u) => u.key,
    // "Keep both" names outside what was checked are asked for one by one.
    (key) => (existing.answers(key) ? existing.found.has(key) : headExists(client, target.bucket, key)),
    conflictAsker(() => `in bucket ${target.bucket}`),
    keepBothName,
  );
  if (plan.cancelled) return;
  if (plan.skipped.length) ctx.log.info(`Upload: skipped ${plan.skipped.length} existing object(s).`);
  if (prep.folders.length) {
    await makeEmptyFolders(ctx, client, target, prep.folders);
    ctx.tree.refreshPrefix(target.profileId, target.bucket, prefix);
  }
  const specs: TransferSpec[] = plan.transfers.map(({ item, destination }) => {
    const spec: TransferSpec = { direction: 'upload', profileId: target.profileId, bucket: target.bucket, key: destination, file: item.file, size: item.size };
    const type = contentTypeFor(item.file);
    if (type) spec.headers = { 'Content-Type': type };
    return spec;
  });
  if (specs.length === 0) return;
  const label = specs.length === 1 ? `Upload ${specs[0]!.key}` : `Upload ${specs.length} files to ${dest}`;
  ctx.log.info(`${label}: starting (${specs.length} file(s), ${plan.skipped.length} skipped).`);
  try {
    await ctx.transfers.runBatch(label, specs);
  } finally {
    ctx.tree.refreshPrefix(target.profileId, target.bucket, prefix);
  }
}

/** Empty local folders arrive as `name/` markers; a failure is reported but does not stop the files. */
async function makeEmptyFolders(ctx: CommandContext, client: OssClient, target: UploadTarget, folders: readonly PlannedFolder[]): Promise<void> {
  const r = await createFolderMarkers(client, target.bucket, folders.map((f) => f.key), { parallel: HEAD_PARALLEL });
  ctx.log.info(
    `Upload: ${r.created.length} empty folder(s) created in ${target.bucket}` + (r.existing.length ? `, ${r.existing.length} already there` : '') + '.',
  );
  if (r.created.length) vscode.window.setStatusBarMessage(`$(check) Created ${r.created.length} empty folder(s) in ${target.bucket}`, 3000);
  if (r.failed.length === 0) return;
  for (const f of r.failed) ctx.log.error(`Creating folder ${target.bucket}/${f.key} failed: ${describeError(f.error).detail}`);
  const first = r.failed[0]!;
  void vscode.window.showWarningMessage(
    `${r.failed.length} empty folder(s) could not be created (first: ${first.key}): ${describeError(first.error).summary}. Details are in the OSS log.`,
  );
}

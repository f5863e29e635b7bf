// What the extension needs to show and clean up interrupted transfers: list the checkpoints in a
// folder with how far each got (sweeping what killed processes left beside them), and discard
// one (abort its multipart upload on the server, delete its temp file and the checkpoint itself).
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Checkpoint, Salvage } from '../checkpoint/checkpointCodec.js';
import { LOCK_SUFFIX, sweepStaleTemps } from '../checkpoint/checkpointFiles.js';
import { CHECKPOINT_EXTENSION, checkpointLockPath, readCheckpoint, removeQuietly } from '../checkpoint/checkpointStore.js';
import { localIoError } from '../localIoError.js';
import { removeLockIfStale } from '../locking/processLockFile.js';
import { planParts } from './partPlan.js';
import { asOssError } from './retryPolicy.js';
import type { TransferClient } from './transferClient.js';
import { acquireTransferLock } from '../locking/transferLock.js';

/** Downloads write into `<dest>.osstmp-<hex>` beside the destination. */
export const TEMP_MARKER = '.osstmp-';

/** Only files we created (named `<dest>.osstmp-…`) are ever deleted on a checkpoint's word. */
export function isOurTempFile(tempFile: string | undefined, dest?: string): tempFile is string {
  if (!tempFile || !path.isAbsolute(tempFile)) return false;
  const base = path.basename(tempFile);
  if (dest !== undefined) return path.dirname(tempFile) === path.dirname(dest) && base.startsWith(path.basename(dest) + TEMP_MARKER);
  return base.includes(TEMP_MARKER);
}

export async function abortQuietly(client: TransferClient, bucket: string, key: string, uploadId: string): Promise<void> {
  await client.abortMultipartUpload({ bucket, key, uploadId }).catch(() => undefined);
}

/** What a discard must clean up after a checkpoint: the upload or the temp file it names. */
function cleanupOf(cpt: Checkpoint): Salvage {
  return cpt.direction === 'upload'
    ? { direction: 'upload', bucket: cpt.bucket, key: cpt.key, uploadId: cpt.uploadId }
    : { direction: 'download', bucket: cpt.bucket, key: cpt.key, tempFile: cpt.tempFile };
}

/**
 * The engines' discard of a checkpoint they will not resume (unreadable, another transfer's,
 * stale), best effort: abort the upload it names (a trusted checkpoint's only on its own
 * endpoint), delete its temp file if it is ours, delete the checkpoint.
 */
export async function discardQuietly(client: TransferClient, cptPath: string | undefined, source: Checkpoint | Salvage): Promise<void> {
  const info = 'endpoint' in source ? cleanupOf(source) : source;
  const sameEndpoint = !('endpoint' in source) || source.endpoint === client.endpoint;
  if (sameEndpoint && info.direction === 'upload' && info.uploadId && info.bucket && info.key) {
    await abortQuietly(client, info.bucket, info.key, info.uploadId);
  }
  if (isOurTempFile(info.tempFile)) await removeQuietly(info.tempFile);
  await removeQuietly(cptPath);
}

/**
 * The checkpoint at `cptPath` when it reads back intact, for the engine to judge; undefined when
 * there is none, or after discarding a damaged one (never trusted, but the upload or temp file it
 * still names is cleaned up). `fallback` names the object when the damage took that part too.
 */
export async function readIntactCheckpoint(
  client: TransferClient,
  cptPath: string,
  fallback?: { bucket: string; key: string },
): Promise<Checkpoint | undefined> {
  const read = await readCheckpoint(cptPath).catch((err: unknown) => {
    throw localIoError(err, 'reading checkpoint', cptPath);
  });
  if ('kind' in read) return undefined;
  if (read.ok) return read.checkpoint;
  const s = read.salvage;
  await discardQuietly(client, cptPath, fallback ? { ...s, bucket: s.bucket ?? fallback.bucket, key: s.key ?? fallback.key } : s);
  return undefined;
}

export interface CheckpointSummary {
  path: string;
  direction: 'upload' | 'download';
  endpoint: string;
  bucket: string;
  key: string;
  file: string;
  totalBytes: number;
  doneBytes: number;
  uploadId?: string;
  tempFile?: string;
  updatedAt: string;
}

export function summarize(cptPath: string, cpt: Checkpoint): CheckpointSummary {
  const totalBytes = cpt.direction === 'upload' ? cpt.source.size : cpt.object.size;
  const lengths = new Map(planParts(totalBytes, cpt.partSize).map((p) => [p.partNumber, p.length]));
  let doneBytes = 0;
  for (const p of cpt.parts) doneBytes += lengths.get(p.partNumber) ?? 0;
  const s: CheckpointSummary = {
    path: cptPath,
    direction: cpt.direction,
    endpoint: cpt.endpoint,
    bucket: cpt.bucket,
    key: cpt.key,
    file: cpt.file,
    totalBytes,
    doneBytes,
    updatedAt: cpt.updatedAt,
  };
  if (cpt.direction === 'upload') s.uploadId = cpt.uploadId;
  else s.tempFile = cpt.tempFile;
  return s;
}

/**
 * Every `*.cpt` in the folder: the ones that can be resumed, and the paths of those that cannot.
 * Lock files and temp files beside them are not listed; those that killed processes left
 * behind (a lock whose holder is gone, a temp file nobody will rename) are removed.
 */
export async function listCheckpoints(checkpointDir: string): Promise<{ valid: CheckpointSummary[]; invalid: string[] }> {
  const dir = path.resolve(checkpointDir);
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { valid: [], invalid: [] };
    throw err;
  }
  await sweepStaleTemps(dir, { names, extension: CHECKPOINT_EXTENSION });
  for (const name of names) {
    if (!name.endsWith(CHECKPOINT_EXTENSION + LOCK_SUFFIX)) continue;
    try {
      removeLockIfStale(path.join(dir, name));
    } catch {
      // Unreadable lock: a run of that transfer reports it; listing goes on.
    }
  }
  const valid: CheckpointSummary[] = [];
  const invalid: string[] = [];
  for (const name of names.sort()) {
    if (!name.endsWith(CHECKPOINT_EXTENSION)) continue;
    const p = path.join(dir, name);
    const r = await readCheckpoint(p).catch(() => undefined);
    if (!r || 'kind' in r) continue; // vanished meanwhile, or unreadable right now
    if (r.ok) {
      try {
        valid.push(summarize(p, r.checkpoint));
      } catch {
        invalid.push(p);
      }
    } else invalid.push(p);
  }
  return { valid, invalid };
}

/**
 * Discards an interrupted transfer for good. Idempotent: a missing checkpoint, an upload the
 * server already forgot, or a temp file already gone are all fine. If aborting the upload fails
 * for another reason the error is thrown and the checkpoint kept, so discarding can be retried
 * instead of orphaning the upload's parts on the server. A transfer running right now (here or
 * in another process, e.g. another VS Code window) is not discarded: AlreadyRunning is thrown.
 */
export async function discardTransfer(client: TransferClient | undefined, cptPath: string): Promise<void> {
  const lockFile = checkpointLockPath(cptPath);
  if ('kind' in (await readCheckpoint(cptPath))) {
    // Nothing to discard; a lock a killed run left before its first checkpoint goes too.
    try {
      removeLockIfStale(lockFile);
    } catch {
      // An unreadable lock is judged by the next run of that transfer.
    }
    return;
  }
  // Keyed as the engines key their in-process lock: by the resolved checkpoint path.
  const release = acquireTransferLock(path.resolve(cptPath), { lockFile });
  try {
    await discardLocked(client, cptPath);
  } finally {
    release();
  }
}

async function discardLocked(client: TransferClient | undefined, cptPath: string): Promise<void> {
  const r = await readCheckpoint(cptPath);
  if ('kind' in r) return;
  const info = r.ok ? cleanupOf(r.checkpoint) : r.salvage;
  if (client && info.direction === 'upload' && info.uploadId && info.bucket && info.key) {
    try {
      await client.abortMultipartUpload({ bucket: info.bucket, key: info.key, uploadId: info.uploadId });
    } catch (err) {
      if (asOssError(err)?.code !== 'NoSuchUpload') throw err;
    }
  }
  if (isOurTempFile(info.tempFile)) await removeQuietly(info.tempFile);
  await removeQuietly(cptPath);
}

// What the extension needs to show and clean up interrupted transfers: list the checkpoints in a
// folder with how far each got (sweeping what killed processes left beside them), and discard
// one (abort its multipart upload on the server, delete its temp file and the checkpoint itself,
// as far as checkpointCleanup.ts allows).
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Checkpoint, Salvage } from '../checkpoint/checkpointCodec.js';
import { cleanupFor, identityOf, uploadConfirmed } from './checkpointCleanup.js';
import { LOCK_SUFFIX, sweepStaleTemps } from '../checkpoint/checkpointFiles.js';
import { CHECKPOINT_EXTENSION, checkpointLockPath, isNamedFor, readCheckpoint, removeQuietly, type CheckpointIdentity } from '../checkpoint/checkpointStore.js';
import { removeLockIfStale } from '../locking/processLockFile.js';
import { planParts, shapeOf } from './partPlan.js';
import { asOssError } from './retryPolicy.js';
import type { TransferClient } from './transferClient.js';
import { acquireTransferLock } from '../locking/transferLock.js';

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
  const lengths = new Map(planParts(totalBytes, cpt.partSize, shapeOf(cpt)).map((p) => [p.partNumber, p.length]));
  let doneBytes = 0;
  for (const p of cpt.parts) doneBytes += lengths.get(p.partNumber) ?? 0;
  // A download also keeps the flushed start of parts it was in the middle of.
  if (cpt.direction === 'download') for (const p of cpt.partial ?? []) doneBytes += Math.min(p.bytes, lengths.get(p.partNumber) ?? 0);
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
 *
 * Whose transfer it is comes from `owner` when given, else from the checkpoint's name: a name in a
 * checkpoint folder (or beside the file) that its content leads to. A checkpoint whose content
 * does not lead to its name, or whose content is damaged beyond telling, is removed without
 * touching anything it names (see checkpointCleanup.ts).
 */
export async function discardTransfer(client: TransferClient | undefined, cptPath: string, owner?: CheckpointIdentity): Promise<void> {
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
    await discardLocked(client, cptPath, owner);
  } finally {
    release();
  }
}

/** The transfer a checkpoint at `cptPath` belongs to, as far as can be told without trusting it. */
function ownerOf(cptPath: string, found: Checkpoint | Salvage, given: CheckpointIdentity | undefined): CheckpointIdentity | undefined {
  if (given) return given;
  if ('partSize' in found) return isNamedFor(cptPath, identityOf(found)) ? identityOf(found) : undefined;
  const { direction, endpoint, bucket, key, file } = found;
  if (!direction || endpoint === undefined || !bucket || !key || !file) return undefined;
  const id = { direction, endpoint, bucket, key, file };
  return isNamedFor(cptPath, id) ? id : undefined;
}

async function discardLocked(client: TransferClient | undefined, cptPath: string, given: CheckpointIdentity | undefined): Promise<void> {
  const r = await readCheckpoint(cptPath);
  if ('kind' in r) return;
  const found = r.ok ? r.checkpoint : r.salvage;
  const owner = ownerOf(cptPath, found, given);
  if (owner) {
    // Through a client on another endpoint than the checkpoint's, the server confirms first.
    const c = cleanupFor(owner, found, client?.endpoint);
    if (client && c.abort) {
      const { bucket, key, uploadId, confirm } = c.abort;
      try {
        if (!confirm || (await uploadConfirmed(client, bucket, key, uploadId))) await client.abortMultipartUpload({ bucket, key, uploadId });
      } catch (err) {
        if (asOssError(err)?.code !== 'NoSuchUpload') throw err;
      }
    }
    if (c.tempFile) await removeQuietly(c.tempFile);
  }
  await removeQuietly(cptPath);
}

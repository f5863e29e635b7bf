// What may be cleaned up after a checkpoint that will not be resumed. A checkpoint is a file anyone
// can write or copy, and its checksum only proves it is whole, not whose it is; so cleanup reaches
// only what the transfer doing it identifies by itself (its endpoint, bucket, key and local file):
// - a multipart upload is aborted only as an upload of that transfer's own bucket and key; the
//   checkpoint's word is enough only when it is that very transfer's record, otherwise the server
//   must first confirm the upload id belongs to that key (ListParts answers for it);
// - a temp file is deleted only if it is one of that transfer's own destination (downloadTempFile.ts).
// Whatever else a broken or foreign checkpoint names (another bucket's upload, another folder's
// file) is left alone.
import * as path from 'node:path';
import type { Checkpoint, Salvage } from '../checkpoint/checkpointCodec.js';
import { readCheckpoint, removeQuietly, type CheckpointIdentity } from '../checkpoint/checkpointStore.js';
import { isOurTempFile } from './downloadTempFile.js';
import { localIoError } from '../localIoError.js';
import { asOssError } from './retryPolicy.js';
import type { TransferClient } from './transferClient.js';

/** Whether `cpt` is the record of exactly the transfer `id`. */
export function isRecordOf(cpt: Checkpoint, id: CheckpointIdentity): boolean {
  return (
    cpt.direction === id.direction &&
    cpt.endpoint === id.endpoint &&
    cpt.bucket === id.bucket &&
    cpt.key === id.key &&
    cpt.file === path.resolve(id.file)
  );
}

export function identityOf(cpt: Checkpoint): CheckpointIdentity {
  return { direction: cpt.direction, endpoint: cpt.endpoint, bucket: cpt.bucket, key: cpt.key, file: cpt.file };
}

/** What a checkpoint names, in the shape of a salvage. */
function namedBy(found: Checkpoint | Salvage): Salvage {
  if (!isCheckpoint(found)) return found;
  const { direction, endpoint, bucket, key, file } = found;
  return found.direction === 'upload'
    ? { direction, endpoint, bucket, key, file, uploadId: found.uploadId }
    : { direction, endpoint, bucket, key, file, tempFile: found.tempFile };
}

function isCheckpoint(found: Checkpoint | Salvage): found is Checkpoint {
  return 'partSize' in found;
}

export interface Cleanup {
  /** An upload of the owner's own bucket and key; `confirm`: only once the server confirms it. */
  abort?: { bucket: string; key: string; uploadId: string; confirm: boolean };
  /** A temp file of the owner's own destination. */
  tempFile?: string;
}

/**
 * What `owner` (the transfer cleaning up, reaching the server at `clientEndpoint`) may clean up
 * after the checkpoint `found`: nothing beyond its own object and destination (see the header).
 */
export function cleanupFor(owner: CheckpointIdentity, found: Checkpoint | Salvage, clientEndpoint: string | undefined): Cleanup {
  const named = namedBy(found);
  const own = isCheckpoint(found) && isRecordOf(found, owner);
  const out: Cleanup = {};
  // A field the checkpoint does state and that differs names someone else's work: not even asked about.
  const sameObject =
    (named.endpoint === undefined || named.endpoint === owner.endpoint) &&
    (named.bucket === undefined || named.bucket === owner.bucket) &&
    (named.key === undefined || named.key === owner.key);
  if (named.uploadId && named.direction !== 'download' && sameObject && clientEndpoint !== undefined) {
    out.abort = { bucket: owner.bucket, key: owner.key, uploadId: named.uploadId, confirm: !(own && clientEndpoint === owner.endpoint) };
  }
  if (owner.direction === 'download' && isOurTempFile(named.tempFile, path.resolve(owner.file))) out.tempFile = named.tempFile;
  return out;
}

/**
 * Whether the server confirms `uploadId` as a multipart upload of `bucket`/`key`. NoSuchUpload is
 * a no; any other failure is thrown (the caller decides whether "unknown" may pass quietly).
 */
export async function uploadConfirmed(client: TransferClient, bucket: string, key: string, uploadId: string): Promise<boolean> {
  try {
    await client.listParts({ bucket, key, uploadId, maxParts: 1 });
    return true;
  } catch (err) {
    if (asOssError(err)?.code === 'NoSuchUpload') return false;
    throw err;
  }
}

export async function abortQuietly(client: TransferClient, bucket: string, key: string, uploadId: string): Promise<void> {
  await client.abortMultipartUpload({ bucket, key, uploadId }).catch(() => undefined);
}

/**
 * The engines' discard of a checkpoint they will not resume, best effort: what `owner` may clean
 * up after it (an unconfirmed upload id stays, as after any failure here), then the checkpoint.
 */
export async function discardQuietly(
  client: TransferClient,
  cptPath: string | undefined,
  owner: CheckpointIdentity,
  found: Checkpoint | Salvage,
): Promise<void> {
  const c = cleanupFor(owner, found, client.endpoint);
  if (c.abort) {
    const { bucket, key, uploadId, confirm } = c.abort;
    const go = !confirm || (await uploadConfirmed(client, bucket, key, uploadId).catch(() => false));
    if (go) await abortQuietly(client, bucket, key, uploadId);
  }
  if (c.tempFile) await removeQuietly(c.tempFile);
  await removeQuietly(cptPath);
}

/** Where the engines say why they set a checkpoint aside (see CommonTransferOptions.onLog). */
export type EngineLog = (message: string) => void;

/**
 * The checkpoint at `cptPath` when it reads back intact and is `owner`'s own record; undefined
 * when there is none, or after discarding (see discardQuietly) and logging a damaged one or
 * another transfer's, so that the transfer starts over.
 */
export async function readOwnCheckpoint(
  client: TransferClient,
  cptPath: string,
  owner: CheckpointIdentity,
  log: EngineLog,
): Promise<Checkpoint | undefined> {
  const read = await readCheckpoint(cptPath).catch((err: unknown) => {
    throw localIoError(err, `reading the checkpoint ${cptPath} of`, owner.file);
  });
  if ('kind' in read) return undefined;
  if (read.ok && isRecordOf(read.checkpoint, owner)) return read.checkpoint;
  const why = read.ok
    ? `it belongs to another transfer (the ${read.checkpoint.direction} of oss://${read.checkpoint.bucket}/${read.checkpoint.key} and ${read.checkpoint.file})`
    : read.reason;
  unusable(log, cptPath, owner, why);
  await discardQuietly(client, cptPath, owner, read.ok ? read.checkpoint : read.salvage);
  return undefined;
}

/** The log line for a checkpoint set aside: which one, whose, and why. */
export function unusable(log: EngineLog, cptPath: string, owner: CheckpointIdentity, why: string): void {
  log(`The checkpoint ${cptPath} cannot be used for the ${owner.direction} of ${owner.file} (${why}); it was discarded and the ${owner.direction} starts over.`);
}

/**
 * This transfer's own checkpoint of its direction (see readOwnCheckpoint), with `setAside(why)` that
 * logs why and discards it; one made with another part size than the one explicitly asked for is
 * set aside here already. Both engines start their resume with this.
 */
export async function loadOwnCheckpoint<D extends Checkpoint['direction']>(
  client: TransferClient,
  cptPath: string | undefined,
  owner: CheckpointIdentity,
  direction: D,
  log: EngineLog,
  partSize: { asked: number | undefined; chosen: number },
): Promise<{ cpt: Extract<Checkpoint, { direction: D }>; setAside(why: string): Promise<undefined> } | undefined> {
  if (!cptPath) return undefined;
  const found = await readOwnCheckpoint(client, cptPath, owner, log);
  if (found?.direction !== direction) return undefined;
  const cpt = found as Extract<Checkpoint, { direction: D }>;
  const setAside = async (why: string): Promise<undefined> => {
    unusable(log, cptPath, owner, why);
    await discardQuietly(client, cptPath, owner, cpt);
    return undefined;
  };
  if (partSize.asked !== undefined && (cpt.partSize !== partSize.chosen || cpt.partShape !== undefined)) {
    await setAside(`it was made with parts of ${cpt.partSize} bytes${cpt.partShape ? ` (${cpt.partShape})` : ''}, not the ${partSize.chosen} asked for`);
    return undefined;
  }
  return { cpt, setAside };
}

// resumableUpload: one PutObject for small files (singleRequestUpload.ts), otherwise a parallel multipart upload that
// records every finished part in a checkpoint, verifies each part's CRC-64 against the server's,
// and the combined CRC against CompleteMultipartUpload's before calling the upload done.
import { promises as fsp, type Stats } from 'node:fs';
import * as path from 'node:path';
import { crc64Combine, crc64ToString, parseCrc64 } from '../../oss/crc/crc64.js';
import type { CompletedPart } from '../../oss/types.js';
import type { UploadCheckpoint, UploadedPart } from '../checkpoint/checkpointCodec.js';
import { abortQuietly, discardQuietly, loadOwnCheckpoint, type EngineLog } from './checkpointCleanup.js';
import { checkpointLockPath, removeQuietly, resolveCheckpointPath, type CheckpointIdentity } from '../checkpoint/checkpointStore.js';
import { ReadBufferPool } from './fileRegionChunks.js';
import { sendRegion, statSource } from './fileRegionSend.js';
import { callLinked } from './linkedSignal.js';
import { acquireTransferLock } from '../locking/transferLock.js';
import { automaticPartShape, choosePartSize, partSizeProblem, planParts, shapeOf, type PartRange, type PartShape } from './partPlan.js';
import { ProgressMeter } from './progressMeter.js';
import { PartLedger, runRemainingParts } from './resumablePartLoop.js';
import { DEFAULT_RETRY, abortedError, asOssError, withRetries, type RetryOptions } from './retryPolicy.js';
import type { TransferClient, TransferResult } from './transferClient.js';
import { TransferError } from '../transferError.js';
import { deleteQuietly, putFileOnce, splitContentType } from './singleRequestUpload.js';
import { checkCommonOptions, engineLog, type UploadOptions } from './transferOptions.js';
import { pacingFor, trafficLimitOf, type TransferPacing } from './transferPacing.js';

export async function resumableUpload(client: TransferClient, opts: UploadOptions): Promise<TransferResult> {
  checkCommonOptions(opts);
  if (opts.signal?.aborted) throw abortedError(opts.signal);
  const file = path.resolve(opts.file);
  const pacing = pacingFor(opts, 'upload');
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...opts.retry };
  const owner: CheckpointIdentity = { direction: 'upload', endpoint: client.endpoint, bucket: opts.bucket, key: opts.key, file };
  const cptPath = resolveCheckpointPath(opts, owner);
  // Taken before the first await: of two runs started together, the one started first wins.
  const release = acquireTransferLock(cptPath ?? `upload:${client.endpoint}/${opts.bucket}/${opts.key}<-${file}`, {
    lockFile: cptPath && checkpointLockPath(cptPath),
    subject: file,
  });
  try {
    const stat = await statSource(file);
    // One request up to the size of a default part; beyond it, parts of the size asked for, or cut to fit the link.
    const oneRequestMax = choosePartSize(stat.size, opts.partSize);
    const partSize = opts.partSize === undefined ? pacing.partSizeFor(stat.size) : oneRequestMax;
    // A part size asked for means parts of exactly that size; a chosen one tapers toward the end.
    const partShape = opts.partSize === undefined ? automaticPartShape(stat.size, partSize) : 'even';
    const meter = new ProgressMeter(stat.size, opts.onProgress);
    meter.setPhase('preparing');
    const run: UploadRun = { client, opts, owner, log: engineLog(opts), file, stat, partSize, partShape, oneRequestMax, pacing, retry, cptPath, meter, buffers: new ReadBufferPool() };
    try {
      return await uploadOnce(run);
    } catch (err) {
      // The server forgot the upload (expired, aborted elsewhere): its parts are gone, so the
      // checkpoint is worthless. Start over once, automatically.
      if (asOssError(err)?.code !== 'NoSuchUpload' || opts.signal?.aborted) throw err;
      await removeQuietly(cptPath);
      run.log(`The server no longer has the multipart upload of ${file} (NoSuchUpload); the upload starts over.`);
      meter.setCommitted(0);
      return await uploadOnce(run);
    } finally {
      meter.close();
    }
  } finally {
    pacing.close();
    release();
  }
}

interface UploadRun {
  client: TransferClient;
  opts: UploadOptions;
  /** This upload as a checkpoint names it: all that cleanup after a checkpoint may reach. */
  owner: CheckpointIdentity;
  log: EngineLog;
  file: string;
  stat: Stats;
  /** Parts of a new multipart upload (a resumed one keeps its checkpoint's). */
  partSize: number;
  partShape: PartShape;
  /** Largest file sent as one PutObject. */
  oneRequestMax: number;
  pacing: TransferPacing;
  retry: RetryOptions;
  cptPath: string | undefined;
  meter: ProgressMeter;
  /** Read buffers shared by the parts of this upload (two per part in flight). */
  buffers: ReadBufferPool;
}

/** A usable checkpoint of this very upload, or undefined after discarding anything unusable. */
async function loadCheckpoint(run: UploadRun): Promise<UploadCheckpoint | undefined> {
  const { client, opts, cptPath, owner } = run;
  const own = await loadOwnCheckpoint(client, cptPath, owner, 'upload', run.log, { asked: opts.partSize, chosen: run.partSize });
  if (!own) return undefined;
  const { cpt, setAside } = own;
  if (cpt.source.size !== run.stat.size || cpt.source.mtimeMs !== run.stat.mtimeMs) {
    await discardQuietly(client, cptPath, owner, cpt);
    throw new TransferError(
      'FileChanged',
      `${run.file} changed since the interrupted upload began (size or modification time differ); its partial upload was discarded`,
    );
  }
  // A plan that cannot be made again (a part size no run of this engine chose) would fail every run.
  const problem = partSizeProblem(run.stat.size, cpt.partSize, shapeOf(cpt));
  if (problem) return await setAside(problem);
  const partCount = planParts(run.stat.size, cpt.partSize, shapeOf(cpt)).length;
  const beyond = cpt.parts.find((p) => p.partNumber > partCount);
  if (beyond) return await setAside(`it lists part ${beyond.partNumber} of a file of only ${partCount} parts`);
  return cpt;
}

async function uploadOnce(run: UploadRun): Promise<TransferResult> {
  const { client, opts, stat, meter } = run;
  const prior = await loadCheckpoint(run);
  const partSize = prior?.partSize ?? run.partSize;
  if (!prior && stat.size <= run.oneRequestMax) {
    const { pacing } = run;
    return await putFileOnce({ client, bucket: opts.bucket, key: opts.key, file: run.file, stat, headers: opts.headers, signal: opts.signal, retry: run.retry, meter, pacing });
  }

  const cpt = prior ?? (await initiate(run, partSize));
  const uploadId = cpt.uploadId;
  const ledger = new PartLedger(cpt, run.cptPath, run.file);
  const plan = planParts(stat.size, partSize, shapeOf(cpt));

  // True once a checkpoint names the upload id, so that a later run can resume or abort it.
  let recorded = prior !== undefined;
  try {
    // Record the upload id before any part moves, so a kill right now still finds (and reuses
    // or aborts) it instead of orphaning it on the server.
    if (!prior) await ledger.save();
    recorded = ledger.persisted;
    // A part in flight is sent again whole on resume (OSS has no partial part): only finished parts are kept.
    if (!recorded) meter.keepNothing();
    await runRemainingParts(ledger, plan, { parallel: run.pacing.slots, signal: opts.signal, meter }, (part, signal) =>
      uploadPartWithRetries(run, uploadId, part, signal),
    );

    await assertUnchanged(run, cpt);
    meter.setPhase('completing');
    const parts = ledger.inPlanOrder(plan);
    const expected = combineParts(plan, parts);
    const completed = await complete(run, uploadId, parts, expected);
    await ledger.close();
    await removeQuietly(run.cptPath);
    meter.finish();
    return {
      etag: completed.etag,
      crc64: crc64ToString(expected),
      size: stat.size,
      resumed: prior !== undefined,
      verifiedBy: completed.verifiedBy,
    };
  } catch (err) {
    await ledger.close();
    const fileChanged = err instanceof TransferError && err.code === 'FileChanged';
    // Without a checkpoint nobody can resume this upload, and parts read from a file that changed
    // (e.g. it shrank under a part) are worthless: do not leave either on the server.
    if (!recorded || fileChanged) await abortQuietly(client, opts.bucket, opts.key, uploadId);
    if (fileChanged) await removeQuietly(run.cptPath);
    // Kept is what the checkpoint holds: nothing once it is gone (a changed file, a bad Complete).
    if (!run.cptPath || !(await fsp.stat(run.cptPath).then(() => true, () => false))) meter.keepNothing();
    throw err;
  }
}

/** Starts a multipart upload and returns its checkpoint, not yet saved. */
async function initiate(run: UploadRun, partSize: number): Promise<UploadCheckpoint> {
  const { client, opts, stat } = run;
  const { contentType, headers } = splitContentType(opts.headers);
  const init = await withRetries(
    () => callLinked(opts.signal, (signal) => client.initiateMultipartUpload({ bucket: opts.bucket, key: opts.key, headers, contentType, signal })),
    opts.signal,
    run.retry,
  );
  const now = new Date().toISOString();
  return {
    direction: 'upload',
    endpoint: client.endpoint,
    bucket: opts.bucket,
    key: opts.key,
    file: run.file,
    partSize,
    ...(run.partShape === 'tapered' ? { partShape: 'tapered' as const } : {}),
    createdAt: now,
    updatedAt: now,
    source: { size: stat.size, mtimeMs: stat.mtimeMs },
    uploadId: init.uploadId,
    parts: [],
  };
}

async function uploadPartWithRetries(run: UploadRun, uploadId: string, part: PartRange, signal: AbortSignal): Promise<UploadedPart> {
  const { client, opts } = run;
  return await withRetries(
    async () => {
      const { res: r, crc: local } = await sendRegion(run, part, signal, (body, signal, onUploadProgress) =>
        client.uploadPart({
          bucket: opts.bucket,
          key: opts.key,
          uploadId,
          partNumber: part.partNumber,
          body,
          contentLength: part.length,
          signal,
          onUploadProgress,
          ...trafficLimitOf(run.pacing),
        }),
      );
      if (r.crc64 !== undefined && parseCrc64(r.crc64) !== local) {
        run.meter.partFailed(part.partNumber);
        throw new TransferError(
          'CrcMismatch',
          `part ${part.partNumber}: server CRC-64 ${r.crc64} differs from the bytes sent (${crc64ToString(local)}), request id ${r.requestId}`,
        );
      }
      return { partNumber: part.partNumber, etag: r.etag, crc64: crc64ToString(local) };
    },
    signal,
    run.retry,
    run.pacing.trouble,
  );
}

/** The file must still be what the parts were read from before the object is committed. */
async function assertUnchanged(run: UploadRun, cpt: UploadCheckpoint): Promise<void> {
  const now = await statSource(run.file);
  if (now.size === run.stat.size && now.mtimeMs === run.stat.mtimeMs) return;
  await discardQuietly(run.client, run.cptPath, run.owner, cpt);
  throw new TransferError('FileChanged', `${run.file} was modified while it was being uploaded; the partial upload was discarded`);
}

function combineParts(plan: PartRange[], parts: UploadedPart[]): bigint {
  let acc = 0n;
  for (let i = 0; i < plan.length; i++) acc = crc64Combine(acc, parseCrc64(parts[i]!.crc64), plan[i]!.length);
  return acc;
}

async function complete(
  run: UploadRun,
  uploadId: string,
  parts: UploadedPart[],
  expected: bigint,
): Promise<{ etag: string; verifiedBy: TransferResult['verifiedBy'] }> {
  const { client, opts } = run;
  const list: CompletedPart[] = parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag }));
  let res;
  try {
    res = await withRetries(
      () => callLinked(opts.signal, (signal) => client.completeMultipartUpload({ bucket: opts.bucket, key: opts.key, uploadId, parts: list, signal })),
      opts.signal,
      run.retry,
    );
  } catch (err) {
    // No such upload at Complete: an earlier Complete may have succeeded without us learning it
    // (the response was lost, or the process died before deleting the checkpoint). The object is
    // ours if its size and CRC-64 are exactly what these parts make.
    if (asOssError(err)?.code === 'NoSuchUpload') {
      const head = await callLinked(opts.signal, (signal) => client.headObject({ bucket: opts.bucket, key: opts.key, signal })).catch(() => undefined);
      if (head?.crc64 !== undefined && parseCrc64(head.crc64) === expected && head.size === run.stat.size) {
        return { etag: head.etag, verifiedBy: 'crc64' };
      }
    }
    throw err;
  }
  if (res.crc64 !== undefined && parseCrc64(res.crc64) !== expected) {
    await deleteQuietly(client, opts.bucket, opts.key);
    await removeQuietly(run.cptPath);
    throw new TransferError(
      'CrcMismatch',
      `the completed object's CRC-64 ${res.crc64} differs from the parts sent (${crc64ToString(expected)}), request id ${res.requestId}; the corrupt object was deleted`,
    );
  }
  if (res.crc64 !== undefined) return { etag: res.etag, verifiedBy: 'crc64' };
  // No CRC-64 from Complete (some gateways drop it): at least the stored size and ETag must be
  // what this upload made before calling it verified.
  const head = await withRetries(
    () => callLinked(opts.signal, (signal) => client.headObject({ bucket: opts.bucket, key: opts.key, signal })),
    opts.signal,
    run.retry,
  );
  if (head.size !== run.stat.size || head.etag !== res.etag) {
    // Another writer may have replaced the key since our Complete; only delete what is still ours.
    if (head.etag === res.etag) await deleteQuietly(client, opts.bucket, opts.key);
    await removeQuietly(run.cptPath);
    throw new TransferError(
      'SizeMismatch',
      `the completed object holds ${head.size} bytes with ETag ${head.etag}; this upload sent ${run.stat.size} bytes and Complete answered ETag ${res.etag} (request id ${res.requestId})` +
        (head.etag === res.etag ? '; the object was deleted' : '; the object was replaced by someone else in the meantime and was left alone'),
    );
  }
  return { etag: res.etag, verifiedBy: 'size+etag' };
}

// resumableDownload: parallel ranged GETs pinned to the object's ETag (If-Match), each written by
// position into a temporary file beside the destination and flushed to disk before the part is
// recorded as done. The temp file replaces the destination only after the parts' combined CRC-64
// matches the object's; until then the destination is never touched. What reached the disk inside a
// part is kept too (partialParts.ts): a retry or a resumed run fetches only the rest of that part.
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { crc64Combine, crc64ToString, parseCrc64 } from '../../oss/crc/crc64.js';
import type { GetObjectResult, HeadObjectResult } from '../../oss/types.js';
import type { DownloadCheckpoint } from '../checkpoint/checkpointCodec.js';
import { checkpointLockPath, removeQuietly, resolveCheckpointPath, type CheckpointIdentity } from '../checkpoint/checkpointStore.js';
import { callLinked, linkedSignal } from './linkedSignal.js';
import { localIoError } from '../localIoError.js';
import { acquireTransferLock } from '../locking/transferLock.js';
import { discardQuietly, loadOwnCheckpoint, type EngineLog } from './checkpointCleanup.js';
import { crc64OfFile } from './fileCrc64.js';
import { assertDestinationUsable, isOurTempFile, newTempFile } from './downloadTempFile.js';
import { choosePartSize, partSizeProblem, planParts, shapeOf, type PartRange } from './partPlan.js';
import { drainPartBody, writeAllAt } from './partBodyWriter.js';
import { PartialParts, partialPlanProblem, trustedPrefixes, type PartPrefix } from './partialParts.js';
import { PartLedger, runRemainingParts } from './resumablePartLoop.js';
import { SyncCoalescer } from './syncCoalescer.js';
import { ProgressMeter } from './progressMeter.js';
import { DEFAULT_RETRY, abortedError, asOssError, withRetries, type RetryOptions } from './retryPolicy.js';
import type { TransferClient, TransferResult } from './transferClient.js';
import { TransferError } from '../transferError.js';
import { checkCommonOptions, engineLog, type DownloadOptions } from './transferOptions.js';
import { pacingFor, trafficLimitOf, type TransferPacing } from './transferPacing.js';

/** Received bytes are gathered up to this much before one positional write. */
const WRITE_BATCH = 1024 * 1024;
/** Written bytes that start a background flush of the temp file (see SyncCoalescer). */
const BACKGROUND_FLUSH_BYTES = 32 * 1024 * 1024;
/** Received bytes wait at most this long for their write, however slowly they arrive. */
const WRITE_HOLD_MS = 250;
/** Least time between two checkpoint saves of the progress inside parts. */
const PARTIAL_SAVE_MS = 1000;

interface DownloadRun {
  client: TransferClient;
  opts: DownloadOptions;
  /** This download as a checkpoint names it: all that cleanup after a checkpoint may reach. */
  owner: CheckpointIdentity;
  log: EngineLog;
  dest: string;
  head: HeadObjectResult;
  partSize: number;
  pacing: TransferPacing;
  retry: RetryOptions;
  cptPath: string | undefined;
  meter: ProgressMeter;
}

export async function resumableDownload(client: TransferClient, opts: DownloadOptions): Promise<TransferResult> {
  checkCommonOptions(opts);
  if (opts.signal?.aborted) throw abortedError(opts.signal);
  const dest = path.resolve(opts.file);
  const pacing = pacingFor(opts, 'download');
  if (opts.partSize !== undefined) choosePartSize(0, opts.partSize); // reject a bad value before any request
  const retry: RetryOptions = { ...DEFAULT_RETRY, ...opts.retry };
  const owner: CheckpointIdentity = { direction: 'download', endpoint: client.endpoint, bucket: opts.bucket, key: opts.key, file: dest };
  const cptPath = resolveCheckpointPath(opts, owner);
  // Keyed by destination: two downloads into one file would race for its temp file and rename.
  // And by checkpoint, as uploads are: a run sharing it would discard this one's temp file.
  const releaseDest = acquireTransferLock(`download->${dest}`);
  let releaseCpt: (() => void) | undefined;
  try {
    releaseCpt = cptPath ? acquireTransferLock(cptPath, { lockFile: checkpointLockPath(cptPath), subject: dest }) : undefined;
  } catch (err) {
    releaseDest();
    throw err;
  }
  const release = (): void => {
    releaseCpt?.();
    releaseDest();
  };
  const meter = new ProgressMeter(0, opts.onProgress);
  meter.setPhase('preparing');
  try {
    await assertDestinationUsable(dest);
    const head = await withRetries(
      () => callLinked(opts.signal, (signal) => client.headObject({ bucket: opts.bucket, key: opts.key, signal })),
      opts.signal,
      retry,
    );
    meter.setTotal(head.size);
    const partSize = opts.partSize === undefined ? pacing.partSizeFor(head.size) : choosePartSize(head.size, opts.partSize, 'download');
    const run: DownloadRun = { client, opts, owner, log: engineLog(opts), dest, head, partSize, pacing, retry, cptPath, meter };
    let prior = await loadCheckpoint(run);
    if (prior && !(await fsp.stat(prior.tempFile).then(() => true, () => false))) {
      if (await renamedBeforeCrash(run)) {
        await removeQuietly(cptPath);
        meter.finish();
        return { etag: head.etag, crc64: head.crc64!, size: head.size, resumed: true, verifiedBy: 'crc64' };
      }
      await removeQuietly(cptPath);
      prior = undefined;
    }
    return await downloadInto(run, prior);
  } finally {
    meter.close();
    pacing.close();
    release();
  }
}

function sameObject(cpt: DownloadCheckpoint, head: HeadObjectResult): boolean {
  return cpt.object.etag === head.etag && cpt.object.size === head.size && (cpt.object.crc64 ?? '') === (head.crc64 ?? '');
}

async function loadCheckpoint(run: DownloadRun): Promise<DownloadCheckpoint | undefined> {
  const { opts, cptPath, client, owner } = run;
  const own = await loadOwnCheckpoint(client, cptPath, owner, 'download', run.log, { asked: opts.partSize, chosen: run.partSize });
  if (!own) return undefined;
  const { cpt, setAside } = own;
  if (!isOurTempFile(cpt.tempFile, run.dest)) return await setAside(`its temp file ${cpt.tempFile} is not one of this destination's`);
  if (!sameObject(cpt, run.head)) {
    await discardQuietly(client, cptPath, owner, cpt);
    throw new TransferError(
      'ObjectChanged',
      `oss://${opts.bucket}/${opts.key} changed since the interrupted download began (ETag ${cpt.object.etag} → ${run.head.etag}); the partial download was discarded`,
    );
  }
  // A plan that cannot be made again (a part size no run of this engine chose) would fail every run.
  const problem = partSizeProblem(run.head.size, cpt.partSize, shapeOf(cpt));
  if (problem) return await setAside(problem);
  const plan = planParts(run.head.size, cpt.partSize, shapeOf(cpt));
  const count = plan.length;
  const beyond = cpt.parts.find((p) => p.partNumber > count);
  if (beyond) return await setAside(`it lists part ${beyond.partNumber} of an object of only ${count} parts`);
  const partial = partialPlanProblem(cpt.partial, plan);
  if (partial) return await setAside(partial);
  const tempSize = await fsp.stat(cpt.tempFile).then((s) => s.size, () => -1);
  if (tempSize === -1 && cpt.parts.length === count) return cpt; // maybe renamed just before a crash
  if (tempSize !== run.head.size) return await setAside(tempSize === -1 ? 'its temp file is gone' : `its temp file holds ${tempSize} bytes, not ${run.head.size}`);
  return cpt;
}

/**
 * A checkpoint with every part done but no temp file: the process may have died between the
 * rename and deleting the checkpoint. The destination is the finished download only if its
 * CRC-64 is the object's; otherwise the download starts over.
 */
async function renamedBeforeCrash(run: DownloadRun): Promise<boolean> {
  const { head, dest } = run;
  if (head.crc64 === undefined) return false;
  const st = await fsp.stat(dest).catch(() => undefined);
  if (!st?.isFile() || st.size !== head.size) return false;
  const crc = await crc64OfFile(dest).catch(() => undefined);
  return crc === parseCrc64(head.crc64);
}

async function downloadInto(run: DownloadRun, prior: DownloadCheckpoint | undefined): Promise<TransferResult> {
  const { opts, head, meter, dest } = run;
  const partSize = prior?.partSize ?? run.partSize;
  const tempFile = prior?.tempFile ?? newTempFile(dest);
  let fh: FileHandle | undefined;
  let ledger: PartLedger<DownloadCheckpoint> | undefined;
  let partials: PartialParts | undefined;
  let createdTemp = false;
  // True once a checkpoint names the temp file, so that a later run can resume (or clean) it.
  let recorded = prior !== undefined;
  let keepTemp = true;
  try {
    if (prior) {
      fh = await fsp.open(tempFile, 'r+').catch((err: unknown) => {
        throw localIoError(err, 'opening the temporary file of', dest);
      });
    } else {
      await fsp.mkdir(path.dirname(dest), { recursive: true }).catch((err: unknown) => {
        throw localIoError(err, 'creating the folder of', dest);
      });
      fh = await fsp.open(tempFile, 'wx', 0o644).catch((err: unknown) => {
        throw localIoError(err, 'creating the temporary file of', dest);
      });
      createdTemp = true;
      // Sized up front so every part can be written by position, in any order.
      await fh.truncate(head.size).catch((err: unknown) => {
        throw localIoError(err, 'sizing the temporary file of', dest);
      });
    }

    const cpt = prior ?? newCheckpoint(run, partSize, tempFile);
    ledger = new PartLedger(cpt, run.cptPath, dest);
    if (!prior) await ledger.save();
    recorded = ledger.persisted;

    // Downloads cut even parts (a download part can be resumed partway, so its ending is already even); a resume follows its checkpoint.
    const plan = planParts(head.size, partSize, shapeOf(cpt));
    const handle = fh;
    const flusher = new SyncCoalescer(() => handle.datasync(), BACKGROUND_FLUSH_BYTES);
    if (!ledger.persisted) meter.keepNothing();
    // A resume starts each part it got partway through where the flushed bytes end.
    const trusted = prior ? await trustedPrefixes(cpt.partial, plan, handle, run.log) : new Map<number, PartPrefix>();
    partials = new PartialParts({ cpt, ledger, sync: () => flusher.sync(), meter, everyMs: PARTIAL_SAVE_MS, log: run.log }, trusted);
    meter.setCommitted(ledger.committedBytes(plan));
    for (const [n, p] of trusted) meter.partAdvance(n, p.bytes);
    const inParts = partials;
    await runRemainingParts(ledger, plan, { parallel: run.pacing.slots, signal: opts.signal, meter }, async (part, signal) => {
      const crc = await withRetries(() => fetchPart(run, handle, part, signal, flusher, inParts), signal, run.retry, run.pacing.trouble);
      const othersWritten = inParts.snapshot();
      // Flushed before it counts as done: a crash after this line cannot lose the part.
      await flusher.sync().catch((err: unknown) => {
        throw localIoError(err, 'flushing the temporary file of', dest);
      });
      inParts.finished(part.partNumber);
      // The same flush covered the other parts' writes: their progress goes with this part's save.
      inParts.flushedBy(othersWritten);
      return { partNumber: part.partNumber, crc64: crc64ToString(crc) };
    });
    await partials.stop();

    meter.setPhase('completing');
    let whole = 0n;
    const parts = ledger.inPlanOrder(plan);
    for (let i = 0; i < plan.length; i++) whole = crc64Combine(whole, parseCrc64(parts[i]!.crc64), plan[i]!.length);
    if (head.crc64 !== undefined && parseCrc64(head.crc64) !== whole) {
      keepTemp = false;
      throw new TransferError(
        'CrcMismatch',
        `the parts' combined CRC-64 ${crc64ToString(whole)} differs from the object's ${head.crc64}; the partial download was discarded`,
      );
    }
    await fh.datasync().catch((err: unknown) => {
      throw localIoError(err, 'flushing the temporary file of', dest);
    });
    await fh.close();
    fh = undefined;
    await ledger.close();
    try {
      await fsp.rename(tempFile, dest);
    } catch (err) {
      throw localIoError(err, 'replacing', dest);
    }
    await removeQuietly(run.cptPath);
    meter.finish();
    return { etag: head.etag, crc64: crc64ToString(whole), size: head.size, resumed: prior !== undefined, verifiedBy: head.crc64 !== undefined ? 'crc64' : 'size+etag' };
  } catch (err) {
    const changed = err instanceof TransferError && err.code === 'ObjectChanged';
    const resumable = recorded && keepTemp && !changed;
    // Stopped (a pause, a cut): what reached the file inside parts is flushed and recorded.
    if (resumable) await partials?.keepAll().catch((e: unknown) => run.log(`Keeping the progress inside parts failed: ${String(e)}`));
    else await partials?.stop();
    await fh?.close().catch(() => undefined);
    await ledger?.close();
    // Keep the temp file only when a checkpoint can resume it; a changed object or bad data is discarded.
    if (!resumable) {
      meter.keepNothing();
      if (createdTemp || prior) await removeQuietly(tempFile);
      if (recorded) await removeQuietly(run.cptPath);
    }
    throw err;
  }
}

/** The checkpoint of a download starting afresh into `tempFile`, not yet saved. */
function newCheckpoint(run: DownloadRun, partSize: number, tempFile: string): DownloadCheckpoint {
  const { opts, head } = run;
  const now = new Date().toISOString();
  return {
    direction: 'download',
    endpoint: run.client.endpoint,
    bucket: opts.bucket,
    key: opts.key,
    file: run.dest,
    partSize,
    createdAt: now,
    updatedAt: now,
    object: { etag: head.etag, size: head.size, ...(head.crc64 !== undefined ? { crc64: head.crc64 } : {}), lastModified: head.lastModified },
    tempFile,
    parts: [],
  };
}

/**
 * The answer must be the range asked for. Its length alone proves nothing: a gateway that shifts
 * ranges sends the right number of wrong bytes, and without a CRC-64 on the object nothing later
 * would notice. Not retried: a server that answers a different range does so again.
 */
function checkReturnedRange(run: DownloadRun, part: PartRange, range: { start: number; length: number }, res: GetObjectResult): void {
  const { opts, head } = run;
  const end = range.start + range.length - 1;
  const asked = `bytes ${range.start}-${end} of ${head.size}`;
  const where = `oss://${opts.bucket}/${opts.key} part ${part.partNumber}`;
  const rid = res.requestId ? `, request id ${res.requestId}` : '';
  if (res.status !== 206) {
    // A 200 is the whole object: the right answer only when the range asked is the whole object.
    if (range.start === 0 && range.length === head.size) return;
    throw new TransferError('RangeMismatch', `${where}: asked for ${asked}, the server ignored the range and answered ${res.status} with the whole object${rid}`);
  }
  const cr = res.contentRange;
  if (!cr) throw new TransferError('RangeMismatch', `${where}: asked for ${asked}, the server answered 206 without a Content-Range${rid}`);
  // '*' (total unknown, -1) is allowed by HTTP; a known total must be the object's size.
  if (cr.start !== range.start || cr.end !== end || (cr.total !== -1 && cr.total !== head.size)) {
    const total = cr.total === -1 ? '*' : String(cr.total);
    throw new TransferError('RangeMismatch', `${where}: asked for ${asked}, the server answered Content-Range bytes ${cr.start}-${cr.end}/${total}${rid}`);
  }
}

/**
 * One attempt at one part: a ranged GET of what the part still lacks (all of it, or the rest after
 * the prefix already written), streamed to its position in the temp file. Returns the part's CRC-64.
 */
async function fetchPart(run: DownloadRun, fh: FileHandle, part: PartRange, signal: AbortSignal, flusher: SyncCoalescer, partials: PartialParts): Promise<bigint> {
  const { client, opts, head, meter } = run;
  const base = partials.startOf(part.partNumber);
  const skip = base?.bytes ?? 0;
  const range = { start: part.start + skip, length: part.length - skip };
  if (skip) meter.partAdvance(part.partNumber, skip);
  let res;
  const link = linkedSignal(signal);
  try {
    res = await client.getObject({
      bucket: opts.bucket,
      key: opts.key,
      range: { start: range.start, end: range.start + range.length - 1 },
      ifMatch: head.etag,
      signal: link.signal,
      ...trafficLimitOf(run.pacing),
    });
  } catch (err) {
    link.dispose();
    if (asOssError(err)?.code === 'PreconditionFailed') {
      throw new TransferError('ObjectChanged', `oss://${opts.bucket}/${opts.key} changed during the download (If-Match failed); the partial download was discarded`, { cause: err });
    }
    throw err;
  }
  const body = res.body;
  const onAbort = (): void => {
    body.destroy(abortedError(signal));
  };
  link.signal.addEventListener('abort', onAbort, { once: true });
  try {
    if (res.etag !== head.etag) {
      throw new TransferError('ObjectChanged', `oss://${opts.bucket}/${opts.key} changed during the download (ETag ${head.etag} → ${res.etag})`);
    }
    checkReturnedRange(run, part, range, res);
    if (res.contentLength !== range.length) {
      throw new TransferError('SizeMismatch', `part ${part.partNumber}: expected ${range.length} bytes, the server announced ${res.contentLength} (request id ${res.requestId})`);
    }
    let got = 0; // bytes this attempt received: what the link carried, for the pacer
    const sink = {
      write: async (bufs: Buffer[], n: number, position: number) => {
        await writeAllAt(fh, bufs, n, position).catch((err: unknown) => {
          throw localIoError(err, 'writing the temporary file of', run.dest);
        });
        flusher.written(n);
      },
      progress: (n: number) => {
        run.pacing.moved(n - got);
        got = n;
        meter.partAdvance(part.partNumber, skip + n);
      },
      pace: run.pacing.limit && ((n: number) => run.pacing.limit!.reserve(n)),
      tooLong: () => new TransferError('SizeMismatch', `part ${part.partNumber}: the server sent more than ${range.length} bytes`),
      written: (n: number, crc: bigint) => partials.wrote(part.partNumber, base, n, crc),
    };
    const { crc, received } = await drainPartBody(body, range.start, range.length, WRITE_BATCH, sink, WRITE_HOLD_MS);
    if (received !== range.length) {
      throw new TransferError('SizeMismatch', `part ${part.partNumber}: the body ended after ${received} of ${range.length} bytes`);
    }
    return base ? crc64Combine(base.crc, crc, range.length) : crc;
  } catch (err) {
    meter.partFailed(part.partNumber);
    body.destroy();
    if (signal.aborted && !(err instanceof TransferError && err.code !== 'Aborted')) throw abortedError(signal);
    throw err;
  } finally {
    link.signal.removeEventListener('abort', onAbort);
    link.dispose();
  }
}

// A small object comes down in ONE GET, without HEAD and without Range: the object's length,
// ETag and CRC-64 arrive with the answer. The body streams into a temp file beside the
// destination (the resumable download's names), is CRC-64 checked, flushed once and renamed over
// the destination. No checkpoint and no lock file: a failed attempt simply fetches again.
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { crc64ToString, parseCrc64 } from '../../oss/crc/crc64.js';
import type { GetObjectResult } from '../../oss/types.js';
import { localIoError } from '../localIoError.js';
import { acquireTransferLock } from '../locking/transferLock.js';
import { TransferError } from '../transferError.js';
import { assertDestinationUsable, newTempFile } from './downloadTempFile.js';
import { linkedSignal } from './linkedSignal.js';
import { drainPartBody, writeAllAt } from './partBodyWriter.js';
import { ProgressMeter } from './progressMeter.js';
import { DEFAULT_RETRY, abortedError, withRetries } from './retryPolicy.js';
import { checkSmallOptions, notSmall, smallLog, smallPacing, type SmallTransferOptions } from './smallTransferOptions.js';
import { trafficLimitOf, type TransferPacing } from './transferPacing.js';
import type { TransferClient, TransferResult } from './transferClient.js';

/** Received bytes gathered before one write (a small object is usually one write). */
const WRITE_BATCH = 1024 * 1024;

interface SmallGet {
  client: TransferClient;
  opts: SmallTransferOptions;
  dest: string;
  meter: ProgressMeter;
  pacing: TransferPacing;
}

/**
 * Downloads `opts.key` into `opts.file` with one GET. Throws TransferError NotSmall, without
 * reading the body, when the answer announces more than `opts.maxSize` bytes.
 */
export async function downloadSmallFile(client: TransferClient, opts: SmallTransferOptions): Promise<TransferResult> {
  checkSmallOptions(opts);
  if (opts.signal?.aborted) throw abortedError(opts.signal);
  const dest = path.resolve(opts.file);
  // The resumable download's key: two downloads into one file would race for its rename.
  const release = acquireTransferLock(`download->${dest}`);
  const pacing = smallPacing(opts, 'download');
  const meter = new ProgressMeter(0, opts.onProgress);
  const log = smallLog(opts);
  try {
    await assertDestinationUsable(dest);
    const get: SmallGet = { client, opts, dest, meter, pacing };
    return await withRetries(
      () => getOnce(get),
      opts.signal,
      { ...DEFAULT_RETRY, ...opts.retry },
      (err, attempt) => {
        pacing.trouble(err);
        log(`GET of oss://${opts.bucket}/${opts.key} failed (attempt ${attempt}): ${err instanceof Error ? err.message : String(err)}; retrying`);
      },
    );
  } finally {
    meter.close();
    pacing.close();
    release();
  }
}

/** One attempt: GET, stream into a fresh temp file, verify, flush, rename. Leaves no temp file when it fails. */
async function getOnce(get: SmallGet): Promise<TransferResult> {
  const { client, opts, dest, meter, pacing } = get;
  const link = linkedSignal(opts.signal);
  let res: GetObjectResult;
  try {
    res = await client.getObject({ bucket: opts.bucket, key: opts.key, signal: link.signal, ...trafficLimitOf(pacing) });
  } catch (err) {
    link.dispose();
    throw err;
  }
  const body = res.body;
  const onAbort = (): void => {
    body.destroy(abortedError(link.signal));
  };
  link.signal.addEventListener('abort', onAbort, { once: true });
  let opening: Promise<FileHandle> | undefined;
  let fh: FileHandle | undefined;
  let tempFile: string | undefined;
  try {
    const where = `oss://${opts.bucket}/${opts.key}`;
    const rid = res.requestId ? ` (request id ${res.requestId})` : '';
    // Nothing was asked but the whole object: a part of it (206) is not the object.
    if (res.status !== 200) throw new TransferError('RangeMismatch', `${where}: asked for the whole object, the server answered ${res.status}${rid}`);
    const known = res.contentLength >= 0;
    if (res.contentLength > opts.maxSize) throw notSmall(where, res.contentLength, opts.maxSize);
    const limit = known ? res.contentLength : opts.maxSize;
    meter.setTotal(known ? res.contentLength : 0);
    meter.setPhase('transferring');

    tempFile = newTempFile(dest);
    // The temp file is created while the body starts to arrive. The body is listened to at once:
    // an error it meets meanwhile must reach this attempt, not become an uncaught exception.
    opening = openTemp(tempFile, dest);
    opening.catch(() => undefined);
    const target = opening;
    let got = 0;
    const drained = drainPartBody(body, 0, limit, WRITE_BATCH, {
      write: async (bufs, n, position) =>
        writeAllAt(await target, bufs, n, position).catch((err: unknown) => {
          throw localIoError(err, 'writing the temporary file of', dest);
        }),
      progress: (n) => {
        pacing.moved(n - got);
        got = n;
        meter.partAdvance(1, n);
      },
      pace: pacing.limit && ((n) => pacing.limit!.reserve(n)),
      tooLong: () =>
        known
          ? new TransferError('SizeMismatch', `${where}: the server sent more than the ${limit} bytes it announced${rid}`)
          : notSmall(where, undefined, opts.maxSize),
    });
    const { crc, received } = await drained;
    fh = await opening;
    if (known && received !== res.contentLength) {
      throw new TransferError('SizeMismatch', `${where}: the body ended after ${received} of ${res.contentLength} bytes${rid}`);
    }
    if (res.crc64 !== undefined && parseCrc64(res.crc64) !== crc) {
      throw new TransferError('CrcMismatch', `${where}: the bytes received have CRC-64 ${crc64ToString(crc)}, the object's is ${res.crc64}${rid}; nothing was kept`);
    }
    if (!known) meter.setTotal(received);
    // On disk before it takes the destination's name: a crash after the rename cannot leave a hole.
    await fh.datasync().catch((err: unknown) => {
      throw localIoError(err, 'flushing the temporary file of', dest);
    });
    await fh.close();
    fh = undefined;
    try {
      await fsp.rename(tempFile, dest);
    } catch (err) {
      throw localIoError(err, 'replacing', dest);
    }
    tempFile = undefined;
    meter.partDone(1, received);
    meter.finish();
    return { etag: res.etag, crc64: crc64ToString(crc), size: received, resumed: false, verifiedBy: res.crc64 !== undefined ? 'crc64' : 'size+etag' };
  } catch (err) {
    meter.partFailed(1);
    body.destroy();
    // A temp file still being created is waited for, so that it is removed too.
    const open = fh ?? (await opening?.catch(() => undefined));
    await open?.close().catch(() => undefined);
    if (tempFile && opening) await fsp.unlink(tempFile).catch(() => undefined);
    if (link.signal.aborted && !(err instanceof TransferError && err.code !== 'Aborted')) throw abortedError(link.signal);
    throw err;
  } finally {
    link.signal.removeEventListener('abort', onAbort);
    link.dispose();
  }
}

/** Creates the temp file; its folder is made only when missing (one open in the usual case). */
async function openTemp(tempFile: string, dest: string): Promise<FileHandle> {
  const create = (): Promise<FileHandle> => fsp.open(tempFile, 'wx', 0o644);
  try {
    return await create();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw localIoError(err, 'creating the temporary file of', dest);
  }
  await fsp.mkdir(path.dirname(dest), { recursive: true }).catch((err: unknown) => {
    throw localIoError(err, 'creating the folder of', dest);
  });
  return await create().catch((err: unknown) => {
    throw localIoError(err, 'creating the temporary file of', dest);
  });
}

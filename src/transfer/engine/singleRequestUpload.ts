// A small file goes up as ONE PutObject streamed from the file, its CRC-64 checked against the
// server's. No checkpoint, no lock file, no temp file: nothing to resume in one request, so the
// file system sees a stat, the reads and a stat again. resumableUpload sends its small files here.
import type { Stats } from 'node:fs';
import * as path from 'node:path';
import { crc64ToString, parseCrc64 } from '../../oss/crc/crc64.js';
import { acquireTransferLock } from '../locking/transferLock.js';
import { TransferError } from '../transferError.js';
import { ReadBufferPool } from './fileRegionChunks.js';
import { sendRegion, statSource } from './fileRegionSend.js';
import { callLinked } from './linkedSignal.js';
import { ProgressMeter } from './progressMeter.js';
import { DEFAULT_RETRY, abortedError, withRetries, type RetryOptions } from './retryPolicy.js';
import { checkSmallOptions, notSmall, smallLog, smallPacing, type SmallTransferOptions } from './smallTransferOptions.js';
import type { TransferClient, TransferResult } from './transferClient.js';
import { trafficLimitOf, type TransferPacing } from './transferPacing.js';

/**
 * Uploads `opts.file` with one PutObject. Throws TransferError NotSmall, before reading any of it,
 * when the file is larger than `opts.maxSize`.
 */
export async function uploadSmallFile(
  client: TransferClient,
  opts: SmallTransferOptions & { headers?: Record<string, string> },
): Promise<TransferResult> {
  checkSmallOptions(opts);
  if (opts.signal?.aborted) throw abortedError(opts.signal);
  const file = path.resolve(opts.file);
  // The same in-process key a checkpoint-less resumableUpload of this file holds; no lock file.
  const release = acquireTransferLock(`upload:${client.endpoint}/${opts.bucket}/${opts.key}<-${file}`, { subject: file });
  try {
    const stat = await statSource(file);
    if (stat.size > opts.maxSize) throw notSmall(file, stat.size, opts.maxSize);
    const pacing = smallPacing(opts, 'upload');
    const meter = new ProgressMeter(stat.size, opts.onProgress);
    try {
      return await putFileOnce({
        client,
        bucket: opts.bucket,
        key: opts.key,
        file,
        stat,
        headers: opts.headers,
        signal: opts.signal,
        retry: { ...DEFAULT_RETRY, ...opts.retry },
        meter,
        log: smallLog(opts),
        pacing,
      });
    } finally {
      meter.close();
      pacing.close();
    }
  } finally {
    release();
  }
}

export interface SinglePut {
  client: TransferClient;
  bucket: string;
  key: string;
  /** absolute */
  file: string;
  /** the file as measured before the upload: a change since then fails the upload */
  stat: Stats;
  headers?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
  retry: RetryOptions;
  meter: ProgressMeter;
  log?: (message: string) => void;
  /** The bandwidth cap and the link's pacer (see transferPacing.ts). */
  pacing?: Pick<TransferPacing, 'limit' | 'trafficLimit' | 'trouble' | 'moved'>;
}

/** One PutObject of the whole file (retried whole), CRC-64 checked; finishes the meter. */
export async function putFileOnce(put: SinglePut): Promise<TransferResult> {
  const { client, bucket, key, stat, meter } = put;
  const { contentType, headers } = splitContentType(put.headers);
  const src = { file: put.file, meter, buffers: new ReadBufferPool(stat.size), pacing: put.pacing };
  meter.setPhase('transferring');
  const r = await withRetries(
    () =>
      sendRegion(src, { partNumber: 1, start: 0, length: stat.size }, put.signal, (body, signal, onUploadProgress) =>
        client.putObject({ bucket, key, body, contentLength: stat.size, contentType, headers, signal, onUploadProgress, ...trafficLimitOf(put.pacing) }),
      ),
    put.signal,
    put.retry,
    (err, attempt) => {
      put.pacing?.trouble(err);
      put.log?.(`PutObject of ${put.file} failed (attempt ${attempt}): ${describe(err)}; retrying`);
    },
  );
  if (r.res.crc64 !== undefined && parseCrc64(r.res.crc64) !== r.crc) {
    await deleteQuietly(client, bucket, key);
    throw new TransferError(
      'CrcMismatch',
      `the object's CRC-64 ${r.res.crc64} differs from the bytes sent (${crc64ToString(r.crc)}), request id ${r.res.requestId}; the corrupt object was deleted`,
    );
  }
  // The PUT has already replaced the object; it holds the bytes read while the file changed.
  const now = await statSource(put.file);
  if (now.size !== stat.size || now.mtimeMs !== stat.mtimeMs) {
    throw new TransferError('FileChanged', `${put.file} was modified while it was being uploaded; the object now holds the bytes read during the change; upload it again`);
  }
  if (r.res.crc64 === undefined) await checkSizeAndEtag(put, r.res.etag, r.res.requestId);
  meter.partDone(1, stat.size);
  meter.finish();
  return {
    etag: r.res.etag,
    crc64: crc64ToString(r.crc),
    size: stat.size,
    resumed: false,
    verifiedBy: r.res.crc64 !== undefined ? 'crc64' : 'size+etag',
  };
}

/**
 * No CRC-64 in the answer (some gateways drop it): the stored size and ETag must be what this PUT
 * made before it counts as verified, as after a multipart Complete.
 */
async function checkSizeAndEtag(put: SinglePut, etag: string, requestId: string): Promise<void> {
  const { client, bucket, key, signal } = put;
  const head = await withRetries(() => callLinked(signal, (s) => client.headObject({ bucket, key, signal: s })), signal, put.retry);
  if (head.size === put.stat.size && head.etag === etag) return;
  // Another writer may have replaced the key since our PUT; only delete what is still ours.
  const ours = head.etag === etag;
  if (ours) await deleteQuietly(client, bucket, key);
  throw new TransferError(
    'SizeMismatch',
    `the object holds ${head.size} bytes with ETag ${head.etag}; this upload sent ${put.stat.size} bytes and PutObject answered ETag ${etag} (request id ${requestId})` +
      (ours ? '; the object was deleted' : '; the object was replaced by someone else in the meantime and was left alone'),
  );
}

export function splitContentType(headers: Record<string, string> | undefined): { contentType?: string; headers?: Record<string, string> } {
  if (!headers) return {};
  let contentType: string | undefined;
  const rest: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === 'content-type') contentType = v;
    else rest[k] = v;
  }
  return contentType === undefined ? { headers: rest } : { contentType, headers: rest };
}

export async function deleteQuietly(client: TransferClient, bucket: string, key: string): Promise<void> {
  await client.deleteObject({ bucket, key }).catch(() => undefined);
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

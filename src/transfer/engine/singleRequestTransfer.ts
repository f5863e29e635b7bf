// Small files in one request each (the batch layer's fast path), and the check the batch journal
// makes where it cannot tell whether a file made it: the object's size and CRC-64 against the file's.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { parseCrc64 } from '../../oss/crc/crc64.js';
import { localIoError } from '../localIoError.js';
import { TransferError } from '../transferError.js';
import { crc64OfFile } from './fileCrc64.js';
import { callLinked } from './linkedSignal.js';
import { DEFAULT_RETRY, abortedError, asOssError, withRetries } from './retryPolicy.js';
import type { TransferClient } from './transferClient.js';

export { uploadSmallFile } from './singleRequestUpload.js';
export { downloadSmallFile } from './singleRequestDownload.js';
export type { SmallTransferOptions } from './smallTransferOptions.js';

export interface RemoteMatchOptions {
  bucket: string;
  key: string;
  /** the local file */
  file: string;
  signal?: AbortSignal;
}

/**
 * True when the object exists with the local file's size and CRC-64 (the file read once, only when
 * the sizes agree); false when it is missing, differs, or carries no CRC-64 to compare. A local
 * file that cannot be read is an error, not a "no".
 */
export async function remoteMatchesLocal(client: TransferClient, opts: RemoteMatchOptions): Promise<boolean> {
  return (await remoteCopyOfLocal(client, opts)) !== undefined;
}

/**
 * The object's ETag and CRC-64 when it is the local file (the same check as remoteMatchesLocal),
 * else undefined: what an upload found already on the server reports as its outcome.
 */
export async function remoteCopyOfLocal(client: TransferClient, opts: RemoteMatchOptions): Promise<{ etag: string; crc64: string } | undefined> {
  const file = path.resolve(opts.file);
  const st = await fsp.stat(file).catch((err: unknown) => {
    throw localIoError(err, 'reading', file);
  });
  if (!st.isFile()) throw new TransferError('InvalidArgument', `${file} is not a regular file`);
  let head;
  try {
    head = await withRetries(
      () => callLinked(opts.signal, (signal) => client.headObject({ bucket: opts.bucket, key: opts.key, signal })),
      opts.signal,
      DEFAULT_RETRY,
    );
  } catch (err) {
    if (asOssError(err)?.code === 'NoSuchKey') return undefined;
    throw err;
  }
  if (head.size !== st.size || head.crc64 === undefined) return undefined;
  const crc = await crc64OfFile(file, opts.signal).catch((err: unknown) => {
    if (opts.signal?.aborted) throw abortedError(opts.signal);
    throw localIoError(err, 'reading', file);
  });
  return crc === parseCrc64(head.crc64) ? { etag: head.etag, crc64: crc.toString() } : undefined;
}

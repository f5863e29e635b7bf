// The local side of every upload request, shared by the part engine and the single PutObject of
// a small file: the source measured before it is read, and one region of it sent as a request
// body with the CRC-64 of the bytes that actually went out.
import { promises as fsp, type Stats } from 'node:fs';
import { localIoError } from '../localIoError.js';
import type { BandwidthLimit } from '../pacing/bandwidthLimit.js';
import { TransferError } from '../transferError.js';
import { FileRegionChunks, type ReadBufferPool } from './fileRegionChunks.js';
import { linkedSignal } from './linkedSignal.js';
import type { PartRange } from './partPlan.js';
import type { ProgressMeter } from './progressMeter.js';

/** The upload's source: a regular file, measured now (its size and mtime are the baseline for "changed"). */
export async function statSource(file: string): Promise<Stats> {
  let st: Stats;
  try {
    st = await fsp.stat(file);
  } catch (err) {
    throw localIoError(err, 'reading', file);
  }
  if (!st.isFile()) throw new TransferError('InvalidArgument', `${file} is not a regular file`);
  return st;
}

export interface RegionSource {
  file: string;
  meter: ProgressMeter;
  buffers: ReadBufferPool;
  /** A bandwidth cap the chunks wait for before they go, and where the bytes sent are reported (the link's pacer). */
  pacing?: { readonly limit: BandwidthLimit | undefined; moved(bytes: number): void };
}

/**
 * One attempt at sending one region of the file: hands its chunks to `send` with its own child
 * signal and progress, and returns the response with the CRC-64 of the bytes that went out. A
 * failed read of the file is reported as such, not as whatever the client made of the broken body.
 */
export async function sendRegion<R>(
  src: RegionSource,
  part: PartRange,
  signal: AbortSignal | undefined,
  send: (body: FileRegionChunks | Buffer, signal: AbortSignal, onUploadProgress: (n: number) => void) => Promise<R>,
): Promise<{ res: R; crc: bigint }> {
  const buffers = src.buffers.take();
  const link = linkedSignal(signal);
  const limit = src.pacing?.limit;
  const chunks = new FileRegionChunks(src.file, part.start, part.length, buffers, limit && ((n) => limit.take(n, link.signal)));
  let ok = false;
  try {
    // An empty region goes as an empty buffer: undici refuses zero-length iterables on busy sockets.
    let sent = 0;
    const progress = (n: number): void => {
      src.pacing?.moved(n - sent);
      sent = n;
      src.meter.partAdvance(part.partNumber, n);
    };
    const res = await send(part.length === 0 ? Buffer.alloc(0) : chunks, link.signal, progress);
    if (chunks.readError) throw localIoError(chunks.readError, 'reading', src.file);
    if (chunks.bytes !== part.length) throw new TransferError('FileChanged', `${src.file} is shorter than when the upload began`);
    ok = true;
    return { res, crc: chunks.crc.value };
  } catch (err) {
    src.meter.partFailed(part.partNumber);
    if (chunks.readError && !(err instanceof TransferError)) throw localIoError(chunks.readError, 'reading', src.file);
    // The file ended inside the region (it shrank): the client only saw a short body.
    if (chunks.truncated && !(err instanceof TransferError)) {
      throw new TransferError('FileChanged', `${src.file} is shorter than when the upload began`, { cause: err });
    }
    throw err;
  } finally {
    link.dispose();
    await chunks.close();
    // After a failed request a socket being torn down may still point at these bytes: drop them.
    if (ok) src.buffers.give(buffers);
  }
}

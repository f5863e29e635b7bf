// Drains one ranged GET's body into its place in the temporary file, checksumming as it goes.
//
// Why events and not `for await`: a Readable's async iterator calls read() with no size, which
// hands back everything buffered as ONE new buffer (a concatenation, i.e. an allocation and a copy
// of most of the body). Flowing mode passes the socket's chunks through as they are; the stream is
// paused while a batch is written, which is the same backpressure the iterator gave.
//
// What arrived is kept: when the body fails (a cut, a cancel) the bytes already received are still
// written before the promise settles, and `written` tells the caller after every write how far the
// part got and the CRC-64 of that prefix, so a later attempt can fetch only the rest.
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { FastCrc64 } from '../../oss/crc/crc64Wasm.js';

export interface PartSink {
  /** Writes `bufs` (in order) at `position` of the file; must write them whole or throw. */
  write(bufs: Buffer[], bytes: number, position: number): Promise<void>;
  /** Cumulative bytes received for this part (progress). */
  progress(received: number): void;
  /** The error for a body longer than the part. */
  tooLong(): Error;
  /** After each write: the first `bytes` bytes from `start` are written and their CRC-64 is `crc`. */
  written?(bytes: number, crc: bigint): void;
  /**
   * A bandwidth cap: grants `bytes` just received and says how many ms to wait before reading on
   * (the body stays paused meanwhile, so the sender is held back by TCP's window).
   */
  pace?(bytes: number): number;
}

/**
 * Resolves with the part's CRC-64 and byte count once the body ended and every byte is written.
 * Rejects with the body's error, the sink's error, or `tooLong()`, after writing what was received
 * before it (unless writing is what failed); the body is then left to the caller to destroy.
 * `holdMs` > 0: received bytes wait at most that long for their write even when the batch is not
 * full, so a slow or stalled body still reaches the file (and `written`) soon.
 */
export function drainPartBody(
  body: Readable,
  start: number,
  length: number,
  batchBytes: number,
  sink: PartSink,
  holdMs = 0,
): Promise<{ crc: bigint; received: number }> {
  return new Promise((resolve, reject) => {
    const crc = new FastCrc64();
    let received = 0;
    let position = start;
    let batch: Buffer[] = [];
    let pending = 0;
    let writtenBytes = 0;
    // Writes run one after another; `writing` is the tail of that chain.
    let writing: Promise<void> = Promise.resolve();
    let settled = false;
    let ended = false;
    let holdTimer: NodeJS.Timeout | undefined;
    // Reasons the body is paused (a batch being written, a bandwidth wait); it reads on when none is left.
    let holds = 0;
    let paceTimer: NodeJS.Timeout | undefined;
    let paceUntil = 0;
    const hold = (): void => {
      if (holds++ === 0) body.pause();
    };
    const letGo = (): void => {
      if (--holds === 0 && !settled && !ended) body.resume();
    };

    const cleanup = (): void => {
      if (holdTimer) clearTimeout(holdTimer);
      holdTimer = undefined;
      if (paceTimer) clearTimeout(paceTimer);
      paceTimer = undefined;
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', fail);
      body.off('close', onClose);
      // An error the body emits later (the caller destroys it) must not become an uncaught one.
      body.on('error', () => undefined);
    };
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      cleanup();
      body.pause();
      // What arrived before the failure is good data of this range: written too (skipped if the
      // write chain already failed). Only once that settled: nothing may write after this returns.
      void flush();
      writing.then(
        () => reject(err),
        () => reject(err),
      );
    };
    const flush = (): Promise<void> => {
      if (holdTimer) clearTimeout(holdTimer);
      holdTimer = undefined;
      if (pending === 0) return writing;
      const bufs = batch;
      const n = pending;
      const at = position;
      // The CRC so far covers exactly the bytes up to the end of this batch.
      const crcThrough = crc.value;
      batch = [];
      pending = 0;
      position += n;
      writing = writing.then(async () => {
        await sink.write(bufs, n, at);
        writtenBytes += n;
        sink.written?.(writtenBytes, crcThrough);
      });
      return writing;
    };
    function onData(chunk: Buffer): void {
      if (settled) return;
      if (received + chunk.length > length) return fail(sink.tooLong());
      crc.update(chunk);
      received += chunk.length;
      batch.push(chunk);
      pending += chunk.length;
      sink.progress(received);
      if (pending >= batchBytes) {
        hold();
        flush().then(letGo, fail);
      } else if (holdMs > 0 && !holdTimer) {
        holdTimer = setTimeout(() => {
          holdTimer = undefined;
          if (!settled) flush().then(undefined, fail);
        }, holdMs);
        holdTimer.unref?.();
      }
      const wait = sink.pace?.(chunk.length) ?? 0;
      if (wait > 0) {
        paceUntil = Math.max(paceUntil, performance.now() + wait);
        if (!paceTimer) {
          hold();
          waitForPace();
        }
      }
    }
    // Until the cap allows the bytes received so far; a chunk that arrived meanwhile moves the end.
    function waitForPace(): void {
      paceTimer = setTimeout(() => {
        paceTimer = undefined;
        if (settled) return;
        if (performance.now() < paceUntil - 1) return waitForPace();
        letGo();
      }, Math.max(1, Math.ceil(paceUntil - performance.now())));
    }
    function onEnd(): void {
      ended = true;
      flush().then(() => {
        if (settled) return;
        settled = true;
        cleanup();
        resolve({ crc: crc.value, received });
      }, fail);
    }
    function onClose(): void {
      // Destroyed without an error and without an end: the body was cut short.
      if (!ended) fail(Object.assign(new Error('the response body closed before it ended'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    }
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', fail);
    body.once('close', onClose);
  });
}

/**
 * Writes `bufs` (`bytes` in all) at `position`, whole. A short write (the disk filling up mid-call)
 * must not leave a silent hole: the CRC is computed over what was received, so finish or fail.
 */
export async function writeAllAt(fh: FileHandle, bufs: Buffer[], bytes: number, position: number): Promise<void> {
  const { bytesWritten } = await fh.writev(bufs, position);
  if (bytesWritten >= bytes) return;
  const rest = Buffer.concat(bufs).subarray(bytesWritten);
  for (let off = 0; off < rest.length; ) {
    const { bytesWritten: n } = await fh.write(rest, off, rest.length - off, position + bytesWritten + off);
    if (n === 0) throw Object.assign(new Error('no space left on device (short write)'), { code: 'ENOSPC' });
    off += n;
  }
}

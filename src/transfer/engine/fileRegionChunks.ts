// One region of a file as the chunks of an upload request body, checksummed as they are read.
//
// The chunks are read by position into two buffers that take turns (see ChunkSource in
// src/oss/types.ts: the client asks for chunk k + 1 only once chunk k has left for the socket, so
// while chunk k + 1 is sent, chunk k + 2 can be read into chunk k's buffer). Allocating a fresh
// 1 MiB buffer per chunk instead cost a V8 mark-compact every ~25 MiB (their external memory) and
// page faults on every new buffer: about 15 % of the upload's CPU in the benchmark.
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { CHUNK_REUSE_MIN_BYTES } from '../../oss/http/chunkMeter.js';
import { FastCrc64 } from '../../oss/crc/crc64Wasm.js';
import type { ChunkSource } from '../../oss/types.js';

/** Bytes per read: large reads keep syscalls few; two per part in flight. */
export const READ_SIZE = 1024 * 1024;

/**
 * Buffer pairs for the parts of one transfer: a part takes a pair and gives it back after a
 * successful request, so `parallel` pairs serve the whole file. A pair from a failed request is
 * dropped, not reused: whatever still held its bytes (a socket being torn down) can keep them.
 */
export class ReadBufferPool {
  private readonly free: Buffer[][] = [];

  /**
   * `regionBytes`: the largest region read through this pool. One that fits in a single read gets
   * one buffer of just its size: a small file's PUT then does not allocate 2 MiB it never uses.
   */
  constructor(private readonly regionBytes = Infinity) {}

  take(): Buffer[] {
    if (this.regionBytes <= READ_SIZE) return this.free.pop() ?? [Buffer.allocUnsafe(this.regionBytes)];
    return this.free.pop() ?? [Buffer.allocUnsafe(READ_SIZE), Buffer.allocUnsafe(READ_SIZE)];
  }

  give(pair: Buffer[]): void {
    this.free.push(pair);
  }
}

export class FileRegionChunks implements ChunkSource {
  readonly crc = new FastCrc64();
  /** Bytes handed out so far. */
  bytes = 0;
  /** The file ended inside the region (it shrank since it was measured). */
  truncated = false;
  /** The first error reading the file, kept so the caller can report it as a local I/O error. */
  readError: unknown;
  private handle: Promise<FileHandle> | undefined;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly start: number,
    private readonly length: number,
    private readonly buffers: Buffer[],
    /** Waits before each chunk goes (a bandwidth cap); rejects to abort the request. */
    private readonly pace?: (bytes: number) => Promise<void>,
  ) {
    // Every chunk but a region's last fills a whole buffer, so buffers this large keep the reuse
    // safe. A region that fits in the first buffer is one chunk: nothing is reused.
    const oneRead = buffers.length >= 1 && length <= buffers[0]!.length;
    if (!oneRead && (buffers.length < 2 || buffers.some((b) => b.length < CHUNK_REUSE_MIN_BYTES))) {
      throw new TypeError(`FileRegionChunks needs two buffers of at least ${CHUNK_REUSE_MIN_BYTES} bytes, or one that holds the region`);
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.length === 0) return;
    const fh = await this.open();
    let offset = 0; // bytes read so far
    let turn = 0;
    const readAt = async (buf: Buffer, at: number): Promise<{ chunk: Buffer; wanted: number }> => {
      const wanted = Math.min(buf.length, this.length - at);
      const { bytesRead } = await fh.read(buf, 0, wanted, this.start + at);
      return { chunk: buf.subarray(0, bytesRead), wanted };
    };
    let next: Promise<{ chunk: Buffer; wanted: number }> | undefined = readAt(this.buffers[0]!, 0);
    try {
      while (next) {
        let chunk: Buffer;
        let wanted: number;
        try {
          ({ chunk, wanted } = await next);
        } catch (err) {
          this.readError ??= err;
          throw err;
        }
        if (this.closed) return;
        if (chunk.length === 0) {
          this.truncated = true;
          return; // the client reports the short body; the engine says which file changed
        }
        offset += chunk.length;
        this.crc.update(chunk);
        this.bytes += chunk.length;
        if (chunk.length < wanted) {
          // A regular file reads short only at its end: it shrank inside the region.
          this.truncated = true;
          next = undefined;
          await this.pace?.(chunk.length);
          yield chunk;
          return;
        }
        // Read ahead into the other buffer: it held the previous chunk (a whole buffer's worth),
        // which the client has sent, since it asked for this one.
        next = offset < this.length ? readAt(this.buffers[++turn % 2]!, offset) : undefined;
        await this.pace?.(chunk.length);
        yield chunk;
      }
    } finally {
      // A read ahead still in flight must finish before the descriptor goes (close waits for it).
      await next?.catch(() => undefined);
    }
  }

  /** Closes the file; safe to call at any time, also while a read is in flight, and twice. */
  async close(): Promise<void> {
    this.closed = true;
    const h = this.handle;
    this.handle = undefined;
    if (h) await h.then((fh) => fh.close(), () => undefined).catch(() => undefined);
  }

  private open(): Promise<FileHandle> {
    if (this.closed) throw new Error('the file region was closed');
    this.handle ??= fsp.open(this.file, 'r').catch((err: unknown) => {
      this.readError ??= err;
      throw err;
    });
    return this.handle;
  }
}

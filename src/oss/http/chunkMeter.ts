// The chunk-source counterpart of the transport's UploadMeter: counts request-body bytes as undici
// takes them (progress), checks the declared length, notices a body that stops moving, and keeps
// the producer's own error apart from network errors.
//
// Why chunk sources at all: undici writes an async iterable chunk by chunk and asks for the next
// chunk only after socket.write() returned true or the socket drained. A chunk at least as large
// as the socket's high-water mark (undici sets 64 KiB for plain HTTP; Node's default is 16 KiB)
// always makes write() return false, so by the time the next chunk is requested that one has been
// handed to the kernel (TLS encrypts it into its own buffers on write). This rests on undici 7's
// writeIterable; test/integration/ossClientTransport.test.ts fails if the client ever reads ahead. A producer can therefore read a
// file into two reused buffers instead of allocating a fresh 1 MiB buffer per chunk, whose
// external memory made V8 run a mark-compact every ~25 MiB uploaded.
import { IdleTimer } from './idleTimer.js';
import type { SpeedFloor } from './speedFloor.js';
import type { ChunkSource } from '../types.js';

/**
 * Chunks at least this large may be reused by their producer once the next chunk is requested:
 * four times undici's socket high-water mark, for margin.
 */
export const CHUNK_REUSE_MIN_BYTES = 256 * 1024;

export class ChunkMeter implements AsyncIterable<Uint8Array> {
  sourceError: unknown;
  private sent = 0;
  private stopped = false;
  private readonly idle: IdleTimer;

  constructor(
    private readonly source: ChunkSource,
    private readonly expected: number,
    idleMs: number,
    onIdle: () => void,
    private readonly onProgress?: (n: number) => void,
    /** Starts with the first chunk asked for (not while connecting); our own file reads are held out. */
    private readonly floor?: SpeedFloor,
  ) {
    this.idle = new IdleTimer(idleMs, onIdle);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    const it = this.source[Symbol.asyncIterator]();
    this.arm();
    try {
      for (;;) {
        let step: IteratorResult<Uint8Array>;
        this.floor?.hold();
        try {
          step = await it.next();
        } catch (err) {
          this.sourceError = err;
          throw err;
        }
        if (step.done) break;
        if (!this.stopped) this.floor?.release();
        const chunk = step.value;
        this.floor?.add(chunk.byteLength);
        this.sent += chunk.byteLength;
        if (this.sent > this.expected) throw new TypeError(`request body is longer than its declared length ${this.expected}`);
        this.arm();
        this.onProgress?.(this.sent);
        yield chunk;
        if (this.stopped) return;
      }
      if (this.sent !== this.expected) throw new TypeError(`request body ended after ${this.sent} of its declared ${this.expected} bytes`);
    } finally {
      this.idle.disarm();
      this.floor?.stop();
      // Ended early (an answer before the whole body, an abort): let the producer let go too.
      await it.return?.().catch(() => undefined);
    }
  }

  /** The request is over: no more chunks are wanted, and the idle watch ends. */
  stop(): void {
    this.stopped = true;
    this.idle.disarm();
    this.floor?.stop();
  }

  private arm(): void {
    if (!this.stopped) this.idle.arm();
  }
}

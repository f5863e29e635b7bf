// Turns a BodyInput (bytes, string, stream, file region) into what the HTTP layer sends: a
// length known up front (OSS needs Content-Length) and, for anything large, a stream that is
// read as the socket drains - a multi-GB part never sits in memory.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { BodyInput, ChunkSource, FileBody } from '../types.js';

/** Read size for files: large reads keep syscalls and stream hops few at high throughput. */
export const FILE_HIGH_WATER_MARK = 1024 * 1024;
/** In-memory bodies are handed out in slices this big, so progress and idle checks see them move. */
const BUFFER_SLICE = 256 * 1024;

export interface PreparedBody {
  length: number;
  /** Opens the bytes once. Buffers are small and resent as is; everything else is a stream or chunk source. */
  open(): Buffer | Readable | ChunkSource;
  /** What was given, for messages. */
  describe: string;
  /** True when open() may be called again for a second attempt (buffers and file regions; never streams). */
  reopenable: boolean;
}

export function isFileBody(b: unknown): b is FileBody {
  return (
    typeof b === 'object' &&
    b !== null &&
    !(b instanceof Uint8Array) &&
    !(b instanceof Readable) &&
    typeof (b as FileBody).file === 'string'
  );
}

/** An async iterable that is not a Node stream (streams are async iterable too). */
export function isChunkSource(b: unknown): b is ChunkSource {
  return typeof b === 'object' && b !== null && !(b instanceof Readable) && typeof (b as ChunkSource)[Symbol.asyncIterator] === 'function';
}

function checkLength(n: number | undefined, what: string): void {
  if (n !== undefined && (!Number.isSafeInteger(n) || n < 0)) {
    throw new TypeError(`${what} must be a non-negative whole number, got ${n}`);
  }
}

/** Slices a buffer into a stream (for progress reporting on large in-memory bodies). */
export function bufferStream(buf: Buffer): Readable {
  let offset = 0;
  return new Readable({
    highWaterMark: BUFFER_SLICE,
    read() {
      if (offset >= buf.length) {
        this.push(null);
        return;
      }
      const end = Math.min(buf.length, offset + BUFFER_SLICE);
      const chunk = buf.subarray(offset, end);
      offset = end;
      this.push(chunk);
    },
  });
}

/**
 * Validates the input and fixes its length. Throws TypeError on bad input (missing length for a
 * stream, a file region beyond the end of the file, a length that contradicts the data).
 */
export async function prepareBody(body: BodyInput, contentLength?: number): Promise<PreparedBody> {
  checkLength(contentLength, 'contentLength');
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    if (contentLength !== undefined && contentLength !== buf.length) {
      throw new TypeError(`contentLength ${contentLength} does not match the ${buf.length}-byte body`);
    }
    return { length: buf.length, open: () => buf, describe: `${buf.length}-byte buffer`, reopenable: true };
  }
  // A stream or a chunk source can be read only once; a retry must come with a fresh one.
  if (body instanceof Readable) return singleUse(body, contentLength, 'stream');
  if (isChunkSource(body)) return singleUse(body, contentLength, 'chunk source');
  if (isFileBody(body)) return prepareFileBody(body, contentLength);
  throw new TypeError('body must be a Buffer, Uint8Array, string, Readable, async iterable of chunks or { file, start?, length? }');
}

function singleUse(body: Readable | ChunkSource, contentLength: number | undefined, what: string): PreparedBody {
  if (contentLength === undefined) throw new TypeError(`a ${what} body needs contentLength (OSS requires Content-Length)`);
  let opened = false;
  return {
    length: contentLength,
    open: () => {
      if (opened) throw new TypeError(`a ${what} body cannot be sent twice`);
      opened = true;
      return body;
    },
    describe: what,
    reopenable: false,
  };
}

async function prepareFileBody(body: FileBody, contentLength?: number): Promise<PreparedBody> {
  const start = body.start ?? 0;
  checkLength(start, 'file body start');
  checkLength(body.length, 'file body length');
  let size: number;
  try {
    const st = await stat(body.file);
    if (!st.isFile()) throw new TypeError(`${body.file} is not a regular file`);
    size = st.size;
  } catch (e) {
    if (e instanceof TypeError) throw e;
    throw new TypeError(`cannot read ${body.file}: ${(e as Error).message}`);
  }
  if (start > size) throw new TypeError(`file body start ${start} is past the end of ${body.file} (${size} bytes)`);
  const length = body.length ?? size - start;
  if (start + length > size) {
    throw new TypeError(`file body ${start}+${length} runs past the end of ${body.file} (${size} bytes)`);
  }
  if (contentLength !== undefined && contentLength !== length) {
    throw new TypeError(`contentLength ${contentLength} does not match the file region length ${length}`);
  }
  return {
    length,
    open: () =>
      length === 0
        ? Buffer.alloc(0)
        : createReadStream(body.file, { start, end: start + length - 1, highWaterMark: FILE_HIGH_WATER_MARK }),
    describe: `${body.file} [${start}, ${start + length})`,
    reopenable: true,
  };
}

// The CRC-64/ECMA of a local file, read once in large chunks: how a file already on disk is
// compared with an object's x-oss-hash-crc64ecma.
import { createReadStream } from 'node:fs';
import { FastCrc64 } from '../../oss/crc/crc64Wasm.js';

const READ_CHUNK = 1024 * 1024;

/** Rejects with the read's own error (the caller decides what a missing file means). */
export async function crc64OfFile(file: string, signal?: AbortSignal): Promise<bigint> {
  const crc = new FastCrc64();
  for await (const chunk of createReadStream(file, { highWaterMark: READ_CHUNK, signal })) crc.update(chunk as Buffer);
  return crc.value;
}

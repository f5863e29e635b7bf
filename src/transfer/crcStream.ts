// A pass-through stream that computes CRC-64 and counts bytes as they flow, so a part's checksum
// is ready when the request ends without holding the part in memory.
import { Transform, type TransformCallback } from 'node:stream';
import { FastCrc64 } from '../oss/crc64Wasm.js';

export class CrcPassThrough extends Transform {
  readonly crc = new FastCrc64();
  bytes = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.crc.update(chunk);
    this.bytes += chunk.length;
    cb(null, chunk);
  }
}

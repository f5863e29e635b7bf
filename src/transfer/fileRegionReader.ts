// One region of a file as a stream that checksums what it hands out. It reads by position
// straight into fresh buffers and updates the CRC-64 in the same step, so an upload part costs one
// stream hop instead of a file stream piped through a checksumming transform (two hops and a
// pipeline per chunk), which showed up as CPU the test server's thread needed on a 2-core machine.
import { close, open, read } from 'node:fs';
import { Readable } from 'node:stream';
import { FastCrc64 } from '../oss/crc64Wasm.js';

/** Bytes per read: large reads keep syscalls and stream hops few; one in flight per part. */
const READ_SIZE = 1024 * 1024;

export class FileRegionReader extends Readable {
  readonly crc = new FastCrc64();
  /** Bytes handed to the consumer so far. */
  bytes = 0;
  /** The file ended inside the region (it shrank since it was measured). */
  truncated = false;
  /** The first error reading the file, kept so the caller can report it as a local I/O error. */
  readError: unknown;
  private fd: number | undefined;
  private opening = false;
  private stopped = false;
  /** A read in flight holds the descriptor: closing it then could let a new open reuse the number. */
  private reading = false;
  private closeWhenIdle: (() => void) | undefined;

  constructor(
    private readonly file: string,
    private readonly start: number,
    private readonly length: number,
  ) {
    // One read ahead is enough: the socket drains at network speed, reads come from the page cache.
    super({ highWaterMark: READ_SIZE });
  }

  override _read(): void {
    if (this.bytes >= this.length) {
      this.push(null);
      return;
    }
    if (this.fd === undefined) {
      if (this.opening) return;
      this.opening = true;
      open(this.file, 'r', (err, fd) => {
        this.opening = false;
        if (err) return this.fail(err);
        if (this.stopped) return close(fd, () => undefined);
        this.fd = fd;
        this._read();
      });
      return;
    }
    const want = Math.min(READ_SIZE, this.length - this.bytes);
    const buf = Buffer.allocUnsafe(want);
    this.reading = true;
    read(this.fd, buf, 0, want, this.start + this.bytes, (err, n) => {
      this.reading = false;
      if (this.closeWhenIdle) return this.closeWhenIdle();
      if (err) return this.fail(err);
      if (n === 0) {
        this.truncated = true;
        this.push(null);
        return;
      }
      const chunk = n === want ? buf : buf.subarray(0, n);
      this.crc.update(chunk);
      this.bytes += n;
      this.push(chunk);
    });
  }

  private fail(err: Error): void {
    this.readError ??= err;
    this.destroy(err);
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.stopped = true;
    const fd = this.fd;
    this.fd = undefined;
    if (fd === undefined) return cb(err);
    const finish = (): void => close(fd, () => cb(err));
    if (this.reading) this.closeWhenIdle = finish;
    else finish();
  }
}

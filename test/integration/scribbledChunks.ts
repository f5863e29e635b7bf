// A test producer that dares the client to hold on to a chunk: it overwrites each chunk's buffer
// as soon as the client asks for the next one, and a matching request handler that checks every
// received byte against the pattern. Any chunk the client still held would arrive scribbled.
import type { IncomingMessage, ServerResponse } from 'node:http';

const SCRIBBLE = 0xee;

export interface ScribbleCheck {
  /** An async-iterable body of `count` chunks of `chunkBytes`, from two reused buffers. */
  source: AsyncIterable<Uint8Array>;
  /** Request handler: reads slowly (so the client's socket stays full) and records a verdict. */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  /** `ok <bytes>` once the body was intact, `corrupt at <offset>` otherwise. */
  verdict: () => string;
}

export function scribbledChunks(chunkBytes: number, count: number): ScribbleCheck {
  const pattern = (i: number) => (i * 7 + 1) % 251; // never SCRIBBLE
  let verdict = '';
  const buffers = [Buffer.alloc(chunkBytes), Buffer.alloc(chunkBytes)];
  return {
    source: {
      async *[Symbol.asyncIterator]() {
        for (let i = 0; i < count; i++) {
          const buf = buffers[i % 2]!;
          buf.fill(pattern(i));
          yield buf;
          buf.fill(SCRIBBLE); // the client asked for the next chunk: this buffer is ours again
        }
      },
    },
    handler: (req, res) => {
      let at = 0;
      let bad = -1;
      req.on('data', (c: Buffer) => {
        for (let k = 0; k < c.length; k++, at++) if (bad < 0 && c[k] !== pattern(Math.floor(at / chunkBytes))) bad = at;
        req.pause();
        setTimeout(() => req.resume(), 1);
      });
      req.on('end', () => {
        verdict = bad < 0 ? `ok ${at}` : `corrupt at ${bad}`;
        res.writeHead(200, { etag: '"x"' }).end();
      });
    },
    verdict: () => verdict,
  };
}

// How much of an XML success body the client takes into memory, enforced while the body streams
// in: past a limit it stops reading and closes the connection, so a hostile or broken server
// cannot make it buffer hundreds of megabytes, or feed the parser a document that costs it far
// more (the fast-xml-parser we used before built text one character at a time: 16 MiB of one text
// node took 570 MB and 8 s). Within all three limits below the worst document measured (199,000
// tags, then 16 MiB of 64 KiB text nodes) costs our reader, xmlTree.ts, 23 MB and 73 ms on a
// 2-core machine.
import type { Readable } from 'node:stream';

export interface BodyLimits {
  /**
   * Bytes of one document. The largest OSS sends are full pages of 1000 entries: a key is at most
   * 1023 bytes of UTF-8 and with encoding-type=url (always asked for) each byte may become three
   * characters, so a ListObjectsV2 page of 1000 such keys with owners, ETags and dates is 3.4 MB
   * (test/hostile/responseBodies.test.ts builds one); ListMultipartUploads and DeleteMultipleObjects
   * results carry the same keys with less around them, ListParts pages of 1000 parts are about
   * 0.25 MB. 16 MiB is more than four times the largest.
   */
  bytes: number;
  /**
   * '<' characters: every element, comment or declaration costs at least one. An entry of the
   * richest page (ListObjectsV2 with owner) has 11 elements, 22 tags, so a 1000-entry page has
   * about 22,000; 200,000 is nine times that.
   */
  tags: number;
  /**
   * Bytes in a row without a '<': the longest text node. The longest text OSS sends is a
   * url-encoded key (at most 3069 characters) or a continuation token built from one; 64 KiB is
   * twenty times that, and stops whitespace padding long before the byte limit.
   */
  run: number;
}

export const XML_BODY_LIMITS: Readonly<BodyLimits> = { bytes: 16 * 1024 * 1024, tags: 200_000, run: 64 * 1024 };

/** What the fullest real OSS document has of each measure, for the error message. */
const REAL_OSS: Record<keyof BodyLimits, string> = {
  bytes: 'the fullest OSS pages are under 4 MiB',
  tags: 'the fullest OSS pages have about 22000',
  run: 'the longest OSS text, a url-encoded key, is about 3 KiB',
};

/** A body went past one of its limits; the client reports it as OssError 'InvalidResponse'. */
export class BodyLimitError extends Error {
  override readonly name = 'BodyLimitError';
  constructor(
    readonly exceeded: keyof BodyLimits,
    readonly limit: number,
  ) {
    super(
      exceeded === 'bytes'
        ? `the response body is larger than ${formatBytes(limit)}`
        : exceeded === 'tags'
          ? `the response holds more than ${limit} XML tags`
          : `the response has more than ${formatBytes(limit)} in a row without an XML tag`,
    );
  }
}

/** The InvalidResponse message: what went past which limit, and how far that is from real OSS. */
export function bodyLimitMessage(e: BodyLimitError, operation: string): string {
  const verb = e.exceeded === 'bytes' ? 'reads' : 'parses';
  return `${e.message}, the most this client ${verb} in one ${operation} response (${REAL_OSS[e.exceeded]}); reading stopped`;
}

/** `16 MiB`, `64 KiB`, or the exact byte count. */
function formatBytes(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

const LT = 0x3c;

/** Counts what the limits measure as chunks arrive; throws BodyLimitError past a limit. */
class BodyMeter {
  private bytes = 0;
  private tags = 0;
  /** Bytes since the last '<', carried across chunks. */
  private run = 0;

  constructor(private readonly limits: BodyLimits) {}

  add(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limits.bytes) throw new BodyLimitError('bytes', this.limits.bytes);
    let from = 0;
    for (let i = chunk.indexOf(LT); i !== -1; i = chunk.indexOf(LT, i + 1)) {
      if (this.run + (i - from) > this.limits.run) throw new BodyLimitError('run', this.limits.run);
      if (++this.tags > this.limits.tags) throw new BodyLimitError('tags', this.limits.tags);
      this.run = 0;
      from = i + 1;
    }
    this.run += chunk.length - from;
    if (this.run > this.limits.run) throw new BodyLimitError('run', this.limits.run);
  }

  get total(): number {
    return this.bytes;
  }
}

/**
 * Reads a whole text body within `limits`. Past one it destroys the body (which aborts the request
 * and closes its socket) and throws BodyLimitError; the chunks are joined only once all arrived.
 * Errors of the body stream itself pass through.
 */
export async function readBoundedText(body: Readable, limits: BodyLimits = XML_BODY_LIMITS): Promise<string> {
  const meter = new BodyMeter(limits);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer>) {
    try {
      meter.add(chunk);
    } catch (e) {
      body.destroy();
      throw e;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, meter.total).toString('utf8');
}

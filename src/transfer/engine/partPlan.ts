// How an object is cut into parts and how many move at once. OSS allows at most 10,000 parts
// and every part but the last must be at least 100 KB, so a given part size is raised (never
// lowered below what the caller asked) when the file would need more parts than that.
import { TransferError } from '../transferError.js';

export const MIN_PART_SIZE = 100 * 1024;
export const MAX_PART_SIZE = 5 * 1024 * 1024 * 1024;
export const MAX_PARTS = 10_000;
const MiB = 1024 * 1024;
/**
 * Default floors, from the benchmark: big enough that per-request overhead is negligible on a
 * fast link. Downloads flush the temp file before recording each part, so fewer, larger parts
 * cost less there; uploads keep 8 MiB, which is also the single-PutObject threshold.
 */
export const DEFAULT_MIN_PART_SIZE = 8 * MiB;
export const DEFAULT_MIN_DOWNLOAD_PART_SIZE = 16 * MiB;

// A handful of streams fills a fast link. On a real one, each stream is held to its window over the
// round trip, so parallel parts add up where one stream cannot. Measured with npm run bench: with
// the test server in memory, downloads on this 2-core machine ran as fast with 5 streams of 16 MiB
// as with 3 or 4 (360-560 MB/s, within noise), while through the emulated WAN
// (BENCH_WAN=30ms,25MB, 1 GiB) speed follows the count: 67 MB/s with 3, 90 with 4, 111 with 5.
// (An earlier reading, that more than 4 slowed downloads, came from a server on the same disk.)
export const DEFAULT_UPLOAD_PARALLEL = 5;
export const DEFAULT_DOWNLOAD_PARALLEL = 5;
export const MAX_PARALLEL = 64;

/**
 * With no part size given, a multipart transfer is cut into about PLAN_PARTS parts of
 * MIN_AUTO_PART_SIZE to MAX_AUTO_PART_SIZE (more for a file that would need over 10,000): enough
 * parts for the adaptive concurrency to spread over and for an even ending, few enough that the idle
 * round trip between one part and the next costs little. Measured through an emulated 150 ms /
 * 4 MiB/s-a-connection / 60 MiB/s link, 1 GiB at 16 connections: 16 MiB parts (about 4 s each)
 * carried 90 % of the link, 8 MiB 88 %, 4 MiB 83 % (the gaps between parts outweigh the uneven
 * ending). A link already measured (the rate one request carried, from the LinkPacer) gets parts of
 * about PART_SECONDS each at that rate, when that is smaller. Under a bandwidth cap kept here, parts
 * hold at most CAPPED_PART_SECONDS of the cap: a download is paced as it is read, and what a
 * connection may hold ahead of the pacing is at most its part. Files up to the default part size
 * still go as one request (see choosePartSize).
 */
export const PLAN_PARTS = 64;
export const PART_SECONDS = 4;
export const CAPPED_PART_SECONDS = 0.1;
export const MIN_AUTO_PART_SIZE = 2 * MiB;
export const MAX_AUTO_PART_SIZE = 16 * MiB;

export function automaticPartSize(size: number, perRequestRate?: number, capBytesPerSecond?: number): number {
  assertSize(size);
  const forMaxParts = Math.ceil(size / MAX_PARTS);
  let wanted = Math.ceil(size / PLAN_PARTS / MiB) * MiB;
  if (perRequestRate !== undefined && perRequestRate > 0) wanted = Math.min(wanted, Math.ceil((perRequestRate * PART_SECONDS) / MiB) * MiB);
  if (capBytesPerSecond !== undefined && capBytesPerSecond > 0) wanted = Math.min(wanted, Math.ceil((capBytesPerSecond * CAPPED_PART_SECONDS) / MiB) * MiB);
  return Math.max(forMaxParts, Math.min(MAX_AUTO_PART_SIZE, Math.max(MIN_AUTO_PART_SIZE, wanted)));
}

export interface PartRange {
  /** 1-based, as in UploadPart */
  partNumber: number;
  start: number;
  length: number;
}

export function defaultPartSize(size: number, direction: 'upload' | 'download' = 'upload'): number {
  const forMaxParts = Math.ceil(Math.ceil(size / MAX_PARTS) / MiB) * MiB;
  return Math.max(direction === 'upload' ? DEFAULT_MIN_PART_SIZE : DEFAULT_MIN_DOWNLOAD_PART_SIZE, forMaxParts);
}

/** The part size to use: the caller's (validated, raised to fit 10,000 parts) or the default. */
export function choosePartSize(size: number, requested?: number, direction: 'upload' | 'download' = 'upload'): number {
  assertSize(size);
  if (requested === undefined) return defaultPartSize(size, direction);
  if (!Number.isSafeInteger(requested) || requested < MIN_PART_SIZE) {
    throw new TransferError('InvalidArgument', `partSize must be an integer of at least ${MIN_PART_SIZE} bytes (got ${requested})`);
  }
  if (requested > MAX_PART_SIZE) {
    throw new TransferError('InvalidArgument', `partSize must be at most ${MAX_PART_SIZE} bytes (got ${requested})`);
  }
  const minimumForCount = Math.ceil(size / MAX_PARTS);
  return Math.max(requested, minimumForCount);
}

export function chooseParallel(direction: 'upload' | 'download', requested?: number): number {
  if (requested === undefined) return direction === 'upload' ? DEFAULT_UPLOAD_PARALLEL : DEFAULT_DOWNLOAD_PARALLEL;
  if (!Number.isSafeInteger(requested) || requested < 1 || requested > MAX_PARALLEL) {
    throw new TransferError('InvalidArgument', `parallel must be an integer from 1 to ${MAX_PARALLEL} (got ${requested})`);
  }
  return requested;
}

export function partCount(size: number, partSize: number): number {
  return size === 0 ? 0 : Math.ceil(size / partSize);
}

/**
 * Why parts of `partSize` bytes (an earlier run's, read from its checkpoint) cannot carry an object
 * of `size` bytes, or undefined when they can. Beyond 10,000 parts, or with parts OSS refuses
 * (every part but the last at least MIN_PART_SIZE, none above MAX_PART_SIZE), the transfer could
 * never complete, so such a checkpoint is not resumed.
 */
export function partSizeProblem(size: number, partSize: number, shape: PartShape = 'even'): string | undefined {
  if (!Number.isSafeInteger(partSize) || partSize < 1) return `bad part size ${partSize}`;
  if (shape === 'tapered' && taperFloor(partSize) < MIN_PART_SIZE) return `part size ${partSize} is too small to taper`;
  const n = shape === 'tapered' ? (taperedParts(size, partSize)?.length ?? MAX_PARTS + 1) : partCount(size, partSize);
  if (n > MAX_PARTS) return `${n} parts exceed the limit of ${MAX_PARTS}`;
  if (n > 1 && partSize < MIN_PART_SIZE) return `part size ${partSize} is below the minimum of ${MIN_PART_SIZE} bytes`;
  if (partSize > MAX_PART_SIZE && size > MAX_PART_SIZE) return `part size ${partSize} is above the maximum of ${MAX_PART_SIZE} bytes`;
  return undefined;
}

/**
 * How an object is cut: `even` parts of `partSize` (the last one shorter), or `tapered`, where the
 * parts shrink toward the end. An upload part cannot be split once sent, so with even parts the last
 * wave ends unevenly: through a 150 ms / 4 MB/s-a-connection link, 16 MiB parts take about 4 s and
 * the last few ran nearly alone for 3.5 s of a 21.6 s upload of 1 GiB. Tapered parts follow guided
 * self-scheduling: each part is 1/TAPER_SLOTS of what is left (at most `partSize`, at least
 * taperFloor), so while one part is being sent there is still enough left to keep the other
 * connections busy, and the last ones are short. The shape is part of a checkpoint (its parts are
 * numbered by it), so these constants may never change for the shape named `tapered`.
 */
export type PartShape = 'even' | 'tapered';
export const TAPER_SLOTS = 16;
const TAPER_FLOOR = MiB;

/** The smallest part of a tapered plan (but the very last): an eighth of the part size, at least 1 MiB. */
function taperFloor(partSize: number): number {
  return Math.min(partSize, Math.max(TAPER_FLOOR, Math.ceil(partSize / 8)));
}

/** Every part of an object of `size` bytes; an empty object has none. */
export function planParts(size: number, partSize: number, shape: PartShape = 'even'): PartRange[] {
  assertSize(size);
  if (!Number.isSafeInteger(partSize) || partSize < 1) throw new TransferError('InvalidArgument', `bad part size ${partSize}`);
  const parts: PartRange[] = [];
  if (shape === 'even') {
    const n = partCount(size, partSize);
    if (n > MAX_PARTS) throw new TransferError('InvalidArgument', `${n} parts exceed the limit of ${MAX_PARTS}`);
    for (let i = 0; i < n; i++) {
      const start = i * partSize;
      parts.push({ partNumber: i + 1, start, length: Math.min(partSize, size - start) });
    }
    return parts;
  }
  const tapered = taperedParts(size, partSize);
  if (!tapered) throw new TransferError('InvalidArgument', `more than ${MAX_PARTS} parts`);
  return tapered;
}

/** The tapered plan, or undefined when it would need more than 10,000 parts. */
function taperedParts(size: number, partSize: number): PartRange[] | undefined {
  const floor = taperFloor(partSize);
  const parts: PartRange[] = [];
  for (let start = 0; start < size; ) {
    if (parts.length === MAX_PARTS) return undefined;
    const left = size - start;
    const length = Math.min(left, partSize, Math.max(floor, Math.ceil(left / TAPER_SLOTS)));
    parts.push({ partNumber: parts.length + 1, start, length });
    start += length;
  }
  return parts;
}

/**
 * The shape for a transfer whose part size was chosen automatically: tapered when its even parts
 * would be more than TAPER_SLOTS (fewer all run in the first wave, where a taper only adds
 * requests), unless the taper would take the object past 10,000 parts (only near OSS's largest
 * objects) or a part below OSS's minimum.
 */
export function automaticPartShape(size: number, partSize: number): PartShape {
  if (partCount(size, partSize) <= TAPER_SLOTS || taperFloor(partSize) < MIN_PART_SIZE) return 'even';
  return taperedParts(size, partSize) ? 'tapered' : 'even';
}

/** The shape a checkpoint's parts were cut to (older checkpoints name none: even). */
export function shapeOf(cpt: { partShape?: 'tapered' }): PartShape {
  return cpt.partShape ?? 'even';
}

function assertSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0) throw new TransferError('InvalidArgument', `bad size ${size}`);
}

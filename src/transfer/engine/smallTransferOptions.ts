// What the one-request transfers of small files take, and their argument checks. No checkpoint
// options: a small file is resumed by the batch journal knowing it is done, not by a checkpoint.
import type { TransferProgress } from './progressMeter.js';
import type { RetryOptions } from './retryPolicy.js';
import { TransferError } from '../transferError.js';
import { checkPacingOptions, pacingFor, type PacingOptions, type TransferPacing } from './transferPacing.js';

/** The pacing options (a shared pacer, a bandwidth cap) apply; one request has no parallelism to set. */
export interface SmallTransferOptions extends Omit<PacingOptions, 'parallel'> {
  bucket: string;
  key: string;
  /** the local file (made absolute): the source of an upload, the destination of a download */
  file: string;
  /** The largest size that counts as small (the caller passes its part size); larger is NotSmall. */
  maxSize: number;
  signal?: AbortSignal;
  retry?: Partial<RetryOptions>;
  onProgress?: (p: TransferProgress) => void;
  /** Lines worth a log: retries, a corrupt object deleted. */
  onLog?: (message: string) => void;
}

export function checkSmallOptions(opts: SmallTransferOptions): void {
  if (opts === null || typeof opts !== 'object') throw new TransferError('InvalidArgument', 'options are required');
  for (const f of ['bucket', 'key', 'file'] as const) {
    if (typeof opts[f] !== 'string' || opts[f] === '') throw new TransferError('InvalidArgument', `${f} must be a non-empty string`);
  }
  if (!Number.isSafeInteger(opts.maxSize) || opts.maxSize < 0) {
    throw new TransferError('InvalidArgument', `maxSize must be a non-negative integer (got ${String(opts.maxSize)})`);
  }
  for (const f of ['onProgress', 'onLog'] as const) {
    if (opts[f] !== undefined && typeof opts[f] !== 'function') throw new TransferError('InvalidArgument', `${f} must be a function`);
  }
  checkPacingOptions(opts, 'upload');
}

/**
 * One request's pacing: under a shared pacer it is one of the requests sharing the link (and a
 * server-enforced cap); on its own it is the only one and gets the whole cap.
 */
export function smallPacing(opts: SmallTransferOptions, direction: 'upload' | 'download'): TransferPacing {
  return pacingFor({ ...opts, parallel: opts.pacer ? undefined : 1 }, direction);
}

/** Larger than one request should carry: the caller moves it with the resumable engine instead. */
export function notSmall(what: string, size: number | undefined, maxSize: number): TransferError {
  const holds = size === undefined ? 'holds more' : `holds ${size} bytes, more`;
  return new TransferError('NotSmall', `${what} ${holds} than the ${maxSize} a single request carries; use the resumable transfer`);
}

/** The caller's onLog, never throwing into the transfer. */
export function smallLog(opts: SmallTransferOptions): (message: string) => void {
  return (message) => {
    try {
      opts.onLog?.(message);
    } catch {
      // A broken log sink must not fail the transfer.
    }
  };
}

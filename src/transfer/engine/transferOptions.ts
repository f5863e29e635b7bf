// Options shared by both directions, and the argument checks both run before touching anything.
import type { TransferProgress } from './progressMeter.js';
import type { RetryOptions } from './retryPolicy.js';
import { TransferError } from '../transferError.js';
import type { PacingOptions } from './transferPacing.js';

/**
 * With neither `partSize` nor `parallel`, the transfer adapts: it starts a few parts at once and
 * adds more while the measured throughput keeps rising (see LinkPacer), and once a link has been
 * measured, new transfers on it get parts sized for it. Either number given means exactly that.
 */
export interface CommonTransferOptions extends PacingOptions {
  bucket: string;
  key: string;
  /** the local file: the source of an upload, the destination of a download */
  file: string;
  /** where checkpoints live (the extension passes its globalStorage) */
  checkpointDir?: string;
  /** explicit checkpoint path; wins over checkpointDir */
  cptFile?: string;
  /** no checkpoint at all: an interruption means starting over */
  disableCheckpoint?: boolean;
  partSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: TransferProgress) => void;
  /** Retry tuning (attempts, backoff); mostly for tests. */
  retry?: Partial<RetryOptions>;
  /** Lines worth a log: e.g. why an earlier run's checkpoint was set aside and the transfer starts over. */
  onLog?: (message: string) => void;
}

export interface UploadOptions extends CommonTransferOptions {
  /** content type, x-oss-meta-*, storage class... sent with PutObject / InitiateMultipartUpload */
  headers?: Record<string, string>;
}

export type DownloadOptions = CommonTransferOptions;

export function checkCommonOptions(opts: CommonTransferOptions): void {
  if (opts === null || typeof opts !== 'object') throw new TransferError('InvalidArgument', 'options are required');
  for (const f of ['bucket', 'key', 'file'] as const) {
    if (typeof opts[f] !== 'string' || opts[f] === '') throw new TransferError('InvalidArgument', `${f} must be a non-empty string`);
  }
  if (opts.cptFile !== undefined && (typeof opts.cptFile !== 'string' || opts.cptFile === '')) {
    throw new TransferError('InvalidArgument', 'cptFile must be a non-empty string');
  }
  if (opts.checkpointDir !== undefined && (typeof opts.checkpointDir !== 'string' || opts.checkpointDir === '')) {
    throw new TransferError('InvalidArgument', 'checkpointDir must be a non-empty string');
  }
  if (opts.onProgress !== undefined && typeof opts.onProgress !== 'function') {
    throw new TransferError('InvalidArgument', 'onProgress must be a function');
  }
  if (opts.onLog !== undefined && typeof opts.onLog !== 'function') {
    throw new TransferError('InvalidArgument', 'onLog must be a function');
  }
}

/** The caller's onLog, never throwing into the transfer. */
export function engineLog(opts: CommonTransferOptions): (message: string) => void {
  return (message) => {
    try {
      opts.onLog?.(message);
    } catch {
      // A broken log sink must not fail the transfer.
    }
  };
}

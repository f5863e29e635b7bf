// The batch layer's vocabulary, shared by the manager, its journal and the UI that shows them.
// Its own file so that the UI can name these types without importing the manager, and the
// journal without an import circle.
import type { OssClient } from '../../oss/index.js';
import type { resumableDownload } from '../engine/downloadEngine.js';
import type { resumableUpload } from '../engine/uploadEngine.js';
import type { downloadSmallFile, uploadSmallFile } from '../engine/singleRequestTransfer.js';
import type { BandwidthLimit } from '../pacing/bandwidthLimit.js';
import type { LinkPacer } from '../pacing/linkPacer.js';

export interface TransferSpec {
  direction: 'upload' | 'download';
  profileId: string;
  bucket: string;
  key: string;
  /** Absolute local path: the source of an upload, the destination of a download. */
  file: string;
  /** Known size in bytes, so a batch total is right before each file starts. */
  size?: number;
  /** Upload headers (content type, x-oss-meta-*, storage class). */
  headers?: Record<string, string>;
}

export type TransferState = 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface TransferItem {
  id: string;
  spec: TransferSpec;
  state: TransferState;
  transferredBytes: number;
  totalBytes: number;
  bytesPerSecond: number;
  etaSeconds?: number;
  /**
   * What a resume starts from (what the checkpoint holds), as the engine or the checkpoint last
   * said; absent when neither says. A stopped transfer shows exactly this much as transferred.
   */
  keptBytes?: number;
  error?: unknown;
  batchId?: string;
  /** What the engine reported for a done transfer (a restore that found it already on the server reports what the check saw; absent when it could not say). */
  outcome?: { etag: string; crc64: string };
}

export interface TransferSettings {
  concurrentFiles: number;
  /** Undefined: chosen per file (see automaticPartSize). */
  partSize?: number;
  /** Parts of one file at once; undefined: adaptive (see LinkPacer). */
  parallel?: number;
  disableCheckpoint: boolean;
  /** Bytes per second across all transfers; 0 or undefined: no cap. */
  bandwidthLimit?: number;
  /** Who keeps the cap: this client (default) or the server, through x-oss-traffic-limit. */
  bandwidthLimitBy?: 'client' | 'server';
}

export interface BatchResult {
  done: TransferItem[];
  failed: TransferItem[];
  cancelled: TransferItem[];
  /** Why a streamed batch's source (a listing, a folder walk) stopped before its end. */
  sourceError?: unknown;
}

export interface TransferBatch {
  id: string;
  label: string;
  /** Current snapshots of the batch's items. */
  readonly items: TransferItem[];
  /** Settles once every item is done, failed or cancelled (a paused item holds it open). */
  result: Promise<BatchResult>;
  /** Stops the batch's queued, running and paused items; their checkpoints stay for a later resume. */
  cancel(): void;
}

export interface TransferEngine {
  resumableUpload: typeof resumableUpload;
  resumableDownload: typeof resumableDownload;
  /** One request for a file that fits in one part; without them every file goes through the resumable engine. */
  uploadSmallFile?: typeof uploadSmallFile;
  downloadSmallFile?: typeof downloadSmallFile;
  /**
   * Whether the object already is the local file (HEAD + CRC-64): asked, on resume, for an upload a
   * crash left unsure. Absent: such a file is sent again. The object's ETag and CRC-64 when it is
   * (they become the item's outcome, as if it had just been sent); true says only that it is.
   */
  remoteMatchesLocal?: (client: OssClient, opts: { bucket: string; key: string; file: string; signal?: AbortSignal }) => Promise<boolean | { etag: string; crc64: string } | undefined>;
}

/** Where the manager reports what it cannot throw at anyone (corrupt journal, cleanup failures). */
export interface TransferLog {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string | Error): void;
}

export interface TransferManagerDeps {
  clientFor(profileId: string, bucket: string): Promise<OssClient>;
  checkpointDir: string;
  settings(): TransferSettings;
  engine?: TransferEngine;
  log?: TransferLog;
  /** Makes the pacer of each direction (tests pin or watch it); default: a LinkPacer capped at the client's pool. */
  pacer?: (direction: 'upload' | 'download') => LinkPacer;
  /** The cap all of this manager's transfers share (its rate follows the settings); tests pass one that records its grants. */
  bandwidthLimit?: BandwidthLimit;
}

// The vocabulary of folder ↔ prefix sync: what planSync is asked, the plan it returns (every file
// with the action it gets and why), what runSync is given and what it reports. Its own file so the
// UI can name these types without importing the planner.
import type { TransferManager } from '../batch/transferManager.js';
import type { TransferBatch } from '../batch/transferTypes.js';
import type { SyncReason } from './syncReasons.js';

export type { SyncReason } from './syncReasons.js';

export type SyncDirection = 'upload' | 'download';
export type SyncCompare = 'size-mtime' | 'checksum';

export interface SyncOptions {
  direction: SyncDirection;
  localDir: string;
  bucket: string;
  /** '' or ending in '/'. */
  prefix: string;
  /** gitignore-style patterns, relative to localDir / the prefix; when given, only matching files take part. */
  include?: string[];
  /** gitignore-style patterns; a matching file or folder is left alone on both sides. */
  exclude?: string[];
  /**
   * Folders left out unless an include names them: node_modules, .git and the checkpoint folder
   * (`checkpointDir` when it lies inside localDir). Default true.
   */
  defaultExcludes?: boolean;
  /** Default 'size-mtime'. */
  compare?: SyncCompare;
  /** Default false. */
  deleteExtraneous?: boolean;
  /** Symbolic links are not followed unless this is true. */
  followSymlinks?: boolean;
  /**
   * Where the pair's index of its last synced state is kept (the extension: globalStorage). Without
   * it there is no conflict detection and checksum mode reads every local file.
   */
  stateDir?: string;
  /** Left out of the plan (see defaultExcludes) when it lies inside localDir. */
  checkpointDir?: string;
  /** The profile the transfers run under (the TransferManager's clientFor); default 'sync'. */
  profileId?: string;
  /** Case-insensitive local disk (default: probed). Two keys differing only in case are refused there. */
  caseInsensitive?: boolean;
  /** HEAD requests at once when a compare needs the object's headers (checksum mode). Default 16. */
  headParallel?: number;
  signal?: AbortSignal;
}

/**
 * What the planner found for one name:
 * new — on the source side only; changed — on both, different; unchanged — on both, the same;
 * extraneous — on the destination only; conflict — both sides changed since the last sync;
 * refused — cannot be synced (unsafe key, name clash, unreadable file); the reason says why.
 */
export type SyncKind = 'new' | 'changed' | 'unchanged' | 'extraneous' | 'conflict' | 'refused';
export type SyncAction = 'upload' | 'download' | 'delete' | 'skip';
/** A conflict's resolution: which side wins, or leave both as they are. */
export type ConflictChoice = 'keep-local' | 'keep-remote' | 'skip';

export interface LocalState {
  size: number;
  mtimeMs: number;
}

export interface RemoteState {
  size: number;
  etag: string;
  /** ISO time from the listing. */
  lastModified: string;
}

export interface SyncItem {
  action: SyncAction;
  kind: SyncKind;
  /** The object key ('' when a local name has no valid key). A key ending in '/' is a folder marker. */
  key: string;
  /** Absolute local path ('' when a key has no safe local path). */
  file: string;
  /** Bytes this item moves (upload/download), or the size of what it deletes / leaves. */
  size: number;
  /** Why, in English (logs, library users). */
  reason: string;
  /** Why, as data: the UI says it in its own language. */
  why?: SyncReason;
  /** Relative name, '/'-separated, NFC: how the item is shown and matched. */
  name: string;
  local?: LocalState;
  remote?: RemoteState;
  /** Set on conflicts (default 'skip': never a silent overwrite). */
  resolution?: ConflictChoice;
  /** The CRC-64 both sides share, when the plan learned it (recorded in the index). */
  crc64?: string;
}

export interface SyncCount {
  files: number;
  bytes: number;
}

export type SyncTotals = Record<SyncKind, SyncCount> & { upload: SyncCount; download: SyncCount; delete: SyncCount; skip: SyncCount };

export interface SyncPlan {
  direction: SyncDirection;
  localDir: string;
  bucket: string;
  prefix: string;
  compare: SyncCompare;
  deleteExtraneous: boolean;
  profileId: string;
  stateDir?: string;
  items: SyncItem[];
  totals: SyncTotals;
  /** Objects below the prefix / files below the folder that take part (after include/exclude). */
  destinationCount: number;
  /**
   * Set when the deletes pass the threshold (more than 50 files or 20% of the destination): runSync
   * deletes only with `confirmLargeDelete`, so the UI asks again with this count.
   */
  largeDelete?: { count: number; destinationCount: number };
  /** HEAD requests the plan needed (0 in size-mtime mode with an index or plain sizes). */
  headRequests: number;
  /** Local files read to compute a CRC-64 (checksum mode, not known from the index). */
  filesHashed: number;
  /** Things worth a line in the log (an index set aside as corrupt). */
  notes?: string[];
}

export interface SyncProgress {
  filesDone: number;
  filesFailed: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  bytesPerSecond: number;
  etaSeconds?: number;
  /** The file moving most recently, for a notification line. */
  current?: string;
}

export interface RunSyncOptions {
  /** Files at once; default the manager's (16). */
  concurrency?: number;
  partSize?: number;
  parallel?: number;
  /** Where checkpoints go (default: a folder in the OS temp dir, the same for every run so a rerun resumes). */
  checkpointDir?: string;
  signal?: AbortSignal;
  onProgress?: (p: SyncProgress) => void;
  /** Required to delete when the plan has `largeDelete`. */
  confirmLargeDelete?: boolean;
  /** Run in this manager (the extension's, so the sync shows in Transfers); default: a private one. */
  manager?: TransferManager;
  /** The batch's label in the manager. */
  label?: string;
  /** How a local file is deleted (the extension: to the OS trash); default fs.rm. */
  deleteLocal?: (file: string) => Promise<void>;
  /** Called with the batch as soon as it starts (the UI follows it). */
  onBatch?: (batch: TransferBatch) => void;
}

export interface SyncFailure {
  action: SyncAction;
  key: string;
  file: string;
  error: unknown;
}

export interface SyncResult {
  upload: { done: number; failed: number };
  download: { done: number; failed: number };
  delete: { done: number; failed: number };
  /** Deletes not attempted because a transfer failed or was cancelled (nothing is deleted on a partial sync). */
  deletesSkipped: number;
  cancelled: number;
  bytesMoved: number;
  failures: SyncFailure[];
  /**
   * A sync that did not finish (a file failed or was cancelled, the window closed): the file that
   * keeps what remains (markers, deletes, the index's updates). It runs once the batch's files are
   * finished from the Transfers view, in this window or a later one (SyncRemainderRunner).
   */
  remainder?: string;
  /** Things worth a line in the log (what remains could not be written). */
  notes?: string[];
}

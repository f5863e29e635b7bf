// One running transfer per checkpoint (or destination). Two runs sharing a checkpoint would
// overwrite each other's progress and, for a download, write into the same temp file; the second
// one is refused with a clear error instead. Within this process an in-memory set decides; with
// `lockFile` (`<checkpoint>.lock`) other processes — another VS Code window — are kept out too.
// Both steps are synchronous, so a caller takes the lock before its first await.
import { acquireLockFile } from './processLockFile.js';
import { TransferError, isTransferError } from '../transferError.js';

const active = new Set<string>();

export interface TransferLockOptions {
  /** Also hold this file against other processes (see lockFile.ts); omit for an in-process lock only. */
  lockFile?: string | undefined;
  /** The user's file the transfer moves, named in a refusal (the lock's own name may be a shortened stand-in). */
  subject?: string | undefined;
  /** How often the lock file is refreshed (default a minute; tests shorten it). */
  heartbeatMs?: number;
}

export function acquireTransferLock(id: string, opts: TransferLockOptions = {}): () => void {
  if (active.has(id)) {
    const of = opts.subject !== undefined ? ` of ${opts.subject}` : '';
    throw new TransferError('AlreadyRunning', `a transfer${of} using ${id} is already running in this process`);
  }
  active.add(id);
  let releaseFile: (() => void) | undefined;
  if (opts.lockFile) {
    try {
      releaseFile = acquireLockFile(opts.lockFile, opts.subject, { heartbeatMs: opts.heartbeatMs });
    } catch (err) {
      // A folder nobody may write to cannot hold a checkpoint either, so there is nothing another
      // process could corrupt there (and a small upload that needs no checkpoint still works).
      if (!isTransferError(err, 'NotWritable')) {
        active.delete(id);
        throw err;
      }
    }
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    releaseFile?.();
    active.delete(id);
  };
}

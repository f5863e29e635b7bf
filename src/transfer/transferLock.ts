// One running transfer per checkpoint (or destination) in this process. Two runs sharing a
// checkpoint would overwrite each other's progress and, for a download, write into the same temp
// file; the second one is refused with a clear error instead.
import { TransferError } from './transferError.js';

const active = new Set<string>();

export function acquireTransferLock(id: string): () => void {
  if (active.has(id)) {
    throw new TransferError('AlreadyRunning', `a transfer using ${id} is already running in this process`);
  }
  active.add(id);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    active.delete(id);
  };
}

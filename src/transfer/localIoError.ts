// Maps Node's errno codes from local file work onto TransferError codes, so a full disk or a
// read-only folder reads as what it is instead of a raw "ENOSPC".
import { TransferError } from './transferError.js';

export function localIoError(err: unknown, action: string, path: string): TransferError {
  if (err instanceof TransferError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const detail = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new TransferError('DiskFull', `No space left while ${action} ${path}`, { cause: err });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new TransferError('NotWritable', `Permission denied while ${action} ${path}`, { cause: err });
    case 'ENOENT':
      return new TransferError('FileNotFound', `No such file or folder while ${action} ${path}`, { cause: err });
    default:
      return new TransferError('LocalIoError', `Failed ${action} ${path}: ${detail}`, { cause: err });
  }
}

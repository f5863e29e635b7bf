// The engine's own failures. Each carries a code the extension can branch on and a next step a
// person can act on; errors from OSS itself are passed through as the client's OssError.

export type TransferErrorCode =
  | 'FileChanged'
  | 'ObjectChanged'
  | 'CrcMismatch'
  | 'Aborted'
  | 'CheckpointInvalid'
  | 'SizeMismatch'
  | 'RangeMismatch'
  | 'LocalIoError'
  | 'DiskFull'
  | 'NotWritable'
  | 'InvalidArgument'
  | 'FileNotFound'
  | 'AlreadyRunning'
  | 'NotSmall'
  | 'SyncRefused';

/** The next step of each code when the thrower names none (the UI translates these by code). */
export const DEFAULT_NEXT_STEP: Record<TransferErrorCode, string> = {
  FileChanged: 'The local file changed during the upload; the partial upload was discarded. Start the upload again.',
  ObjectChanged: 'The object changed on the server; the partial download was discarded. Start the download again.',
  CrcMismatch: 'The data was corrupted in transit; nothing was kept. Retry the transfer; if it keeps failing, check the network or proxy.',
  Aborted: 'The transfer was cancelled; its checkpoint is kept, so running it again resumes where it stopped.',
  CheckpointInvalid: 'The checkpoint file is unreadable or belongs to another transfer; delete it or start the transfer again.',
  SizeMismatch: 'The server returned a different number of bytes than announced; retry the transfer.',
  RangeMismatch: 'The server (or a proxy, CDN or custom domain in front of it) answered a part of the download with other bytes than asked; nothing was kept. Download through the bucket\'s OSS endpoint instead.',
  LocalIoError: 'Reading or writing the local file failed; check the path, permissions and disk, then retry (the transfer resumes).',
  DiskFull: 'The disk is full; free some space and retry — the download resumes from its checkpoint.',
  NotWritable: 'The destination folder is not writable; choose another folder or fix its permissions.',
  InvalidArgument: 'Fix the argument named in the message and try again.',
  FileNotFound: 'The local file does not exist; check the path.',
  AlreadyRunning: 'Wait for the running transfer of this file to finish, or cancel it first.',
  SyncRefused: 'Nothing was changed. Check the folder and the prefix (and that the key can read them), or sync without deleting.',
  NotSmall: 'The file is larger than one request carries; transfer it with the resumable engine (resumableUpload / resumableDownload).',
};

export class TransferError extends Error {
  readonly code: TransferErrorCode;
  override readonly cause?: unknown;
  readonly nextStep: string;

  constructor(code: TransferErrorCode, message: string, options: { cause?: unknown; nextStep?: string } = {}) {
    super(message);
    this.name = 'TransferError';
    this.code = code;
    if (options.cause !== undefined) this.cause = options.cause;
    this.nextStep = options.nextStep ?? DEFAULT_NEXT_STEP[code];
  }

  override toString(): string {
    return `TransferError ${this.code}: ${this.message} — ${this.nextStep}`;
  }
}

export function isTransferError(err: unknown, code?: TransferErrorCode): err is TransferError {
  return err instanceof TransferError && (code === undefined || err.code === code);
}

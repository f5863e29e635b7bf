// Public API of the resumable transfer engine: a plain Node library (no vscode) driven by the
// extension, usable on its own with any OssClient.
export { resumableUpload } from './uploadEngine.js';
export { resumableDownload } from './downloadEngine.js';
export { checkpointPathFor } from './checkpointStore.js';
export { listCheckpoints, discardTransfer, type CheckpointSummary } from './checkpointAdmin.js';
export { TransferError, isTransferError, type TransferErrorCode } from './transferError.js';
export type { TransferProgress, TransferPhase } from './progressMeter.js';
export type { TransferClient, TransferResult } from './transferClient.js';
export type { UploadOptions, DownloadOptions, CommonTransferOptions } from './transferOptions.js';
export { MIN_PART_SIZE, MAX_PARTS, DEFAULT_UPLOAD_PARALLEL, DEFAULT_DOWNLOAD_PARALLEL, defaultPartSize } from './partPlan.js';

// Public API of the resumable transfer engine: a plain Node library (no vscode) driven by the
// extension, usable on its own with any OssClient.
export { resumableUpload } from './engine/uploadEngine.js';
export { resumableDownload } from './engine/downloadEngine.js';
export { uploadSmallFile, downloadSmallFile, remoteMatchesLocal, type SmallTransferOptions, type RemoteMatchOptions } from './engine/singleRequestTransfer.js';
export { checkpointPathFor, type CheckpointIdentity } from './checkpoint/checkpointStore.js';
export { listCheckpoints, discardTransfer, type CheckpointSummary } from './engine/checkpointAdmin.js';
export { TransferError, isTransferError, type TransferErrorCode } from './transferError.js';
export type { TransferProgress, TransferPhase } from './engine/progressMeter.js';
export type { TransferClient, TransferResult } from './engine/transferClient.js';
export type { UploadOptions, DownloadOptions, CommonTransferOptions } from './engine/transferOptions.js';
export { MIN_PART_SIZE, MAX_PARTS, DEFAULT_UPLOAD_PARALLEL, DEFAULT_DOWNLOAD_PARALLEL, defaultPartSize } from './engine/partPlan.js';
export type { PacingOptions } from './engine/transferPacing.js';
export { LinkPacer, START_REQUESTS, MAX_REQUESTS, startRequests, timingFor, type LinkPacerOptions, type SlotSource } from './pacing/linkPacer.js';
export { BandwidthLimit, type BandwidthLimitOptions } from './pacing/bandwidthLimit.js';
// Folder ↔ prefix sync: plan (with a preview's worth of reasons), resolve conflicts, run.
export { planSync } from './sync/planSync.js';
export { runSync } from './sync/runSync.js';
export { resolveConflict, LARGE_DELETE_FILES, LARGE_DELETE_SHARE } from './sync/syncTotals.js';
export { DEFAULT_EXCLUDES } from './sync/syncFilter.js';
export type * from './sync/syncTypes.js';

// One item of a batch handed to the engine: a file that fits in one part goes as one request (no
// checkpoint, no lock file, no temp file on upload), anything else through the resumable engine with
// the checkpoint path the manager journaled (the engine never derives its own). A file that turns
// out bigger than its listed size falls back to the resumable engine.
import type { OssClient } from '../../oss/index.js';
import type { TransferProgress } from '../engine/progressMeter.js';
import type { TransferResult } from '../engine/transferClient.js';
import { choosePartSize } from '../engine/partPlan.js';
import type { PacingOptions } from '../engine/transferPacing.js';
import { isTransferError } from '../transferError.js';
import { isSmallTransfer } from './connectionBudget.js';
import type { TransferEngine, TransferSettings, TransferSpec } from './transferTypes.js';

export interface EngineRun {
  settings: TransferSettings;
  /** Undefined when checkpoints are off. */
  cptFile: string | undefined;
  signal: AbortSignal;
  /** Why a checkpoint was set aside, a restart after NoSuchUpload: lines for the manager's log. */
  onLog: (message: string) => void;
  /** The manager's decision (goesAsOneRequest), made once before it claims a checkpoint or not. */
  oneRequest: boolean;
  /** The transfer's lane of the shared request slots, and the shared bandwidth cap. */
  pacing?: Omit<PacingOptions, 'parallel'>;
}

/** Whether this file goes as one request: it fits in one part and the engine offers the one-request path. */
export function goesAsOneRequest(engine: TransferEngine, spec: TransferSpec, settings: TransferSettings): boolean {
  const small = spec.direction === 'upload' ? engine.uploadSmallFile : engine.downloadSmallFile;
  return small !== undefined && isSmallTransfer(spec, settings);
}

export async function runOnEngine(
  engine: TransferEngine,
  client: OssClient,
  spec: TransferSpec,
  run: EngineRun,
  onProgress: (p: TransferProgress) => void,
): Promise<TransferResult> {
  const common = {
    bucket: spec.bucket,
    key: spec.key,
    file: spec.file,
    cptFile: run.cptFile,
    // No path from the manager (checkpoints off, or a file listed as small that turned out big): none beside the user's file either.
    disableCheckpoint: run.settings.disableCheckpoint || run.cptFile === undefined,
    partSize: run.settings.partSize,
    parallel: run.settings.parallel,
    signal: run.signal,
    onLog: run.onLog,
    onProgress,
    ...run.pacing,
  };
  const small = spec.direction === 'upload' ? engine.uploadSmallFile : engine.downloadSmallFile;
  if (small && run.oneRequest) {
    const maxSize = choosePartSize(spec.size!, run.settings.partSize, spec.direction);
    const one = { bucket: spec.bucket, key: spec.key, file: spec.file, maxSize, signal: run.signal, onProgress, onLog: run.onLog, ...run.pacing };
    try {
      return await small(client, { ...one, headers: spec.headers });
    } catch (err) {
      if (!isTransferError(err) || err.code !== 'NotSmall') throw err;
      run.onLog(`${spec.bucket}/${spec.key} is larger than listed; it moves in parts.`);
    }
  }
  return spec.direction === 'upload'
    ? await engine.resumableUpload(client, { ...common, headers: spec.headers })
    : await engine.resumableDownload(client, common);
}

// One item of a batch handed to the resumable engine: the spec and the settings become the engine's
// options, with the checkpoint path the manager journaled (the engine never derives its own).
import type { OssClient } from '../../oss/index.js';
import type { TransferProgress } from '../engine/progressMeter.js';
import type { TransferResult } from '../engine/transferClient.js';
import type { TransferEngine, TransferSettings, TransferSpec } from './transferTypes.js';

export interface EngineRun {
  settings: TransferSettings;
  /** Undefined when checkpoints are off. */
  cptFile: string | undefined;
  signal: AbortSignal;
  /** Why a checkpoint was set aside, a restart after NoSuchUpload: lines for the manager's log. */
  onLog: (message: string) => void;
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
    disableCheckpoint: run.settings.disableCheckpoint,
    partSize: run.settings.partSize,
    parallel: run.settings.parallel,
    signal: run.signal,
    onLog: run.onLog,
    onProgress,
  };
  return spec.direction === 'upload'
    ? await engine.resumableUpload(client, { ...common, headers: spec.headers })
    : await engine.resumableDownload(client, common);
}

// Reads the transfer settings for the manager (each call sees the user's latest values) and
// names the checkpoint folder under globalStorage (the manager creates it on first use).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TransferSettings } from '../../transfer/batch/transferTypes.js';

const MIB = 1024 * 1024;
const MIN_PART_BYTES = 100 * 1024;

export function readTransferSettings(): TransferSettings {
  const c = vscode.workspace.getConfiguration('ossTransfer');
  const partSizeMB = positive(c.get<number>('partSizeMB'));
  const parallel = positive(c.get<number>('parallelParts'));
  const concurrentFiles = positive(c.get<number>('concurrentFiles')) ?? 3;
  return {
    concurrentFiles: Math.max(1, Math.floor(concurrentFiles)),
    // 0 means "let the engine choose"; the engine picks from the file size.
    // OSS parts must be at least 100 KB; a tiny fractional setting is raised rather than failing every transfer.
    partSize: partSizeMB !== undefined ? Math.max(MIN_PART_BYTES, Math.round(partSizeMB * MIB)) : undefined,
    parallel: parallel !== undefined ? Math.floor(parallel) : undefined,
    disableCheckpoint: c.get<boolean>('checkpoints.enabled') === false,
  };
}

/** `<globalStorage>/checkpoints`: checkpoints and the transfer journal live here, never in globalState. */
export function checkpointDirFor(context: vscode.ExtensionContext): string {
  return path.join(context.globalStorageUri.fsPath, 'checkpoints');
}

function positive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

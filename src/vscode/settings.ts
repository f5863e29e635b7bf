// Reads the `ossTransfer.*` settings with their documented defaults and bounds, so a hand-edited
// settings.json with junk values still yields something usable.
import * as vscode from 'vscode';
import type { SignatureVersion } from '../oss/types.js';

export interface ExtensionSettings {
  /** Bytes; undefined = automatic. */
  partSize?: number;
  /** undefined = automatic. */
  parallelParts?: number;
  concurrentFiles: number;
  pageSize: number;
  signatureVersion: SignatureVersion;
  checkpointsEnabled: boolean;
  openInEditorMaxBytes: number;
}

const MB = 1024 * 1024;

function num(v: unknown, def: number, min: number, max: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : def;
}

export function readSettings(): ExtensionSettings {
  const c = vscode.workspace.getConfiguration('ossTransfer');
  const partMB = num(c.get('partSizeMB'), 0, 0, 5120);
  const parallel = Math.floor(num(c.get('parallelParts'), 0, 0, 64));
  const sv = c.get('signatureVersion');
  const out: ExtensionSettings = {
    concurrentFiles: Math.floor(num(c.get('concurrentFiles'), 3, 1, 32)),
    pageSize: Math.floor(num(c.get('pageSize'), 100, 1, 1000)),
    signatureVersion: sv === 'v1' ? 'v1' : 'v4',
    checkpointsEnabled: c.get('checkpoints.enabled') !== false,
    openInEditorMaxBytes: Math.floor(num(c.get('openInEditorMaxSizeMB'), 10, 0, 200) * MB),
  };
  if (partMB > 0) out.partSize = Math.round(partMB * MB);
  if (parallel > 0) out.parallelParts = parallel;
  return out;
}

/** Fires `listener` when any ossTransfer setting changes. */
export function onSettingsChange(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('ossTransfer')) listener();
  });
}

// The words the Transfers UI shows (row descriptions, notification lines, outcome messages).
// No vscode import, so the wording is unit tested.
import * as os from 'node:os';
import * as path from 'node:path';
import type { BatchSnapshot } from './batchProgress.js';
import { describeError } from './errorAdvice.js';
import type { TransferItem, TransferSpec, TransferState } from '../../transfer/batch/transferTypes.js';
import { displayName, formatBytes, formatCount, formatDuration, formatPercent, formatSpeed } from './quantityFormat.js';
import { msg, t, translateKey, type MessageKey } from './translate.js';

const STATE_WORDS: Record<TransferState, MessageKey> = {
  running: msg('Running'),
  queued: msg('Queued'),
  paused: msg('Paused'),
  failed: msg('Failed'),
  interrupted: msg('Interrupted'),
  cancelled: msg('Cancelled'),
  done: msg('Done'),
};

/** "Running", "Paused"… in the UI language. */
export function stateWord(state: TransferState): string {
  return translateKey(STATE_WORDS[state]);
}

export function describeRow(it: TransferItem): string {
  const arrow = it.spec.direction === 'upload' ? '↑' : '↓';
  const pct = formatPercent(it.transferredBytes, it.totalBytes);
  switch (it.state) {
    case 'running': {
      const parts = [`${arrow} ${pct}`, t('{0} of {1}', formatBytes(it.transferredBytes), formatBytes(it.totalBytes))];
      if (it.bytesPerSecond > 0) parts.push(formatSpeed(it.bytesPerSecond));
      if (it.etaSeconds !== undefined) parts.push(t('{0} left', formatDuration(it.etaSeconds)));
      return parts.join(' · ');
    }
    case 'queued':
      return `${t('{0} Queued', arrow)}${it.totalBytes ? ` · ${formatBytes(it.totalBytes)}` : ''}`;
    case 'done':
      return t('{0} Done · {1}', arrow, formatBytes(it.totalBytes));
    case 'failed':
      return t('{0} Failed: {1}', arrow, describeError(it.error).summary);
    default:
      // Stopped: the figure is what the checkpoint keeps (an upload's part in flight is sent again whole).
      if (it.keptBytes !== undefined) {
        return t('{0} {1} · kept {2} of {3}', arrow, stateWord(it.state), formatPercent(it.keptBytes, it.totalBytes), formatBytes(it.totalBytes));
      }
      return t('{0} {1} · {2} of {3}', arrow, stateWord(it.state), pct, formatBytes(it.totalBytes));
  }
}

/**
 * The name the file has where it lands: a download's local file (a "Keep both" copy reads
 * `name (1).ext`, so it is told apart from the first one), an upload's object name.
 */
export function destinationName(spec: TransferSpec): string {
  return displayName(spec.direction === 'download' ? spec.file : spec.key);
}

/**
 * Where it lands, short enough for a row beside the progress: the local folder's name (`~` for the
 * home folder; the tooltip has the whole path), or `oss://bucket/folder/`.
 */
export function destinationFolder(spec: TransferSpec, home = os.homedir()): string {
  if (spec.direction === 'upload') return `oss://${spec.bucket}/${spec.key.slice(0, spec.key.lastIndexOf('/') + 1)}`;
  const dir = path.dirname(spec.file);
  if (home && path.resolve(dir) === path.resolve(home)) return '~';
  return path.basename(dir) || dir;
}

/** A file row's description: its state and progress, then where it goes (repeated downloads differ there). */
export function rowDescription(it: TransferItem, home?: string): string {
  return t('{0} · to {1}', describeRow(it), destinationFolder(it.spec, home));
}

export function progressMessage(s: BatchSnapshot, fileCount: number): string {
  const parts = [t('{0} of {1}', formatBytes(s.transferredBytes), formatBytes(s.totalBytes))];
  const c = s.counts;
  // Nothing moves and nothing waits to: the batch is paused, with neither a speed nor a time left.
  if (!s.finished && c.running + c.queued === 0 && c.paused > 0) {
    parts.push(fileCount > 1 ? t('{0} paused', c.paused) : t('paused'));
    if (c.failed) parts.push(t('{0} failed', c.failed));
    return parts.join(' · ');
  }
  if (s.bytesPerSecond > 0) parts.push(formatSpeed(s.bytesPerSecond));
  if (s.etaSeconds !== undefined && !s.finished) parts.push(t('{0} left', formatDuration(s.etaSeconds)));
  // A one-file batch is already named by its title; a bigger one says which file moves now.
  if (s.current && fileCount > 1) {
    const settled = s.counts.done + s.counts.failed + s.counts.cancelled;
    parts.push(t('{0} ({1} of {2})', displayName(s.current.spec.key), formatCount(Math.min(settled + 1, fileCount)), formatCount(fileCount)));
  }
  if (s.counts.paused) parts.push(t('{0} paused', s.counts.paused));
  if (s.counts.failed) parts.push(t('{0} failed', s.counts.failed));
  return parts.join(' · ');
}

export function successMessage(uploads: TransferItem[], downloads: TransferItem[]): string {
  const bytes = (xs: TransferItem[]): string => formatBytes(xs.reduce((n, it) => n + it.totalBytes, 0));
  const what = (xs: TransferItem[]): string => (xs.length === 1 ? displayName(xs[0]!.spec.key) : t('{0} files', xs.length));
  const parts: string[] = [];
  if (uploads.length) {
    const buckets = new Set(uploads.map((it) => it.spec.bucket));
    const where = buckets.size === 1 ? `oss://${uploads[0]!.spec.bucket}/${commonFolder(uploads.map((it) => it.spec.key))}` : t('{0} buckets', buckets.size);
    parts.push(t('Uploaded {0} ({1}) to {2}', what(uploads), bytes(uploads), where));
  }
  if (downloads.length) {
    const dirs = new Set(downloads.map((it) => path.dirname(it.spec.file)));
    const where = dirs.size === 1 ? [...dirs][0]! : commonDir(downloads.map((it) => it.spec.file));
    parts.push(t('Downloaded {0} ({1}) to {2}', what(downloads), bytes(downloads), where));
  }
  return parts.length === 2 ? t('{0}; {1}.', parts[0]!, parts[1]!) : t('{0}.', parts[0] ?? '');
}

/** The deepest folder (`a/b/`, or '' for the bucket's top) holding every key. */
export function commonFolder(keys: string[]): string {
  let folder = keys[0]!.slice(0, keys[0]!.lastIndexOf('/') + 1);
  while (folder && !keys.every((k) => k.startsWith(folder))) folder = folder.slice(0, folder.lastIndexOf('/', folder.length - 2) + 1);
  return folder;
}

export function commonDir(files: string[]): string {
  let dir = path.dirname(files[0]!);
  while (!files.every((f) => f === dir || f.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep))) {
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return dir;
}

/** The notice after a batch was cancelled: what finished and that the rest can resume. */
export function cancelledMessage(label: string, done: number, all: number): string {
  if (all === 1) return t('Cancelled: {0}. Its checkpoint is kept; resume it from the Transfers view.', label);
  return t('Cancelled: {0}. {1} of {2} finished; the other {3} keep their checkpoints and can be resumed from the Transfers view.', label, done, all, all - done);
}

// The words of a sync around its preview: which pair, the counts by kind, the options, the progress
// line and the summary at the end (failures per file, the rest completed). No vscode import, so the
// wording is unit tested.
import * as path from 'node:path';
import type { SyncCompare, SyncDirection, SyncFailure, SyncPlan, SyncProgress, SyncResult } from '../../transfer/sync/syncTypes.js';
import { describeError } from './errorAdvice.js';
import { displayName, formatBytes, formatCount, formatDuration, formatSpeed } from './quantityFormat.js';

export interface SyncPairText {
  direction: SyncDirection;
  localDir: string;
  bucket: string;
  prefix: string;
}

/** "site → oss://bucket/site/" (upload) or "oss://bucket/site/ → site" (download). */
export function pairText(p: SyncPairText): string {
  const local = path.basename(p.localDir) || p.localDir;
  const remote = `oss://${p.bucket}/${p.prefix}`;
  return p.direction === 'upload' ? `${local} → ${remote}` : `${remote} → ${local}`;
}

function files(n: number): string {
  return `${formatCount(n)} file${n === 1 ? '' : 's'}`;
}

/** Whether applying the plan would change anything (an unresolved conflict changes nothing). */
export function planHasWork(plan: Pick<SyncPlan, 'totals'>): boolean {
  const t = plan.totals;
  return t.upload.files + t.download.files + t.delete.files > 0;
}

/**
 * The counts by kind for the preview's header: "2 new (3.0 KB) · 1 changed (1.2 KB) · 1 to delete
 * (500 B) · 7 unchanged". Kinds with nothing in them are left out; a plan with nothing at all says so.
 */
export function countsText(plan: Pick<SyncPlan, 'totals' | 'deleteExtraneous'>): string {
  const t = plan.totals;
  const parts: string[] = [];
  const sized = (n: number, bytes: number, what: string) => `${formatCount(n)} ${what} (${formatBytes(bytes)})`;
  if (t.new.files) parts.push(sized(t.new.files, t.new.bytes, 'new'));
  if (t.changed.files) parts.push(sized(t.changed.files, t.changed.bytes, 'changed'));
  if (t.extraneous.files) {
    parts.push(sized(t.extraneous.files, t.extraneous.bytes, plan.deleteExtraneous ? 'to delete' : 'only on the destination, kept'));
  }
  if (t.conflict.files) parts.push(`${formatCount(t.conflict.files)} conflict${t.conflict.files === 1 ? '' : 's'}`);
  if (t.refused.files) parts.push(`${formatCount(t.refused.files)} refused`);
  if (t.unchanged.files) parts.push(`${formatCount(t.unchanged.files)} unchanged`);
  if (!parts.length) return 'Nothing to sync: both sides are empty.';
  return parts.join(' · ');
}

/** The preview's message line: the counts, then what Apply would do (or that there is nothing to do). */
export function previewMessage(plan: Pick<SyncPlan, 'totals' | 'deleteExtraneous'>): string {
  const counts = countsText(plan);
  if (!planHasWork(plan)) return `${counts}. Nothing to apply.`;
  const t = plan.totals;
  const doing: string[] = [];
  if (t.upload.files) doing.push(`upload ${files(t.upload.files)}`);
  if (t.download.files) doing.push(`download ${files(t.download.files)}`);
  if (t.delete.files) doing.push(`delete ${files(t.delete.files)}`);
  return `${counts}. Apply will ${doing.join(', ')}.`;
}

export const COMPARE_LABEL: Record<SyncCompare, string> = {
  'size-mtime': 'Size and modification time',
  checksum: 'Checksum (CRC-64)',
};

/** Patterns as the user types them: comma-separated. */
export function parsePatterns(text: string): string[] {
  return text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

export function formatPatterns(patterns: readonly string[]): string {
  return patterns.join(', ');
}

/** The progress notification's line: "3 of 12 files · 1.2 MB of 4.0 MB · 2.0 MB/s · 5s left · index.html". */
export function syncProgressText(p: SyncProgress): string {
  const settled = p.filesDone + p.filesFailed;
  const parts = [`${formatCount(settled)} of ${files(p.filesTotal)}`, `${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}`];
  if (p.bytesPerSecond > 0) parts.push(formatSpeed(p.bytesPerSecond));
  if (p.etaSeconds !== undefined && settled < p.filesTotal) parts.push(`${formatDuration(p.etaSeconds)} left`);
  if (p.current && settled < p.filesTotal) parts.push(displayName(p.current));
  if (p.filesFailed) parts.push(`${formatCount(p.filesFailed)} failed`);
  return parts.join(' · ');
}

/** Files named in the summary message; the log has them all. */
export const SUMMARY_FAILURES_SHOWN = 5;

export interface SyncSummary {
  kind: 'done' | 'failed' | 'cancelled';
  message: string;
}

/** "2 uploaded, 1 deleted" — the actions that did something. */
function doneText(r: SyncResult): string {
  const parts: string[] = [];
  if (r.upload.done) parts.push(`${formatCount(r.upload.done)} uploaded`);
  if (r.download.done) parts.push(`${formatCount(r.download.done)} downloaded`);
  if (r.delete.done) parts.push(`${formatCount(r.delete.done)} deleted`);
  return parts.length ? parts.join(', ') : 'nothing changed';
}

/** One failure for the message: "a/b.txt (Access denied)". */
export function failureText(f: SyncFailure): string {
  const name = f.key || f.file;
  return `${name} (${describeError(f.error).summary})`;
}

/** What the end of a sync says: what it did, and each failed file (the rest completed). */
export function syncSummary(pair: SyncPairText, r: SyncResult): SyncSummary {
  const title = pairText(pair);
  const failed = r.upload.failed + r.download.failed + r.delete.failed;
  const moved = r.bytesMoved ? `, ${formatBytes(r.bytesMoved)} moved` : '';
  const kept = r.deletesSkipped ? ` ${files(r.deletesSkipped)} on the destination not deleted, since not every transfer completed.` : '';
  if (failed) {
    const shown = r.failures.slice(0, SUMMARY_FAILURES_SHOWN).map(failureText).join('; ');
    const more = r.failures.length > SUMMARY_FAILURES_SHOWN ? `; and ${formatCount(r.failures.length - SUMMARY_FAILURES_SHOWN)} more in the OSS log` : '';
    return { kind: 'failed', message: `Sync ${title}: ${files(failed)} failed, the rest completed (${doneText(r)}${moved}). Failed: ${shown}${more}.${kept}` };
  }
  if (r.cancelled) {
    return {
      kind: 'cancelled',
      message: `Sync ${title} cancelled: ${doneText(r)}${moved}; ${files(r.cancelled)} not finished keep their checkpoints, so syncing again continues where it stopped.${kept}`,
    };
  }
  return { kind: 'done', message: `Synced ${title}: ${doneText(r)}${moved}.${kept}` };
}

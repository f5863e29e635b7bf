// The words of a sync around its preview: which pair, the counts by kind, the options, the progress
// line and the summary at the end (failures per file, the rest completed). No vscode import, so the
// wording is unit tested.
import * as path from 'node:path';
import type { SyncCompare, SyncDirection, SyncFailure, SyncPlan, SyncProgress, SyncResult } from '../../transfer/sync/syncTypes.js';
import { describeError } from './errorAdvice.js';
import { displayName, formatBytes, formatCount, formatDuration, formatSpeed } from './quantityFormat.js';
import { t } from './translate.js';

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
  return n === 1 ? t('1 file') : t('{0} files', formatCount(n));
}

/** Whether applying the plan would change anything (an unresolved conflict changes nothing). */
export function planHasWork(plan: Pick<SyncPlan, 'totals'>): boolean {
  const totals = plan.totals;
  return totals.upload.files + totals.download.files + totals.delete.files > 0;
}

/**
 * The counts by kind for the preview's header: "2 new (3.0 KB) · 1 changed (1.2 KB) · 1 to delete
 * (500 B) · 7 unchanged". Kinds with nothing in them are left out; a plan with nothing at all says so.
 */
export function countsText(plan: Pick<SyncPlan, 'totals' | 'deleteExtraneous'>): string {
  const totals = plan.totals;
  const parts: string[] = [];
  const { new: added, changed, extraneous, conflict, refused, unchanged } = totals;
  if (added.files) parts.push(t('{0} new ({1})', formatCount(added.files), formatBytes(added.bytes)));
  if (changed.files) parts.push(t('{0} changed ({1})', formatCount(changed.files), formatBytes(changed.bytes)));
  if (extraneous.files) {
    const n = formatCount(extraneous.files);
    const bytes = formatBytes(extraneous.bytes);
    parts.push(plan.deleteExtraneous ? t('{0} to delete ({1})', n, bytes) : t('{0} only on the destination, kept ({1})', n, bytes));
  }
  if (conflict.files) parts.push(conflict.files === 1 ? t('1 conflict') : t('{0} conflicts', formatCount(conflict.files)));
  if (refused.files) parts.push(t('{0} refused', formatCount(refused.files)));
  if (unchanged.files) parts.push(t('{0} unchanged', formatCount(unchanged.files)));
  if (!parts.length) return t('Nothing to sync: both sides are empty.');
  return parts.join(' · ');
}

/** The preview's message line: the counts, then what Apply would do (or that there is nothing to do). */
export function previewMessage(plan: Pick<SyncPlan, 'totals' | 'deleteExtraneous'>): string {
  const counts = countsText(plan);
  if (!planHasWork(plan)) return t('{0}. Nothing to apply.', counts);
  const totals = plan.totals;
  const doing: string[] = [];
  if (totals.upload.files) doing.push(t('upload {0}', files(totals.upload.files)));
  if (totals.download.files) doing.push(t('download {0}', files(totals.download.files)));
  if (totals.delete.files) doing.push(t('delete {0}', files(totals.delete.files)));
  return t('{0}. Apply will {1}.', counts, doing.join(t(', ')));
}

/** How the sync compares files, in words: "Size and modification time", "Checksum (CRC-64)". */
export function compareLabel(c: SyncCompare): string {
  return c === 'checksum' ? t('Checksum (CRC-64)') : t('Size and modification time');
}

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
  const parts = [t('{0} of {1}', formatCount(settled), files(p.filesTotal)), t('{0} of {1}', formatBytes(p.bytesDone), formatBytes(p.bytesTotal))];
  if (p.bytesPerSecond > 0) parts.push(formatSpeed(p.bytesPerSecond));
  if (p.etaSeconds !== undefined && settled < p.filesTotal) parts.push(t('{0} left', formatDuration(p.etaSeconds)));
  if (p.current && settled < p.filesTotal) parts.push(displayName(p.current));
  if (p.filesFailed) parts.push(t('{0} failed', formatCount(p.filesFailed)));
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
  if (r.upload.done) parts.push(t('{0} uploaded', formatCount(r.upload.done)));
  if (r.download.done) parts.push(t('{0} downloaded', formatCount(r.download.done)));
  if (r.delete.done) parts.push(t('{0} deleted', formatCount(r.delete.done)));
  return parts.length ? parts.join(t(', ')) : t('nothing changed');
}

/** One failure for the message: "a/b.txt (Access denied)". */
export function failureText(f: SyncFailure): string {
  const name = f.key || f.file;
  return t('{0} ({1})', name, describeError(f.error).summary);
}

/** What the end of a sync says: what it did, and each failed file (the rest completed). */
export function syncSummary(pair: SyncPairText, r: SyncResult): SyncSummary {
  const title = pairText(pair);
  const failed = r.upload.failed + r.download.failed + r.delete.failed;
  const did = r.bytesMoved ? t('{0}, {1} moved', doneText(r), formatBytes(r.bytesMoved)) : doneText(r);
  // Deletes held back because a transfer did not complete: said after the sentence.
  const withKept = (message: string): string =>
    r.deletesSkipped ? t('{0} {1}', message, t('{0} on the destination not deleted, since not every transfer completed.', files(r.deletesSkipped))) : message;
  if (failed) {
    const shown = r.failures.slice(0, SUMMARY_FAILURES_SHOWN).map(failureText).join(t('; '));
    const hidden = r.failures.length - SUMMARY_FAILURES_SHOWN;
    const list = hidden > 0 ? t('{0}; and {1} more in the OSS log', shown, formatCount(hidden)) : shown;
    return { kind: 'failed', message: withKept(t('Sync {0}: {1} failed, the rest completed ({2}). Failed: {3}.', title, files(failed), did, list)) };
  }
  if (r.cancelled) {
    return {
      kind: 'cancelled',
      message: withKept(
        t('Sync {0} cancelled: {1}; {2} not finished keep their checkpoints, so syncing again continues where it stopped.', title, did, files(r.cancelled)),
      ),
    };
  }
  return { kind: 'done', message: withKept(t('Synced {0}: {1}.', title, did)) };
}

/** What a sync finished after its batch says while its deletes wait: which, and why. */
export interface HeldSync {
  failed: number;
  cancelled: number;
  missing: number;
  deletes: ReadonlyArray<{ key: string; file: string; name: string }>;
  error?: unknown;
}

/**
 * "Sync site → oss://b/site/: 1 file on the destination not deleted (old.txt), since not every file
 * finished: 1 failed. Retry or resume them in the Transfers view and the rest of the sync follows."
 */
export function heldSyncText(pair: SyncPairText, h: HeldSync): string {
  const title = pairText(pair);
  const names = h.deletes.slice(0, SUMMARY_FAILURES_SHOWN).map((d) => d.name);
  const hidden = h.deletes.length - names.length;
  const list = hidden > 0 ? t('{0}; and {1} more', names.join(t('; ')), formatCount(hidden)) : names.join(t('; '));
  if (h.error !== undefined) {
    const what = h.deletes.length ? t('{0} on the destination not deleted ({1})', files(h.deletes.length), list) : t('nothing deleted');
    return t('Sync {0}: its files are finished, but the rest of the sync could not run ({1}); {2}.', title, describeError(h.error).summary, what);
  }
  const why: string[] = [];
  if (h.failed) why.push(t('{0} failed', formatCount(h.failed)));
  if (h.cancelled) why.push(t('{0} cancelled', formatCount(h.cancelled)));
  if (h.missing) why.push(t('{0} no longer in the Transfers view', formatCount(h.missing)));
  const reasons = why.join(t(', '));
  return h.deletes.length
    ? t('Sync {0}: {1} on the destination not deleted ({2}), since not every file finished: {3}. Retry or resume them in the Transfers view and the rest of the sync follows.', title, files(h.deletes.length), list, reasons)
    : t('Sync {0}: not every file finished ({1}). Retry or resume them in the Transfers view and the rest of the sync follows.', title, reasons);
}

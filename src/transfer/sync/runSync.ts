// Carries out a sync plan. Files move as one batch of the TransferManager (the extension's, so the
// sync is one Transfers entry that pauses, resumes and survives a restart like any other; or a
// private one), with many small files in flight and big ones through the resumable engine. Folder
// markers follow, and deletes come last and only when every transfer succeeded: a sync that
// stopped half way never deletes. Each file that lands is recorded in the pair's index, saved as
// the run goes so an interrupted sync still knows what it finished. With a state folder, what
// follows the files is written down when the batch starts (syncRemainder.ts): a sync that stops
// half way keeps it, and the batch finished later (after a reload too) finishes the sync.
import * as os from 'node:os';
import * as path from 'node:path';
import type { OssClient } from '../../oss/index.js';
import { TransferManager } from '../batch/transferManager.js';
import type { TransferSpec } from '../batch/transferTypes.js';
import { contentTypeFor } from '../paths/contentType.js';
import { errorMessageOf } from '../errorDetail.js';
import { TransferError } from '../transferError.js';
import { deleteExtraneous, emptyResult, failInto, placeMarkers, recordLanding } from './syncFinish.js';
import { SyncIndex, planIndexOf } from './syncIndex.js';
import { SyncProgressMeter } from './syncProgressMeter.js';
import { SyncRemainder } from './syncRemainder.js';
import type { RunSyncOptions, SyncItem, SyncPlan, SyncResult } from './syncTypes.js';

/** How often the index (and the remainder's landed files) are written while a sync runs. */
const INDEX_SAVE_MS = 3000;

type RunClient = OssClient;

function specOf(plan: SyncPlan, it: SyncItem): TransferSpec {
  const spec: TransferSpec = { direction: it.action as 'upload' | 'download', profileId: plan.profileId, bucket: plan.bucket, key: it.key, file: it.file, size: it.size };
  if (it.action === 'upload') {
    // The file's own time travels with the object, as rclone and ossutil record it.
    const type = contentTypeFor(it.key);
    spec.headers = { ...(type ? { 'content-type': type } : {}), 'x-oss-meta-mtime': ((it.local?.mtimeMs ?? 0) / 1000).toFixed(3) };
  }
  return spec;
}

export async function runSync(client: RunClient, plan: SyncPlan, opts: RunSyncOptions = {}): Promise<SyncResult> {
  const result = emptyResult();
  const deletes = plan.items.filter((it) => it.action === 'delete');
  if (deletes.length > 0 && plan.largeDelete && !opts.confirmLargeDelete) {
    throw new TransferError('SyncRefused', `This sync would delete ${plan.largeDelete.count} of ${plan.largeDelete.destinationCount} file(s) on the destination; confirm the deletes to go on.`);
  }
  const pair = { endpoint: client.endpoint, bucket: plan.bucket, prefix: plan.prefix, localDir: plan.localDir };
  // The plan's own index when nobody has saved another since (a no-change sync then reads it once).
  const planned = planIndexOf(plan);
  const index = planned && (await planned.isCurrent()) ? planned : plan.stateDir ? await SyncIndex.open(plan.stateDir, pair) : SyncIndex.none(pair);
  // Both sides agree on these already; the index learns them so the next plan needs no compare
  // (those the plan's own index found unchanged it knows already).
  const known = index === planned;
  for (const it of plan.items) {
    if (it.kind === 'unchanged' && it.local && it.remote && !(known && it.why?.code === 'unchangedSinceLastSync') && !it.name.endsWith('/')) {
      index.set(it.name, { localSize: it.local.size, localMtimeMs: it.local.mtimeMs, etag: it.remote.etag, remoteSize: it.remote.size, ...(it.crc64 ? { crc64: it.crc64 } : {}) });
    }
  }
  const fail = failInto(result);
  const note = (text: string): void => void (result.notes ??= []).push(text);

  const movers = plan.items.filter((it) => (it.action === 'upload' || it.action === 'download') && !it.name.endsWith('/'));
  const markers = plan.items.filter((it) => (it.action === 'upload' || it.action === 'download') && it.name.endsWith('/'));
  // A private manager only when there is something to move: a sync with nothing to do stays cheap.
  const own = !opts.manager && movers.length > 0;
  const manager = opts.manager ?? (own ? new TransferManager({
    clientFor: async () => client,
    checkpointDir: path.resolve(opts.checkpointDir ?? path.join(os.tmpdir(), 'oss-transfer-sync')),
    settings: () => ({ concurrentFiles: opts.concurrency ?? 64, disableCheckpoint: false, ...(opts.partSize ? { partSize: opts.partSize } : {}), ...(opts.parallel ? { parallel: opts.parallel } : {}) }),
  }) : undefined);
  let remainder: SyncRemainder | undefined;
  /** Held from the remainder's first write to the end: another window leaves this sync's rest to us. */
  let unlockRemainder: (() => void) | undefined;
  const saveRemainder = async (): Promise<void> => {
    await remainder?.save().catch((err) => note(`what remains of this sync could not be written to ${remainder?.file} (${errorMessageOf(err)})`));
  };
  const saver = setInterval(() => {
    void index.save().catch(() => undefined);
    void saveRemainder();
  }, INDEX_SAVE_MS);
  try {
    if (manager && movers.length > 0) {
      const byKey = new Map<string, SyncItem>();
      for (const it of movers) byKey.set(`${it.action}\0${it.key}`, it);
      const label = opts.label ?? `Sync ${plan.direction === 'upload' ? `${plan.localDir} → oss://${plan.bucket}/${plan.prefix}` : `oss://${plan.bucket}/${plan.prefix} → ${plan.localDir}`}`;
      const meter = new SyncProgressMeter(movers.length, movers.reduce((n, it) => n + it.size, 0));
      const batch = manager.startBatch(label, movers.map((it) => specOf(plan, it)));
      opts.onBatch?.(batch);
      const onAbort = () => batch.cancel();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      if (opts.signal?.aborted) batch.cancel();
      const landing: Promise<void>[] = [];
      const sub = manager.onDidChange((t) => {
        if (!t || t.batchId !== batch.id) return;
        meter.note(t);
        if (t.state === 'done') {
          remainder?.noteLanded(t.id);
          const it = byKey.get(`${t.spec.direction}\0${t.spec.key}`);
          if (it) landing.push(recordLanding(index, it.name, it, t));
        }
        if (opts.onProgress) opts.onProgress(meter.progress(t));
      });
      if (plan.stateDir) {
        // Written as the files start (the batch's journal is written in groups meanwhile), so a
        // reload from here on still finishes the sync when the restored batch does.
        remainder = SyncRemainder.of(plan, client.endpoint, { id: batch.id, label, ids: batch.items.map((t) => t.id) }, movers, { markers, deletes });
        try {
          unlockRemainder = remainder.tryLock();
          if (!unlockRemainder) note(`another process holds the lock of ${remainder.file}; this sync goes on without it`);
        } catch (err) {
          note(`the lock of ${remainder.file} could not be taken (${errorMessageOf(err)})`);
        }
        for (const t of batch.items) if (t.state === 'done') remainder.noteLanded(t.id);
        await saveRemainder();
      }
      try {
        const r = await batch.result;
        await Promise.all(landing);
        // Before anything else: the window may be closing (the batch settled because the manager did).
        await saveRemainder();
        for (const t of r.done) {
          const counter = t.spec.direction === 'upload' ? result.upload : result.download;
          counter.done++;
          result.bytesMoved += t.totalBytes;
        }
        for (const t of r.failed) {
          const it = byKey.get(`${t.spec.direction}\0${t.spec.key}`);
          if (it) fail(it, t.error, t.spec.direction === 'upload' ? result.upload : result.download);
        }
        result.cancelled += r.cancelled.length;
        if (r.sourceError !== undefined) throw r.sourceError;
      } finally {
        sub.dispose();
        opts.signal?.removeEventListener('abort', onAbort);
      }
    }
    const interrupted = result.cancelled > 0 || opts.signal?.aborted === true;
    const filesLanded = result.upload.failed + result.download.failed === 0 && !interrupted;
    // A sync stopped half way leaves its folders to the remainder too (the window may be closing).
    if (!interrupted) await placeMarkers(client, plan.bucket, markers, result, index, opts.signal);

    const clean = result.upload.failed + result.download.failed + result.cancelled === 0 && !opts.signal?.aborted;
    if (!clean) result.deletesSkipped = deletes.length;
    else await deleteExtraneous(client, plan.direction, plan.bucket, deletes, result, index, opts.deleteLocal);
    if (remainder) {
      // Every step ran once the files landed (a failed marker or delete is reported; the next sync
      // plans it again); otherwise the rest waits for the files.
      if (filesLanded) await remainder.remove().catch((err) => note(`${remainder?.file} could not be removed (${errorMessageOf(err)})`));
      else result.remainder = remainder.file;
    }
    return result;
  } finally {
    clearInterval(saver);
    await index.save().catch(() => undefined);
    // After the index is written: a window taking over what remains must not be overwritten by it.
    unlockRemainder?.();
    if (own) await manager?.close();
  }
}

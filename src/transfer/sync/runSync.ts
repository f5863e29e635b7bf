// Carries out a sync plan. Files move as one batch of the TransferManager (the extension's, so the
// sync is one Transfers entry that pauses, resumes and survives a restart like any other; or a
// private one), with many small files in flight and big ones through the resumable engine. Folder
// markers follow, and deletes come last and only when every transfer succeeded: a sync that
// stopped half way never deletes. Each file that lands is recorded in the pair's index, saved as
// the run goes so an interrupted sync still knows what it finished.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OssClient } from '../../oss/index.js';
import { TransferManager } from '../batch/transferManager.js';
import type { TransferItem, TransferSpec } from '../batch/transferTypes.js';
import { createFolderMarkers } from '../engine/folderMarkers.js';
import { contentTypeFor } from '../paths/contentType.js';
import { TransferError } from '../transferError.js';
import { SyncIndex, type IndexRecord } from './syncIndex.js';
import { SyncProgressMeter } from './syncProgressMeter.js';
import type { RunSyncOptions, SyncFailure, SyncItem, SyncPlan, SyncResult } from './syncTypes.js';

/** How often the index is written while a sync runs. */
const INDEX_SAVE_MS = 3000;
const DELETE_CHUNK = 1000;

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

/** What the index remembers of a file that just landed, or undefined when the file moved on since. */
async function landedRecord(it: SyncItem, t: TransferItem): Promise<IndexRecord | undefined> {
  if (!t.outcome) return undefined;
  const expected = it.action === 'upload' ? it.local : it.remote;
  if (!expected) return undefined;
  if (it.action === 'download' && it.remote) {
    // The file takes the object's time, so a later plan without the index still sees them as one.
    const when = new Date(Date.parse(it.remote.lastModified));
    if (!Number.isNaN(when.getTime())) await fs.utimes(t.spec.file, when, when).catch(() => undefined);
  }
  const st = await fs.stat(t.spec.file).catch(() => undefined);
  if (!st || st.size !== expected.size) return undefined;
  if (it.action === 'upload' && st.mtimeMs !== it.local?.mtimeMs) return undefined;
  return { localSize: st.size, localMtimeMs: st.mtimeMs, etag: t.outcome.etag, remoteSize: st.size, crc64: t.outcome.crc64 };
}

export async function runSync(client: RunClient, plan: SyncPlan, opts: RunSyncOptions = {}): Promise<SyncResult> {
  const result: SyncResult = { upload: { done: 0, failed: 0 }, download: { done: 0, failed: 0 }, delete: { done: 0, failed: 0 }, deletesSkipped: 0, cancelled: 0, bytesMoved: 0, failures: [] };
  const deletes = plan.items.filter((it) => it.action === 'delete');
  if (deletes.length > 0 && plan.largeDelete && !opts.confirmLargeDelete) {
    throw new TransferError('SyncRefused', `This sync would delete ${plan.largeDelete.count} of ${plan.largeDelete.destinationCount} file(s) on the destination; confirm the deletes to go on.`);
  }
  const pair = { endpoint: client.endpoint, bucket: plan.bucket, prefix: plan.prefix, localDir: plan.localDir };
  const index = plan.stateDir ? await SyncIndex.open(plan.stateDir, pair) : SyncIndex.none(pair);
  // Both sides agree on these already; the index learns them so the next plan needs no compare.
  for (const it of plan.items) {
    if (it.kind === 'unchanged' && it.local && it.remote && !it.name.endsWith('/')) {
      index.set(it.name, { localSize: it.local.size, localMtimeMs: it.local.mtimeMs, etag: it.remote.etag, remoteSize: it.remote.size, ...(it.crc64 ? { crc64: it.crc64 } : {}) });
    }
  }
  const fail = (it: SyncItem, error: unknown, counter: { failed: number }): void => {
    counter.failed++;
    result.failures.push({ action: it.action, key: it.key, file: it.file, error } satisfies SyncFailure);
  };

  const movers = plan.items.filter((it) => (it.action === 'upload' || it.action === 'download') && !it.name.endsWith('/'));
  const markers = plan.items.filter((it) => (it.action === 'upload' || it.action === 'download') && it.name.endsWith('/'));
  // A private manager only when there is something to move: a sync with nothing to do stays cheap.
  const own = !opts.manager && movers.length > 0;
  const manager = opts.manager ?? (own ? new TransferManager({
    clientFor: async () => client,
    checkpointDir: path.resolve(opts.checkpointDir ?? path.join(os.tmpdir(), 'oss-transfer-sync')),
    settings: () => ({ concurrentFiles: opts.concurrency ?? 16, disableCheckpoint: false, ...(opts.partSize ? { partSize: opts.partSize } : {}), ...(opts.parallel ? { parallel: opts.parallel } : {}) }),
  }) : undefined);
  const saver = setInterval(() => void index.save().catch(() => undefined), INDEX_SAVE_MS);
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
          const it = byKey.get(`${t.spec.direction}\0${t.spec.key}`);
          if (it) landing.push(landedRecord(it, t).then((r) => (r ? index.set(it.name, r) : index.delete(it.name))));
        }
        if (opts.onProgress) opts.onProgress(meter.progress(t));
      });
      try {
        const r = await batch.result;
        await Promise.all(landing);
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
    await placeMarkers(client, plan, markers, result, fail, index, opts.signal);

    const clean = result.upload.failed + result.download.failed + result.cancelled === 0 && !opts.signal?.aborted;
    if (!clean) result.deletesSkipped = deletes.length;
    else await deleteExtraneous(client, plan, deletes, result, fail, index, opts);
    return result;
  } finally {
    clearInterval(saver);
    await index.save().catch(() => undefined);
    if (own) await manager?.close();
  }
}

/** Empty folders: a zero-byte `name/` object on upload, a folder on download. */
async function placeMarkers(
  client: RunClient, plan: SyncPlan, markers: SyncItem[], result: SyncResult,
  fail: (it: SyncItem, e: unknown, c: { failed: number }) => void, index: SyncIndex, signal?: AbortSignal,
): Promise<void> {
  const up = markers.filter((m) => m.action === 'upload');
  if (up.length > 0 && !signal?.aborted) {
    const r = await createFolderMarkers(client, plan.bucket, up.map((m) => m.key), signal ? { signal } : {});
    result.upload.done += r.created.length + r.existing.length;
    for (const f of r.failed) fail(up.find((m) => m.key === f.key)!, f.error, result.upload);
  }
  for (const m of markers.filter((x) => x.action === 'download')) {
    if (signal?.aborted) break;
    try {
      await fs.mkdir(m.file, { recursive: true });
      result.download.done++;
      index.delete(m.name);
    } catch (err) {
      fail(m, err, result.download);
    }
  }
}

async function deleteExtraneous(
  client: RunClient, plan: SyncPlan, deletes: SyncItem[], result: SyncResult,
  fail: (it: SyncItem, e: unknown, c: { failed: number }) => void, index: SyncIndex, opts: RunSyncOptions,
): Promise<void> {
  if (plan.direction === 'upload') {
    for (let i = 0; i < deletes.length; i += DELETE_CHUNK) {
      const chunk = deletes.slice(i, i + DELETE_CHUNK);
      try {
        const r = await client.deleteObjects({ bucket: plan.bucket, keys: chunk.map((d) => d.key), quiet: false });
        const gone = new Set(r.deleted);
        for (const d of chunk) {
          if (gone.has(d.key)) {
            result.delete.done++;
            index.delete(d.name);
          } else fail(d, new Error(`OSS did not report ${d.key} as deleted`), result.delete);
        }
      } catch (err) {
        for (const d of chunk) fail(d, err, result.delete);
      }
    }
    return;
  }
  const removeLocal = opts.deleteLocal ?? ((file: string) => fs.rm(file));
  for (const d of deletes) {
    try {
      // An empty folder goes only while it is still empty; a file only while it is what the plan saw.
      if (d.name.endsWith('/')) await fs.rmdir(d.file);
      else {
        const st = await fs.stat(d.file);
        if (d.local && (st.size !== d.local.size || st.mtimeMs !== d.local.mtimeMs)) throw new TransferError('FileChanged', `${d.file} changed after the preview; it was not deleted.`);
        await removeLocal(d.file);
      }
      result.delete.done++;
      index.delete(d.name);
    } catch (err) {
      fail(d, err, result.delete);
    }
  }
}

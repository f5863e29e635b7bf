// The steps of a sync after its files: what the index records of a file that landed, the folder
// markers, and the deletes. runSync takes them right after its batch; a sync's remainder
// (syncRemainder.ts) takes them when a batch interrupted by a reload or a cancel finishes later.
import { promises as fs } from 'node:fs';
import type { OssClient } from '../../oss/index.js';
import type { TransferItem } from '../batch/transferTypes.js';
import { createFolderMarkers } from '../engine/folderMarkers.js';
import { TransferError } from '../transferError.js';
import type { IndexRecord, SyncIndex } from './syncIndex.js';
import type { LocalState, RemoteState, SyncAction, SyncDirection, SyncFailure, SyncItem, SyncResult } from './syncTypes.js';

const DELETE_CHUNK = 1000;

export type FinishClient = Pick<OssClient, 'deleteObjects' | 'putObject' | 'headObject'>;

/** What a moved file was expected to be: the local file an upload read, the object a download fetched. */
export interface Landing {
  action: SyncAction;
  local?: LocalState;
  remote?: Pick<RemoteState, 'size' | 'lastModified'>;
}

/** The markers and deletes of a sync, as the plan gave them. */
export type FinishItem = Pick<SyncItem, 'action' | 'key' | 'file' | 'name'> & { local?: LocalState };

export function emptyResult(): SyncResult {
  return { upload: { done: 0, failed: 0 }, download: { done: 0, failed: 0 }, delete: { done: 0, failed: 0 }, deletesSkipped: 0, cancelled: 0, bytesMoved: 0, failures: [] };
}

export function failInto(result: SyncResult): (it: FinishItem, error: unknown, counter: { failed: number }) => void {
  return (it, error, counter) => {
    counter.failed++;
    result.failures.push({ action: it.action, key: it.key, file: it.file, error } satisfies SyncFailure);
  };
}

/** What the index remembers of a file that just landed, or undefined when the file moved on since. */
export async function landedRecord(it: Landing, t: Pick<TransferItem, 'outcome' | 'spec'>): Promise<IndexRecord | undefined> {
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

/** Records (or forgets) one landed file in the index. */
export async function recordLanding(index: SyncIndex, name: string, it: Landing, t: Pick<TransferItem, 'outcome' | 'spec'>): Promise<void> {
  const r = await landedRecord(it, t);
  if (r) index.set(name, r);
  else index.delete(name);
}

/** Empty folders: a zero-byte `name/` object on upload, a folder on download. */
export async function placeMarkers(client: FinishClient, bucket: string, markers: readonly FinishItem[], result: SyncResult, index: SyncIndex, signal?: AbortSignal): Promise<void> {
  const fail = failInto(result);
  const up = markers.filter((m) => m.action === 'upload');
  if (up.length > 0 && !signal?.aborted) {
    const r = await createFolderMarkers(client, bucket, up.map((m) => m.key), signal ? { signal } : {});
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

/**
 * Deletes what the destination holds and the source does not: objects in chunks of 1,000, local
 * files one by one through `deleteLocal` (the extension: the trash), each only while it is what the
 * plan saw (same size and time), an empty folder only while it is still empty.
 */
export async function deleteExtraneous(
  client: FinishClient, direction: SyncDirection, bucket: string, deletes: readonly FinishItem[], result: SyncResult, index: SyncIndex,
  deleteLocal: (file: string) => Promise<void> = (file) => fs.rm(file),
): Promise<void> {
  const fail = failInto(result);
  if (direction === 'upload') {
    for (let i = 0; i < deletes.length; i += DELETE_CHUNK) {
      const chunk = deletes.slice(i, i + DELETE_CHUNK);
      try {
        const r = await client.deleteObjects({ bucket, keys: chunk.map((d) => d.key), quiet: false });
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
  for (const d of deletes) {
    try {
      if (d.name.endsWith('/')) await fs.rmdir(d.file);
      else {
        const st = await fs.stat(d.file);
        if (d.local && (st.size !== d.local.size || st.mtimeMs !== d.local.mtimeMs)) throw new TransferError('FileChanged', `${d.file} changed after the preview; it was not deleted.`);
        await deleteLocal(d.file);
      }
      result.delete.done++;
      index.delete(d.name);
    } catch (err) {
      fail(d, err, result.delete);
    }
  }
}

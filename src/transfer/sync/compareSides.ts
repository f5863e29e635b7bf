// Decides, for a name present on both sides, whether they hold the same content, which side
// changed, or whether both did since the last sync (a conflict). The index of the last sync answers
// most cases with no request; without it, size-mtime compares sizes and times, and checksum mode
// compares CRC-64s. Requests and file reads are asked of the caller's probes, only when needed.
import type { IndexRecord } from './syncIndex.js';
import { plainEtag } from './syncIndex.js';
import type { LocalState, RemoteState, SyncCompare, SyncDirection } from './syncTypes.js';

export type Verdict =
  | { kind: 'unchanged'; reason: string; crc64?: string }
  | { kind: 'changed'; reason: string }
  | { kind: 'conflict'; reason: string };

export interface Probes {
  /** The object's CRC-64 (HEAD), or undefined when the server sends none. */
  remoteCrc(): Promise<string | undefined>;
  /** The modification time the uploader recorded in x-oss-meta-mtime (HEAD), in ms. */
  remoteMtimeMs(): Promise<number | undefined>;
  /** The local file's CRC-64 (reads the file). */
  localCrc(): Promise<string>;
}

/** OSS keeps Last-Modified in whole seconds; file systems differ too. */
const TIME_SLACK_MS = 1000;

export async function compareSides(
  direction: SyncDirection,
  compare: SyncCompare,
  local: LocalState,
  remote: RemoteState,
  record: IndexRecord | undefined,
  probes: Probes,
): Promise<Verdict> {
  const localSame = record !== undefined && record.localSize === local.size && record.localMtimeMs === local.mtimeMs;
  const remoteSame = record !== undefined && record.remoteSize === remote.size && record.etag === plainEtag(remote.etag);
  if (localSame && remoteSame) return { kind: 'unchanged', reason: 'unchanged since the last sync', ...(record.crc64 ? { crc64: record.crc64 } : {}) };

  // Same size on both sides: in checksum mode, equal CRC-64s mean the same content whatever the times say.
  if (compare === 'checksum' && local.size === remote.size) {
    const remoteCrc = remoteSame && record.crc64 ? record.crc64 : await probes.remoteCrc();
    const localCrc = localSame && record.crc64 ? record.crc64 : await probes.localCrc();
    if (remoteCrc !== undefined && remoteCrc === localCrc) return { kind: 'unchanged', reason: 'same CRC-64', crc64: localCrc };
    if (remoteCrc === undefined && !record) return { kind: 'changed', reason: 'the object has no CRC-64 to compare' };
  }

  if (record) {
    if (!localSame && !remoteSame) return { kind: 'conflict', reason: 'both the file and the object changed since the last sync' };
    if (direction === 'upload') {
      return localSame
        ? { kind: 'changed', reason: 'the object changed since the last sync; the local file replaces it' }
        : { kind: 'changed', reason: 'the file changed since the last sync' };
    }
    return remoteSame
      ? { kind: 'changed', reason: 'the local file changed since the last sync; the object replaces it' }
      : { kind: 'changed', reason: 'the object changed since the last sync' };
  }

  if (local.size !== remote.size) return { kind: 'changed', reason: `sizes differ (${local.size} vs ${remote.size} bytes)` };
  if (compare === 'checksum') return { kind: 'changed', reason: 'CRC-64s differ' };
  const remoteMs = Date.parse(remote.lastModified);
  if (direction === 'upload') {
    // The object was written after the file last changed: it holds this version (same size).
    return remoteMs + TIME_SLACK_MS >= local.mtimeMs
      ? { kind: 'unchanged', reason: 'same size; the object is newer than the file' }
      : { kind: 'changed', reason: 'same size; the file is newer than the object' };
  }
  if (local.mtimeMs + TIME_SLACK_MS >= remoteMs) return { kind: 'unchanged', reason: 'same size; the file is as new as the object' };
  // The object is newer: it may still be this file, uploaded from elsewhere with its time recorded.
  const recorded = await probes.remoteMtimeMs();
  if (recorded !== undefined && Math.abs(recorded - local.mtimeMs) < TIME_SLACK_MS) return { kind: 'unchanged', reason: 'same size and modification time (object metadata)' };
  return { kind: 'changed', reason: 'same size; the object is newer than the file' };
}

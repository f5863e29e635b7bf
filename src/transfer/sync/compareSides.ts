// Decides, for a name present on both sides, whether they hold the same content, which side
// changed, or whether both did since the last sync (a conflict). The index of the last sync answers
// most cases with no request; without it, size-mtime compares sizes and times, and checksum mode
// compares CRC-64s. Requests and file reads are asked of the caller's probes, only when needed.
import type { IndexRecord } from './syncIndex.js';
import { plainEtag } from './syncIndex.js';
import { reasonOf, syncReasonEnglish, type SyncReason } from './syncReasons.js';
import type { LocalState, RemoteState, SyncCompare, SyncDirection } from './syncTypes.js';

/** `reason` is `why` in English. */
export type Verdict =
  | { kind: 'unchanged'; why: SyncReason; reason: string; crc64?: string }
  | { kind: 'changed'; why: SyncReason; reason: string }
  | { kind: 'conflict'; why: SyncReason; reason: string };

function verdict<K extends Verdict['kind']>(kind: K, why: SyncReason, crc64?: string): Verdict {
  return { kind, why, reason: syncReasonEnglish(why), ...(crc64 !== undefined ? { crc64 } : {}) } as Verdict;
}

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

type Unchanged = Extract<Verdict, { kind: 'unchanged' }>;
const UNCHANGED_SINCE_LAST_SYNC = Object.freeze(verdict('unchanged', reasonOf('unchangedSinceLastSync'))) as Unchanged;

/**
 * The verdict when neither side changed since the last sync, with no request, no promise and (without
 * a CRC-64 to pass on) no new object: what most names of a repeated sync get. Otherwise undefined.
 */
export function unchangedSinceLastSync(local: LocalState, remote: RemoteState, record: IndexRecord | undefined): Unchanged | undefined {
  if (record === undefined || record.localSize !== local.size || record.localMtimeMs !== local.mtimeMs || record.remoteSize !== remote.size) return undefined;
  if (record.etag !== plainEtag(remote.etag)) return undefined;
  return record.crc64 === undefined ? UNCHANGED_SINCE_LAST_SYNC : (verdict('unchanged', reasonOf('unchangedSinceLastSync'), record.crc64) as Unchanged);
}

export async function compareSides(
  direction: SyncDirection,
  compare: SyncCompare,
  local: LocalState,
  remote: RemoteState,
  record: IndexRecord | undefined,
  probes: Probes,
): Promise<Verdict> {
  const same = unchangedSinceLastSync(local, remote, record);
  if (same) return same;
  const localSame = record !== undefined && record.localSize === local.size && record.localMtimeMs === local.mtimeMs;
  const remoteSame = record !== undefined && record.remoteSize === remote.size && record.etag === plainEtag(remote.etag);

  // Same size on both sides: in checksum mode, equal CRC-64s mean the same content whatever the times say.
  if (compare === 'checksum' && local.size === remote.size) {
    const remoteCrc = remoteSame && record.crc64 ? record.crc64 : await probes.remoteCrc();
    const localCrc = localSame && record.crc64 ? record.crc64 : await probes.localCrc();
    if (remoteCrc !== undefined && remoteCrc === localCrc) return verdict('unchanged', reasonOf('sameCrc64'), localCrc);
    if (remoteCrc === undefined && !record) return verdict('changed', reasonOf('noRemoteCrc64'));
  }

  if (record) {
    if (!localSame && !remoteSame) return verdict('conflict', reasonOf('bothChanged'));
    if (direction === 'upload') {
      return localSame
        ? verdict('changed', reasonOf('objectChangedFileReplaces'))
        : verdict('changed', reasonOf('fileChanged'));
    }
    return remoteSame
      ? verdict('changed', reasonOf('fileChangedObjectReplaces'))
      : verdict('changed', reasonOf('objectChanged'));
  }

  if (local.size !== remote.size) return verdict('changed', { code: 'sizesDiffer', localSize: local.size, remoteSize: remote.size });
  if (compare === 'checksum') return verdict('changed', reasonOf('crc64sDiffer'));
  const remoteMs = Date.parse(remote.lastModified);
  if (direction === 'upload') {
    // The object was written after the file last changed: it holds this version (same size).
    return remoteMs + TIME_SLACK_MS >= local.mtimeMs
      ? verdict('unchanged', reasonOf('objectNewer'))
      : verdict('changed', reasonOf('fileNewer'));
  }
  if (local.mtimeMs + TIME_SLACK_MS >= remoteMs) return verdict('unchanged', reasonOf('fileAsNew'));
  // The object is newer: it may still be this file, uploaded from elsewhere with its time recorded.
  const recorded = await probes.remoteMtimeMs();
  if (recorded !== undefined && Math.abs(recorded - local.mtimeMs) < TIME_SLACK_MS) return verdict('unchanged', reasonOf('sameMetadataTime'));
  return verdict('changed', reasonOf('objectNewer'));
}

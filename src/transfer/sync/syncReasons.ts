// Why the planner gave a name its kind and action, as data: the UI says it in its own language
// (src/vscode/presentation/syncReasonText.ts), while SyncItem.reason says it in English for logs
// and library users (syncReasonEnglish). Reasons without parameters are shared constants, so a plan
// of 100,000 items holds one object per kind of reason, not one per item.
import { invalidKeyMessage, keyProblemReason, type InvalidKeyProblem, type KeyProblem } from '../paths/keyPath.js';

export type SyncReason =
  | { code: 'unchangedSinceLastSync' }
  | { code: 'sameCrc64' }
  | { code: 'noRemoteCrc64' }
  | { code: 'bothChanged' }
  | { code: 'objectChangedFileReplaces' }
  | { code: 'fileChanged' }
  | { code: 'fileChangedObjectReplaces' }
  | { code: 'objectChanged' }
  | { code: 'sizesDiffer'; localSize: number; remoteSize: number }
  | { code: 'crc64sDiffer' }
  | { code: 'objectNewer' }
  | { code: 'fileNewer' }
  | { code: 'fileAsNew' }
  | { code: 'sameMetadataTime' }
  | { code: 'folderMissingLocally' }
  | { code: 'notLocal' }
  | { code: 'notLocalDeleted' }
  | { code: 'notLocalKept' }
  | { code: 'folderOnBothSides' }
  | { code: 'emptyFolderNotInBucket' }
  | { code: 'notInBucket' }
  | { code: 'notInBucketDeleted' }
  | { code: 'notInBucketKept' }
  | { code: 'caseTwins'; first: string; second: string }
  | { code: 'unreadable'; detail: string }
  | { code: 'unicodeTwin' }
  | { code: 'unsafeKey'; key: string; problem: KeyProblem }
  | { code: 'invalidKey'; problem: InvalidKeyProblem }
  /** A refusal said only in words (an error without a problem of its own). */
  | { code: 'other'; text: string };

type Plain = Exclude<SyncReason['code'], 'sizesDiffer' | 'caseTwins' | 'unreadable' | 'unsafeKey' | 'invalidKey' | 'other'>;

const plain = new Map<string, SyncReason>();
/** The shared reason of a code without parameters. */
export function reasonOf(code: Plain): SyncReason {
  let r = plain.get(code);
  if (!r) plain.set(code, (r = Object.freeze({ code }) as SyncReason));
  return r;
}

/** The English sentence of a reason: "same size; the object is newer than the file". */
export function syncReasonEnglish(r: SyncReason): string {
  switch (r.code) {
    case 'unchangedSinceLastSync':
      return 'unchanged since the last sync';
    case 'sameCrc64':
      return 'same CRC-64';
    case 'noRemoteCrc64':
      return 'the object has no CRC-64 to compare';
    case 'bothChanged':
      return 'both the file and the object changed since the last sync';
    case 'objectChangedFileReplaces':
      return 'the object changed since the last sync; the local file replaces it';
    case 'fileChanged':
      return 'the file changed since the last sync';
    case 'fileChangedObjectReplaces':
      return 'the local file changed since the last sync; the object replaces it';
    case 'objectChanged':
      return 'the object changed since the last sync';
    case 'sizesDiffer':
      return `sizes differ (${r.localSize} vs ${r.remoteSize} bytes)`;
    case 'crc64sDiffer':
      return 'CRC-64s differ';
    case 'objectNewer':
      return 'same size; the object is newer than the file';
    case 'fileNewer':
      return 'same size; the file is newer than the object';
    case 'fileAsNew':
      return 'same size; the file is as new as the object';
    case 'sameMetadataTime':
      return 'same size and modification time (object metadata)';
    case 'folderMissingLocally':
      return 'a folder that is not here';
    case 'notLocal':
      return 'not in the local folder';
    case 'notLocalDeleted':
      return 'not in the local folder: deleted as asked';
    case 'notLocalKept':
      return 'not in the local folder: kept (deleting is off)';
    case 'folderOnBothSides':
      return 'the folder exists on both sides';
    case 'emptyFolderNotInBucket':
      return 'an empty folder not in the bucket';
    case 'notInBucket':
      return 'not in the bucket';
    case 'notInBucketDeleted':
      return 'not in the bucket: deleted as asked';
    case 'notInBucketKept':
      return 'not in the bucket: kept (deleting is off)';
    case 'caseTwins':
      return `"${r.first}" and "${r.second}" differ only in case and would be one file on this disk`;
    case 'unreadable':
      return `it cannot be read (${r.detail})`;
    case 'unicodeTwin':
      return 'another file has the same name in another Unicode form';
    case 'unsafeKey':
      return `The object key "${r.key}" cannot be saved locally: ${keyProblemReason(r.problem)}.`;
    case 'invalidKey':
      return invalidKeyMessage(r.problem);
    case 'other':
      return r.text;
  }
}

/** The reason a key or path error gives, as data when the error says its problem. */
export function refusalOf(err: unknown): SyncReason {
  const e = err as { name?: string; key?: unknown; problem?: unknown; message?: unknown };
  if (e?.name === 'KeyPathError' && typeof e.key === 'string' && e.problem) return { code: 'unsafeKey', key: e.key, problem: e.problem as KeyProblem };
  if (e?.name === 'InvalidKeyError' && e.problem) return { code: 'invalidKey', problem: e.problem as InvalidKeyProblem };
  return { code: 'other', text: err instanceof Error ? err.message : String(err) };
}

// Why the sync planner gave a file its kind and action, in the UI's language: the Sync Preview's
// refused rows and tooltips. The planner says it as data (SyncReason in src/transfer/sync/
// syncReasons.ts) with an English sentence for logs; these are the same sentences through the
// translate hook (a unit test keeps the English equal).
import type { SyncItem } from '../../transfer/sync/syncTypes.js';
import type { SyncReason } from '../../transfer/sync/syncReasons.js';
import { invalidKeyText, unsafeKeyText } from './keyProblems.js';
import { formatCount } from './quantityFormat.js';
import { t } from './translate.js';

export function syncReasonText(r: SyncReason): string {
  switch (r.code) {
    case 'unchangedSinceLastSync':
      return t('unchanged since the last sync');
    case 'sameCrc64':
      return t('same CRC-64');
    case 'noRemoteCrc64':
      return t('the object has no CRC-64 to compare');
    case 'bothChanged':
      return t('both the file and the object changed since the last sync');
    case 'objectChangedFileReplaces':
      return t('the object changed since the last sync; the local file replaces it');
    case 'fileChanged':
      return t('the file changed since the last sync');
    case 'fileChangedObjectReplaces':
      return t('the local file changed since the last sync; the object replaces it');
    case 'objectChanged':
      return t('the object changed since the last sync');
    case 'sizesDiffer':
      return t('sizes differ ({0} vs {1} bytes)', formatCount(r.localSize), formatCount(r.remoteSize));
    case 'crc64sDiffer':
      return t('CRC-64s differ');
    case 'objectNewer':
      return t('same size; the object is newer than the file');
    case 'fileNewer':
      return t('same size; the file is newer than the object');
    case 'fileAsNew':
      return t('same size; the file is as new as the object');
    case 'sameMetadataTime':
      return t('same size and modification time (object metadata)');
    case 'folderMissingLocally':
      return t('a folder that is not here');
    case 'notLocal':
      return t('not in the local folder');
    case 'notLocalDeleted':
      return t('not in the local folder: deleted as asked');
    case 'notLocalKept':
      return t('not in the local folder: kept (deleting is off)');
    case 'folderOnBothSides':
      return t('the folder exists on both sides');
    case 'emptyFolderNotInBucket':
      return t('an empty folder not in the bucket');
    case 'notInBucket':
      return t('not in the bucket');
    case 'notInBucketDeleted':
      return t('not in the bucket: deleted as asked');
    case 'notInBucketKept':
      return t('not in the bucket: kept (deleting is off)');
    case 'caseTwins':
      return t('"{0}" and "{1}" differ only in case and would be one file on this disk', r.first, r.second);
    case 'unreadable':
      return t('it cannot be read ({0})', r.detail);
    case 'unicodeTwin':
      return t('another file has the same name in another Unicode form');
    case 'unsafeKey':
      return unsafeKeyText(r.key, r.problem);
    case 'invalidKey':
      return invalidKeyText(r.problem);
    case 'other':
      return r.text;
  }
}

/** An item's reason in the UI's language (the English one for an item planned without data). */
export function itemReasonText(item: Pick<SyncItem, 'reason' | 'why'>): string {
  return item.why ? syncReasonText(item.why) : item.reason;
}

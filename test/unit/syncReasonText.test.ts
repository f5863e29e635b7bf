// The planner's reasons in the UI's language (issue 16): every reason the planner gives is data the
// Sync Preview says through the translate hook, in English exactly the sentence the planner logs;
// a refused row and a row's tooltip use it; the Chinese bundle has each sentence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { compareSides } from '../../src/transfer/sync/compareSides.js';
import { reasonOf, refusalOf, syncReasonEnglish, type SyncReason } from '../../src/transfer/sync/syncReasons.js';
import { KeyPathError, InvalidKeyError, checkKey, keyToLocalPath } from '../../src/transfer/paths/keyPath.js';
import type { SyncItem } from '../../src/transfer/sync/syncTypes.js';
import { itemDescription, itemTooltip } from '../../src/vscode/presentation/syncPreviewRows.js';
import { itemReasonText, syncReasonText } from '../../src/vscode/presentation/syncReasonText.js';
import { formatMessage, useTranslator } from '../../src/vscode/presentation/translate.js';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

// One of each code: a code added to SyncReason without a sentence here fails to compile.
const EVERY: { [C in SyncReason['code']]: Extract<SyncReason, { code: C }> } = {
  unchangedSinceLastSync: { code: 'unchangedSinceLastSync' },
  sameCrc64: { code: 'sameCrc64' },
  noRemoteCrc64: { code: 'noRemoteCrc64' },
  bothChanged: { code: 'bothChanged' },
  objectChangedFileReplaces: { code: 'objectChangedFileReplaces' },
  fileChanged: { code: 'fileChanged' },
  fileChangedObjectReplaces: { code: 'fileChangedObjectReplaces' },
  objectChanged: { code: 'objectChanged' },
  sizesDiffer: { code: 'sizesDiffer', localSize: 10, remoteSize: 999 },
  crc64sDiffer: { code: 'crc64sDiffer' },
  objectNewer: { code: 'objectNewer' },
  fileNewer: { code: 'fileNewer' },
  fileAsNew: { code: 'fileAsNew' },
  sameMetadataTime: { code: 'sameMetadataTime' },
  folderMissingLocally: { code: 'folderMissingLocally' },
  notLocal: { code: 'notLocal' },
  notLocalDeleted: { code: 'notLocalDeleted' },
  notLocalKept: { code: 'notLocalKept' },
  folderOnBothSides: { code: 'folderOnBothSides' },
  emptyFolderNotInBucket: { code: 'emptyFolderNotInBucket' },
  notInBucket: { code: 'notInBucket' },
  notInBucketDeleted: { code: 'notInBucketDeleted' },
  notInBucketKept: { code: 'notInBucketKept' },
  caseTwins: { code: 'caseTwins', first: 'A.txt', second: 'a.txt' },
  unreadable: { code: 'unreadable', detail: 'EACCES' },
  unicodeTwin: { code: 'unicodeTwin' },
  unsafeKey: refusalOf(thrown(() => keyToLocalPath('/tmp/x', 'p/../../etc/passwd', 'p/'))) as Extract<SyncReason, { code: 'unsafeKey' }>,
  invalidKey: refusalOf(thrown(() => checkKey(''))) as Extract<SyncReason, { code: 'invalidKey' }>,
  other: { code: 'other', text: 'something in words' },
};

test('in English, the preview says exactly what the planner logs, for every reason', () => {
  assert.equal(EVERY.unsafeKey.code, 'unsafeKey', 'a KeyPathError gives its problem as data');
  assert.equal(EVERY.invalidKey.code, 'invalidKey', 'an InvalidKeyError gives its problem as data');
  for (const r of Object.values(EVERY)) assert.equal(syncReasonText(r), syncReasonEnglish(r), r.code);
  assert.equal(syncReasonEnglish(EVERY.unsafeKey), (thrown(() => keyToLocalPath('/tmp/x', 'p/../../etc/passwd', 'p/')) as KeyPathError).message);
  assert.equal(syncReasonEnglish(EVERY.invalidKey), (thrown(() => checkKey('')) as InvalidKeyError).message);
  assert.equal(refusalOf(new Error('plain')).code, 'other');
});

test('through the translator, every reason is translated (none passes by in English)', () => {
  const seen: string[] = [];
  const sub = useTranslator({ t: (m, args) => (seen.push(m), `«${formatMessage(m, args)}»`), has: () => true });
  try {
    for (const r of Object.values(EVERY)) {
      if (r.code === 'other') continue; // words from elsewhere, already in their language
      assert.match(syncReasonText(r), /^«.*»$/, r.code);
    }
    assert.equal(syncReasonText({ code: 'sizesDiffer', localSize: 1500, remoteSize: 20 }), '«sizes differ (1,500 vs 20 bytes)»', 'sizes grouped as the UI groups counts');
  } finally {
    sub.dispose();
  }
  assert.ok(seen.length >= Object.keys(EVERY).length - 1);
});

test("the planner's verdicts carry their reason as data, and the preview's rows say it translated", async () => {
  const T = Date.parse('2026-12-01T10:00:00Z');
  const v = await compareSides('upload', 'size-mtime', { size: 10, mtimeMs: T }, { size: 12, etag: '"E"', lastModified: new Date(T).toISOString() }, undefined, {
    remoteCrc: async () => undefined, remoteMtimeMs: async () => undefined, localCrc: async () => 'x',
  });
  assert.deepEqual(v.why, { code: 'sizesDiffer', localSize: 10, remoteSize: 12 });
  assert.equal(v.reason, 'sizes differ (10 vs 12 bytes)');
  assert.equal(reasonOf('notInBucket'), reasonOf('notInBucket'), 'reasons without parameters are shared, not one object per item');

  const refused: SyncItem = { action: 'skip', kind: 'refused', key: '', file: '/w/A.txt', size: 0, name: 'A.txt', ...withWhy(EVERY.caseTwins) };
  const changed: SyncItem = { action: 'upload', kind: 'changed', key: 'p/b.txt', file: '/w/b.txt', size: 10, name: 'b.txt', ...withWhy(v.why) };
  const sub = useTranslator({ t: (m, args) => `«${formatMessage(m, args)}»`, has: () => true });
  try {
    assert.equal(itemDescription(refused), '«"A.txt" and "a.txt" differ only in case and would be one file on this disk»');
    assert.match(itemTooltip({ bucket: 'b' }, changed), /\n«sizes differ \(10 vs 12 bytes\)»$/);
    assert.equal(itemReasonText({ reason: 'planned by an older version' }), 'planned by an older version');
  } finally {
    sub.dispose();
  }
});

test('the Chinese bundle has every sentence the reasons use', () => {
  const zh = JSON.parse(readFileSync(path.join(__dirname, '../../l10n/bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
  const keys: string[] = [];
  const sub = useTranslator({ t: (m, args) => (keys.push(m), formatMessage(m, args)), has: () => false });
  try {
    for (const r of Object.values(EVERY)) syncReasonText(r);
  } finally {
    sub.dispose();
  }
  const missing = keys.filter((k) => !zh[k]);
  assert.deepEqual(missing, []);
});

function withWhy(why: SyncReason): { why: SyncReason; reason: string } {
  return { why, reason: syncReasonEnglish(why) };
}

// The Sync Preview's rows and words (vscode-free): items grouped by what happens to them, each group
// capped so a plan of 100,000 items stays a few hundred rows, the counts line, the progress line
// and the summary that lists each failed file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OssError } from '../../src/oss/ossError.js';
import type { SyncItem, SyncKind, SyncPlan, SyncResult, SyncTotals } from '../../src/transfer/sync/syncTypes.js';
import { buildPreviewGroups, groupOf, hiddenRowsText, itemDescription, itemTooltip } from '../../src/vscode/presentation/syncPreviewRows.js';
import { countsText, pairText, parsePatterns, formatPatterns, planHasWork, previewMessage, syncProgressText, syncSummary } from '../../src/vscode/presentation/syncText.js';

const KINDS: SyncKind[] = ['new', 'changed', 'unchanged', 'extraneous', 'conflict', 'refused'];

function item(name: string, kind: SyncKind, action: SyncItem['action'], size = 100, extra: Partial<SyncItem> = {}): SyncItem {
  return { name, kind, action, key: `site/${name}`, file: `/ws/site/${name}`, size, reason: `${kind} reason`, ...extra };
}

/** Totals the way the planner keeps them: by kind, and by action. */
function planOf(items: SyncItem[], over: Partial<SyncPlan> = {}): SyncPlan {
  const totals = Object.fromEntries([...KINDS, 'upload', 'download', 'delete', 'skip'].map((k) => [k, { files: 0, bytes: 0 }])) as SyncTotals;
  for (const it of items) {
    totals[it.kind].files++;
    totals[it.kind].bytes += it.size;
    totals[it.action].files++;
    totals[it.action].bytes += it.size;
  }
  return {
    direction: 'upload', localDir: '/ws/site', bucket: 'bkt', prefix: 'site/', compare: 'size-mtime', deleteExtraneous: true, profileId: 'p',
    items, totals, destinationCount: items.length, headRequests: 0, filesHashed: 0, ...over,
  };
}

test('items group by what happens to them, in a fixed order; empty groups are left out', () => {
  const plan = planOf([
    item('a.txt', 'unchanged', 'skip'),
    item('b.txt', 'changed', 'upload', 200, { local: { size: 200, mtimeMs: 0 }, remote: { size: 150, etag: 'x', lastModified: '2026-01-01T00:00:00.000Z' } }),
    item('c.txt', 'extraneous', 'delete', 50),
    item('d.txt', 'new', 'upload', 300),
    item('e.txt', 'conflict', 'upload', 10, { resolution: 'keep-local' }),
    item('f.txt', 'refused', 'skip', 0, { reason: 'two local names differ only in case' }),
  ]);
  const groups = buildPreviewGroups(plan);
  assert.deepEqual(groups.map((g) => [g.id, g.label, g.description, g.items.map((i) => i.name), g.collapsed]), [
    ['upload', 'Upload', '2 files · 500 B', ['b.txt', 'd.txt'], false],
    ['delete', 'Delete', '1 file · 50 B', ['c.txt'], false],
    ['conflict', 'Conflicts', '1 file · 10 B', ['e.txt'], false],
    ['refused', 'Refused', '1 file · 0 B', ['f.txt'], false],
    ['unchanged', 'Unchanged', '1 file · 100 B', ['a.txt'], true],
  ]);
  // A resolved conflict stays among the conflicts (its row says how it was resolved).
  assert.equal(groupOf(plan.items[4]!), 'conflict');
  assert.equal(itemDescription(plan.items[4]!), 'both sides changed · keep local');
  assert.equal(itemDescription({ ...plan.items[4]!, resolution: undefined }), 'both sides changed · skip');
  assert.equal(itemDescription(plan.items[1]!), 'changed · 150 B → 200 B');
  assert.equal(itemDescription(plan.items[3]!), 'new · 300 B');
  assert.equal(itemDescription(plan.items[2]!), 'only on the destination · 50 B');
  assert.equal(itemDescription(plan.items[5]!), 'two local names differ only in case');
  assert.match(itemTooltip(plan, plan.items[1]!), /^b\.txt\nLocal: \/ws\/site\/b\.txt \(200 B, modified 1970-01-01T00:00:00\.000Z\)\nObject: oss:\/\/bkt\/site\/b\.txt \(150 B, modified 2026-01-01T00:00:00\.000Z\)\nchanged reason$/);
});

test('with deleting off, files only on the destination are a quiet group of their own, not Delete', () => {
  const plan = planOf([item('old.txt', 'extraneous', 'skip', 70), item('x.txt', 'new', 'upload')], { deleteExtraneous: false });
  const groups = buildPreviewGroups(plan);
  assert.deepEqual(groups.map((g) => [g.id, g.label, g.collapsed]), [
    ['upload', 'Upload', false],
    ['kept', 'Only on the destination (kept)', true],
  ]);
  assert.equal(itemDescription(plan.items[0]!), 'only on the destination, kept · 70 B');
  assert.equal(countsText(plan), '1 new (100 B) · 1 only on the destination, kept (70 B)');
});

test('a download\'s changed file reads local size → object size', () => {
  const it = item('b.txt', 'changed', 'download', 150, { local: { size: 200, mtimeMs: 0 }, remote: { size: 150, etag: 'x', lastModified: '' } });
  assert.equal(itemDescription(it), 'changed · 200 B → 150 B');
  assert.equal(itemDescription({ ...it, remote: { ...it.remote!, size: 200 } }), 'changed · 150 B');
});

test('100,000 unchanged items and 1,200 uploads: each group holds at most the limit, the rest counted in one row', () => {
  const items: SyncItem[] = [];
  for (let i = 0; i < 100_000; i++) items.push(item(`u${i}`, 'unchanged', 'skip', 1));
  for (let i = 0; i < 1_200; i++) items.push(item(`n${i}`, 'new', 'upload', 2));
  const groups = buildPreviewGroups(planOf(items));
  const [upload, unchanged] = groups;
  assert.equal(upload!.items.length, 500);
  assert.equal(upload!.hidden, 700);
  assert.equal(upload!.description, '1,200 files · 2.3 KiB');
  assert.equal(hiddenRowsText(upload!), '… and 700 more');
  assert.equal(unchanged!.items.length, 500);
  assert.equal(hiddenRowsText(unchanged!), '… and 99,500 more');
  assert.equal(buildPreviewGroups(planOf(items), 10)[0]!.items.length, 10);
});

test('the counts line and what Apply would do', () => {
  const plan = planOf([
    item('a', 'new', 'upload', 1024),
    item('b', 'new', 'upload', 2048),
    item('c', 'changed', 'upload', 10),
    item('d', 'extraneous', 'delete', 5),
    item('e', 'unchanged', 'skip'),
    item('f', 'conflict', 'skip'),
    item('g', 'refused', 'skip'),
  ]);
  assert.equal(countsText(plan), '2 new (3.0 KiB) · 1 changed (10 B) · 1 to delete (5 B) · 1 conflict · 1 refused · 1 unchanged');
  assert.equal(previewMessage(plan), `${countsText(plan)}. Apply will upload 3 files, delete 1 file.`);
  const idle = planOf([item('e', 'unchanged', 'skip'), item('f', 'unchanged', 'skip')]);
  assert.equal(planHasWork(idle), false);
  assert.equal(previewMessage(idle), '2 unchanged. Nothing to apply.');
  assert.equal(countsText(planOf([])), 'Nothing to sync: both sides are empty.');
});

test('the pair reads in the direction files move; patterns are typed comma-separated', () => {
  assert.equal(pairText({ direction: 'upload', localDir: '/ws/site', bucket: 'bkt', prefix: 'www/' }), 'site → oss://bkt/www/');
  assert.equal(pairText({ direction: 'download', localDir: '/ws/site', bucket: 'bkt', prefix: '' }), 'oss://bkt/ → site');
  assert.deepEqual(parsePatterns(' *.map, dist/** ,, tmp/ '), ['*.map', 'dist/**', 'tmp/']);
  assert.deepEqual(parsePatterns(''), []);
  assert.equal(formatPatterns(['*.map', 'tmp/']), '*.map, tmp/');
});

test('the progress line: files settled of all, bytes, speed, time left, the file moving', () => {
  assert.equal(
    syncProgressText({ filesDone: 3, filesFailed: 1, filesTotal: 12, bytesDone: 1024 * 1024, bytesTotal: 4 * 1024 * 1024, bytesPerSecond: 2 * 1024 * 1024, etaSeconds: 5, current: 'site/css/index.css' }),
    '4 of 12 files · 1.0 MiB of 4.0 MiB · 2.0 MiB/s · 5s left · index.css · 1 failed',
  );
  assert.equal(syncProgressText({ filesDone: 1, filesFailed: 0, filesTotal: 1, bytesDone: 10, bytesTotal: 10, bytesPerSecond: 0, etaSeconds: 0, current: 'a' }), '1 of 1 file · 10 B of 10 B');
});

function result(over: Partial<SyncResult> = {}): SyncResult {
  return { upload: { done: 0, failed: 0 }, download: { done: 0, failed: 0 }, delete: { done: 0, failed: 0 }, deletesSkipped: 0, cancelled: 0, bytesMoved: 0, failures: [], ...over };
}
const pair = { direction: 'upload' as const, localDir: '/ws/site', bucket: 'bkt', prefix: 'site/' };

test('the summary: what was done; each failed file by name with its reason, the rest completed; a cancel keeps checkpoints', () => {
  assert.deepEqual(syncSummary(pair, result({ upload: { done: 2, failed: 0 }, delete: { done: 1, failed: 0 }, bytesMoved: 2048 })), {
    kind: 'done',
    message: 'Synced site → oss://bkt/site/: 2 uploaded, 1 deleted, 2.0 KiB moved.',
  });
  const denied = new OssError({ status: 403, code: 'AccessDenied', message: 'denied', requestId: 'R1', operation: 'PutObject' });
  const failures = Array.from({ length: 7 }, (_, i) => ({ action: 'upload' as const, key: `site/f${i}.txt`, file: `/ws/site/f${i}.txt`, error: denied }));
  const s = syncSummary(pair, result({ upload: { done: 3, failed: 7 }, deletesSkipped: 2, bytesMoved: 300, failures }));
  assert.equal(s.kind, 'failed');
  assert.equal(
    s.message,
    'Sync site → oss://bkt/site/: 7 files failed, the rest completed (3 uploaded, 300 B moved). Failed: site/f0.txt (Access was denied); site/f1.txt (Access was denied); site/f2.txt (Access was denied); site/f3.txt (Access was denied); site/f4.txt (Access was denied); and 2 more in the OSS log. 2 files on the destination not deleted, since not every transfer completed.',
  );
  const c = syncSummary(pair, result({ upload: { done: 1, failed: 0 }, cancelled: 4, deletesSkipped: 1 }));
  assert.equal(c.kind, 'cancelled');
  assert.match(c.message, /^Sync site → oss:\/\/bkt\/site\/ cancelled: 1 uploaded; 4 files not finished keep their checkpoints, so syncing again continues where it stopped\./);
  assert.match(c.message, /1 file on the destination not deleted/);
  assert.equal(syncSummary(pair, result()).message, 'Synced site → oss://bkt/site/: nothing changed.');
});

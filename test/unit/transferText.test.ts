import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchProgress } from '../../src/vscode/presentation/batchProgress.js';
import type { TransferItem, TransferSpec, TransferState } from '../../src/transfer/batch/transferTypes.js';
import { cancelledMessage, commonDir, describeRow, destinationFolder, destinationName, progressMessage, rowDescription, successMessage } from '../../src/vscode/presentation/transferText.js';

const MB = 1024 * 1024;

function item(state: TransferState, spec: Partial<TransferSpec> = {}, extra: Partial<TransferItem> = {}): TransferItem {
  return {
    id: 'i',
    spec: { direction: 'download', profileId: 'p', bucket: 'b', key: 'videos/big-demo.bin', file: '/home/u/dl/big-demo.bin', ...spec },
    state,
    transferredBytes: 30 * MB,
    totalBytes: 100 * MB,
    bytesPerSecond: 0,
    ...extra,
  };
}

test('row descriptions carry state words and percent the e2e tests and screen readers rely on', () => {
  assert.equal(describeRow(item('interrupted')), '↓ Interrupted · 30% of 100 MiB');
  assert.equal(describeRow(item('paused', { direction: 'upload' })), '↑ Paused · 30% of 100 MiB');
  assert.equal(describeRow(item('cancelled')), '↓ Cancelled · 30% of 100 MiB');
  assert.equal(describeRow(item('running', {}, { bytesPerSecond: 2 * MB, etaSeconds: 35 })), '↓ 30% · 30.0 MiB of 100 MiB · 2.0 MiB/s · 35s left');
  assert.equal(describeRow(item('queued')), '↓ Queued · 100 MiB');
  assert.equal(describeRow(item('done', {}, { transferredBytes: 100 * MB })), '↓ Done · 100 MiB');
});

test('a failed row says why in plain words', () => {
  const err = Object.assign(new Error('The request signature we calculated does not match'), { code: 'SignatureDoesNotMatch', status: 403, requestId: 'R1' });
  const d = describeRow(item('failed', {}, { error: err }));
  assert.match(d, /^↓ Failed: /);
  assert.match(d, /AccessKey secret/);
});

test('the notification line: bytes, speed, time left, current file and its position', () => {
  let t = 0;
  const bp = new BatchProgress({ now: () => t, minIntervalMs: 0 });
  const a = item('done', { key: 'a.bin' }, { transferredBytes: 10 * MB, totalBytes: 10 * MB });
  const b = item('running', { key: 'dir/b.bin' }, { transferredBytes: 0, totalBytes: 10 * MB });
  bp.sample([a, b]);
  t = 1000;
  const snap = bp.sample([a, { ...b, transferredBytes: 5 * MB }])!;
  assert.equal(progressMessage(snap, 2), '15.0 MiB of 20.0 MiB · 5.0 MiB/s · 1s left · b.bin (2 of 2)');
  assert.equal(progressMessage(snap, 1), '15.0 MiB of 20.0 MiB · 5.0 MiB/s · 1s left', 'a one-file batch is named by its title');
  // At folder scale the position reads with thousands separators.
  const many = { ...snap, counts: { ...snap.counts, done: 1233 } };
  assert.match(progressMessage(many, 10_000), / · b\.bin \(1,234 of 10,000\)$/);
});

test('success messages name the file or count, the size and where it went', () => {
  const up = item('done', { direction: 'upload', key: 'docs/a.txt', file: '/w/a.txt' }, { totalBytes: 2048, transferredBytes: 2048 });
  assert.equal(successMessage([up], []), 'Uploaded a.txt (2.0 KiB) to oss://b/docs/.');
  const d1 = item('done', { file: '/home/u/dl/x/1.bin' }, { totalBytes: MB });
  const d2 = item('done', { file: '/home/u/dl/y/2.bin' }, { totalBytes: MB });
  assert.equal(successMessage([], [d1, d2]), 'Downloaded 2 files (2.0 MiB) to /home/u/dl.');
});

test('commonDir finds the deepest shared folder', () => {
  assert.equal(commonDir(['/a/b/c/1', '/a/b/d/2']), '/a/b');
  assert.equal(commonDir(['/a/b/1', '/a/b/2']), '/a/b');
  assert.equal(commonDir(['/a/1', '/x/2']), '/');
  assert.equal(commonDir(['/a/bc/1', '/a/b/2']), '/a');
});

test('the cancel notice fits one file and many', () => {
  assert.equal(cancelledMessage('Download a.bin', 0, 1), 'Cancelled: Download a.bin. Its checkpoint is kept; resume it from the Transfers view.');
  assert.equal(
    cancelledMessage('Upload 5 files', 2, 5),
    'Cancelled: Upload 5 files. 2 of 5 finished; the other 3 keep their checkpoints and can be resumed from the Transfers view.',
  );
});

test('an upload notice names the folder it went to, not only the bucket', () => {
  const up = (key: string, bucket = 'demo-bucket') =>
    item('done', { direction: 'upload', bucket, key, file: `/w/${key}` }, { totalBytes: 30 * MB, transferredBytes: 30 * MB });
  // "Uploaded x (30.0 MB) to demo-bucket" did not say where in the bucket x went.
  assert.equal(successMessage([up('videos/2026/x.bin')], []), 'Uploaded x.bin (30.0 MiB) to oss://demo-bucket/videos/2026/.');
  assert.equal(successMessage([up('top.bin')], []), 'Uploaded top.bin (30.0 MiB) to oss://demo-bucket/.');
  // A folder upload: the deepest folder all its keys share.
  assert.equal(successMessage([up('docs/photos/a.jpg'), up('docs/photos/2026/b.jpg')], []), 'Uploaded 2 files (60.0 MiB) to oss://demo-bucket/docs/photos/.');
  assert.equal(successMessage([up('docs/a.jpg'), up('docsx/b.jpg')], []), 'Uploaded 2 files (60.0 MiB) to oss://demo-bucket/.');
  assert.equal(successMessage([up('a/x.bin'), up('b/y.bin', 'other')], []), 'Uploaded 2 files (60.0 MiB) to 2 buckets.');
});

test('a row names the file where it lands and the folder it goes to', () => {
  const home = '/home/u';
  const keepBoth = item('running', { file: '/home/u/dl/big-demo (1).bin' }, { bytesPerSecond: 2 * MB, etaSeconds: 35 });
  assert.equal(destinationName(keepBoth.spec), 'big-demo (1).bin', 'a "Keep both" copy is told apart from the first download');
  assert.equal(destinationFolder(keepBoth.spec, home), 'dl', 'the folder by its name; the tooltip has the whole path');
  assert.equal(rowDescription(keepBoth, home), '↓ 30% · 30.0 MiB of 100 MiB · 2.0 MiB/s · 35s left · to dl');
  const elsewhere = item('done', { file: '/srv/data/big-demo.bin' }, { transferredBytes: 100 * MB });
  assert.equal(destinationFolder(elsewhere.spec, home), 'data');
  assert.equal(rowDescription(elsewhere, home), '↓ Done · 100 MiB · to data');
  assert.equal(destinationFolder(item('done', { file: '/home/u/x.bin' }).spec, home), '~');
  assert.equal(destinationFolder(item('done', { file: '/home/user2/x.bin' }).spec, home), 'user2', 'a sibling of home is not home');
  assert.equal(destinationFolder(item('done', { file: '/x.bin' }).spec, home), '/');
  const up = item('paused', { direction: 'upload', bucket: 'demo-bucket', key: 'docs/report.bin', file: '/home/u/report.bin' });
  assert.equal(destinationName(up.spec), 'report.bin');
  assert.equal(destinationFolder(up.spec, home), 'oss://demo-bucket/docs/');
  assert.equal(rowDescription(up, home), '↑ Paused · 30% of 100 MiB · to oss://demo-bucket/docs/');
  assert.equal(destinationFolder(item('done', { direction: 'upload', bucket: 'b', key: 'top.bin' }).spec, home), 'oss://b/');
  const win = item('done', { file: 'C:\\Users\\u\\Downloads\\a.bin' });
  assert.equal(destinationName(win.spec), 'a.bin');
});

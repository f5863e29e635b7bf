// The words and numbers of a batch row, and how items group into rows (vscode-free).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  batchContextValue,
  batchLabel,
  buildTransfersModel,
  CHILD_LIMIT,
  describeBatch,
  hiddenChildrenText,
  RESTORED_GROUP,
} from '../../src/vscode/presentation/batchRows.js';
import { formatCount } from '../../src/vscode/presentation/quantityFormat.js';
import type { TransferItem, TransferState } from '../../src/transfer/batch/transferTypes.js';

function item(id: string, state: TransferState, transferredBytes: number, totalBytes: number, batchId?: string): TransferItem {
  return {
    id,
    spec: { direction: 'upload', profileId: 'p', bucket: 'bkt', key: `dir/${id}`, file: `/tmp/${id}` },
    state,
    transferredBytes,
    totalBytes,
    bytesPerSecond: 0,
    ...(batchId ? { batchId } : {}),
  };
}

test('a batch of 1,000 reads "412 of 1,000 files · 3 failed · bytes"', () => {
  const items: TransferItem[] = [];
  const kb = 4 * 1024; // 1,000 files of 4 KiB: 3.9 MiB in all
  for (let i = 0; i < 1000; i++) {
    const state: TransferState = i < 412 ? 'done' : i < 415 ? 'failed' : i < 420 ? 'running' : 'queued';
    items.push(item(`f${i}`, state, state === 'done' ? kb : state === 'running' ? kb / 2 : 0, kb, 'B'));
  }
  const m = buildTransfersModel(items);
  assert.equal(m.rows.length, 1);
  const row = m.rows[0]!;
  assert.equal(row.kind, 'batch');
  const b = row.kind === 'batch' ? row.batch : assert.fail('batch row');
  assert.equal(b.totalBytes, 1000 * kb);
  assert.equal(b.transferredBytes, 412 * kb + 5 * (kb / 2));
  assert.equal(describeBatch(b), '↑ 412 of 1,000 files · 3 failed · 1.6 MiB of 3.9 MiB');
  assert.deepEqual(b.childIds, ['f415', 'f416', 'f417', 'f418', 'f419', 'f412', 'f413', 'f414'], 'running first, then failed; no done or queued');
  assert.equal(b.hiddenChildren, 0);
  assert.equal(b.state, 'running');
  assert.equal(batchContextValue(b), 'transferBatch pausable cancellable hasFailed');
  assert.equal(m.parentOf.get('f415'), 'B');
  assert.equal(m.parentOf.get('f0'), undefined, 'done items have no row to reveal');
});

test('a one-file batch and a single restored item stay plain rows; restored items group together', () => {
  const m = buildTransfersModel([item('solo', 'running', 1, 10, 'S'), item('r1', 'interrupted', 0, 5)]);
  assert.deepEqual(m.rows, [{ kind: 'item', id: 'solo' }, { kind: 'item', id: 'r1' }]);
  const m2 = buildTransfersModel([item('r1', 'interrupted', 0, 5), item('r2', 'interrupted', 0, 5), item('x', 'done', 5, 5, 'D')]);
  assert.equal(m2.rows.length, 2);
  const restored = m2.batches.get(RESTORED_GROUP)!;
  assert.deepEqual(restored.ids, ['r1', 'r2']);
  assert.equal(batchLabel(restored, undefined), 'Interrupted in an earlier session');
  assert.equal(batchContextValue(restored), 'transferBatch resumable');
  assert.equal(describeBatch(restored), '↑ 0 of 2 files · 2 interrupted · 0 B of 10 B');
});

test('children are capped; the rest is one "… more" line; rows sort by activity', () => {
  const items: TransferItem[] = [];
  for (let i = 0; i < 10_000; i++) items.push(item(`f${i}`, i % 2 ? 'failed' : 'done', 0, 1, 'BIG'));
  items.push(item('a', 'done', 1, 1, 'OLD'), item('b', 'done', 1, 1, 'OLD'));
  items.push(item('c', 'queued', 0, 1, 'NEW'), item('d', 'running', 0, 1, 'NEW'));
  const m = buildTransfersModel(items);
  assert.deepEqual(
    m.rows.map((r) => (r.kind === 'batch' ? r.batch.key : r.id)),
    ['NEW', 'BIG', 'OLD'],
  );
  const big = m.batches.get('BIG')!;
  assert.equal(big.childIds.length, CHILD_LIMIT);
  assert.equal(big.hiddenChildren, 5000 - CHILD_LIMIT);
  assert.equal(hiddenChildrenText(big), `… ${formatCount(5000 - CHILD_LIMIT)} more not listed: the batch's actions apply to them too`);
  assert.equal(big.state, 'failed');
  assert.equal(batchContextValue(big), 'transferBatch hasFailed');
  assert.equal(batchLabel(big, 'Upload photos to bkt/'), 'Upload photos to bkt/');
  assert.equal(batchLabel(big, undefined), 'Upload 10,000 files (bkt)');
  assert.equal(m.batches.get('OLD')!.state, 'done');
  assert.equal(formatCount(1234567), '1,234,567');
});

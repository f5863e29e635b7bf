// The sync's notification and its Transfers entry say one speed (issue 16): the notification reads
// the TransferSpeeds the rows read, so whatever the rows show for the sync's running files, the
// notification shows their sum, and the time left at that speed; 100% waits for the end of the sync.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TransferItem, TransferState } from '../../src/transfer/batch/transferTypes.js';
import { formatDuration, formatSpeed } from '../../src/vscode/presentation/quantityFormat.js';
import { SyncNotificationProgress } from '../../src/vscode/presentation/syncProgress.js';
import { TransferSpeeds } from '../../src/vscode/presentation/transferSpeeds.js';

function item(id: string, state: TransferState, transferredBytes: number, totalBytes: number): TransferItem {
  // The engine's own figure differs on purpose: neither the rows nor the notification may show it.
  return { id, spec: { direction: 'upload', profileId: 'p', bucket: 'b', key: `site/${id}`, file: `/tmp/${id}` }, state, transferredBytes, totalBytes, bytesPerSecond: 123_456_789, batchId: 'sync' };
}

function setup() {
  let t = 5_000_000;
  const speeds = new TransferSpeeds({ now: () => t });
  return { speeds, advance: (ms: number) => (t += ms), notification: new SyncNotificationProgress(speeds, 0) };
}

test("the sync notification's speed and time left are the sum of its rows' speeds in the Transfers view", () => {
  const { speeds, advance, notification } = setup();
  const MiB = 1024 * 1024;
  const at = (a: number, b: number) => [item('a.bin', 'running', a, 40 * MiB), item('b.bin', 'running', b, 40 * MiB), item('c.txt', 'queued', 0, 20 * MiB)];
  notification.sample(at(0, 0), true);
  let last: ReturnType<SyncNotificationProgress['sample']>;
  // a at 2 MiB/s, b at 1 MiB/s, in irregular steps, the rows (the tree) looking at other moments.
  for (let s = 1; s <= 6; s++) {
    advance(400);
    speeds.observe(at((s - 0.6) * 2 * MiB, (s - 0.6) * MiB)); // the Transfers view refreshing
    advance(600);
    last = notification.sample(at(s * 2 * MiB, s * MiB), true);
  }
  const rows = speeds.speedOf('a.bin') + speeds.speedOf('b.bin');
  assert.ok(rows > 2 * MiB && rows < 4 * MiB, `the rows show about 3 MiB/s (${rows})`);
  assert.equal(last!.progress.bytesPerSecond, rows, 'the notification shows what the rows show');
  assert.ok(last!.message.includes(formatSpeed(rows)), last!.message);
  const left = 100 * MiB - 18 * MiB;
  assert.equal(last!.progress.etaSeconds, Math.ceil(left / rows));
  assert.ok(last!.message.includes(formatDuration(Math.ceil(left / rows))), last!.message);
  assert.ok(!last!.message.includes(formatSpeed(123_456_789)), "not the engine's own figure");
});

test('a paused sync has no speed in its notification, as its rows have none', () => {
  const { speeds, advance, notification } = setup();
  notification.sample([item('a', 'running', 0, 1000)], true);
  advance(1000);
  assert.ok(notification.sample([item('a', 'running', 500, 1000)], true)!.progress.bytesPerSecond > 0);
  advance(500);
  const paused = notification.sample([item('a', 'paused', 500, 1000)], true)!;
  assert.equal(speeds.speedOf('a'), 0);
  assert.equal(paused.progress.bytesPerSecond, 0);
  assert.equal(paused.progress.etaSeconds, undefined);
});

test('files and bytes as the sync line says them; the bar stops at 99% until the sync is over', () => {
  const { notification } = setup();
  const first = notification.sample([item('a', 'running', 50, 100), item('b', 'queued', 0, 100)], true)!;
  assert.equal(first.increment, 25);
  assert.match(first.message, /^0 of 2 files · 50 B of 200 B/);
  const end = notification.sample([item('a', 'done', 100, 100), item('b', 'failed', 10, 100)], true)!;
  assert.equal(first.increment + end.increment, 99, 'the deletes come after the files');
  assert.match(end.message, /^2 of 2 files · .* · 1 failed$/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayName, formatBytes, formatDuration, formatPercent, formatSpeed } from '../../src/vscode/presentation/quantityFormat.js';

test('formatBytes uses binary units with one decimal below 100', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(200 * 1024 * 1024), '200 MiB');
  assert.equal(formatBytes(5 * 1024 ** 4), '5.0 TiB');
  assert.equal(formatBytes(-1), '?');
  assert.equal(formatSpeed(2 * 1024 * 1024), '2.0 MiB/s');
});

test('formatDuration', () => {
  assert.equal(formatDuration(0.2), '1s');
  assert.equal(formatDuration(75), '1m 15s');
  assert.equal(formatDuration(3700), '1h 1m');
  assert.equal(formatDuration(Number.NaN), '?');
});

test('formatPercent floors and clamps', () => {
  assert.equal(formatPercent(996, 1000), '99%');
  assert.equal(formatPercent(2000, 1000), '100%');
  assert.equal(formatPercent(0, 0), '0%');
  assert.equal(formatPercent(5, 0), '100%');
});

test('displayName is the last segment of a key or path', () => {
  assert.equal(displayName('a/b/c.txt'), 'c.txt');
  assert.equal(displayName('a/b/'), 'b/');
  assert.equal(displayName('top.bin'), 'top.bin');
  assert.equal(displayName('C:\\data\\x.bin'), 'x.bin');
  assert.equal(displayName('/'), '/');
});

test('the tree and the Transfers view word one size the same way (one formatter)', () => {
  // 1,048,575 bytes read "1.0 MB" in the tree and "1024 KB" in Transfers while two formatters existed.
  assert.equal(formatBytes(1024 * 1024 - 1), '1.0 MiB');
  assert.equal(formatSpeed(1024 * 1024 - 1), '1.0 MiB/s');
});

test('sizes are counted in 1024s and labelled as such (KiB, MiB, GiB), never KB / MB / GB', () => {
  // The tree said "256 MB" for the demo object the README and `npm start` call 256 MiB.
  assert.equal(formatBytes(256 * 1024 * 1024), '256 MiB');
  assert.equal(formatBytes(1024), '1.0 KiB');
  assert.equal(formatBytes(3 * 1024 ** 3), '3.0 GiB');
  for (let n = 1; n < 1024 ** 5 * 10; n = Math.ceil(n * 1.7)) {
    assert.match(formatBytes(n), /^\d+(\.\d)? (B|[KMGTP]iB)$/, `${n} bytes`);
  }
});

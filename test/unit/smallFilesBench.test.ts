// BENCH_SMALL's form and the default the small-files bench compares at (test/bench/smallFilesBench.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { defaultConcurrentFiles, parseSmallFiles } from '../bench/smallFilesBench.js';

test('parseSmallFiles reads "1000x4K" and refuses what it cannot read', () => {
  assert.deepEqual(parseSmallFiles('1000x4K'), { count: 1000, size: 4096 });
  assert.deepEqual(parseSmallFiles(' 10000 x 4KiB '), { count: 10000, size: 4096 });
  assert.deepEqual(parseSmallFiles('300x1.5M'), { count: 300, size: 1.5 * 1024 * 1024 });
  assert.deepEqual(parseSmallFiles('5x100'), { count: 5, size: 100 });
  assert.throws(() => parseSmallFiles('0x4K'), /BENCH_SMALL: cannot read/);
  assert.throws(() => parseSmallFiles('1000'), /BENCH_SMALL: cannot read/);
  assert.throws(() => parseSmallFiles('1000x4G'), /BENCH_SMALL: cannot read/);
});

test("the default files at once is the extension's setting default", () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', `file://${__filename}`), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { default?: number }> } };
  };
  assert.equal(defaultConcurrentFiles(), pkg.contributes.configuration.properties['ossTransfer.concurrentFiles']!.default);
  assert.equal(defaultConcurrentFiles(), 64);
});

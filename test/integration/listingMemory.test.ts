// A folder of 100,000 objects is listed and planned for download in bounded memory: a child
// process consumes the streamed specs from a generated bucket (test/hostile/listingFake.ts) and
// reports the heap still in use at worst (after a GC) and its peak RSS. The whole-listing way the
// download command planned before is measured too, as the yardstick the bound must beat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { startListingFake } from '../hostile/listingFake.js';

const COUNT = 100_000;

function child(endpoint: string, mode: 'stream' | 'whole', root: string): Promise<{ specs: number; heapMB: number; rssMB: number }> {
  const script = path.join(__dirname, 'listingMemoryChild.ts');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--expose-gc', '--import', 'tsx', script, endpoint, mode, root], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as { specs: number; heapMB: number; rssMB: number });
    });
  });
}

test('listing and planning 100,000 keys streamed holds a few pages, not the folder', { timeout: 300_000 }, async () => {
  const fake = await startListingFake({ count: COUNT });
  const root = await mkdtemp(path.join(os.tmpdir(), 'oss-listing-memory-'));
  try {
    const streamed = await child(fake.endpoint, 'stream', root);
    const whole = await child(fake.endpoint, 'whole', root);
    console.log(`100,000 keys: streamed ${streamed.heapMB.toFixed(1)} MB heap, ${streamed.rssMB.toFixed(0)} MB RSS; whole ${whole.heapMB.toFixed(1)} MB heap, ${whole.rssMB.toFixed(0)} MB RSS`);
    assert.equal(streamed.specs, COUNT);
    assert.equal(whole.specs, COUNT);
    assert.ok(streamed.rssMB < 250, `peak RSS ${streamed.rssMB} MB`);
    assert.ok(streamed.heapMB < 16, `heap in use ${streamed.heapMB} MB`);
    assert.ok(whole.heapMB > 3 * streamed.heapMB, `the whole listing held ${whole.heapMB} MB, streamed ${streamed.heapMB} MB`);
  } finally {
    await fake.close();
    await rm(root, { recursive: true, force: true });
  }
});

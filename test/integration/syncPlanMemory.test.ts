// A sync plan of 100,000 keys costs well under 200 MB (issue 16): a child process plans a download
// sync of a generated bucket (test/hostile/listingFake.ts) and reports the heap the finished plan
// holds (after a GC) and how far its RSS rose above where it started (node and tsx alone take ~100 MB
// before the plan). Measured on 2 cores: 36.6 MB held, peak RSS 159-180 MB for the whole process.
// The heap bound also guards the listing reader's copies: values left as views into their pages kept
// 47-55 MB alive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { startListingFake } from '../hostile/listingFake.js';

const COUNT = 100_000;

test('planning a sync of 100,000 keys costs under 200 MB', { timeout: 300_000 }, async () => {
  const fake = await startListingFake({ count: COUNT });
  const root = await mkdtemp(path.join(os.tmpdir(), 'oss-sync-memory-'));
  try {
    const script = path.join(__dirname, 'syncPlanMemoryChild.ts');
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--expose-gc', '--import', 'tsx', script, fake.endpoint, path.join(root, 'dest'), path.join(root, 'state')], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${err.message}\n${stderr}`));
        else resolve(stdout);
      });
    });
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as { baseRssMB: number; items: number; downloads: number; heapMB: number; rssMB: number; ms: number };
    console.log(`# sync plan of ${r.items} keys: ${r.heapMB.toFixed(1)} MB heap held by the plan; RSS ${r.baseRssMB.toFixed(0)} MB before, ${r.rssMB.toFixed(0)} MB at peak; ${r.ms} ms`);
    assert.equal(r.items, COUNT);
    assert.equal(r.downloads, COUNT);
    assert.ok(r.heapMB < 45, `the plan holds ${r.heapMB.toFixed(1)} MB of heap`);
    assert.ok(r.rssMB - r.baseRssMB < 150, `planning raised RSS by ${(r.rssMB - r.baseRssMB).toFixed(0)} MB`);
  } finally {
    await fake.close();
    await rm(root, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { statAll } from '../../src/transfer/sync/localTree.js';

function folderOf(count: number): { dir: string; files: Array<{ full: string; st: undefined }> } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'oss-stat-all-'));
  const files = [];
  for (let i = 0; i < count; i++) {
    const full = path.join(dir, `f${i}`);
    writeFileSync(full, Buffer.alloc(i));
    files.push({ full, st: undefined });
  }
  return { dir, files };
}

test('statAll: sizes in order, a missing file gives its error, the same whether stats stay in the thread or go to the pool', async () => {
  const { dir, files } = folderOf(300);
  try {
    files.splice(150, 0, { full: path.join(dir, 'gone'), st: undefined });
    // The default (local disk: in the thread, a slice at a time), and every slice judged slow with a
    // stat a slice (two in the thread, the rest in the pool).
    for (const slowMs of [undefined, -1]) {
      const out = await statAll(files, slowMs === undefined ? {} : { slowStatMs: slowMs, sliceMs: 0 });
      assert.equal(out.length, 301);
      const gone = out[150];
      assert.ok(gone instanceof Error && (gone as NodeJS.ErrnoException).code === 'ENOENT', `slow ${slowMs}: ${String(gone)}`);
      const sizes = out.filter((s, i) => i !== 150).map((s) => (s as { size: number }).size);
      assert.deepEqual(sizes, Array.from({ length: 300 }, (_, i) => i), `slow ${slowMs}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('statAll yields to the event loop while it works through a large folder', async () => {
  const { dir, files } = folderOf(20_000);
  try {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const out = await statAll(files);
    clearInterval(timer);
    assert.equal(out.length, 20_000);
    assert.ok(ticks > 0, 'a timer ran while the stats were taken');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

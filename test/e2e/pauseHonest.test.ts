// Issue 17, "Pause is honest and keeps what it fetched", as a person does it in real VS Code: a large
// download (16 MiB parts, set in the settings: automatic parts are 2 MiB for 64 MiB) is paused from
// the Transfers view while every connection is in the middle of a part. The notification then says
// paused with no speed and no time left, the row shows what the checkpoint kept, Resume never makes
// the row's percentage go down, and the server's byte counters show that under 1 MiB per connection
// is fetched twice.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startE2eEnvironment, step, type E2eEnvironment } from './support/e2eEnvironment.js';
import { fileSize, serverObjectSha256, sha256File } from './support/fileChecks.js';
import { waitUntil } from './support/workbench.js';
import { downloadFromTree, openTransfers } from './support/ossUi.js';
import { largeObjectKey } from '../../scripts/demoData.js';

const MiB = 1024 * 1024;
const size = 64 * MiB;
/** 64 MiB in 16 MiB parts (ossTransfer.partSizeMB), all four in flight at once (the pacer starts at 8). */
const connections = 4;
/** Every part request is served this far, then hangs: each connection stops mid-part. */
const cut = 6 * MiB + 54_321;
let env: E2eEnvironment;

before(async () => {
  // The speed floor off: a part stalled by the server stays in flight instead of being fetched again.
  // Parts of 16 MiB: each is cut mid-way (automatic ones, 2 MiB for this size, would all finish).
  env = await startE2eEnvironment({ suite: 'pause-honest', largeSize: size, settings: { 'ossTransfer.minSpeedKBps': 0, 'ossTransfer.partSizeMB': 16 } });
});

after(async () => {
  await env?.close();
});

const percentOf = (description: string): number | undefined => {
  const m = /(\d+)%/.exec(description);
  return m ? Number(m[1]) : undefined;
};

test('pausing a download mid-part: says paused without speed or time left, keeps what it fetched, and Resume never goes back', async () => {
  const { server, wb, page } = env;
  const target = path.join(env.root, 'downloads');
  fs.mkdirSync(target, { recursive: true });
  const dest = path.join(target, 'big-demo.bin');
  const match = { op: 'GetObject' as const, bucket: 'demo-bucket', key: largeObjectKey };
  let served = 0;
  let pausedPct = 0;

  await step(env, 'p1-every-connection-mid-part', async () => {
    server.faults.add(match, { type: 'stall', ms: 10 * 60_000, afterBytes: cut }, Infinity);
    server.stats.reset();
    await downloadFromTree(env, ['demo-bucket', 'videos', 'big-demo.bin'], target);
    await waitUntil(() => server.stats.get('GetObject').bytesOut >= connections * cut, 'every part to be served up to the cut', 120_000);
    // The row counts what the extension received; wait until it has all of it.
    const { transfers } = await openTransfers(env);
    const row = wb.row(transfers, 'big-demo.bin');
    await row.waitFor({ timeout: 60_000 });
    const expected = Math.floor((100 * connections * cut) / size);
    await waitUntil(async () => (percentOf(await wb.rowDescription(row)) ?? 0) >= expected, `the row to reach ${expected}%`, 60_000);
    // Nothing arrives any more: after a few seconds the row says so by showing no speed and no time left.
    let description = '';
    await waitUntil(async () => !/\/s|left/.test((description = await wb.rowDescription(row))), 'the stalled row to drop its speed', 60_000);
    assert.match(description, /^↓ \d+% · /);
  });

  await step(env, 'p2-paused-honestly', async () => {
    const { transfers } = await openTransfers(env);
    const row = wb.row(transfers, 'big-demo.bin');
    let description = '';
    // As a person would: click Pause, and click again if the row did not take it.
    await waitUntil(async () => {
      if (/Paused/.test((description = await wb.rowDescription(row)))) return true;
      await wb.inlineAction(row, 'Pause');
      for (const until = Date.now() + 5000; Date.now() < until; await page.waitForTimeout(100)) {
        if (/Paused/.test((description = await wb.rowDescription(row)))) return true;
      }
      return false;
    }, 'the row to say Paused', 60_000, 0);
    served = server.stats.get('GetObject').bytesOut;
    assert.equal(served, connections * cut, 'nothing more was served after the cut');
    // What was received reached the disk and the checkpoint: the row shows exactly that.
    assert.match(description, /^↓ Paused · kept \d+% of 64(\.0)? [KMG]i?B · to downloads$/);
    pausedPct = percentOf(description)!;
    assert.equal(pausedPct, Math.floor((100 * served) / size), `kept what it fetched: "${description}"`);
    // The batch's notification says paused, with neither a speed nor a time left.
    let message = '';
    await waitUntil(async () => {
      message = (await wb.notificationMessages()).find((m) => /big-demo\.bin|of 64/.test(m) && /paused/.test(m)) ?? '';
      return message !== '';
    }, 'the notification to say paused', 30_000);
    assert.doesNotMatch(message, /\/s|left/, `no speed and no time left while paused: "${message}"`);
    // Nothing moves: the status bar's transfer total is gone.
    await waitUntil(async () => (await page.locator('.statusbar-item[aria-label^="OSS transfers"]').count()) === 0, 'the status bar total to hide');
  });

  await step(env, 'p3-resume-never-goes-back', async () => {
    server.faults.clear();
    server.stats.reset();
    const { transfers } = await openTransfers(env);
    const row = wb.row(transfers, 'big-demo.bin');
    await wb.inlineAction(row, 'Resume');
    const seen: number[] = [];
    let description = '';
    await waitUntil(async () => {
      description = await wb.rowDescription(row);
      const pct = percentOf(description);
      if (pct !== undefined && !/Done/.test(description)) seen.push(pct);
      return /Done/.test(description);
    }, 'the download to finish', 180_000, 50);
    assert.ok(seen.length > 0, 'the row showed its progress while it ran');
    assert.ok(seen[0]! >= pausedPct, `the first figure after Resume (${seen[0]}%) is not below the paused one (${pausedPct}%)`);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! >= seen[i - 1]!, `never went down: ${seen.join(' → ')}`);
    assert.equal(fileSize(dest), size);
    assert.equal(await sha256File(dest), await serverObjectSha256(server, 'demo-bucket', largeObjectKey));
    assert.deepEqual(fs.readdirSync(target), ['big-demo.bin'], 'no temp files are left beside the download');
    const refetched = server.stats.get('GetObject').bytesOut;
    const twice = refetched - (size - served);
    assert.ok(twice < connections * MiB, `fetched again ${twice} bytes over ${connections} connections: under 1 MiB each`);
    process.stdout.write(`[e2e] pause: kept ${served} B (${pausedPct}%), fetched ${refetched} B on Resume, ${twice} B twice; row ${seen.join(' → ')}%\n`);
  });
});

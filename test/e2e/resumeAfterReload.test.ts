// Issue 5, scenario 4: a large download interrupted by reloading the window shows as Interrupted in the
// Transfers view; Resume finishes it byte-identical and the server's byte counters prove that the bytes
// already done were not fetched again. Also takes the README screenshot (tree + transfer in progress).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startE2eEnvironment, step, type E2eEnvironment } from './support/e2eEnvironment.js';
import { fileSize, serverObjectSha256, sha256File } from './support/fileChecks.js';
import { waitUntil } from './support/workbench.js';
import { downloadFromTree, openTransfers, waitForTransferState } from './support/ossUi.js';
import { largeObjectKey } from '../../scripts/demoData.js';
import { projectRoot } from '../../scripts/e2e/projectPaths.js';

const MiB = 1024 * 1024;
const size = 64 * MiB;
let env: E2eEnvironment;

before(async () => {
  // 1 MiB parts, 2 at a time: many small checkpoint steps, so an interruption lands mid-way.
  env = await startE2eEnvironment({
    suite: 'resume-after-reload', largeSize: size,
    settings: { 'ossTransfer.partSizeMB': 1, 'ossTransfer.parallelParts': 2 },
  });
});

after(async () => {
  await env?.close();
});

test('4. a download interrupted by a window reload resumes from the Transfers view without refetching done bytes', async () => {
  const { server, wb, page } = env;
  const target = path.join(env.root, 'downloads');
  fs.mkdirSync(target, { recursive: true });
  const dest = path.join(target, 'big-demo.bin');
  let doneAtInterrupt = 0;

  await step(env, '4a-download-running', async () => {
    // Every ranged GET of the big object waits 150 ms: slow enough to interrupt, fast enough to finish.
    const match = { op: 'GetObject' as const, bucket: 'demo-bucket', key: largeObjectKey };
    const slow = server.faults.add(match, { type: 'stall', ms: 150 }, Infinity);
    await downloadFromTree(env, ['demo-bucket', 'videos', 'big-demo.bin'], target);
    await waitUntil(() => server.stats.get('GetObject').bytesOut >= 12 * MiB, 'the first 12 MiB to be served', 60_000);
    // From here on new part requests hang, so the download is surely mid-way when the window reloads,
    // however slow the machine (the parts already in flight still finish and are checkpointed).
    server.faults.remove(slow);
    server.faults.add(match, { type: 'stall', ms: 10 * 60_000 }, Infinity);
    const { transfers } = await openTransfers(env);
    await wb.row(transfers, 'big-demo.bin').waitFor();
    const readmeShot = await env.artifacts.screenshot(page, '4a-transfer-in-progress');
    // The README's picture; refreshed in the repository only on request, so CI runs leave the tree clean.
    if (process.env.E2E_UPDATE_SCREENSHOT === '1') fs.copyFileSync(readmeShot, path.join(projectRoot, 'media', 'screenshot.png'));
  });

  await step(env, '4b-interrupted-after-reload', async () => {
    assert.notEqual(fileSize(dest), size, 'the download must not have finished before the reload');
    await page.reload();
    await wb.waitForReady();
    const { transfers } = await openTransfers(env);
    await wb.resizeSideBar(460); // the width is not kept across a reload
    const row = wb.row(transfers, 'big-demo.bin');
    await row.waitFor({ timeout: 60_000 });
    await waitUntil(async () => /Interrupted/.test(await wb.rowDescription(row)), 'the transfer to show as Interrupted');
    const description = await wb.rowDescription(row);
    const pct = Number(/(\d+)%/.exec(description)?.[1] ?? NaN);
    assert.ok(pct > 0 && pct < 100, `Interrupted row shows partial progress: "${description}"`);
    doneAtInterrupt = Math.floor((pct / 100) * size);
  });

  await step(env, '4c-resumed-byte-identical', async () => {
    server.faults.clear();
    server.stats.reset();
    const { transfers } = await openTransfers(env);
    await wb.inlineAction(wb.row(transfers, 'big-demo.bin'), 'Resume');
    await waitForTransferState(env, 'big-demo.bin', /Done/);
    assert.equal(fileSize(dest), size);
    assert.equal(await sha256File(dest), await serverObjectSha256(server, 'demo-bucket', largeObjectKey));
    assert.deepEqual(fs.readdirSync(target), ['big-demo.bin'], 'no temp files are left beside the download');
    const refetched = server.stats.get('GetObject').bytesOut;
    // Resume fetches what the checkpoint did not hold: at most size - done (+1 part of rounding in the %).
    assert.ok(refetched <= size - doneAtInterrupt + MiB,
      `resume fetched ${refetched} bytes; ${doneAtInterrupt} of ${size} were done before the reload`);
    assert.ok(refetched < size, 'resume did not fetch the whole object again');
    process.stdout.write(`[e2e] resume: done before reload ≈ ${doneAtInterrupt} B, fetched on resume ${refetched} B of ${size} B\n`);
  });
});

// Issue 5, scenario 5: Cancel in one batch's progress notification stops that transfer and leaves the
// other batch running to a byte-identical finish.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startE2eEnvironment, step, type E2eEnvironment } from './support/e2eEnvironment.js';
import { fileSize, serverObjectSha256, sha256File } from './support/fileChecks.js';
import { waitUntil } from './support/workbench.js';
import { downloadFromTree, openTransfers, waitForTransferState } from './support/ossUi.js';
import { largeObjectKey } from '../../scripts/demoData.js';

const MiB = 1024 * 1024;
const bigSize = 64 * MiB;
const mediumKey = 'datasets/medium-24MiB.bin';
let env: E2eEnvironment;

before(async () => {
  env = await startE2eEnvironment({
    suite: 'cancel-one-transfer', largeSize: bigSize,
    settings: { 'ossTransfer.partSizeMB': 1, 'ossTransfer.parallelParts': 2 },
  });
});

after(async () => {
  await env?.close();
});

test('5. Cancel in one notification stops that transfer and leaves the other running', async () => {
  const { server, wb } = env;
  const target = path.join(env.root, 'downloads');
  fs.mkdirSync(target, { recursive: true });
  // Slow enough (1 MiB parts, 2 at a time) that both are still running when Cancel is clicked.
  const slowBig = server.faults.add({ op: 'GetObject', bucket: 'demo-bucket', key: largeObjectKey }, { type: 'stall', ms: 400 }, Infinity);
  const slowMedium = server.faults.add({ op: 'GetObject', bucket: 'demo-bucket', key: mediumKey }, { type: 'stall', ms: 600 }, Infinity);

  await step(env, '5a-two-downloads-running', async () => {
    await downloadFromTree(env, ['demo-bucket', 'videos', 'big-demo.bin'], target);
    await wb.notification(/big-demo\.bin/).first().waitFor();
    await downloadFromTree(env, ['demo-bucket', 'datasets', 'medium-24MiB.bin'], target);
    await wb.notification(/medium-24MiB\.bin/).first().waitFor();
    await waitUntil(() => server.faults.hits(slowMedium) >= 2 && server.faults.hits(slowBig) >= 2, 'both downloads to be fetching parts');
  });

  await step(env, '5b-cancel-medium', async () => {
    const toast = wb.notification(/medium-24MiB\.bin/).first();
    await toast.hover(); // toasts show their buttons on hover too; the Cancel button is always rendered for cancellable progress
    await wb.notificationButton(toast, 'Cancel').click();
    const { transfers } = await openTransfers(env);
    const row = wb.row(transfers, 'medium-24MiB.bin');
    await waitUntil(async () => !(await row.isVisible()) || /Cancelled/.test(await wb.rowDescription(row)), 'medium-24MiB.bin to be cancelled');
    // After cancellation no further part requests for it arrive, while the big one keeps going.
    const mediumHits = server.faults.hits(slowMedium);
    const bigHits = server.faults.hits(slowBig);
    await waitUntil(() => server.faults.hits(slowBig) >= bigHits + 4, 'the other download to keep fetching parts');
    assert.ok(server.faults.hits(slowMedium) <= mediumHits + 2, 'at most the requests in flight at cancel time, none after');
  });

  await step(env, '5c-other-finished', async () => {
    server.faults.remove(slowBig);
    const dest = path.join(target, 'big-demo.bin');
    await waitForTransferState(env, 'big-demo.bin', /Done/);
    assert.equal(fileSize(dest), bigSize);
    assert.equal(await sha256File(dest), await serverObjectSha256(server, 'demo-bucket', largeObjectKey));
    assert.equal(fs.existsSync(path.join(target, 'medium-24MiB.bin')), false, 'the cancelled download left no file behind');
  });
});

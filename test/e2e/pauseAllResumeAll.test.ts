// Issue 18: Pause All and Resume All, from the Transfers view's title bar and from the Command
// Palette. Two downloads of separate batches run; Pause All stops both (no part request reaches the
// server while paused), Resume All sets both going again, and they finish byte-identical.
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
    suite: 'pause-all-resume-all', largeSize: bigSize,
    settings: { 'ossTransfer.partSizeMB': 1, 'ossTransfer.parallelParts': 2 },
  });
});

after(async () => {
  await env?.close();
});

const NAMES = ['big-demo.bin', 'medium-24MiB.bin'];

/** Both rows of the Transfers view show `state`. */
async function bothShow(state: RegExp): Promise<void> {
  for (const name of NAMES) await waitForTransferState(env, name, state, 60_000);
}

/** GetObject requests reaching the server stay put for `ms`: nothing moves while paused. */
async function noRequestsFor(ms: number): Promise<void> {
  const before = env.server.stats.get('GetObject').requests;
  await new Promise((r) => setTimeout(r, ms));
  assert.equal(env.server.stats.get('GetObject').requests, before, 'no part request while everything is paused');
}

test('Pause All stops every transfer and Resume All continues them, from the title bar and the palette', async () => {
  const { server, wb } = env;
  const target = path.join(env.root, 'downloads');
  fs.mkdirSync(target, { recursive: true });
  // Slow parts (1 MiB, 2 at a time, each answered after 300 ms): both downloads are surely running when paused.
  const slowBig = server.faults.add({ op: 'GetObject', bucket: 'demo-bucket', key: largeObjectKey }, { type: 'stall', ms: 300 }, Infinity);
  const slowMedium = server.faults.add({ op: 'GetObject', bucket: 'demo-bucket', key: mediumKey }, { type: 'stall', ms: 300 }, Infinity);

  await step(env, '18a-two-downloads-running', async () => {
    await downloadFromTree(env, ['demo-bucket', 'videos', 'big-demo.bin'], target);
    await downloadFromTree(env, ['demo-bucket', 'datasets', 'medium-24MiB.bin'], target);
    await waitUntil(() => server.faults.hits(slowBig) >= 2 && server.faults.hits(slowMedium) >= 2, 'both downloads to be fetching parts');
  });

  await step(env, '18b-pause-all-from-the-title-bar', async () => {
    await openTransfers(env);
    await wb.viewTitleAction('Transfers', 'Pause All');
    await bothShow(/Paused/);
    await noRequestsFor(2_000);
    for (const name of NAMES) assert.equal(fs.existsSync(path.join(target, name)), false, `${name}: a paused download is not in place yet`);
  });

  await step(env, '18c-resume-all-from-the-palette', async () => {
    const hits = server.faults.hits(slowBig) + server.faults.hits(slowMedium);
    await wb.runCommand('OSS: Resume All');
    await waitUntil(() => server.faults.hits(slowBig) + server.faults.hits(slowMedium) >= hits + 4, 'both downloads to fetch parts again');
    // Running again: a percentage, and no longer "Paused".
    for (const name of NAMES) await waitForTransferState(env, name, /^(?!.*Paused).*\d+%/, 60_000);
  });

  await step(env, '18d-pause-all-from-the-palette', async () => {
    await wb.runCommand('OSS: Pause All');
    await bothShow(/Paused/);
    await noRequestsFor(1_500);
  });

  await step(env, '18e-resume-all-from-the-title-bar-finishes-both', async () => {
    server.faults.clear();
    await openTransfers(env);
    await wb.viewTitleAction('Transfers', 'Resume All');
    await bothShow(/Done/);
    const big = path.join(target, 'big-demo.bin');
    const medium = path.join(target, 'medium-24MiB.bin');
    assert.equal(fileSize(big), bigSize);
    assert.equal(await sha256File(big), await serverObjectSha256(server, 'demo-bucket', largeObjectKey));
    assert.equal(await sha256File(medium), await serverObjectSha256(server, 'demo-bucket', mediumKey));
    assert.deepEqual(fs.readdirSync(target).sort(), ['big-demo.bin', 'medium-24MiB.bin'], 'no temp files are left beside the downloads');
  });
});

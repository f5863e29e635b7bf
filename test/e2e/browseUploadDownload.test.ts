// Issue 5, scenarios 1-3 in real VS Code (code-server): browse the demo buckets, upload from the
// Explorer context menu, download from the tree. Byte identity is checked with SHA-256 on the
// server's stored file and on the downloaded file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startE2eEnvironment, step, type E2eEnvironment } from './support/e2eEnvironment.js';
import { serverObjectSha256, sha256, sha256File, fileSize } from './support/fileChecks.js';
import { waitUntil } from './support/workbench.js';
import { openBuckets, openTransfers, profileLabel, uploadFromExplorer, downloadFromTree, waitForTransferState } from './support/ossUi.js';

const uploadContent = randomBytes(5 * 1024 * 1024 + 123);
let env: E2eEnvironment;

before(async () => {
  env = await startE2eEnvironment({ suite: 'browse-upload-download', workspaceFiles: { 'report-2026.bin': uploadContent } });
});

after(async () => {
  await env?.close();
});

test('1. the OSS view lists the demo buckets; a bucket shows folders and objects with sizes', async () => {
  await step(env, '1-buckets-tree', async () => {
    const { wb, buckets } = await openBuckets(env);
    const profile = wb.row(buckets, profileLabel);
    await wb.expandRow(profile);
    const bucket = wb.row(buckets, 'demo-bucket');
    await bucket.waitFor();
    await wb.row(buckets, 'demo-archive').waitFor();
    await wb.expandRow(bucket);
    for (const folder of ['datasets', 'docs', 'images', 'videos']) await wb.row(buckets, folder).waitFor();
    const readme = wb.row(buckets, 'README.txt');
    await readme.waitFor();
    assert.match(await wb.rowDescription(readme), /\b1\.2 KiB\b/, 'README.txt (1200 bytes) shows its size');
    await wb.expandRow(wb.row(buckets, 'images'));
    const large = wb.row(buckets, 'photo-large.bin');
    await large.waitFor();
    assert.match(await wb.rowDescription(large), /\b3(\.0)? MiB\b/, 'photo-large.bin (3 MiB) shows its size');
    assert.match(await wb.rowDescription(wb.row(buckets, 'photo-small.bin')), /\b150(\.0)? KiB\b/);
  });
});

test('2. Explorer "Upload to OSS…" shows progress and lands byte-identical, then appears in the tree', async () => {
  await step(env, '2-upload-from-explorer', async () => {
    const { server, wb } = env;
    // The target folder is open in the tree first, so the new object must appear there by itself.
    const { buckets } = await openBuckets(env);
    await wb.expandRow(wb.row(buckets, 'docs'));
    await wb.row(buckets, 'getting-started.md').waitFor();
    // Hold the upload's first data request for a moment so the progress notification is surely on screen.
    server.faults.add({ op: ['PutObject', 'InitiateMultipartUpload'], bucket: 'demo-bucket' }, { type: 'stall', ms: 3000 }, 1);
    await uploadFromExplorer(env, 'report-2026.bin', { bucket: 'demo-bucket', folder: 'docs/' });
    // The batch is named by what goes where (the file, then its destination).
    const toast = wb.notification(/^Upload report-2026\.bin to oss:\/\/demo-bucket\/docs\//).first();
    await toast.waitFor({ timeout: 30_000 });
    assert.equal(await toast.locator('.monaco-progress-container').count(), 1, 'the notification carries a progress bar');
    assert.equal(await wb.notificationButton(toast, 'Cancel').count(), 1, 'the notification can be cancelled');
    await env.artifacts.screenshot(env.page, '2-upload-progress-notification');

    const expected = sha256(uploadContent);
    await waitUntil(async () => (await serverObjectSha256(server, 'demo-bucket', 'docs/report-2026.bin')) === expected,
      'docs/report-2026.bin to land on the server byte-identical', 60_000, 250);

    // The finished notice says where in the bucket the file went, not only the bucket.
    await wb.notification('Uploaded report-2026.bin (5.0 MiB) to oss://demo-bucket/docs/.').first().waitFor({ timeout: 30_000 });
    await openBuckets(env);
    const uploaded = wb.row(buckets, 'report-2026.bin');
    await uploaded.waitFor({ timeout: 30_000 });
    assert.match(await wb.rowDescription(uploaded), /\b5(\.0)? MiB\b/);
  });
});

test('3. downloading an object from the tree produces a byte-identical file', async () => {
  await step(env, '3-download-from-tree', async () => {
    const target = path.join(env.root, 'downloads');
    fs.mkdirSync(target, { recursive: true });
    await downloadFromTree(env, ['demo-bucket', 'images', 'photo-large.bin'], target);
    const file = path.join(target, 'photo-large.bin');
    await waitForTransferState(env, 'photo-large.bin', /Done/);
    assert.equal(fileSize(file), 3 * 1024 * 1024);
    assert.equal(await sha256File(file), await serverObjectSha256(env.server, 'demo-bucket', 'images/photo-large.bin'));
    const leftovers = fs.readdirSync(target).filter((n) => n !== 'photo-large.bin');
    assert.deepEqual(leftovers, [], 'no temp files are left beside the download');
  });
});

test('3b. downloading the same object again ("Keep both", another folder) gives rows that say which file and where', async () => {
  await step(env, '3b-repeated-downloads-told-apart', async () => {
    const { wb } = env;
    const first = path.join(env.root, 'downloads');
    const second = path.join(env.root, 'downloads-2');
    fs.mkdirSync(second, { recursive: true });
    // Test 3 downloaded photo-large.bin into `first`: the same download again asks, and Keep both makes a copy.
    await downloadFromTree(env, ['demo-bucket', 'images', 'photo-large.bin'], first);
    await wb.waitForQuickInputTitle(/already exists/);
    await wb.pick('Keep both');
    await waitForTransferState(env, 'photo-large (1).bin', /Done/);
    await downloadFromTree(env, ['demo-bucket', 'images', 'photo-large.bin'], second);
    await waitUntil(() => fileSize(path.join(second, 'photo-large.bin')) === 3 * 1024 * 1024, 'the download into the second folder');
    const { transfers } = await openTransfers(env);
    const rows = transfers.locator('.monaco-list-row');
    let seen: string[] = [];
    await waitUntil(async () => {
      seen = [];
      for (const row of await rows.all()) seen.push(`${(await row.locator('.label-name').first().textContent())?.trim()} | ${await wb.rowDescription(row)}`);
      // Test 2's upload has a row too; test 3's download is the first of the three.
      seen = seen.filter((r) => r.startsWith('photo-large'));
      return seen.length === 3 && seen.every((r) => / · to /.test(r) && /Done/.test(r));
    }, 'three finished rows that say where they went', 60_000, 250);
    const where = seen.map((r) => r.replace(/\|.* · to /, '| to ')).sort();
    assert.deepEqual(where, ['photo-large (1).bin | to downloads', 'photo-large.bin | to downloads', 'photo-large.bin | to downloads-2'].sort());
    assert.equal(await sha256File(path.join(first, 'photo-large (1).bin')), await serverObjectSha256(env.server, 'demo-bucket', 'images/photo-large.bin'));
  });
});

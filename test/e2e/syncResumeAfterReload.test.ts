// Issue 16: a sync interrupted by a window reload finishes the whole sync when its files are
// resumed, driven as a person clicks. A workspace folder is synced to a prefix that holds one
// extraneous object, with deleting on (the large-delete question answered); one file hangs at the
// server, the window reloads mid-sync, the file shows as Interrupted in the Transfers view, Resume
// finishes it, and then the rest of the sync runs: the extraneous object is gone, the summary of
// the sync is shown, and the bucket matches the folder byte for byte.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startE2eEnvironment, step, type E2eEnvironment } from './support/e2eEnvironment.js';
import { serverObjectSha256, sha256File } from './support/fileChecks.js';
import { waitUntil } from './support/workbench.js';
import { containerTitle, openTransfers } from './support/ossUi.js';
import { listAllObjects } from '../../src/transfer/listing/listAllObjects.js';

const bucket = 'demo-bucket';
const folder = 'site';
const files: Record<string, Buffer> = {
  'index.html': Buffer.from('<!doctype html>\n<title>Home</title>\n'),
  'about.html': Buffer.from('<!doctype html>\n<title>About</title>\n'),
  'css/main.css': Buffer.from('body { margin: 0; }\n'),
  'js/app.js': Buffer.from('console.log("hi");\n'),
  'data/items.json': Buffer.from('[1, 2, 3]\n'),
  'slow.txt': Buffer.from('this one hangs at the server until the window reloads\n'),
};
const COUNT = Object.keys(files).length;
const pairLabel = `${folder} → oss://${bucket}/${folder}/`;
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
let env: E2eEnvironment;

before(async () => {
  env = await startE2eEnvironment({
    suite: 'sync-resume-after-reload',
    workspaceFiles: Object.fromEntries(Object.entries(files).map(([rel, content]) => [`${folder}/${rel}`, content])),
  });
  await env.client.putObject({ bucket, key: `${folder}/old.txt`, body: Buffer.from('only on OSS: the sync deletes it\n') });
});

after(async () => {
  await env?.close();
});

async function keys(): Promise<string[]> {
  return (await listAllObjects(env.client, bucket, `${folder}/`)).map((o) => o.key.slice(folder.length + 1)).sort();
}

test('16. a sync with a delete interrupted by a window reload: its file resumed from the Transfers view, the rest of the sync follows', async () => {
  const { wb, page, server } = env;
  const slowKey = `${folder}/slow.txt`;

  await step(env, '16r-sync-with-delete-hangs-on-one-file', async () => {
    // slow.txt's upload hangs before the server stores it, so the sync is surely mid-way at the reload.
    server.faults.add({ op: 'PutObject', bucket, key: slowKey }, { type: 'stall', ms: 10 * 60_000, afterBytes: 1 }, Infinity);
    await wb.openContainer('Explorer');
    const row = wb.row(wb.page.locator('.explorer-folders-view'), folder);
    await row.waitFor();
    await wb.contextMenu(row, 'Sync Folder to OSS…');
    await wb.waitForQuickInputTitle(/^Bucket/);
    await wb.pick(bucket);
    await wb.waitForQuickInputTitle(`Sync to oss://${bucket}/`);
    await wb.quickInput().locator('.quick-input-box input').fill(folder);
    await wb.pick(`Sync to new folder “${folder}”`);
    await wb.waitForQuickInputTitle(`Sync ${pairLabel}`);
    await wb.pick('Delete extraneous files on the destination');
    await wb.pick('Compare and Preview');

    await waitUntil(() => wb.containerShowing(containerTitle), 'the preview to bring the OSS Transfer side bar forward', 120_000);
    const pane = wb.pane('Sync Preview');
    await pane.waitFor({ timeout: 120_000 });
    const message = pane.locator('.message').first();
    await waitUntil(async () => /Apply will upload/.test((await message.textContent()) ?? ''), 'the preview');
    assert.match((await message.textContent()) ?? '', new RegExp(`^${COUNT} new \\(.*\\) · 1 to delete \\(\\d+ B\\)\\. Apply will upload ${COUNT} files, delete 1 file\\.$`));
    await wb.paneAction(pane, 'Apply Sync');
    // 1 of the prefix's 1 object is above the 20% threshold: the modal asks again.
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Delete 1 File' }).click();
    await waitUntil(async () => (await keys()).length === COUNT, 'every file but slow.txt to land (old.txt still there)', 120_000);
    assert.deepEqual(await keys(), [...Object.keys(files).filter((f) => f !== 'slow.txt'), 'old.txt'].sort());
  });

  await step(env, '16s-reload-shows-the-file-interrupted', async () => {
    await page.reload();
    await wb.waitForReady();
    const { transfers } = await openTransfers(env);
    await wb.resizeSideBar(460);
    const row = wb.row(transfers, 'slow.txt');
    await row.waitFor({ timeout: 60_000 });
    await waitUntil(async () => /Interrupted/.test(await wb.rowDescription(row)), 'slow.txt to show as Interrupted');
    assert.ok((await keys()).includes('old.txt'), 'nothing deleted while the sync is unfinished');
  });

  await step(env, '16t-resume-and-the-sync-finishes', async () => {
    server.faults.clear();
    const { transfers } = await openTransfers(env);
    await wb.inlineAction(wb.row(transfers, 'slow.txt'), 'Resume');
    const summary = wb.notification(new RegExp(`^Synced ${escape(pairLabel)}: ${COUNT} uploaded, 1 deleted`)).first();
    await summary.waitFor({ timeout: 120_000 });
    await env.artifacts.screenshot(page, '16t-sync-finished-after-reload');
    assert.equal(await serverObjectSha256(server, bucket, `${folder}/old.txt`), undefined, 'the extraneous object is gone');
    const local = Object.keys(files).sort();
    assert.deepEqual(await keys(), local, 'the prefix holds exactly the folder\'s files');
    for (const rel of local) assert.equal(await serverObjectSha256(server, bucket, `${folder}/${rel}`), await sha256File(path.join(env.workspace, folder, rel)), `${rel} byte-identical`);
    assert.ok(fs.existsSync(path.join(env.workspace, folder, 'slow.txt')));
  });
});

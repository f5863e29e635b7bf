// Issue 16 in real VS Code (code-server), driven as a person clicks: a workspace folder synced to a
// prefix from the Explorer's context menu (preview, Apply, one Transfers entry); then two files
// changed and one deleted on disk, synced again through the remembered pair with deleting turned on:
// the preview shows exactly those three (2 changed, 1 to delete, the rest unchanged), a click on a
// changed file opens its diff against the object, Apply, and the bucket matches the folder byte for
// byte. Then the status-bar item compares again in one click: nothing to apply, Cancel. A file
// changed on both sides is a conflict that waits for Keep Local on its row. And the
// other way, from the Buckets tree: a prefix synced into a local folder, where a stale file goes
// only after the large-delete question, and the folder ends up holding exactly the objects.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { startE2eEnvironment, step, type E2eEnvironment } from './support/e2eEnvironment.js';
import { serverObjectSha256, sha256File } from './support/fileChecks.js';
import { waitUntil } from './support/workbench.js';
import { containerTitle, openTransfers, revealInBuckets } from './support/ossUi.js';
import { listAllObjects } from '../../src/transfer/listing/listAllObjects.js';

const bucket = 'demo-bucket';
const folder = 'site';
const text = (s: string): Buffer => Buffer.from(s, 'utf8');
const files: Record<string, Buffer> = {
  'index.html': text('<!doctype html>\n<title>Home</title>\n<p>Welcome.</p>\n'),
  'about.html': text('<!doctype html>\n<title>About</title>\n'),
  'robots.txt': text('User-agent: *\nAllow: /\n'),
  'css/main.css': text('body { margin: 0; }\n'),
  'js/app.js': text('console.log("hello");\n'),
  'docs/a.md': text('# A\n'),
  'docs/b.md': text('# B\n\nTo be deleted locally.\n'),
  'docs/c.md': text('# C\n'),
  'data/items.json': text('[1, 2, 3]\n'),
  'img/logo.bin': randomBytes(20_000),
};
const COUNT = Object.keys(files).length;
const pairLabel = `${folder} → oss://${bucket}/${folder}/`;
let env: E2eEnvironment;

before(async () => {
  env = await startE2eEnvironment({
    suite: 'sync-folder',
    workspaceFiles: Object.fromEntries(Object.entries(files).map(([rel, content]) => [`${folder}/${rel}`, content])),
  });
});

after(async () => {
  await env?.close();
});

/** Every file below `dir`, '/'-separated relative paths. */
function walk(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

/** The prefix holds exactly the folder's files, each byte-identical (SHA-256 of the server's stored object). */
async function assertBucketMatchesFolder(): Promise<void> {
  const local = walk(path.join(env.workspace, folder)).sort();
  const listed = (await listAllObjects(env.client, bucket, `${folder}/`)).map((o) => o.key.slice(folder.length + 1)).sort();
  assert.deepEqual(listed, local, 'the prefix lists exactly the folder\'s files');
  for (const rel of local) {
    assert.equal(await serverObjectSha256(env.server, bucket, `${folder}/${rel}`), await sha256File(path.join(env.workspace, folder, rel)), `${rel} byte-identical`);
  }
}

/** Explorer → right-click the folder → "Sync Folder to OSS…". */
async function syncFromExplorer(): Promise<void> {
  const { wb } = env;
  await wb.openContainer('Explorer');
  const row = wb.row(wb.page.locator('.explorer-folders-view'), folder);
  await row.waitFor();
  await wb.contextMenu(row, 'Sync Folder to OSS…');
}

/** The options quick pick: checks the delete switch reads `deleting`, then Compare and Preview. */
async function previewWithOptions(deleting: 'On' | 'Off', pair = pairLabel): Promise<void> {
  const { wb } = env;
  await wb.waitForQuickInputTitle(`Sync ${pair}`);
  const qi = wb.quickInput();
  const deleteRow = qi.locator('.quick-input-list .monaco-list-row', { hasText: 'Delete extraneous files on the destination' }).first();
  await waitUntil(async () => ((await deleteRow.locator('.label-description').textContent()) ?? '').trim() === deleting, `the delete switch to read ${deleting}`);
  await wb.pick('Compare and Preview');
}

/**
 * The Sync Preview pane, with Buckets and Transfers collapsed so all its rows are drawn (the tree
 * only draws the rows that fit). `cameForward`: the preview must have brought the side bar to it by
 * itself (after a command run from the Explorer), not be opened here.
 */
async function previewPane(cameForward = false): Promise<Locator> {
  const { wb } = env;
  if (cameForward) await waitUntil(() => wb.containerShowing(containerTitle), 'the preview to bring the OSS Transfer side bar forward', 120_000);
  else await wb.openContainer(containerTitle);
  const pane = wb.pane('Sync Preview');
  await pane.waitFor({ timeout: 120_000 });
  for (const other of ['Buckets', 'Transfers']) await wb.collapsePane(other);
  return wb.expandPane('Sync Preview');
}

async function previewMessage(pane: Locator): Promise<string> {
  const m = pane.locator('.message').first();
  await m.waitFor();
  return ((await m.textContent()) ?? '').trim();
}

/** The rows under the group row `group` (its item rows, by label), in the order shown. */
async function groupChildren(pane: Locator, group: string): Promise<string[]> {
  const rows = pane.locator('.monaco-list-row');
  const n = await rows.count();
  const out: string[] = [];
  let inside = false;
  for (let i = 0; i < n; i++) {
    const r = rows.nth(i);
    const level = Number(await r.getAttribute('aria-level'));
    const label = ((await r.locator('.label-name').first().textContent()) ?? '').trim();
    if (level === 1) inside = label === group;
    else if (inside) out.push(label);
  }
  return out;
}

async function groupLabels(pane: Locator): Promise<string[]> {
  return (await pane.locator('.monaco-list-row[aria-level="1"] .label-name').allTextContents()).map((s) => s.trim());
}

test('16. a folder synced to a prefix; changes synced again with deleting on; the bucket matches byte for byte', async () => {
  const { wb, page } = env;

  await step(env, '16a-sync-folder-from-explorer', async () => {
    await syncFromExplorer();
    await wb.waitForQuickInputTitle(/^Bucket/);
    await wb.pick(bucket);
    await wb.waitForQuickInputTitle(`Sync to oss://${bucket}/`);
    await wb.quickInput().locator('.quick-input-box input').fill(folder);
    await wb.pick(`Sync to new folder “${folder}”`);
    await previewWithOptions('Off');
  });

  await step(env, '16b-preview-lists-every-file-as-new', async () => {
    const pane = await previewPane(true);
    await waitUntil(async () => (await previewMessage(pane)).startsWith(`${COUNT} new`), 'the preview to count the new files');
    assert.match(await previewMessage(pane), new RegExp(`^${COUNT} new \\([\\d.]+ KiB\\)\\. Apply will upload ${COUNT} files\\.$`));
    assert.equal(((await pane.locator('.pane-header .description').textContent()) ?? '').trim(), pairLabel, 'the view names the pair');
    assert.deepEqual(await groupLabels(pane), ['Upload']);
    assert.match(await wb.rowDescription(wb.row(pane, 'Upload')), new RegExp(`^${COUNT} files · [\\d.]+ KiB$`));
    // The group's rows are drawn after its count: wait for them before reading them.
    await waitUntil(async () => (await groupChildren(pane, 'Upload')).length === COUNT, `the Upload group to show ${COUNT} rows`);
    assert.equal((await groupChildren(pane, 'Upload')).length, COUNT);
    assert.match(await wb.rowDescription(wb.row(pane, 'css/main.css')), /^new · \d+ B$/);
  });

  await step(env, '16c-apply-one-transfers-entry', async () => {
    const pane = await previewPane();
    await wb.paneAction(pane, 'Apply Sync');
    const done = wb.notification(new RegExp(`^Synced ${pairLabel.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: ${COUNT} uploaded`));
    await done.first().waitFor({ timeout: 120_000 });
    await assertBucketMatchesFolder();
    // One entry in the Transfers view, named after the pair, with every file done.
    const { transfers } = await openTransfers(env);
    const row = wb.row(transfers, `Sync ${pairLabel}`);
    await row.waitFor({ timeout: 30_000 });
    await waitUntil(async () => new RegExp(`^↑ ${COUNT} of ${COUNT} files`).test(await wb.rowDescription(row)), 'the sync batch row to count every file done');
    // The pair is remembered: the status bar offers it.
    await wb.statusBarItem(`Sync ${folder}`).waitFor({ timeout: 30_000 });
  });

  await step(env, '16d-change-two-delete-one-and-preview', async () => {
    const root = path.join(env.workspace, folder);
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>\n<title>Home</title>\n<p>Welcome back, with news.</p>\n');
    fs.writeFileSync(path.join(root, 'css/main.css'), 'body { margin: 0; padding: 1rem; }\n');
    fs.rmSync(path.join(root, 'docs/b.md'));
    // Again from the Explorer: the remembered destination comes first, deleting is turned on for this run.
    await syncFromExplorer();
    await wb.waitForQuickInputTitle(`Sync ${folder} to OSS`);
    await wb.pick(`oss://${bucket}/${folder}/`);
    await wb.waitForQuickInputTitle(`Sync ${pairLabel}`);
    await wb.pick('Delete extraneous files on the destination');
    await previewWithOptions('On');

    const pane = await previewPane(true);
    await waitUntil(async () => /^2 changed/.test(await previewMessage(pane)), 'the preview of the second sync');
    assert.match(await previewMessage(pane), /^2 changed \(\d+ B\) · 1 to delete \(\d+ B\) · 7 unchanged\. Apply will upload 2 files, delete 1 file\.$/);
    assert.deepEqual(await groupLabels(pane), ['Upload', 'Delete', 'Unchanged']);
    assert.deepEqual((await groupChildren(pane, 'Upload')).sort(), ['css/main.css', 'index.html']);
    assert.deepEqual(await groupChildren(pane, 'Delete'), ['docs/b.md']);
    assert.match(await wb.rowDescription(wb.row(pane, 'index.html')), /^changed · \d+ B → \d+ B$/);
    assert.match(await wb.rowDescription(wb.row(pane, 'Unchanged')), /^7 files · /);
  });

  await step(env, '16e-click-opens-the-diff', async () => {
    const pane = await previewPane();
    await wb.row(pane, 'index.html').click();
    const tab = page.locator('.tabs-container .tab', { hasText: 'index.html (OSS ↔ local)' });
    await tab.first().waitFor({ timeout: 30_000 });
    await page.locator('.monaco-diff-editor').first().waitFor({ timeout: 30_000 });
    // Both sides loaded: the object's old line on the left, the local new line on the right.
    // (The editor draws spaces as no-break spaces.)
    const shown = async () => ((await page.locator('.monaco-diff-editor').first().textContent()) ?? '').replace(/\u00a0/g, ' ');
    await waitUntil(async () => (await shown()).includes('Welcome back, with news.') && (await shown()).includes('<p>Welcome.</p>'), 'the diff to show the object\'s line and the local change');
  });

  await step(env, '16f-apply-and-bucket-matches', async () => {
    const pane = await previewPane();
    await wb.paneAction(pane, 'Apply Sync');
    const done = wb.notification(/^Synced site → oss:\/\/demo-bucket\/site\/: 2 uploaded, 1 deleted/);
    await done.first().waitFor({ timeout: 120_000 });
    await assertBucketMatchesFolder();
    assert.equal(await serverObjectSha256(env.server, bucket, `${folder}/docs/b.md`), undefined, 'the extraneous object is gone');
  });

  await step(env, '16g-status-bar-one-click-nothing-to-apply', async () => {
    await wb.statusBarItem(`Sync ${folder}`).click();
    const pane = await previewPane();
    await waitUntil(async () => (await previewMessage(pane)) === `${COUNT - 1} unchanged. Nothing to apply.`, 'the preview to find nothing to do');
    await wb.paneAction(pane, 'Cancel Sync');
    await wb.pane('Sync Preview').waitFor({ state: 'detached', timeout: 30_000 });
  });
});

test('16. a file changed on both sides since the last sync is a conflict: nothing overwrites it until Keep Local is chosen on its row', async () => {
  const { wb } = env;
  const local = path.join(env.workspace, folder, 'about.html');
  const mine = '<!doctype html>\n<title>About</title>\n<p>Edited here.</p>\n';
  fs.writeFileSync(local, mine);
  await env.client.putObject({ bucket, key: `${folder}/about.html`, body: Buffer.from('<!doctype html>\n<title>About (edited on OSS)</title>\n') });

  await step(env, '16h-conflict-in-the-preview', async () => {
    await wb.statusBarItem(`Sync ${folder}`).click();
    const pane = await previewPane();
    await waitUntil(async () => /1 conflict/.test(await previewMessage(pane)), 'the preview to list the conflict');
    assert.equal(await previewMessage(pane), `1 conflict · ${COUNT - 2} unchanged. Nothing to apply.`, 'a conflict is never applied by default');
    assert.deepEqual(await groupLabels(pane), ['Conflicts', 'Unchanged']);
    assert.equal(await wb.rowDescription(wb.row(pane, 'about.html')), 'both sides changed · skip');
  });

  await step(env, '16i-keep-local-then-apply', async () => {
    const pane = await previewPane();
    const row = wb.row(pane, 'about.html');
    await wb.inlineAction(row, 'Keep Local');
    await waitUntil(async () => (await wb.rowDescription(row)) === 'both sides changed · keep local', 'the row to say keep local');
    assert.equal(await previewMessage(pane), `1 conflict · ${COUNT - 2} unchanged. Apply will upload 1 file.`);
    await wb.paneAction(pane, 'Apply Sync');
    await wb.notification(/^Synced site → oss:\/\/demo-bucket\/site\/: 1 uploaded/).first().waitFor({ timeout: 120_000 });
    await assertBucketMatchesFolder();
    assert.equal(fs.readFileSync(local, 'utf8'), mine, 'the local file is untouched');
  });
});

test('16. Sync Prefix to Local Folder from the tree: the stale local file is deleted after the large-delete question, the folder matches the prefix', async () => {
  const { wb, page } = env;
  const local = path.join(env.workspace, 'docs-copy');
  const remotePair = 'oss://demo-bucket/docs/ → docs-copy';
  fs.mkdirSync(local, { recursive: true });
  fs.writeFileSync(path.join(local, 'stale.txt'), 'not on OSS\n');

  await step(env, '16j-sync-prefix-from-tree', async () => {
    const row = await revealInBuckets(env, [bucket, 'docs']);
    await wb.contextMenu(row, 'Sync Prefix to Local Folder…');
    await wb.waitForQuickInputTitle(`Sync oss://${bucket}/docs/ to which folder?`);
    await wb.pick('Browse…');
    await wb.chooseFolderInSimpleDialog(local);
    await wb.waitForQuickInputTitle(`Sync ${remotePair}`);
    await wb.pick('Delete extraneous files on the destination');
    await previewWithOptions('On', remotePair);
  });

  await step(env, '16k-preview-downloads-and-the-delete', async () => {
    const pane = await previewPane();
    await waitUntil(async () => /^2 new/.test(await previewMessage(pane)), 'the preview of the download sync');
    assert.match(await previewMessage(pane), /^2 new \([\d.]+ KiB\) · 1 to delete \(\d+ B\)\. Apply will download 2 files, delete 1 file\.$/);
    assert.deepEqual(await groupLabels(pane), ['Download', 'Delete']);
    assert.deepEqual((await groupChildren(pane, 'Download')).sort(), ['getting-started.md', 'notes/todo list.txt']);
    assert.deepEqual(await groupChildren(pane, 'Delete'), ['stale.txt']);
  });

  await step(env, '16l-large-delete-asked-then-applied', async () => {
    const pane = await previewPane();
    await wb.paneAction(pane, 'Apply Sync');
    // 1 of the folder's 1 file is above the 20% threshold: a modal asks again with the count.
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    assert.match((await dialog.textContent()) ?? '', /Delete 1 of 1 file in .*docs-copy\?/);
    await env.artifacts.screenshot(page, '16l-large-delete-question');
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: 'Delete 1 File' }).click();
    const summary = wb.notification(/^Synced oss:\/\/demo-bucket\/docs\/ → docs-copy: 2 downloaded, 1 deleted/).first();
    await summary.waitFor({ timeout: 120_000 });
    // Whether this window had a trash for the local file, the summary says (code-server has none).
    process.stdout.write(`[e2e] sync summary: ${(await summary.locator('.notification-list-item-message').textContent()) ?? ''}\n`);
    assert.equal(fs.existsSync(path.join(local, 'stale.txt')), false, 'the stale file is gone');
    const listed = (await listAllObjects(env.client, bucket, 'docs/')).map((o) => o.key.slice('docs/'.length)).sort();
    assert.deepEqual(walk(local).sort(), listed, 'the folder holds exactly the objects');
    for (const rel of listed) assert.equal(await sha256File(path.join(local, rel)), await serverObjectSha256(env.server, bucket, `docs/${rel}`), `${rel} byte-identical`);
  });
});

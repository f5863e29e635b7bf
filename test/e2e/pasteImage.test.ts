// Issue 17: paste or drop an image into Markdown, and the walkthrough, in real VS Code (code-server).
// A person opens the walkthrough from Help: Welcome; pastes an image before any target is set (VS
// Code's own paste runs, nothing is uploaded); sets the target from the Buckets tree; pastes through
// the real clipboard and drops a file; each inserted link fetches the very image; a failed upload
// inserts nothing and says why. How paste and drop are driven: support/markdownEditor.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { e2eCredentials, startE2eEnvironment, step, type E2eEnvironment } from './support/e2eEnvironment.js';
import { serverObjectSha256, sha256 } from './support/fileChecks.js';
import { allowClipboard, caretToEnd, clipboardImage, dropFileOnEditor, editorText, imageCount, imageLinks, openFromExplorer, putImageOnClipboard, saveAndRead, waitForMarkdownSymbols } from './support/markdownEditor.js';
import { openBuckets, revealInBuckets } from './support/ossUi.js';
import { decodePng, makePng } from './support/pngImage.js';
import { waitUntil } from './support/workbench.js';

const NOTES = 'notes.md';
let env: E2eEnvironment;

before(async () => {
  env = await startE2eEnvironment({ suite: 'paste-image', largeSize: 1024 * 1024, workspaceFiles: { [NOTES]: Buffer.from('# Notes\n\n') } });
  await allowClipboard(env);
});

after(async () => {
  await env?.close();
});

const STEPS = ['Add a connection', 'Browse buckets', 'Upload files and folders', 'Pause and resume', 'Paste images into Markdown'];

async function fetchImage(url: string): Promise<{ status: number; type: string | null; body: Buffer }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
}

function putObjects(): number {
  return env.server.stats.get('PutObject').requests;
}

test('the walkthrough opens from the palette and Help: Welcome, shows its steps, and a step\'s button checks it off', async () => {
  await step(env, '1-walkthrough', async () => {
    const { wb, page } = env;
    await wb.runCommand('Welcome: Open Walkthrough...');
    await wb.pick('Get Started with OSS Transfer');
    const stepRow = (title: string) => page.locator('.getting-started-step').filter({ has: page.locator('.step-title', { hasText: title }) }).first();
    for (const title of STEPS) await stepRow(title).waitFor({ timeout: 30_000 });
    await env.artifacts.screenshot(page, '1-walkthrough-steps');
    const browse = stepRow('Browse buckets');
    const checked = browse.locator('.codicon-getting-started-step-checked');
    assert.equal(await checked.count(), 0, 'not done before the Buckets view was opened from it');
    await browse.click();
    await browse.locator('.monaco-button', { hasText: 'Open the Buckets View' }).first().click();
    await waitUntil(() => wb.containerShowing('OSS Transfer'), 'the Buckets view to open from the walkthrough');
    await waitUntil(async () => (await checked.count()) === 1, 'the Browse step to be checked off', 30_000);

    // Help: Welcome lists it among the walkthroughs (the page may first show one walkthrough: go back to the list).
    const entry = page.locator('.gettingStartedContainer .getting-started-category', { hasText: 'Get Started with OSS Transfer' }).first();
    const back = page.locator('.gettingStartedContainer .prev-button').first();
    await wb.runCommand('Help: Welcome');
    await waitUntil(async () => {
      if (await entry.isVisible()) return true;
      if (await back.isVisible()) await back.click({ timeout: 2_000 }).catch(() => undefined);
      return false;
    }, 'the Welcome page to list the OSS Transfer walkthrough', 60_000, 500);
    await entry.click();
    await stepRow('Paste images into Markdown').waitFor({ timeout: 30_000 });
    assert.equal(await stepRow('Browse buckets').locator('.codicon-getting-started-step-checked').count(), 1, 'the progress is kept');
  });
});

test('without a target, pasting an image is VS Code\'s own business: nothing is uploaded', async () => {
  await step(env, '2-paste-without-target', async () => {
    const { page } = env;
    const editor = await openFromExplorer(env, NOTES);
    await waitForMarkdownSymbols(page, editor, 'Notes'); // VS Code's Markdown support is up: its paste runs
    const before = putObjects();
    await caretToEnd(page, editor);
    await putImageOnClipboard(page, makePng());
    await page.keyboard.press('Control+V');
    // VS Code's "Insert Markdown Image" copies the image into the workspace and links it there.
    await waitUntil(async () => /!\[[^\]]*\]\(image[^)]*\.png\)/.test(await editorText(editor)), 'VS Code to insert its own image link', 30_000);
    assert.doesNotMatch(await editorText(editor), /demo-bucket|https?:/, 'no OSS link');
    assert.equal(putObjects(), before, 'nothing went to OSS');
    await env.artifacts.screenshot(page, '2-vscode-own-paste');
    const copies = () => fs.readdirSync(env.workspace).filter((n) => /^image.*\.png$/.test(n));
    await waitUntil(() => copies().length === 1, 'VS Code to copy the image into the workspace');
    // Put the document back as it was, and remove VS Code's copy of the image.
    await page.keyboard.press('Control+Z');
    await waitUntil(async () => !/image/.test(await editorText(editor)), 'the paste to be undone');
    await saveAndRead(env, NOTES, editor);
    for (const f of copies()) fs.rmSync(path.join(env.workspace, f));
  });
});

test('the target is set from the Buckets tree as a user would, and no secret is written', async () => {
  await step(env, '3-set-target', async () => {
    const { wb } = env;
    const folder = await revealInBuckets(env, ['demo-bucket', 'images']);
    await wb.contextMenu(folder, 'Set Image Upload Target…');
    await wb.waitForQuickInputTitle('Link pasted images by');
    const rows = wb.quickInput().locator('.quick-input-list .monaco-list-row');
    for (const label of ['Public URL', 'Custom domain or CDN…', 'Presigned URL…']) {
      await rows.filter({ has: env.page.locator('.label-name', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) }).first().waitFor();
    }
    await wb.pick('Presigned URL…');
    await wb.waitForQuickInputTitle('Presigned URL valid for');
    await wb.pick('1 day');
    await wb.notification(/Images pasted or dropped into Markdown now go to oss:\/\/demo-bucket\/images\//).first().waitFor({ timeout: 30_000 });
    const settingsFile = path.join(env.workspace, '.vscode', 'settings.json');
    await waitUntil(() => fs.existsSync(settingsFile), 'the workspace settings to be written');
    const saved = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(saved['ossTransfer.imageUpload.target'], {
      profile: 'Environment (OSS_ACCESS_KEY_ID)',
      bucket: 'demo-bucket',
      prefix: 'images/',
      link: 'presigned',
      expiry: '1d',
    });
    for (const file of [settingsFile, path.join(env.userDataDir, 'User', 'settings.json')]) {
      assert.ok(!fs.readFileSync(file, 'utf8').includes(e2eCredentials.accessKeySecret), `no secret in ${file}`);
    }
  });
});

test('pasting an image uploads it and inserts a link that fetches the very image; VS Code\'s own choice stays beside it', async () => {
  await step(env, '4-paste-image', async () => {
    const { page } = env;
    const editor = await openFromExplorer(env, NOTES);
    await waitForMarkdownSymbols(page, editor, 'Notes'); // VS Code's own Markdown paste is there to choose
    await caretToEnd(page, editor);
    const original = makePng(120, 80);
    await putImageOnClipboard(page, original);
    const pasted = await clipboardImage(page); // what the paste event carries (Chromium re-encodes)
    await page.keyboard.press('Control+V');
    await waitUntil(async () => /!\[\]\(http/.test(await editorText(editor)), 'the uploaded image\'s link in the editor', 60_000);
    const putsAfterUpload = putObjects();
    // The paste widget offers VS Code's own edit beside ours; switching to it uploads nothing, and
    // switching back links the object already uploaded (the same bytes get the same name: reused).
    const widget = page.locator('.post-edit-widget .monaco-button').first();
    const choose = async (label: string) => {
      await widget.waitFor({ timeout: 30_000 });
      await widget.click();
      const menu = page.locator('.action-widget').first();
      await menu.waitFor();
      const offered = await menu.innerText();
      assert.match(offered, /Upload image to OSS and link it \(oss:\/\/demo-bucket\/images\/\)/);
      assert.match(offered, /Insert Markdown Image/);
      await env.artifacts.screenshot(page, `4-paste-choices-before-${label.split(' ')[0]}`);
      // The menu sits under a pointer block for a moment; choose by keyboard, as its list allows.
      const focused = menu.locator('.monaco-list-row.focused');
      await waitUntil(async () => {
        if (((await focused.first().innerText().catch(() => '')) ?? '').includes(label)) return true;
        await page.keyboard.press('ArrowDown');
        return false;
      }, `the paste menu to focus "${label}"`, 10_000, 200);
      await page.keyboard.press('Enter');
    };
    await choose('Insert Markdown Image');
    await waitUntil(async () => /!\[[^\]]*\]\(image[^)]*\.png\)/.test(await editorText(editor)), 'VS Code\'s own image link instead of ours', 30_000);
    assert.equal(putObjects(), putsAfterUpload, 'choosing VS Code\'s edit uploads nothing');
    await choose('Upload image to OSS and link it (oss://demo-bucket/images/)');
    await waitUntil(async () => /!\[\]\(http/.test(await editorText(editor)), 'our link again', 60_000);
    for (const f of fs.readdirSync(env.workspace).filter((n) => /^image.*\.png$/.test(n))) fs.rmSync(path.join(env.workspace, f)); // VS Code's copy, if its undo left it

    const links = imageLinks(await saveAndRead(env, NOTES, editor));
    assert.equal(links.length, 1, `one image link in ${NOTES}`);
    const listed = await env.client.listObjectsV2({ bucket: 'demo-bucket', prefix: 'images/' });
    assert.equal(listed.objects.filter((o) => /\/\d{4}-\d{2}-\d{2}-[0-9a-f]{12}\.png$/.test(o.key)).length, 1, 'one object for the image, reused when linked again');
    const url = new URL(links[0]!);
    assert.match(url.pathname, /^\/demo-bucket\/images\/\d{4}-\d{2}-\d{2}-[0-9a-f]{12}\.png$/);
    assert.equal(url.searchParams.get('x-oss-expires'), '86400', 'presigned for the day chosen');
    const got = await fetchImage(url.href);
    assert.equal(got.status, 200);
    assert.equal(got.type, 'image/png');
    assert.ok(got.body.equals(pasted), 'the link serves the bytes the paste carried');
    assert.equal(await serverObjectSha256(env.server, 'demo-bucket', decodeURIComponent(url.pathname.slice('/demo-bucket/'.length))), sha256(pasted));
    const [a, b] = [decodePng(got.body), decodePng(original)];
    assert.deepEqual([a.width, a.height], [b.width, b.height]);
    assert.ok(a.rgba.equals(b.rgba), 'and they show the very picture that was copied');
  });
});

test('dropping an image file into Markdown uploads it and links it, byte-identical', async () => {
  await step(env, '5-drop-image', async () => {
    const { page } = env;
    const editor = await openFromExplorer(env, NOTES);
    await caretToEnd(page, editor);
    await page.keyboard.press('Enter');
    const before = await saveAndRead(env, NOTES, editor);
    const png = makePng(64, 48);
    await dropFileOnEditor(page, editor, { name: 'diagram.png', type: 'image/png', bytes: png });
    await waitUntil(async () => imageCount(await editorText(editor)) === imageCount(before) + 1, 'the dropped image\'s link in the editor', 60_000);
    const after = await saveAndRead(env, NOTES, editor);
    assert.ok(after.startsWith(before), 'the link went to the end, where the file was dropped');
    const links = imageLinks(after.slice(before.length));
    assert.equal(links.length, 1);
    assert.match(new URL(links[0]!).pathname, /^\/demo-bucket\/images\/\d{4}-\d{2}-\d{2}-[0-9a-f]{12}\.png$/);
    const got = await fetchImage(links[0]!);
    assert.equal(got.status, 200);
    assert.ok(got.body.equals(png), 'the link serves the dropped file, byte for byte');
  });
});

test('a failed upload inserts nothing and says why, with the OSS code and a next step', async () => {
  await step(env, '6-failed-upload', async () => {
    const { page, wb } = env;
    const editor = await openFromExplorer(env, NOTES);
    const before = await saveAndRead(env, NOTES, editor);
    await caretToEnd(page, editor);
    env.server.faults.add({ op: 'PutObject', bucket: 'demo-bucket' }, { type: 'status', status: 403, code: 'AccessDenied', message: 'You have no right to access this object.' }, 1);
    await putImageOnClipboard(page, makePng(30, 20));
    await page.keyboard.press('Control+V');
    const toast = wb.notification(/The image was not uploaded and nothing was inserted/).first();
    await toast.waitFor({ timeout: 60_000 });
    const text = (await toast.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Access was denied \(AccessDenied, request id [^)]+\)/);
    assert.match(text, /lacks permission/, `a next step: "${text}"`);
    assert.equal(await wb.notificationButton(toast, 'Show Log').count(), 1);
    assert.equal(await saveAndRead(env, NOTES, editor), before, 'the document is as it was');
    await env.artifacts.screenshot(page, '6-failure-message');
  });
});

test('the uploaded images show in the Buckets tree', async () => {
  await step(env, '7-in-tree', async () => {
    const { wb, buckets } = await openBuckets(env);
    const folder = await revealInBuckets(env, ['demo-bucket', 'images']);
    await wb.expandRow(folder);
    await buckets.locator('.monaco-list-row .label-name', { hasText: /^\d{4}-\d{2}-\d{2}-[0-9a-f]{12}\.png$/ }).first().waitFor({ timeout: 30_000 });
  });
});

test('clearing the target gives pasting back to VS Code: nothing is uploaded any more', async () => {
  await step(env, '8-clear-target', async () => {
    const { wb, page } = env;
    await wb.runCommand('OSS: Clear Image Upload Target');
    await wb.notification(/no longer uploaded to OSS/).first().waitFor({ timeout: 30_000 });
    const settingsFile = path.join(env.workspace, '.vscode', 'settings.json');
    await waitUntil(() => !fs.readFileSync(settingsFile, 'utf8').includes('ossTransfer.imageUpload.target'), 'the target to leave the workspace settings');
    const editor = await openFromExplorer(env, NOTES);
    await waitForMarkdownSymbols(page, editor, 'Notes');
    const before = imageCount(await saveAndRead(env, NOTES, editor));
    const puts = putObjects();
    await caretToEnd(page, editor);
    await putImageOnClipboard(page, makePng(20, 20));
    await page.keyboard.press('Control+V');
    await waitUntil(async () => imageCount(await editorText(editor)) === before + 1, 'VS Code to insert its own image link', 30_000);
    const added = imageLinks(await saveAndRead(env, NOTES, editor)).at(-1)!;
    assert.doesNotMatch(added, /^https?:/, `a link into the workspace, not to OSS: ${added}`);
    assert.equal(putObjects(), puts, 'nothing went to OSS');
  });
});

// Issue 19's tree polish, as a person sees it: hovering an object shows its CRC-64 (the tooltip once
// stayed at "CRC-64: loading…"), and the folders left open are open again after the window reloads.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startE2eEnvironment, step, type E2eEnvironment } from './support/e2eEnvironment.js';
import { waitUntil } from './support/workbench.js';
import { openBuckets, profileLabel, revealInBuckets } from './support/ossUi.js';

let env: E2eEnvironment;

before(async () => {
  env = await startE2eEnvironment({ suite: 'buckets-tree-hover-and-reload', largeSize: 2 * 1024 * 1024 });
});

after(async () => {
  await env?.close();
});

test('19a. hovering an object shows its CRC-64 from the server, not "loading…"', async () => {
  await step(env, '19a-object-hover-crc64', async () => {
    const row = await revealInBuckets(env, ['demo-bucket', 'docs', 'getting-started.md']);
    const head = await env.client.headObject({ bucket: 'demo-bucket', key: 'docs/getting-started.md' });
    assert.ok(head.crc64, 'the server gives the object a CRC-64');
    await row.hover();
    const hover = env.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'getting-started.md' }).first();
    await hover.waitFor({ timeout: 30_000 });
    let text = '';
    // The hover may first show while the HEAD is under way; it must end with the CRC-64, whatever it showed first.
    await waitUntil(async () => (text = (await hover.innerText()).replace(/\s+/g, ' ')).includes(head.crc64!),
      `the hover to show CRC-64 ${head.crc64} (last: "${text}")`, 30_000, 200);
    assert.match(text, /CRC-64: /);
    assert.doesNotMatch(text, /loading/);
    assert.match(text, /Content type: text\/plain/);
  });
});

test('19b. folders expanded before a reload are expanded again after it', async () => {
  await step(env, '19b-tree-open-as-left', async () => {
    await revealInBuckets(env, ['demo-bucket', 'videos', 'big-demo.bin']);
    const { wb, buckets } = await openBuckets(env);
    await wb.expandRow(wb.row(buckets, 'images'));
    await wb.row(buckets, 'photo-small.bin').waitFor();
    // docs was expanded by 19a and is closed again: it must stay closed.
    const docs = wb.row(buckets, 'docs');
    await docs.locator('.monaco-tl-twistie').click();
    await waitUntil(async () => (await docs.getAttribute('aria-expanded')) === 'false', 'docs to collapse');

    // The last thing before the reload is a hover the extension answers (a HEAD): the extension host
    // handles the collapse before that request, so the remembered state has reached VS Code by the
    // time the hover shows. (Storage written a few milliseconds before a reload can be lost.)
    await wb.row(buckets, 'big-demo.bin').hover();
    await env.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: /big-demo\.bin[\s\S]*CRC-64: /i }).first().waitFor({ timeout: 30_000 });
    await env.page.reload();
    await wb.waitForReady();
    const after = await openBuckets(env);
    // Nothing is clicked: the rows below the remembered folders appear by themselves.
    await after.wb.row(after.buckets, 'big-demo.bin').waitFor({ timeout: 60_000 });
    await after.wb.row(after.buckets, 'photo-small.bin').waitFor({ timeout: 60_000 });
    for (const label of [profileLabel, 'demo-bucket', 'videos', 'images']) {
      assert.equal(await after.wb.row(after.buckets, label).getAttribute('aria-expanded'), 'true', `${label} is expanded again`);
    }
    assert.equal(await after.wb.row(after.buckets, 'docs').getAttribute('aria-expanded'), 'false', 'docs, collapsed before the reload, stays collapsed');
    assert.equal(await after.wb.row(after.buckets, 'getting-started.md').count(), 0, "docs' objects are not shown");
  });
});

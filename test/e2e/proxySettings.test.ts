// Issue 17: behind a proxy that wants credentials, in real VS Code. With http.proxy set, the Buckets
// tree says the proxy asked for credentials (407) and which setting to fix; once the person puts
// user:password in the proxy URL in the Settings editor, the tree lists the buckets without a reload
// and a download goes through the proxy, byte-identical. The password never reaches the OSS log.
// The OSS server listens on 127.0.0.2: localhost and 127.0.0.1 always go direct, as in VS Code.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startProxy, type CountingProxy } from '../integration/countingProxy.js';
import { extensionLogFiles } from './support/artifacts.js';
import { startE2eEnvironment, step, type E2eEnvironment } from './support/e2eEnvironment.js';
import { serverObjectSha256, sha256File } from './support/fileChecks.js';
import { downloadFromTree, openBuckets, profileLabel, waitForTransferState } from './support/ossUi.js';
import { waitUntil } from './support/workbench.js';

const USER = 'corp-user';
const PASSWORD = 'e2e-pr0xy-pa55';
let proxy: CountingProxy;
let env: E2eEnvironment;

before(async () => {
  proxy = await startProxy(`${USER}:${PASSWORD}`);
  env = await startE2eEnvironment({ suite: 'proxy-settings', largeSize: 1024 * 1024, serverHost: '127.0.0.2', settings: { 'http.proxy': proxy.url } });
});

after(async () => {
  await env?.close();
  await proxy?.close();
});

test('17a. with http.proxy set, the tree says the proxy asked for credentials (407) and what to set', async () => {
  await step(env, '17a-proxy-asks-for-credentials', async () => {
    const { wb, buckets } = await openBuckets(env);
    await wb.expandRow(wb.row(buckets, profileLabel));
    const errorRow = buckets.locator('.monaco-list-row').filter({ hasText: /credentials/ }).first();
    await errorRow.waitFor({ timeout: 60_000 });
    const text = (await errorRow.innerText()).replace(/\s+/g, ' ').trim();
    const label = ((await errorRow.getAttribute('aria-label')) ?? '').replace(/\s+/g, ' ');
    assert.match(text, new RegExp(`The proxy ${proxy.url} asked for credentials \\(407\\)`), `the row says what happened: "${text}"`);
    assert.match(label, /Set http\.proxyAuthorization or put user:password in the proxy URL \(http\.proxy\)/, `the next step names the settings: "${label}"`);
    assert.ok(proxy.refused >= 1, 'the request really went to the proxy, which answered 407');
  });
});

test('17b. user:password in http.proxy (Settings editor) and the tree lists the buckets through the proxy', async () => {
  await step(env, '17b-credentials-in-settings', async () => {
    const { wb, page } = env;
    await wb.runCommand('Preferences: Open User Settings');
    const editor = page.locator('.settings-editor');
    await editor.waitFor();
    // The search box has the focus when the editor opens; @id: shows the one setting.
    await page.keyboard.type('@id:http.proxy');
    const item = editor.locator('.setting-item-contents').filter({ has: page.locator('.setting-item-label', { hasText: /^Proxy$/ }) }).first();
    await item.waitFor({ timeout: 30_000 });
    const input = item.locator('.setting-item-control input').first();
    // Requests the proxy let through (it counts a refused one as a request too), from before the
    // change: the settings change refreshes the tree at once, possibly before the editor is closed.
    const passed = () => proxy.forwarded - proxy.refused;
    const before = passed();
    await input.fill(`http://${USER}:${PASSWORD}@${proxy.host}`);
    await input.press('Tab');
    const settingsFile = path.join(env.userDataDir, 'User', 'settings.json');
    await waitUntil(() => fs.readFileSync(settingsFile, 'utf8').includes(`${USER}:${PASSWORD}@`), 'the Settings editor to save http.proxy', 30_000, 250);
    await env.artifacts.screenshot(page, '17b-settings-editor');
    await page.keyboard.press('Control+W');

    const { buckets } = await openBuckets(env);
    // The settings change rebuilds the clients and refreshes the tree: no reload, no Refresh click.
    await wb.row(buckets, 'demo-bucket').waitFor({ timeout: 60_000 });
    await wb.row(buckets, 'demo-archive').waitFor();
    assert.ok(passed() > before, 'the listing went through the proxy');
  });
});

test('17c. a download goes through the proxy and is byte-identical; the OSS log never holds the password', async () => {
  await step(env, '17c-download-through-proxy', async () => {
    const before = proxy.forwarded;
    const target = path.join(env.root, 'downloads');
    fs.mkdirSync(target, { recursive: true });
    await downloadFromTree(env, ['demo-bucket', 'images', 'photo-large.bin'], target);
    await waitForTransferState(env, 'photo-large.bin', /Done/);
    const expected = await serverObjectSha256(env.server, 'demo-bucket', 'images/photo-large.bin');
    assert.ok(expected, 'the object exists on the server');
    assert.equal(await sha256File(path.join(target, 'photo-large.bin')), expected, 'the downloaded file is byte-identical');
    assert.ok(proxy.forwarded - before >= 2, `the download's requests went through the proxy (${proxy.forwarded - before})`);
    const logs = extensionLogFiles(env.userDataDir);
    assert.ok(logs.length > 0, 'the OSS log exists');
    const logText = logs.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    assert.match(logText, new RegExp(`Network: proxy ${proxy.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(http\\.proxy\\)`), 'the log says which proxy is used');
    assert.ok(!logText.includes(PASSWORD), 'the proxy password is not in the OSS log');
  });
});

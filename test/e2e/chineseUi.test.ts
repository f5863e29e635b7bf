// Issue 19: with VS Code's display language set to Simplified Chinese (the user's argv.json locale;
// without a language pack VS Code's own menus stay English), everything of the extension is Chinese:
// the views and the tree (a "Load more" row, the Transfers view's empty text), a context-menu command,
// a download's progress notification and its outcome, the Transfers row, and an error — in the tree
// and in a notification — with its next step.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { e2eCredentials, startE2eEnvironment, step, type E2eEnvironment } from './support/e2eEnvironment.js';
import { fileSize, serverObjectSha256, sha256File } from './support/fileChecks.js';
import { waitUntil } from './support/workbench.js';

const MiB = 1024 * 1024;
const mediumKey = 'datasets/medium-24MiB.bin';
// The names the zh-cn bundles give the extension's views and nodes (l10n/bundle.l10n.zh-cn.json, package.nls.zh-cn.json).
const container = 'OSS Transfer';
const bucketsPane = '存储空间';
const transfersPane = '传输列表';
const profile = 'Environment (OSS_ACCESS_KEY_ID)'; // a profile's name is its identity: the same in every language
const loadMore = '加载更多…';
// Any CJK ideograph: the text was written for Chinese readers.
const CHINESE = /[\u4e00-\u9fff]/;

let env: E2eEnvironment;

before(async () => {
  env = await startE2eEnvironment({
    suite: 'chinese-ui',
    largeSize: MiB,
    locale: 'zh-cn',
    // Two entries a page, so the bucket's root shows a "Load more" row; small parts so the download runs a while.
    settings: { 'ossTransfer.pageSize': 2, 'ossTransfer.partSizeMB': 1, 'ossTransfer.parallelParts': 2 },
  });
});

after(async () => {
  await env?.close();
});

async function text(locator: { innerText(): Promise<string> }): Promise<string> {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

test('19. in a zh-cn VS Code the tree, a transfer notification and an error are Chinese', async () => {
  const { wb, page, server } = env;

  await step(env, '19a-tree-in-chinese', async () => {
    await wb.openContainer(container);
    const transfers = await wb.expandPane(transfersPane);
    // The empty Transfers view says what it is for.
    await transfers.getByText(/暂无传输/).first().waitFor();
    const buckets = await wb.expandPane(bucketsPane);
    await wb.expandRow(wb.row(buckets, profile));
    const bucket = wb.row(buckets, 'demo-bucket');
    await wb.expandRow(bucket);
    // Two entries, then the row that loads the next page.
    const more = wb.row(buckets, loadMore);
    await more.waitFor();
    await wb.row(buckets, 'datasets').waitFor();
    await more.click();
    await wb.row(buckets, 'docs').waitFor();
    await wb.expandRow(wb.row(buckets, 'datasets'));
    const obj = wb.row(buckets, 'medium-24MiB.bin');
    await obj.waitFor();
    // The object row's accessible label starts with the Chinese word for "object" (文件).
    assert.match((await obj.getAttribute('aria-label')) ?? '', /^文件 medium-24MiB\.bin，24\.0 MiB · /);
  });

  const target = path.join(env.root, 'downloads');
  fs.mkdirSync(target, { recursive: true });
  // Slow parts, so the progress notification is there to read.
  const slow = server.faults.add({ op: 'GetObject', bucket: 'demo-bucket', key: mediumKey }, { type: 'stall', ms: 300 }, Infinity);

  await step(env, '19b-download-notification-in-chinese', async () => {
    const buckets = wb.pane(bucketsPane);
    await wb.contextMenu(wb.row(buckets, 'medium-24MiB.bin'), '下载…');
    await wb.chooseFolderInSimpleDialog(target);
    // The notification: its title is the batch label, its line bytes of the total, speed and time left.
    const toast = wb.notification(/下载 datasets\/medium-24MiB\.bin/).first();
    await toast.waitFor();
    await waitUntil(async () => / MiB \/ 24\.0 MiB/.test(await text(toast)), 'the progress line "x MiB / 24.0 MiB"');
    const progress = await text(toast);
    assert.match(progress, /下载 datasets\/medium-24MiB\.bin/, progress);
    // The Transfers row while it runs: "↓ 12% · 3.0 MiB / 24.0 MiB · … · 到 downloads".
    const transfers = await wb.expandPane(transfersPane);
    const row = wb.row(transfers, 'medium-24MiB.bin');
    await waitUntil(async () => /^↓ \d+% · .* \/ 24\.0 MiB .*· 到 downloads$/.test(await wb.rowDescription(row)), 'a running Transfers row');
    server.faults.remove(slow);
    // The outcome, with its Chinese action.
    const done = wb.notification(/^已下载 medium-24MiB\.bin（24\.0 MiB）到 /).first();
    await done.waitFor({ timeout: 120_000 });
    await wb.notificationButton(done, '在资源管理器中显示').waitFor();
    await waitUntil(async () => /^↓ 已完成 · 24\.0 MiB · 到 downloads$/.test(await wb.rowDescription(row)), 'the Transfers row to say 已完成 and where it went');
    const dest = path.join(target, 'medium-24MiB.bin');
    assert.equal(fileSize(dest), 24 * MiB);
    assert.equal(await sha256File(dest), await serverObjectSha256(server, 'demo-bucket', mediumKey));
  });

  await step(env, '19c-error-in-chinese', async () => {
    // The server now wants another secret: the one from the environment is wrong.
    server.setCredentials([{ accessKeyId: e2eCredentials.accessKeyId, accessKeySecret: 'the-secret-the-server-now-wants' }]);
    await page.keyboard.press('Escape');
    await wb.runCommand('OSS: 全部刷新');
    const buckets = wb.pane(bucketsPane);
    await wb.expandRow(wb.row(buckets, profile));
    const errorRow = buckets.locator('.monaco-list-row').filter({ hasText: /AccessKey Secret 被拒绝/ }).first();
    await errorRow.waitFor({ timeout: 60_000 });
    const rowText = await text(errorRow);
    assert.match(rowText, /^无法列出存储空间：AccessKey Secret 被拒绝/, rowText);
    assert.match(rowText, /SignatureDoesNotMatch · HTTP 403/, 'the OSS code stays as OSS names it');
    const label = ((await errorRow.getAttribute('aria-label')) ?? '').replace(/\s+/g, ' ');
    assert.match(label, /^错误：.*请检查启动 VS Code 的环境中的 OSS_ACCESS_KEY_SECRET/, label);
    // The same error from a command, as a notification with its Chinese action.
    await wb.runCommand('OSS: 测试连接');
    const toast = wb.notification(/连接失败/).first();
    await toast.waitFor({ timeout: 60_000 });
    const message = await text(toast);
    assert.match(message, /“Environment \(OSS_ACCESS_KEY_ID\)”连接失败：AccessKey Secret 被拒绝（请求 ID：[^）]+）。请检查/, message);
    await wb.notificationButton(toast, '显示日志').waitFor();
    for (const shown of [rowText, label, message]) assert.match(shown, CHINESE);
  });
});

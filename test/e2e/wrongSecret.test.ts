// Issue 5, scenario 6: a wrong AccessKey secret gives a readable error with a next step, not a stack trace.
// The server changes the secret it accepts, so the secret the extension got from the environment is wrong.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { e2eCredentials, startE2eEnvironment, step, type E2eEnvironment } from './support/e2eEnvironment.js';
import { openBuckets, profileLabel } from './support/ossUi.js';

let env: E2eEnvironment;

before(async () => {
  env = await startE2eEnvironment({ suite: 'wrong-secret', largeSize: 1024 * 1024 });
});

after(async () => {
  await env?.close();
});

// What a leaked stack trace or internal error would look like.
const stackTrace = /\bat [\w.<>$]+ \(|\.(ts|js):\d+|TypeError|ReferenceError|\bundefined\b|\[object Object\]/;

test('6. a wrong secret shows a readable error with a next step, not a stack trace', async () => {
  await step(env, '6-wrong-secret', async () => {
    env.server.setCredentials([{ accessKeyId: e2eCredentials.accessKeyId, accessKeySecret: 'the-secret-the-server-now-wants' }]);
    const { wb, buckets } = await openBuckets(env);
    await wb.expandRow(wb.row(buckets, profileLabel));
    // The profile's children become an error row that says what happened; its accessible label (and
    // tooltip) carries the next step.
    const errorRow = buckets.locator('.monaco-list-row').filter({ hasText: /secret/i }).first();
    await errorRow.waitFor({ timeout: 60_000 });
    const text = (await errorRow.innerText()).replace(/\s+/g, ' ').trim();
    const label = ((await errorRow.getAttribute('aria-label')) ?? '').replace(/\s+/g, ' ');
    assert.match(text, /AccessKey secret was rejected/, `the row says what went wrong: "${text}"`);
    assert.match(text, /SignatureDoesNotMatch/, 'the OSS error code is shown beside it');
    assert.match(label, /Check OSS_ACCESS_KEY_SECRET/, `the next step is offered: "${label}"`);
    for (const shown of [text, label]) assert.doesNotMatch(shown, stackTrace, `no stack trace in "${shown}"`);
    await errorRow.hover();
    const hover = env.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: /secret/i }).first();
    await hover.waitFor({ timeout: 30_000 });
    const hoverText = (await hover.innerText()).replace(/\s+/g, ' '); // rendered Markdown uses no-break spaces
    assert.match(hoverText, /Check OSS_ACCESS_KEY_SECRET/);
    assert.doesNotMatch(hoverText, stackTrace, `no stack trace in the tooltip: "${hoverText}"`);
  });
});

// Issue 19, credentials people already have, in real VS Code (code-server) started with a home folder
// of its own holding ~/.alibabacloud/credentials (an AccessKey profile and a RAM role profile whose
// STS is the fake one in test/fakes) and ~/.ossutilconfig, and no environment profile: the first use
// offers the import, the profiles land in the tree, the status-bar item switches the current profile,
// which then signs through STS, is used by "Upload to OSS…" without asking, and a changed credentials
// file is followed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { e2eCredentials, startE2eEnvironment, step, type E2eEnvironment } from './support/e2eEnvironment.js';
import { openBuckets, uploadFromExplorer } from './support/ossUi.js';
import { waitUntil } from './support/workbench.js';
import { serverObjectSha256, sha256 } from './support/fileChecks.js';
import { startFakeSts, type FakeSts } from '../fakes/fakeSts.js';
import { acceptOn } from '../fakes/issuedCredentials.js';

const ROLE = 'acs:ram::1234567890123456:role/oss-operator';
const SDK_DEFAULT = 'default (Alibaba Cloud SDK)';
const SDK_OPS = 'ops (Alibaba Cloud SDK)';
const OSSUTIL = 'default (ossutil)';
const upload = randomBytes(200 * 1024);
let env: E2eEnvironment;
let sts: FakeSts | undefined;
let credentialsFile = '';

function credentialsIni(endpoint: string, secret: string): string {
  return [
    '[default]',
    'type = access_key',
    `access_key_id = ${e2eCredentials.accessKeyId}`,
    `access_key_secret = ${secret}`,
    `oss_endpoint = ${endpoint}`,
    '',
    '[ops]',
    'type = ram_role_arn',
    `access_key_id = ${e2eCredentials.accessKeyId}`,
    `access_key_secret = ${e2eCredentials.accessKeySecret}`,
    `role_arn = ${ROLE}`,
    'role_session_name = vscode-e2e',
    `sts_endpoint = ${sts!.endpoint}`,
    `oss_endpoint = ${endpoint}`,
    '',
  ].join('\n');
}

before(async () => {
  env = await startE2eEnvironment({
    suite: 'import-switch-profiles',
    envProfile: false,
    workspaceFiles: { 'ops-report.bin': upload },
    homeFiles: async (server) => {
      sts = await startFakeSts({ baseKeys: [e2eCredentials], roles: { [ROLE]: [e2eCredentials.accessKeyId] }, onIssue: acceptOn(server) });
      return {
        '.alibabacloud/credentials': credentialsIni(server.endpoint, e2eCredentials.accessKeySecret),
        '.ossutilconfig': `[Credentials]\nendpoint=${server.endpoint}\naccessKeyID=${e2eCredentials.accessKeyId}\naccessKeySecret=${e2eCredentials.accessKeySecret}\n`,
      };
    },
  });
  credentialsFile = path.join(env.home!, '.alibabacloud', 'credentials');
});

after(async () => {
  await env?.close();
  await sts?.close();
});

/** Each quick-pick row as "label · kind · file" (a row's detail line has a label of its own). */
async function pickRows(): Promise<string[]> {
  const qi = await env.wb.waitForQuickInput();
  await qi.locator('.quick-input-list .monaco-list-row').first().waitFor();
  return qi.locator('.quick-input-list .monaco-list-row').evaluateAll((rows) =>
    rows.map((r) => {
      const names = [...r.querySelectorAll('.label-name')].map((e) => (e.textContent ?? '').trim());
      const description = (r.querySelector('.label-description')?.textContent ?? '').split(' · ')[0]!.trim();
      return [names[0], description, names[names.length - 1]].join(' · ');
    }),
  );
}

function statusItem(text: string) {
  return env.page.locator('.part.statusbar .statusbar-item').filter({ hasText: text }).first();
}

test('1. first use offers the profiles of the credentials files; Import… puts them in the tree', async () => {
  await step(env, '1-import-on-first-use', async () => {
    const { wb } = env;
    const { buckets } = await openBuckets(env);
    // No profile yet: the view welcomes with both ways in.
    await buckets.getByRole('button', { name: 'Import Profiles…' }).waitFor({ timeout: 60_000 });
    const offer = wb.notification(/Found 3 Alibaba Cloud profiles in ~\/\.alibabacloud\/credentials, ~\/\.ossutilconfig\. Import them\?/).first();
    await offer.waitFor({ timeout: 60_000 });
    await env.artifacts.screenshot(env.page, '1-import-offer');
    await wb.notificationButton(offer, 'Import…').click();
    await wb.waitForQuickInputTitle('Import OSS Profiles');
    assert.deepEqual(await pickRows(), [
      'default · AccessKey · ~/.alibabacloud/credentials',
      'ops · RAM role ARN · ~/.alibabacloud/credentials',
      'default · AccessKey · ~/.ossutilconfig',
    ]);
    await env.artifacts.screenshot(env.page, '1-import-pick');
    // Every profile not imported yet is ticked: OK takes them all.
    await wb.quickInput().locator('.quick-input-box input').press('Enter');
    for (const name of [SDK_DEFAULT, SDK_OPS, OSSUTIL]) await wb.row(buckets, name).waitFor({ timeout: 30_000 });
    await wb.notification(/^Imported 3 profiles/).first().waitFor({ timeout: 30_000 });
    // The first imported profile became the current one.
    await statusItem(SDK_DEFAULT).waitFor({ timeout: 30_000 });
    assert.match(await wb.rowDescription(wb.row(buckets, SDK_DEFAULT)), /^current/);
  });
});

test('2. the status-bar item switches the current profile; the RAM role profile lists buckets through STS', async () => {
  await step(env, '2-switch-profile', async () => {
    const { wb, server } = env;
    const { buckets } = await openBuckets(env);
    server.stats.reset();
    await statusItem(SDK_DEFAULT).click();
    await wb.waitForQuickInputTitle('Switch OSS Profile');
    await wb.pick(SDK_OPS);
    await statusItem(SDK_OPS).waitFor({ timeout: 30_000 });
    const ops = wb.row(buckets, SDK_OPS);
    await waitUntil(async () => /^current/.test(await wb.rowDescription(ops)), 'the ops row to be marked current');
    assert.doesNotMatch(await wb.rowDescription(wb.row(buckets, SDK_DEFAULT)), /current/);
    // Switching reveals the profile expanded: its buckets come through the role's credentials.
    await waitUntil(async () => (await ops.getAttribute('aria-expanded')) === 'true', 'the ops profile to be expanded');
    await wb.row(buckets, 'demo-bucket').waitFor({ timeout: 60_000 });
    const callers = Object.keys(server.stats.callers('ListBuckets'));
    assert.ok(callers.length > 0 && callers.every((k) => k.startsWith('STS.')), `ListBuckets was signed by the role, not the base key: ${callers.join(', ')}`);
    assert.ok(sts!.calls.some((c) => c.action === 'AssumeRole' && c.error === '' && c.body.RoleSessionName === 'vscode-e2e'));
  });
});

test('3. "Upload to OSS…" uses the current profile without asking which one', async () => {
  await step(env, '3-upload-with-current-profile', async () => {
    const { server } = env;
    server.stats.reset();
    // Three profiles, yet the first question is the bucket: the current profile answers the first.
    await uploadFromExplorer(env, 'ops-report.bin', { bucket: 'demo-bucket', folder: 'docs/' });
    await waitUntil(async () => (await serverObjectSha256(server, 'demo-bucket', 'docs/ops-report.bin')) === sha256(upload), 'the upload to land byte-identical', 60_000, 250);
    const signers = Object.keys(server.stats.callers('PutObject'));
    assert.ok(signers.length === 1 && signers[0]!.startsWith('STS.'), `uploaded with the role's credentials: ${signers.join(', ')}`);
  });
});

test('4. a changed credentials file is followed: a wrong secret shows where to fix it, the fix brings the buckets back', async () => {
  await step(env, '4-file-followed', async () => {
    const { wb, server } = env;
    const { buckets } = await openBuckets(env);
    fs.writeFileSync(credentialsFile, credentialsIni(server.endpoint, 'a-secret-that-was-rotated-away'));
    const def = wb.row(buckets, SDK_DEFAULT);
    await wb.expandRow(def);
    const errorRow = buckets.locator('.monaco-list-row').filter({ hasText: /secret was rejected/ }).first();
    await errorRow.waitFor({ timeout: 60_000 });
    const label = ((await errorRow.getAttribute('aria-label')) ?? '').replace(/\s+/g, ' ');
    assert.match(label, /\.alibabacloud\/credentials: the profile is re-read when the file changes/, `the next step names the file: "${label}"`);
    await env.artifacts.screenshot(env.page, '4-wrong-secret-from-file');
    fs.writeFileSync(credentialsFile, credentialsIni(server.endpoint, e2eCredentials.accessKeySecret));
    await waitUntil(async () => (await errorRow.count()) === 0, 'the error row to go once the file is fixed', 60_000, 250);
    await wb.expandRow(wb.row(buckets, SDK_DEFAULT));
    await waitUntil(async () => (await buckets.locator('.monaco-list-row').filter({ hasText: 'demo-archive' }).count()) > 0, 'the buckets of the default profile', 60_000, 250);
  });
});

test('5. Import Profiles… from the palette lists what is imported and kept in sync', async () => {
  await step(env, '5-import-from-palette', async () => {
    const { wb } = env;
    await wb.runCommand('OSS: Import Profiles…');
    await wb.waitForQuickInputTitle('Import OSS Profiles');
    const details = (await wb.quickInput().locator('.quick-input-list .monaco-list-row').allInnerTexts()).join('\n');
    assert.match(details, /imported as "ops \(Alibaba Cloud SDK\)", kept in sync/);
    await env.artifacts.screenshot(env.page, '5-import-again');
    await env.page.keyboard.press('Escape');
  });
});

test('6. Add Profile… with a RAM role ARN: the steps of that kind, and its buckets come through STS', async () => {
  await step(env, '6-add-role-profile', async () => {
    const { wb, server } = env;
    const { buckets } = await openBuckets(env);
    const callsBefore = sts!.calls.length;
    await wb.runCommand('OSS: Add Profile…');
    await wb.waitForQuickInputTitle('Add OSS Profile (1/7)');
    await wb.typeAndAccept('Role by hand');
    await wb.waitForQuickInputTitle('Add OSS Profile (2/7)');
    await wb.typeAndAccept(server.endpoint);
    await wb.waitForQuickInputTitle('Add OSS Profile (3/7)');
    await wb.pick('RAM role ARN');
    const answers = [e2eCredentials.accessKeyId, e2eCredentials.accessKeySecret, ROLE, '', sts!.endpoint];
    for (const [i, answer] of answers.entries()) {
      await wb.waitForQuickInputTitle(`Add OSS Profile: RAM role ARN (${i + 1}/5)`);
      if (i === 2) await env.artifacts.screenshot(env.page, '6-role-arn-step');
      await wb.typeAndAccept(answer);
    }
    await wb.waitForQuickInputTitle('Add OSS Profile: signature version');
    await wb.pick('Use the setting (V4)');
    const row = wb.row(buckets, 'Role by hand');
    await row.waitFor({ timeout: 30_000 });
    // Other profiles are open too: the new one's buckets are one more demo-archive row.
    const archives = () => buckets.locator('.monaco-list-row').filter({ hasText: 'demo-archive' }).count();
    const shownBefore = await archives();
    await wb.expandRow(row);
    await waitUntil(async () => (await archives()) > shownBefore, "the new profile's buckets", 60_000, 250);
    const mine = sts!.calls.slice(callsBefore).filter((c) => c.action === 'AssumeRole');
    assert.ok(mine.length >= 1 && mine.every((c) => c.error === '' && c.body.RoleArn === ROLE), `AssumeRole for the new profile: ${JSON.stringify(mine.map((c) => c.error))}`);
    assert.match(mine[0]!.body.RoleSessionName!, /^oss-transfer-\d+$/, 'a session name is made when none is given');
  });
});

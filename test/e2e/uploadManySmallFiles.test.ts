// Issue 14 in real VS Code (code-server): a folder of 500 small files uploaded from the Explorer's
// context menu, as a person clicks, is one batch row in the Transfers view with "500 of 500 files",
// not 500 rows, and the bucket holds the 500 objects byte-identical.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startE2eEnvironment, step, type E2eEnvironment } from './support/e2eEnvironment.js';
import { serverObjectSha256, sha256 } from './support/fileChecks.js';
import { waitUntil } from './support/workbench.js';
import { openTransfers, uploadFromExplorer } from './support/ossUi.js';
import { listAllObjects } from '../../src/transfer/listing/listAllObjects.js';

const COUNT = 500;
const folder = 'many-small';
// 500 files of 1-4 KiB, each with its own content.
const files = new Map<string, Buffer>(
  Array.from({ length: COUNT }, (_, i) => [`${folder}/note-${String(i).padStart(3, '0')}.txt`, randomBytes(1024 + ((i * 37) % 3072))]),
);
let env: E2eEnvironment;

before(async () => {
  env = await startE2eEnvironment({ suite: 'upload-many-small-files', workspaceFiles: Object.fromEntries(files) });
});

after(async () => {
  await env?.close();
});

test('14. a folder of 500 small files from the Explorer is one batch row that reaches "500 of 500 files"', async () => {
  // The folder upload is one batch named after the folder (it starts while the folder is walked).
  const label = `Upload ${folder}/ to oss://demo-bucket/docs/`;
  await step(env, '14a-upload-folder-from-explorer', async () => {
    await uploadFromExplorer(env, folder, { bucket: 'demo-bucket', folder: 'docs/' });
  });

  await step(env, '14b-one-batch-row', async () => {
    const { wb, transfers } = await openTransfers(env);
    const row = wb.row(transfers, label);
    await row.waitFor({ timeout: 60_000 });
    let description = '';
    await waitUntil(
      async () => /\b500 of 500 files\b/.test((description = await wb.rowDescription(row))),
      `the batch row to read "500 of 500 files" (last: "${description}")`,
      180_000,
      250,
    );
    assert.match(description, /^↑ 500 of 500 files · [\d.]+ [KM]iB of [\d.]+ [KM]iB$/, 'no failed, paused or cancelled files');
    // One row for the whole batch, not one per file; a finished batch lists no children.
    assert.equal(await transfers.locator('.monaco-list-row').count(), 1, 'the Transfers view shows the batch as one row');
    assert.equal(await wb.row(transfers, 'note-000.txt').count(), 0, 'no per-file rows');
    await env.artifacts.screenshot(env.page, '14b-transfers-one-batch-row');
  });

  await step(env, '14c-objects-on-the-server', async () => {
    const listed = await listAllObjects(env.client, 'demo-bucket', `docs/${folder}/`);
    assert.equal(listed.length, COUNT, 'every file became an object');
    for (const [rel, content] of files) {
      assert.equal(await serverObjectSha256(env.server, 'demo-bucket', `docs/${rel}`), sha256(content), `docs/${rel} byte-identical`);
    }
  });
});

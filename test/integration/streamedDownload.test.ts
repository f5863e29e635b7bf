// A folder download starts while the folder is still being listed: the listing (a generated bucket,
// test/hostile/listingFake.ts) holds its last page back until the batch has finished a file, and
// the first file must be done by then. Fed to the TransferManager as the download command does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { TransferManager } from '../../src/transfer/batch/transferManager.js';
import { listObjectPages } from '../../src/transfer/listing/listObjectPages.js';
import { downloadSpecs, newDownloadTally } from '../../src/vscode/planning/downloadSpecs.js';
import { startListingFake } from '../hostile/listingFake.js';

const COUNT = 30;
const PAGE = 10;
const HOLD_MS = 20_000;

test('a folder download finishes its first file before the listing serves its last page', { timeout: 120_000 }, async () => {
  const events: string[] = [];
  let firstDone!: () => void;
  const done = new Promise<void>((resolve) => (firstDone = resolve));
  let hold: NodeJS.Timeout | undefined;
  const fake = await startListingFake({
    count: COUNT,
    beforePage: async (page, last) => {
      // Without streaming nothing can finish before the listing ends: the hold runs out instead.
      if (last) await Promise.race([done, new Promise((r) => (hold = setTimeout(r, HOLD_MS)))]);
      events.push(`page ${page}`);
    },
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'oss-streamed-download-'));
  const root = path.join(dir, 'dl');
  const client = fake.client();
  const manager = new TransferManager({
    clientFor: async () => client,
    checkpointDir: path.join(dir, 'checkpoints'),
    settings: () => ({ concurrentFiles: 4, disableCheckpoint: false }),
  });
  const sub = manager.onDidChange((it) => {
    if (it?.state === 'done' && !events.some((e) => e.startsWith('done'))) {
      events.push(`done ${it.spec.key}`);
      firstDone();
    }
  });
  try {
    const tally = newDownloadTally();
    const selections = [{ basePrefix: '', covers: { prefix: 'many/' }, pages: listObjectPages(client, 'b', 'many/', { pageSize: PAGE }) }];
    const specs = downloadSpecs(root, [{ profileId: 'p', bucket: 'b', selections }], { exists: async () => false, mkdir: async () => undefined, ask: async () => undefined, onRefused: () => undefined }, tally);
    const result = await manager.startBatch('download many/', specs).result;
    assert.equal(result.sourceError, undefined);
    assert.equal(result.done.length, COUNT);
    const lastPage = events.indexOf(`page ${COUNT / PAGE - 1}`);
    const firstFile = events.findIndex((e) => e.startsWith('done'));
    assert.ok(firstFile >= 0 && firstFile < lastPage, `events: ${events.join(', ')}`);
    const files = (await readdir(path.join(root, 'many'))).sort();
    assert.equal(files.length, COUNT);
    assert.equal(await readFile(path.join(root, 'many', files[0]!), 'utf8'), `data of many/${files[0]}`);
  } finally {
    clearTimeout(hold);
    sub.dispose();
    manager.dispose();
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
});

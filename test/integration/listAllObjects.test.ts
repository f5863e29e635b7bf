// listAllObjects (used by folder download and delete) against the test server over HTTP: every
// page is followed, nothing outside the prefix is returned, and folder markers are included.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { OssClient } from '../../src/oss/index.js';
import { listAllObjects } from '../../src/transfer/listing/listAllObjects.js';
import { planDownloads } from '../../src/vscode/planning/downloadPlan.js';
import { startOssServer, type OssServer } from '../server/index.js';

const creds = { accessKeyId: 'e1-ak', accessKeySecret: 'e1-sk' };
let server: OssServer;
let dataDir: string;
let client: OssClient;

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'oss-e1-list-'));
  server = await startOssServer({ port: 0, dataDir, credentials: [creds], buckets: ['e1-bucket'] });
  client = new OssClient({ ...creds, endpoint: server.endpoint });
  const keys = ['top.txt', 'f/', 'f/a.txt', 'f/sub/b.txt', 'f/sub/c d.txt', 'f2/x.txt', ...Array.from({ length: 7 }, (_, i) => `f/many/${i}.bin`)];
  for (const key of keys) await client.putObject({ bucket: 'e1-bucket', key, body: key.endsWith('/') ? '' : `data of ${key}` });
});

after(async () => {
  await client?.close();
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('follows every page and stays inside the prefix', async () => {
  const pages: number[] = [];
  const all = await listAllObjects(client, 'e1-bucket', 'f/', { pageSize: 3, onPage: (n) => pages.push(n) });
  const keys = all.map((o) => o.key).sort();
  assert.deepEqual(keys, ['f/', 'f/a.txt', ...Array.from({ length: 7 }, (_, i) => `f/many/${i}.bin`), 'f/sub/b.txt', 'f/sub/c d.txt'].sort());
  assert.ok(pages.length >= 4, `expected several pages, got ${pages.join(',')}`);
  assert.equal(pages.at(-1), keys.length);
  assert.equal(all.find((o) => o.key === 'f/a.txt')?.size, 'data of f/a.txt'.length);
});

test('a limit stops early; an empty prefix lists nothing', async () => {
  const some = await listAllObjects(client, 'e1-bucket', 'f/', { pageSize: 2, limit: 3 });
  assert.ok(some.length >= 3 && some.length <= 4);
  assert.deepEqual(await listAllObjects(client, 'e1-bucket', 'nothing-here/'), []);
});

test('a listed folder plans into the chosen directory with its own name', async () => {
  const objects = await listAllObjects(client, 'e1-bucket', 'f/sub/');
  const plan = planDownloads('/dl', [{ basePrefix: 'f/', objects }], 'posix');
  assert.deepEqual(plan.downloads.map((d) => d.file).sort(), ['/dl/sub/b.txt', '/dl/sub/c d.txt']);
  assert.deepEqual(plan.refused, []);
});

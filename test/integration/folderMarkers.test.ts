// Empty local folders of a folder upload arrive as `name/` marker objects: the scan and plan of a
// real folder tree, then the marker PUTs against the test server (existing objects kept, transient
// errors retried, a refused PUT reported per key).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { OssClient } from '../../src/oss/index.js';
import { scanLocalFolder } from '../../src/transfer/paths/localFiles.js';
import { DEFAULT_RETRY } from '../../src/transfer/engine/retryPolicy.js';
import { planUploadKeys } from '../../src/vscode/planning/uploadPlan.js';
import { createFolderMarkers } from '../../src/transfer/engine/folderMarkers.js';
import { startOssServer, type OssServer } from '../server/index.js';

const creds = { accessKeyId: 'markers-ak', accessKeySecret: 'markers-secret' };
const BUCKET = 'markers';
// No waiting between attempts: the test is about what is retried, not when.
const retry = { ...DEFAULT_RETRY, baseDelayMs: 0, maxDelayMs: 0, random: () => 0 };
let server: OssServer;
let dir: string;
let client: OssClient;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'oss-markers-'));
  server = await startOssServer({ port: 0, dataDir: path.join(dir, 'server'), credentials: [creds], buckets: [BUCKET] });
  client = new OssClient({ ...creds, endpoint: server.endpoint });
});

after(async () => {
  await client?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function keys(prefix: string): Promise<string[]> {
  return (await client.listObjectsV2({ bucket: BUCKET, prefix })).objects.map((o) => `${o.key}:${o.size}`);
}

test('a folder tree with empty folders: markers for exactly the empty ones, zero bytes each', async () => {
  const root = path.join(dir, 'local', 'project');
  await mkdir(path.join(root, 'src'), { recursive: true });
  await writeFile(path.join(root, 'src', 'main.ts'), 'x');
  await mkdir(path.join(root, 'build', 'out'), { recursive: true });
  await mkdir(path.join(root, 'logs'), { recursive: true });
  const scan = await scanLocalFolder(root);
  const plan = planUploadKeys('up/', [{ path: root, isDirectory: true, files: scan.files.map((f) => f.relativePath), emptyFolders: scan.emptyFolders }]);
  assert.deepEqual(plan.folders.map((f) => f.key), ['up/project/build/out/', 'up/project/logs/']);

  const r = await createFolderMarkers(client, BUCKET, plan.folders.map((f) => f.key), { retry });
  assert.deepEqual([...r.created].sort(), ['up/project/build/out/', 'up/project/logs/']);
  assert.deepEqual([r.existing, r.failed], [[], []]);
  assert.deepEqual(await keys('up/'), ['up/project/build/out/:0', 'up/project/logs/:0']);
  // The delimited listing the tree uses shows the folders.
  const top = await client.listObjectsV2({ bucket: BUCKET, prefix: 'up/project/', delimiter: '/' });
  assert.deepEqual(top.prefixes, ['up/project/build/', 'up/project/logs/']);
});

test('an existing object under a marker key is kept as it is, and counted as existing', async () => {
  await client.putObject({ bucket: BUCKET, key: 'keep/odd/', body: 'not empty' });
  const r = await createFolderMarkers(client, BUCKET, ['keep/odd/', 'keep/new/'], { retry });
  assert.deepEqual([r.created, r.existing, r.failed], [['keep/new/'], ['keep/odd/'], []]);
  assert.deepEqual(await keys('keep/'), ['keep/new/:0', 'keep/odd/:9']);
});

test('a transient error is retried; a refused PUT is reported with its key and the others still made', async () => {
  const flaky = server.faults.add({ op: 'PutObject', key: 'faults/flaky/' }, { type: 'status', status: 503 }, 2);
  server.faults.add({ op: 'PutObject', key: 'faults/denied/' }, { type: 'status', status: 403, code: 'AccessDenied' }, Infinity);
  const r = await createFolderMarkers(client, BUCKET, ['faults/flaky/', 'faults/denied/', 'faults/fine/'], { retry, parallel: 1 });
  assert.equal(server.faults.hits(flaky), 2);
  assert.deepEqual(r.created, ['faults/flaky/', 'faults/fine/']);
  assert.deepEqual(r.failed.map((f) => [f.key, (f.error as { code?: string }).code]), [['faults/denied/', 'AccessDenied']]);
  assert.deepEqual(await keys('faults/'), ['faults/fine/:0', 'faults/flaky/:0']);
  server.faults.clear();
});

test('a key that is not a folder marker is refused before any request', async () => {
  await assert.rejects(createFolderMarkers(client, BUCKET, ['no-slash']), /must end in "\/"/);
});

// The Buckets tree's data provider against the test server (with a fake `vscode` module): paging
// with "Load more…", folder markers, prefix filters, error nodes with OSS codes, reveal lookup,
// HEAD on hover, and a request log without secrets.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { MemoryChannel, MemoryMemento, MemorySecrets, installFakeVscode, type TreeItem } from './fakeVscode.js';
import { OssClient } from '../../src/oss/index.js';
import { startOssServer, type OssServer } from '../server/index.js';

installFakeVscode();
type TreeModule = typeof import('../../src/vscode/tree/bucketTreeProvider.js');
type NodesModule = typeof import('../../src/vscode/tree/treeNodes.js');

const creds = { accessKeyId: 'e1-tree-ak', accessKeySecret: 'e1-tree-secret-value' };
const BUCKET = 'e1-tree';
let server: OssServer;
let dataDir: string;
let channel: MemoryChannel;
let tree: InstanceType<TreeModule['BucketTreeProvider']>;
let store: import('../../src/vscode/profiles/profileStore.js').ProfileStore;
let nodes: NodesModule;
const pageSize = 3;

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'oss-e1-tree-'));
  server = await startOssServer({ port: 0, dataDir, credentials: [creds], buckets: [BUCKET] });
  const seed = new OssClient({ ...creds, endpoint: server.endpoint });
  for (const key of ['a/', 'a/x.txt', 'b/y.txt', 'z1.txt', 'z2.txt', 'z3.txt', 'z4.txt', 'z5.txt']) {
    await seed.putObject({ bucket: BUCKET, key, body: key.endsWith('/') ? '' : `content ${key}` });
  }
  await seed.close();

  const { Logger } = await import('../../src/vscode/logger.js');
  const { ProfileStore } = await import('../../src/vscode/profiles/profileStore.js');
  const { ClientRegistry } = await import('../../src/vscode/profiles/clientRegistry.js');
  const { BucketTreeProvider } = await import('../../src/vscode/tree/bucketTreeProvider.js');
  nodes = await import('../../src/vscode/tree/treeNodes.js');
  channel = new MemoryChannel();
  const log = new Logger(channel as never);
  store = new ProfileStore(new MemoryMemento() as never, new MemorySecrets() as never, {
    OSS_ACCESS_KEY_ID: creds.accessKeyId,
    OSS_ACCESS_KEY_SECRET: creds.accessKeySecret,
    OSS_ENDPOINT: server.endpoint,
  });
  const clients = new ClientRegistry(store, log, () => 'v4');
  const settings = () => ({ pageSize, concurrentFiles: 3, signatureVersion: 'v4' as const, checkpointsEnabled: true, openInEditorMaxBytes: 1 << 20 });
  tree = new BucketTreeProvider(store, clients, settings, log);
});

after(async () => {
  tree?.dispose();
  store?.dispose();
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

type Node = import('../../src/vscode/tree/treeNodes.js').TreeNode;
const label = (n: Node): string => (tree.getTreeItem(n) as unknown as TreeItem).label;

async function allPages(container: Node): Promise<string[]> {
  for (let i = 0; i < 20; i++) {
    const kids = await tree.getChildren(container);
    const more = kids.find((k) => k.kind === 'loadMore');
    if (!more) return kids.map(label);
    await tree.loadMore(more.parent);
  }
  throw new Error('Load more never ended');
}

async function bucketNode(): Promise<Node> {
  const [profile] = await tree.getChildren();
  assert.ok(profile);
  const b = (await tree.getChildren(profile)).find((n) => n.kind === 'bucket' && n.bucket === BUCKET);
  assert.ok(b, 'the bucket is listed');
  return b;
}

test('profile -> bucket -> a first page with "Load more…", then every page in order', async () => {
  const roots = await tree.getChildren();
  assert.deepEqual(roots.map(label), ['Environment (OSS_ACCESS_KEY_ID)']);
  const bucket = await bucketNode();
  const first = await tree.getChildren(bucket);
  assert.equal(first.length, pageSize + 1);
  assert.equal(label(first.at(-1)!), 'Load more…');
  assert.deepEqual(await allPages(bucket), ['a', 'b', 'z1.txt', 'z2.txt', 'z3.txt', 'z4.txt', 'z5.txt']);
  const z1 = (await tree.getChildren(bucket)).find((n) => label(n) === 'z1.txt')!;
  assert.match(String((tree.getTreeItem(z1) as unknown as TreeItem).description), /^14 B · \d{4}-\d\d-\d\d \d\d:\d\d$/);
});

test("a folder's own marker object is not listed inside it; refresh reloads", async () => {
  const bucket = await bucketNode();
  const a = (await tree.getChildren(bucket)).find((n) => n.kind === 'prefix' && n.prefix === 'a/')!;
  assert.deepEqual((await tree.getChildren(a)).map(label), ['x.txt']);
  const c = new OssClient({ ...creds, endpoint: server.endpoint });
  await c.putObject({ bucket: BUCKET, key: 'a/new.txt', body: 'n' });
  await c.close();
  assert.deepEqual((await tree.getChildren(a)).map(label), ['x.txt'], 'cached until refreshed');
  tree.refreshPrefix('env', BUCKET, 'a/');
  assert.deepEqual((await tree.getChildren(a)).map(label), ['new.txt', 'x.txt']);
});

test('a prefix filter narrows the listing and marks the node', async () => {
  const bucket = await bucketNode();
  assert.ok(bucket.kind === 'bucket');
  tree.setFilter(bucket, 'z');
  assert.equal((tree.getTreeItem(bucket) as unknown as TreeItem).contextValue, 'bucket.filtered');
  assert.deepEqual(await allPages(bucket), ['z1.txt', 'z2.txt', 'z3.txt', 'z4.txt', 'z5.txt']);
  tree.setFilter(bucket, 'nothing');
  assert.deepEqual((await tree.getChildren(bucket)).map(label), ['No keys start with "nothing"']);
  tree.setFilter(bucket, '');
  assert.equal((tree.getTreeItem(bucket) as unknown as TreeItem).contextValue, 'bucket');
});

test('findNode pages through folders to the object (for "Reveal in tree")', async () => {
  const found = await tree.findNode('env', BUCKET, 'z5.txt');
  assert.equal(found?.kind, 'object');
  assert.equal(found?.kind === 'object' && found.key, 'z5.txt');
  const inFolder = await tree.findNode('env', BUCKET, 'b/y.txt');
  assert.ok(inFolder?.kind === 'object' && inFolder.parent.kind === 'prefix' && inFolder.parent.prefix === 'b/');
  assert.equal((await tree.findNode('env', BUCKET, 'b/missing.txt'))?.kind, 'prefix', 'falls back to the folder');
});

test('hovering an object adds its CRC-64 from HEAD', async () => {
  const obj = await tree.findNode('env', BUCKET, 'a/x.txt');
  assert.ok(obj?.kind === 'object');
  const item = tree.getTreeItem(obj);
  const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };
  const resolved = (await tree.resolveTreeItem(item, obj, token as never)) as unknown as TreeItem;
  const md = (resolved.tooltip as { value: string }).value;
  assert.match(md, /CRC-64: ` \d+ `/);
  assert.match(md, /ETag: ` "[0-9A-F]{32}" `/);
});

/**
 * What the workbench shows when an object is hovered. VS Code 1.100's ResolvableTreeItem keeps a
 * tooltip that getTreeItem already gave (`this.tooltip = this.tooltip ?? resolved.tooltip`):
 * resolveTreeItem can only fill a tooltip that was left undefined.
 */
async function hoverAsVsCodeDoes(node: Node): Promise<string> {
  const item = tree.getTreeItem(node) as unknown as TreeItem;
  const sentWithTheRow = item.tooltip;
  const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };
  const resolved = (await tree.resolveTreeItem(item as never, node, token as never)) as unknown as TreeItem;
  const shown = sentWithTheRow ?? resolved.tooltip;
  return typeof shown === 'string' ? shown : (shown as { value: string }).value;
}

test('the tooltip VS Code shows on hover ends with the CRC-64, not "CRC-64: loading…" forever', async () => {
  const obj = await tree.findNode('env', BUCKET, 'b/y.txt');
  assert.ok(obj?.kind === 'object');
  const shown = await hoverAsVsCodeDoes(obj);
  assert.doesNotMatch(shown, /loading/);
  assert.match(shown, /CRC-64: ` \d+ `/);
  assert.match(shown, /Content type: /);
  assert.match(shown, /Size: \d+ bytes/);
  // Hovered again (the row redrawn), the facts are already known and come with the row.
  assert.match(((tree.getTreeItem(obj) as unknown as TreeItem).tooltip as { value: string }).value, /CRC-64: ` \d+ `/);
});

test('an object whose HEAD fails shows why on hover, not a CRC-64 that is still loading', async () => {
  const obj = await tree.findNode('env', BUCKET, 'z4.txt');
  assert.ok(obj?.kind === 'object');
  server.faults.add({ op: 'HeadObject', bucket: BUCKET, key: 'z4.txt' }, { type: 'status', status: 403 });
  const shown = await hoverAsVsCodeDoes(obj);
  assert.doesNotMatch(shown, /loading/);
  assert.match(shown, /Details could not be read: /);
  assert.match(shown, /Size: \d+ bytes/);
});

test('errors become nodes with the OSS code and a next step', async () => {
  await store.addBucket('env', { name: 'e1-missing' });
  const [profile] = await tree.getChildren();
  const missing = (await tree.getChildren(profile)).find((n) => n.kind === 'bucket' && n.bucket === 'e1-missing')!;
  assert.equal((tree.getTreeItem(missing) as unknown as TreeItem).contextValue, 'bucket.added');
  const [err] = await tree.getChildren(missing);
  assert.ok(err instanceof nodes.MessageNode && err.isError);
  assert.equal(err.advice?.code, 'NoSuchBucket');
  assert.equal(err.advice?.status, 404);
  assert.equal(label(err), 'The bucket does not exist');

  const wrong = await store.save({ name: 'wrong secret', accessKeyId: creds.accessKeyId, endpoint: server.endpoint }, { accessKeySecret: 'not-the-secret' });
  const wrongNode = (await tree.getChildren()).find((n) => n.kind === 'profile' && n.profileId === wrong.id)!;
  const [listErr] = await tree.getChildren(wrongNode);
  assert.ok(listErr instanceof nodes.MessageNode);
  assert.equal(listErr.advice?.code, 'SignatureDoesNotMatch');
  assert.equal(label(listErr), 'Cannot list buckets: The AccessKey secret was rejected');
  assert.match(listErr.advice?.nextStep ?? '', /Edit Profile.*Add Bucket by Name/s);
});

test('the log has each request with status and request id, and never a secret', () => {
  const requests = channel.lines.filter((l) => l.includes('[http]'));
  assert.ok(requests.some((l) => /ListObjectsV2 GET e1-tree -> 200 in \d+ ms requestId=\S+/.test(l)), requests.join('\n'));
  assert.ok(requests.some((l) => /HeadObject HEAD e1-tree\/a\/x\.txt -> 200/.test(l)));
  assert.ok(requests.some((l) => /^warn .*ListBuckets GET -> 403/.test(l)));
  for (const l of channel.lines) {
    assert.ok(!l.includes(creds.accessKeySecret) && !l.includes('not-the-secret'), `secret in log line: ${l}`);
    assert.ok(!/Signature=|OSS4-HMAC-SHA256 Credential/.test(l), `signature in log line: ${l}`);
  }
});

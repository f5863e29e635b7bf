// The Buckets tree opens after a reload as it was left: the nodes the user expanded (profile,
// bucket, folders) come back Expanded from getTreeItem, those collapsed again come back Collapsed.
// A reload is a new provider and a new ExpansionMemory over the same workspace state.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventEmitter, MemoryChannel, MemoryMemento, MemorySecrets, TreeItemCollapsibleState, installFakeVscode, type TreeItem } from './fakeVscode.js';
import { OssClient } from '../../src/oss/index.js';
import { startOssServer, type OssServer } from '../server/index.js';

installFakeVscode();
type TreeModule = typeof import('../../src/vscode/tree/bucketTreeProvider.js');
type MemoryModule = typeof import('../../src/vscode/tree/expansionMemory.js');
type Node = import('../../src/vscode/tree/treeNodes.js').TreeNode;
type Provider = InstanceType<TreeModule['BucketTreeProvider']>;

const creds = { accessKeyId: 'tree-expand-ak', accessKeySecret: 'tree-expand-secret' };
const BUCKET = 'tree-expand';
let server: OssServer;
let dataDir: string;
let mod: { tree: TreeModule; memory: MemoryModule };
let makeTree: (memory: InstanceType<MemoryModule['ExpansionMemory']>) => Provider;
const disposers: Array<() => void> = [];

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'oss-tree-expand-'));
  server = await startOssServer({ port: 0, dataDir, credentials: [creds], buckets: [BUCKET] });
  const seed = new OssClient({ ...creds, endpoint: server.endpoint });
  for (const key of ['photos/2026/a.jpg', 'photos/b.jpg', 'docs/c.txt', 'top.txt']) await seed.putObject({ bucket: BUCKET, key, body: key });
  await seed.close();
  const { Logger } = await import('../../src/vscode/logger.js');
  const { ProfileStore } = await import('../../src/vscode/profiles/profileStore.js');
  const { ClientRegistry } = await import('../../src/vscode/profiles/clientRegistry.js');
  mod = { tree: await import('../../src/vscode/tree/bucketTreeProvider.js'), memory: await import('../../src/vscode/tree/expansionMemory.js') };
  const log = new Logger(new MemoryChannel() as never);
  const store = new ProfileStore(new MemoryMemento() as never, new MemorySecrets() as never, {
    OSS_ACCESS_KEY_ID: creds.accessKeyId,
    OSS_ACCESS_KEY_SECRET: creds.accessKeySecret,
    OSS_ENDPOINT: server.endpoint,
  });
  const clients = new ClientRegistry(store, log, () => 'v4');
  const settings = () => ({ pageSize: 100, concurrentFiles: 3, signatureVersion: 'v4' as const, checkpointsEnabled: true, openInEditorMaxBytes: 1 << 20 });
  disposers.push(() => store.dispose(), () => clients.dispose());
  makeTree = (memory) => {
    const t = new mod.tree.BucketTreeProvider(store, clients, settings, log, memory);
    disposers.push(() => t.dispose());
    return t;
  };
});

after(async () => {
  for (const d of disposers.reverse()) d();
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A tree view's expand / collapse events, fired as VS Code fires them when the user clicks a twistie. */
function fakeView() {
  const expand = new EventEmitter<{ element: Node }>();
  const collapse = new EventEmitter<{ element: Node }>();
  return { onDidExpandElement: expand.event, onDidCollapseElement: collapse.event, expand: (n: Node) => expand.fire({ element: n }), collapse: (n: Node) => collapse.fire({ element: n }) };
}

async function child(tree: Provider, parent: Node | undefined, label: string): Promise<Node> {
  const found = (await tree.getChildren(parent)).find((n) => (tree.getTreeItem(n) as unknown as TreeItem).label === label);
  assert.ok(found, `${label} is listed`);
  return found;
}

const state = (tree: Provider, n: Node) => (tree.getTreeItem(n) as unknown as TreeItem).collapsibleState;

test('nodes expanded before a reload come back expanded; the others, and those collapsed again, do not', async () => {
  const workspaceState = new MemoryMemento();
  const memory = new mod.memory.ExpansionMemory(workspaceState as never);
  const tree = makeTree(memory);
  const view = fakeView();
  memory.watch(view, (n) => n.id);

  const [profile] = await tree.getChildren();
  assert.ok(profile);
  assert.equal(state(tree, profile), TreeItemCollapsibleState.Collapsed, 'nothing is remembered yet');
  view.expand(profile);
  const bucket = await child(tree, profile, BUCKET);
  view.expand(bucket);
  const photos = await child(tree, bucket, 'photos');
  view.expand(photos);
  const year = await child(tree, photos, '2026');
  view.expand(year);
  const docs = await child(tree, bucket, 'docs');
  view.expand(docs);
  view.collapse(docs);

  // The reload: a new provider and memory over the same workspace state.
  const reloaded = makeTree(new mod.memory.ExpansionMemory(workspaceState as never));
  const [profile2] = await reloaded.getChildren();
  assert.ok(profile2);
  assert.equal(state(reloaded, profile2), TreeItemCollapsibleState.Expanded, 'the profile');
  const bucket2 = await child(reloaded, profile2, BUCKET);
  assert.equal(state(reloaded, bucket2), TreeItemCollapsibleState.Expanded, 'the bucket');
  const photos2 = await child(reloaded, bucket2, 'photos');
  assert.equal(state(reloaded, photos2), TreeItemCollapsibleState.Expanded, 'a folder');
  assert.equal(state(reloaded, await child(reloaded, photos2, '2026')), TreeItemCollapsibleState.Expanded, 'a folder inside it');
  assert.equal(state(reloaded, await child(reloaded, bucket2, 'docs')), TreeItemCollapsibleState.Collapsed, 'collapsed again before the reload');
  assert.equal(state(reloaded, await child(reloaded, bucket2, 'top.txt')), TreeItemCollapsibleState.None, 'an object has nothing to expand');
  assert.deepEqual(JSON.parse(workspaceState.dump()), [['ossTransfer.buckets.expanded', [profile.id, bucket.id, photos.id, year.id]]], 'only node ids are stored');
});

test('the memory keeps the most recently expanded nodes within its limit and ignores what it cannot read', () => {
  const workspaceState = new MemoryMemento();
  const memory = new mod.memory.ExpansionMemory(workspaceState as never, 3);
  for (const id of ['a', 'b', 'c', 'd']) memory.expanded(id);
  memory.expanded('b'); // expanded again: the newest now
  memory.expanded('e');
  const again = new mod.memory.ExpansionMemory(workspaceState as never, 3);
  assert.deepEqual(['a', 'b', 'c', 'd', 'e'].filter((id) => again.isExpanded(id)), ['b', 'd', 'e']);
  void workspaceState.update('ossTransfer.buckets.expanded', { not: 'a list' });
  assert.equal(new mod.memory.ExpansionMemory(workspaceState as never).isExpanded('b'), false, 'a damaged value starts empty');
});

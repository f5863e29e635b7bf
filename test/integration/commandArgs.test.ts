// Small pure pieces of the command layer (loaded with the fake vscode module): which tree nodes a
// command acts on, where a drop or upload goes, and the folder-name check of "Create Folder…".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeVscode } from './fakeVscode.js';

installFakeVscode();

async function load() {
  const nodes = await import('../../src/vscode/tree/treeNodes.js');
  const { targetNodes } = await import('../../src/vscode/commands/errorReportingCommand.js');
  const { containerOf } = await import('../../src/vscode/tree/bucketDragAndDrop.js');
  const { folderNameProblem } = await import('../../src/vscode/commands/createFolder/createFolderCommand.js');
  const profile = new nodes.ProfileNode({ id: 'p', name: 'P', accessKeyId: 'AK', source: 'user', region: 'cn-hangzhou' });
  const bucket = new nodes.BucketNode(profile, 'bkt', 'cn-hangzhou', false);
  const folder = new nodes.PrefixNode(bucket, 'docs/');
  const obj = (key: string) => new nodes.ObjectNode(folder, { key, lastModified: '2024-01-01T00:00:00.000Z', etag: '"E"', size: 1, storageClass: 'Standard', type: 'Normal' });
  return { nodes, targetNodes, containerOf, folderNameProblem, profile, bucket, folder, obj };
}

test('targetNodes: the selection when the clicked node is in it, else the clicked node, else the view selection', async () => {
  const { targetNodes, obj, folder } = await load();
  const a = obj('docs/a'), b = obj('docs/b'), c = obj('docs/c');
  assert.deepEqual(targetNodes(a, [a, b], []), [a, b]);
  assert.deepEqual(targetNodes(c, [a, b], []), [c]);
  assert.deepEqual(targetNodes(a, undefined, [b]), [a]);
  assert.deepEqual(targetNodes(undefined, undefined, [folder, b]), [folder, b]);
  assert.deepEqual(targetNodes({ kind: 'object' }, 'junk', []), [], 'look-alike objects are not nodes');
});

test('containerOf: buckets and folders themselves, an object or "Load more" their folder, a profile nothing', async () => {
  const { containerOf, nodes, profile, bucket, folder, obj } = await load();
  assert.equal(containerOf(bucket), bucket);
  assert.equal(containerOf(folder), folder);
  assert.equal(containerOf(obj('docs/x')), folder);
  assert.equal(containerOf(new nodes.LoadMoreNode(folder)), folder);
  assert.equal(containerOf(new nodes.MessageNode(folder, 'No objects')), folder);
  assert.equal(containerOf(profile), undefined);
  assert.equal(containerOf(undefined), undefined);
});

test('tree items: labels are plain names, context values drive the menus', async () => {
  const { bucket, folder, obj, profile } = await load();
  const item = (n: { toTreeItem(): unknown }) => n.toTreeItem() as { label: string; contextValue: string; description?: string };
  assert.deepEqual([item(profile).label, item(profile).contextValue], ['P', 'profile.user']);
  assert.deepEqual([item(bucket).label, item(bucket).contextValue], ['bkt', 'bucket']);
  assert.deepEqual([item(folder).label, item(folder).contextValue], ['docs', 'folder']);
  folder.filter = 'rep';
  assert.deepEqual([item(folder).contextValue, item(folder).description], ['folder.filtered', 'filter: rep*']);
  assert.deepEqual([item(obj('docs/a b.txt')).label, item(obj('docs/a b.txt')).contextValue], ['a b.txt', 'object']);
});

test('folder names for "Create Folder…"', async () => {
  const { folderNameProblem } = await load();
  assert.equal(folderNameProblem('new'), undefined);
  assert.equal(folderNameProblem('a/b/'), undefined);
  assert.match(folderNameProblem('  ') ?? '', /Enter a folder name/);
  assert.match(folderNameProblem('/abs') ?? '', /cannot start with/);
  assert.match(folderNameProblem('a/../b') ?? '', /cannot be empty, "\." or "\.\."/);
  assert.match(folderNameProblem('a//b') ?? '', /cannot be empty/);
});

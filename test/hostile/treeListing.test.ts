// The Buckets tree's "Load more…" against a server that repeats its continuation token: the
// paging must end in an error node that says so, keeping what was listed, instead of offering
// "Load more…" forever and showing the same objects again. A failure worth retrying (503) shows
// the error node and keeps "Load more…", which then picks up where the listing stood.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { MemoryChannel, MemoryMemento, MemorySecrets, installFakeVscode, type TreeItem } from '../integration/fakeVscode.js';
import { startHostileServer, xmlError, type HostileServer } from './hostileServer.js';

installFakeVscode();
type Tree = InstanceType<typeof import('../../src/vscode/tree/bucketTreeProvider.js').BucketTreeProvider>;
type Node = import('../../src/vscode/tree/treeNodes.js').TreeNode;
type Store = import('../../src/vscode/profiles/profileStore.js').ProfileStore;

/** What the server answers for ListObjectsV2 requests: (index among them, continuation token sent). */
let listing: (n: number, token: string | null, res: ServerResponse) => void;
let listRequests: (string | null)[] = [];
let server: HostileServer;
let tree: Tree;
let store: Store;

function page(res: ServerResponse, keys: string[], next?: string): void {
  const contents = keys.map((k) => `<Contents><Key>${k}</Key><Size>1</Size><LastModified>2026-01-01T00:00:00.000Z</LastModified></Contents>`).join('');
  res.writeHead(200, { 'content-type': 'application/xml', 'x-oss-request-id': `list-${listRequests.length}` });
  res.end(
    `<ListBucketResult><Name>b</Name><IsTruncated>${next !== undefined}</IsTruncated>` +
      `${next !== undefined ? `<NextContinuationToken>${next}</NextContinuationToken>` : ''}${contents}</ListBucketResult>`,
  );
}

before(async () => {
  server = await startHostileServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end('<ListAllMyBucketsResult><Buckets><Bucket><Name>b</Name></Bucket></Buckets></ListAllMyBucketsResult>');
      return;
    }
    const token = url.searchParams.get('continuation-token');
    listRequests.push(token);
    listing(listRequests.length - 1, token, res);
  });
  const { Logger } = await import('../../src/vscode/logger.js');
  const { ProfileStore } = await import('../../src/vscode/profiles/profileStore.js');
  const { ClientRegistry } = await import('../../src/vscode/profiles/clientRegistry.js');
  const { BucketTreeProvider } = await import('../../src/vscode/tree/bucketTreeProvider.js');
  const log = new Logger(new MemoryChannel() as never);
  store = new ProfileStore(new MemoryMemento() as never, new MemorySecrets() as never, {
    OSS_ACCESS_KEY_ID: 'ak-hostile',
    OSS_ACCESS_KEY_SECRET: 'sk-hostile-secret',
    OSS_ENDPOINT: server.endpoint,
  });
  const settings = () => ({ pageSize: 2, concurrentFiles: 3, signatureVersion: 'v4' as const, checkpointsEnabled: true, openInEditorMaxBytes: 1 << 20 });
  tree = new BucketTreeProvider(store, new ClientRegistry(store, log, () => 'v4'), settings, log);
});

after(async () => {
  tree?.dispose();
  store?.dispose();
  await server?.close();
});

const label = (n: Node): string => (tree.getTreeItem(n) as unknown as TreeItem).label;

async function freshBucket(): Promise<Node> {
  tree.refresh();
  listRequests = [];
  const [profile] = await tree.getChildren();
  const bucket = (await tree.getChildren(profile)).find((n) => n.kind === 'bucket');
  assert.ok(bucket);
  return bucket;
}

test('a repeated continuation token ends "Load more…" in an error node; nothing is listed twice', async () => {
  listing = (n, _token, res) => page(res, n === 0 ? ['a', 'b'] : ['c', 'd'], 'T');
  const bucket = await freshBucket();
  assert.deepEqual((await tree.getChildren(bucket)).map(label), ['a', 'b', 'Load more…']);
  await tree.loadMore(bucket as never);
  const kids = await tree.getChildren(bucket);
  assert.deepEqual(kids.slice(0, 2).map(label), ['a', 'b']);
  assert.equal(kids.length, 3, kids.map(label).join(', '));
  const err = kids[2]!;
  assert.ok(err.kind === 'message' && err.isError, label(err));
  assert.equal(err.advice?.code, 'InvalidResponse');
  assert.match(label(err), /NextContinuationToken "T" again.*never end/);
  // Nothing more to load: no further request.
  await tree.loadMore(bucket as never);
  assert.deepEqual(listRequests, [null, 'T']);
});

test('a 503 on "Load more…" shows an error node and keeps "Load more…", which then goes on', async () => {
  listing = (n, _token, res) => {
    if (n === 0) page(res, ['a', 'b'], 'T1');
    else if (n === 1) res.writeHead(503, { 'content-type': 'application/xml' }).end(xmlError('ServiceUnavailable', 'busy'));
    else page(res, ['c']);
  };
  const bucket = await freshBucket();
  await tree.getChildren(bucket);
  await tree.loadMore(bucket as never);
  const failed = await tree.getChildren(bucket);
  assert.deepEqual(failed.map((n) => n.kind), ['object', 'object', 'message', 'loadMore']);
  assert.equal(failed[2]!.kind === 'message' && failed[2]!.advice?.code, 'ServiceUnavailable');
  await tree.loadMore(bucket as never);
  assert.deepEqual((await tree.getChildren(bucket)).map(label), ['a', 'b', 'c']);
  assert.deepEqual(listRequests, [null, 'T1', 'T1']);
});
